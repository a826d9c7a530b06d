#!/usr/bin/env bash
# The load test of `forfait serve` (docs/performance.md, "forfait serve"): a release
# build serving the shipped rulebooks on a free loopback port, with its decision log on,
# then wrk (Debian's `wrk` package) posting one declaration to evaluate, over
# CONNECTIONS connections on THREADS threads for DURATION; it prints requests/s and the
# latency percentiles (p99 among them), then stops the service. Not part of CI.
#
#   bash benches/serve-load.sh            # 10 s, 2 threads, 16 connections
#   DURATION=30s CONNECTIONS=64 bash benches/serve-load.sh
set -euo pipefail
cd "$(dirname "$0")/.."
duration="${DURATION:-10s}"
threads="${THREADS:-2}"
connections="${CONNECTIONS:-16}"
if ! command -v wrk >/dev/null 2>&1; then
  echo "wrk is needed: apt-get install -y wrk" >&2
  exit 2
fi
cargo build --release --locked --quiet
bin="${CARGO_TARGET_DIR:-target}/release/forfait"
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

"$bin" serve rulebooks --addr 127.0.0.1:0 --decision-log "$scratch/decisions.jsonl" \
  >"$scratch/stdout" 2>"$scratch/stderr" &
server=$!
for _ in $(seq 1 100); do
  if grep -qs 'http://127.0.0.1:' "$scratch/stdout"; then break; fi
  sleep 0.1
done
addr="$(grep -o 'http://127.0.0.1:[0-9]*' "$scratch/stdout" | head -n 1)"
[ -n "$addr" ] || { cat "$scratch/stderr" >&2; exit 1; }

# One declaration, the dentists' profile that is paid the most (every indicator read).
declaration="rulebooks/fami/2024-chirurgiens-dentistes.examples/maximum.json"
cat >"$scratch/post.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local file = io.open("$declaration", "rb")
wrk.body = file:read("*a")
file:close()
LUA
url="$addr/v1/rulebooks/fami_2024_chirurgiens_dentistes/evaluate"
# Once by hand first: the answer must be the one expected.csv gives.
if ! curl -sf -X POST -H 'Content-Type: application/json' --data-binary "@$declaration" "$url" \
  | grep -q '"euros":"1240.00"'; then
  echo "the service does not answer 1240.00 for $declaration" >&2
  exit 1
fi
echo "wrk: $threads threads, $connections connections, $duration, POST $url"
wrk --threads "$threads" --connections "$connections" --duration "$duration" \
  --latency --script "$scratch/post.lua" "$url"
lines=$(wc -l <"$scratch/decisions.jsonl")
echo "decision log: $lines lines"
