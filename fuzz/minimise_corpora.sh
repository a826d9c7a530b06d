#!/usr/bin/env bash
# Shrinks fuzz/corpus/<target>/ to a small set of small files that keeps (nearly) all of
# its coverage, so that the corpora stay under about 2 MB in all:
#   1. every corpus file is cut to its first MAX_LEN bytes (default 6000);
#   2. libFuzzer merges the seeds (python3 fuzz/seed_corpora.py, whole) and the cut files
#      into an empty folder, keeping a smallest set of files that covers every code edge
#      (-set_cover_merge=1 -use_counters=0);
#   3. that folder replaces fuzz/corpus/<target>/.
# Needs the targets built: RUSTC_BOOTSTRAP=1 cargo fuzz build -s none (from fuzz/).
# Usage: fuzz/minimise_corpora.sh [TARGET...]   (default: every target)
set -euo pipefail
cd "$(dirname "$0")"
MAX_LEN="${MAX_LEN:-6000}"
BIN=target/x86_64-unknown-linux-gnu/release
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(rulebook declaration_csv declaration_json declaration_jsonl declaration_structure)
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 seed_corpora.py "$work/seeds"
for t in "${targets[@]}"; do
  mkdir -p "$work/cut/$t" "$work/new/$t" "$work/seeds/$t"
  for f in corpus/"$t"/*; do
    [ -f "$f" ] && head -c "$MAX_LEN" "$f" > "$work/cut/$t/$(basename "$f")"
  done
  "$BIN/$t" -merge=1 -set_cover_merge=1 -use_counters=0 \
    "$work/new/$t" "$work/seeds/$t" "$work/cut/$t" > "$work/$t.log" 2>&1 \
    || { tail -n 20 "$work/$t.log"; exit 1; }
  before=$("$BIN/$t" -runs=0 "corpus/$t" 2>&1 | grep -a -o 'INITED cov: [0-9]*' || true)
  rm -rf "corpus/$t"
  mv "$work/new/$t" "corpus/$t"
  after=$("$BIN/$t" -runs=0 "corpus/$t" 2>&1 | grep -a -o 'INITED cov: [0-9]*' || true)
  echo "$t: $(ls "corpus/$t" | wc -l) files, $(du -sb "corpus/$t" | cut -f1) bytes; ${before#INITED } -> ${after#INITED }"
done
