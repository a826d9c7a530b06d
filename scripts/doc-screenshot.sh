#!/usr/bin/env bash
# Builds the HTML documentation page of a rulebook and takes a screenshot of it with
# Debian's chromium, headless: a check by eye that the page reads well in a browser.
# Not run by CI, which does not depend on chromium.
#
#   scripts/doc-screenshot.sh RULEBOOK [PNG] [WIDTHxHEIGHT]
#   scripts/doc-screenshot.sh rulebooks/fami/2024-chirurgiens-dentistes.forfait /tmp/fami-2024.png
#
# PNG defaults to target/doc-screenshots/NAME.png, the window to 1280x2000. The page itself
# is written beside it (NAME.html). Installs chromium with apt-get when it is missing
# (as root, Debian).
set -euo pipefail
cd "$(dirname "$0")/.."

rulebook=${1:?usage: scripts/doc-screenshot.sh RULEBOOK [PNG] [WIDTHxHEIGHT]}
name=$(basename "$rulebook" .forfait)
png=${2:-target/doc-screenshots/$name.png}
size=${3:-1280x2000}
mkdir -p "$(dirname "$png")"
png=$(cd "$(dirname "$png")" && pwd)/$(basename "$png")
html=${png%.png}.html

if ! command -v chromium >/dev/null 2>&1; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi

cargo run --quiet -- doc "$rulebook" --format html --output "$html"

profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync \
  --hide-scrollbars --user-data-dir="$profile" \
  --screenshot="$png" --window-size="${size/x/,}" "file://$html" 2>/dev/null
echo "screenshot: $png (page: $html)"
