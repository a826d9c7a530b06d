#!/usr/bin/env bash
# forfait serve against its own OpenAPI document (src/cli/serve/openapi.json): schemathesis,
# at the version pinned in requirements.txt, generates requests for every route and checks
# each answer's status, content type, headers and body against the document.
#
#   FORFAIT_BIN=target/debug/forfait bash tests/serve/schemathesis.sh
#
# The service runs on a free loopback port over the shipped rulebooks/, and is stopped
# afterwards; the run is bounded (a few examples per route, a time budget).
set -euo pipefail
cd "$(dirname "$0")/../.."
bin="${FORFAIT_BIN:-target/debug/forfait}"
scratch="$(mktemp -d)"
server=""
cleanup() {
  if [ -n "$server" ]; then
    kill -TERM "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
  fi
  rm -rf "$scratch"
}
trap cleanup EXIT

python3 -m venv "$scratch/venv"
"$scratch/venv/bin/pip" install --quiet --disable-pip-version-check -r tests/serve/requirements.txt

"$bin" serve rulebooks --addr 127.0.0.1:0 --decision-log "$scratch/decisions.jsonl" \
  >"$scratch/stdout" 2>"$scratch/stderr" &
server=$!
# Its first line says where it listens.
for _ in $(seq 1 100); do
  if grep -qs 'http://127.0.0.1:' "$scratch/stdout"; then break; fi
  sleep 0.1
done
addr="$(grep -o 'http://127.0.0.1:[0-9]*' "$scratch/stdout" | head -n 1)"
if [ -z "$addr" ]; then
  echo "forfait serve did not start:" >&2
  cat "$scratch/stderr" >&2
  exit 1
fi

status=0
"$scratch/venv/bin/schemathesis" --config-file tests/serve/schemathesis.toml \
  run "$addr/openapi.json" --checks all --max-examples 20 --max-time 90 --workers 2 \
  --no-color || status=$?
if grep -qi 'panic' "$scratch/stderr"; then
  echo "forfait serve panicked:" >&2
  cat "$scratch/stderr" >&2
  status=1
fi
exit "$status"
