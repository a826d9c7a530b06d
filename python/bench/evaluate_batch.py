"""Throughput of `Rulebook.evaluate_batch` on a 1 000 000-row pandas DataFrame, the
pandas-to-Arrow hand-over included, against OpenFisca's measured rates on the same rules.

    cargo bench --bench batch -- generate --rulebook fami --rows 1000000 --seed 42 --out /tmp/fami.csv
    cargo bench --bench batch -- generate --rulebook medecins --rows 1000000 --seed 42 --out /tmp/medecins.csv
    taskset -c 1 python python/bench/evaluate_batch.py fami /tmp/fami.csv
    taskset -c 1 python python/bench/evaluate_batch.py medecins /tmp/medecins.csv

Prints each run's seconds and rows per second, then the median and its ratio to OpenFisca.
The DataFrame is read once, outside the timing (pandas' own reading is not forfait's).
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import pandas as pd

import forfait

ROOT = Path(__file__).resolve().parents[2]
RULEBOOKS = {
    "fami": ROOT / "rulebooks/fami/2024-chirurgiens-dentistes.forfait",
    "medecins": ROOT / "rulebooks/forfait-structure/2025-medecins.forfait",
}
# OpenFisca on the same rules, one core, rows per second (issue 15).
OPENFISCA = {"fami": 810_000, "medecins": 320_000}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("rulebook", choices=sorted(RULEBOOKS))
    parser.add_argument("csv")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--backend",
        choices=["numpy", "pyarrow"],
        default="numpy",
        help="pandas' column storage: NumPy (pandas' default) or Arrow",
    )
    args = parser.parse_args()
    rulebook = forfait.Rulebook.from_path(RULEBOOKS[args.rulebook])
    if args.backend == "pyarrow":
        frame = pd.read_csv(args.csv, dtype={"id": str}, engine="pyarrow", dtype_backend="pyarrow")
    else:
        frame = pd.read_csv(args.csv, dtype={"id": str})
    rows = len(frame)
    seconds = []
    for run in range(args.runs):
        start = time.perf_counter()
        result = rulebook.evaluate_batch(frame)
        elapsed = time.perf_counter() - start
        assert result.num_rows == rows
        seconds.append(elapsed)
        print(f"run {run + 1}: {elapsed:.3f} s, {rows / elapsed / 1e6:.2f} M rows/s")
    median = statistics.median(seconds)
    rate = rows / median
    target = OPENFISCA[args.rulebook]
    rejected = sum(1 for s in result.column("status").to_pylist() if s == "rejected")
    print(
        f"{args.rulebook} ({args.backend}): {rows} rows ({rejected} rejected), median {median:.3f} s, "
        f"{rate / 1e6:.2f} M rows/s, {rate / target:.1f}x OpenFisca ({target / 1e6:.2f} M rows/s)"
    )


if __name__ == "__main__":
    main()
