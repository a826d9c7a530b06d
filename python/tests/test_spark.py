"""The same package inside Spark: a local session (two cores) evaluates a DataFrame with
`mapInArrow` and gets the CLI's totals."""

from __future__ import annotations

import os
import sys
from decimal import Decimal

import pytest

pyspark = pytest.importorskip("pyspark")
from pyspark.sql import SparkSession  # noqa: E402


@pytest.fixture(scope="module")
def spark():
    # The workers run this interpreter, where forfait is installed.
    os.environ["PYSPARK_PYTHON"] = sys.executable
    os.environ["PYSPARK_DRIVER_PYTHON"] = sys.executable
    session = (
        SparkSession.builder.master("local[2]")
        .appName("forfait-test")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .getOrCreate()
    )
    yield session
    session.stop()


def test_map_in_arrow_gives_the_cli_totals(spark, batches):
    for stem in ["2024-chirurgiens-dentistes", "2025-medecins"]:
        _, rulebook, path, expected = batches[stem]
        # Every column a text, as the CLI reads the file; two partitions.
        frame = spark.read.csv(str(path), header=True, inferSchema=False).repartition(2)
        schema = rulebook.spark_schema(["id", "status", "total_euros"])
        results = frame.mapInArrow(
            lambda batches: rulebook.evaluate_batches(batches, columns=["id", "status", "total_euros"]),
            schema,
        )
        got = sorted((r["id"] or "", r["status"], str(r["total_euros"])) for r in results.collect())
        want = sorted(
            (r["id"], r["status"], str(Decimal(r["total_euros"])) if r["total_euros"] else "None")
            for r in expected
        )
        assert got == want, stem
        total = results.agg({"total_euros": "sum"}).collect()[0][0]
        assert total == sum(Decimal(r["total_euros"]) for r in expected if r["total_euros"])
