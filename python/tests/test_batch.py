"""Frames evaluated through Arrow give, row for row, the CLI's CSV result rows."""

from __future__ import annotations

from decimal import Decimal

import duckdb
import pandas as pd
import polars as pl
import pyarrow as pa
import pyarrow.csv as pacsv
import pytest

import forfait


AMOUNTS = ("total_euros", "total_points", "pays_")


def as_cli_cells(table: pa.Table) -> list[dict[str, str]]:
    """Result rows with every cell as the CLI's CSV writes it (an empty cell for none;
    amounts compared as numbers: the CLI writes points without trailing zeros)."""
    rows = []
    for row in table.to_pylist():
        rows.append({k: "" if v is None else str(v) for k, v in row.items()})
    return rows


def without_source(rows):
    """The rows without their `source` (the CLI's names a file and line), amounts as
    `Decimal`s."""
    return [
        {
            k: (Decimal(v) if v and k.startswith(AMOUNTS) else v)
            for k, v in r.items()
            if k != "source"
        }
        for r in rows
    ]


def read_as_texts(path) -> pa.Table:
    """The CSV with every column a text, as the CLI reads its cells (blank: null)."""
    header = path.read_text(encoding="utf-8").splitlines()[0].split(",")
    convert = pacsv.ConvertOptions(
        column_types={name: pa.string() for name in header},
        strings_can_be_null=True,
        null_values=[""],
    )
    return pacsv.read_csv(path, convert_options=convert)


def test_every_rulebook_text_columns_give_the_cli_rows(batches):
    for stem, (_, rulebook, path, expected) in batches.items():
        got = as_cli_cells(rulebook.evaluate_batch(read_as_texts(path)))
        assert len(got) == len(expected), stem
        assert without_source(got) == without_source(expected), stem
        assert got[7]["source"] == "frame:row 7"
        assert {r["status"] for r in got} == {"evaluated", "rejected"}, stem


def totals(rows):
    return [(r["id"], r["status"], r["total_euros"]) for r in rows]


def test_pandas_typed_columns_give_the_cli_rows(batches):
    # pandas reads counts as int64 (float64 with NaN where a cell is blank), yes/no and
    # choices as objects: typed cells and texts mixed, read by the same rules.
    for stem, (_, rulebook, path, expected) in batches.items():
        frame = pd.read_csv(path, dtype={"id": str})
        assert any(t.kind == "f" for t in frame.dtypes) or any(t.kind == "i" for t in frame.dtypes)
        got = as_cli_cells(rulebook.evaluate_batch(frame))
        assert without_source(got) == without_source(expected), stem


def test_polars_and_duckdb_hand_over_their_frames(batches):
    _, rulebook, path, expected = batches["2024-chirurgiens-dentistes"]
    frame = pl.read_csv(path, schema_overrides={"id": pl.String})
    assert totals(as_cli_cells(rulebook.evaluate_batch(frame))) == totals(expected)
    relation = duckdb.sql(f"select * from read_csv('{path}', all_varchar = true)")
    assert totals(as_cli_cells(rulebook.evaluate_batch(relation))) == totals(expected)


def test_results_schema_and_chosen_columns(batches):
    _, rulebook, path, expected = batches["2025-medecins"]
    table = rulebook.evaluate_batch(read_as_texts(path), columns=["id", "total_euros", "total_points"])
    assert table.column_names == ["id", "total_euros", "total_points"]
    assert table.schema.field("total_euros").type == pa.decimal128(38, 2)
    assert table.schema == rulebook.result_schema(["id", "total_euros", "total_points"])
    paid = [r for r in table.to_pylist() if r["total_euros"] is not None]
    assert all(isinstance(r["total_euros"], Decimal) for r in paid)
    assert sum(r["total_euros"] for r in paid) == sum(
        Decimal(r["total_euros"]) for r in expected if r["total_euros"]
    )
    with pytest.raises(ValueError, match="did you mean `total_euros`"):
        rulebook.evaluate_batch(read_as_texts(path), columns=["total_euro"])


def test_statuses_are_categories_unless_asked_as_texts(batches):
    _, rulebook, path, expected = batches["2025-medecins"]
    frame = read_as_texts(path)
    table = rulebook.evaluate_batch(frame)
    indicator = next(f.name for f in table.schema if f.name not in ("id", "status", "source", "errors", "rulebook_hash") and not f.name.startswith(AMOUNTS))
    for name in ("status", indicator, "rulebook_hash"):
        assert pa.types.is_dictionary(table.schema.field(name).type), name
    pandas = table.to_pandas()
    assert isinstance(pandas["status"].dtype, pd.CategoricalDtype)
    assert set(pandas["status"].cat.categories) == {"evaluated", "rejected"}
    assert list(pandas[indicator].astype(object).fillna("")) == [r[indicator] for r in expected]
    texts = rulebook.evaluate_batch(frame, categorical=False)
    assert texts.schema.field("status").type == pa.string()
    assert texts.schema == rulebook.result_schema(categorical=False)
    assert texts.column(indicator).to_pylist() == table.column(indicator).to_pylist()


def test_a_record_batch_gives_a_record_batch_numbered_from_first_row(batches):
    _, rulebook, path, expected = batches["2024-chirurgiens-dentistes"]
    batch = read_as_texts(path).to_batches()[0].slice(10, 5)
    got = rulebook.evaluate_batch(batch, first_row=10, source="lot")
    assert isinstance(got, pa.RecordBatch)
    rows = as_cli_cells(pa.Table.from_batches([got]))
    assert [r["source"] for r in rows] == [f"lot:row {n}" for n in range(10, 15)]
    assert without_source(rows) == without_source(expected[10:15])


def test_a_bad_typed_value_is_a_rejected_row_naming_its_field(batches):
    _, rulebook, path, expected = batches["2024-chirurgiens-dentistes"]
    table = read_as_texts(path).slice(0, 4)
    floats = pa.array([700.0, 700.5, float("nan"), -3.0])
    table = table.set_column(table.column_names.index("actes_fse"), "actes_fse", floats)
    got = rulebook.evaluate_batch(table).to_pylist()
    assert got[1]["status"] == "rejected"
    assert "actes_fse" in got[1]["errors"] and "700.5" in got[1]["errors"]
    assert got[3]["status"] == "rejected" and "actes_fse" in got[3]["errors"]


def test_unknown_and_missing_columns_raise_with_their_problems():
    rulebook = forfait.Rulebook.from_path(
        __import__("conftest").ROOT / "rulebooks/forfait-structure/2025-medecins.forfait"
    )
    frame = pa.table({"identifiant": ["A"], "actes_fse": [1], "actes_fes": [2]})
    with pytest.raises(forfait.DeclarationError) as raised:
        rulebook.evaluate_batch(frame)
    codes = [p["code"] for p in raised.value.problems]
    assert codes.count("forfait::decl::unknown_field") == 2
    assert "forfait::decl::missing_id" in codes
    assert any("did you mean `actes_fse`" in p["message"] for p in raised.value.problems)
    ignored = pa.table({"id": ["A"], "autre": [1]})
    names = {p["field"] for p in _problems(rulebook, ignored, ignore_unknown_columns=True)}
    assert "autre" not in names


def _problems(rulebook, frame, **options):
    try:
        rulebook.evaluate_batch(frame, **options)
    except forfait.DeclarationError as e:
        return e.problems
    return []
