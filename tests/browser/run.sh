#!/usr/bin/env bash
# The studio's browser tests, as CI runs them: Debian's Chromium, the npm packages of the
# lock file, then the test against $FORFAIT_BIN (built beforehand; nothing is built here).
# Without a FORFAIT_BIN that has the `studio` subcommand, the test says it is skipped.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

if [ ! -x /usr/bin/chromium ] && [ -z "${CHROMIUM:-}" ]; then
  echo "studio browser tests: installing Debian's chromium"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q chromium
fi

# A relative FORFAIT_BIN means one relative to where this script was called from.
if [ -n "${FORFAIT_BIN:-}" ]; then
  FORFAIT_BIN="$(realpath -m "$FORFAIT_BIN")"
  export FORFAIT_BIN
fi

cd "$here"
npm ci --no-audit --no-fund
exec node studio.test.mjs "$@"
