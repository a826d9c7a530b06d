"""forfait from Python: rulebooks of the fund's flat-rate incentive schemes (FAMI, forfait
structure) checked and evaluated on one declaration (a dict, the JSON contract back) or on
a whole frame (Arrow record batches: pandas, Polars, DuckDB and Spark hand theirs over).

    >>> import forfait
    >>> rulebook = forfait.Rulebook.from_path("rulebooks/fami/2024-chirurgiens-dentistes.forfait")
    >>> rulebook.evaluate({"id": "PS-1", ...})["total"]["euros"]
    '490.00'

docs/python.md in the repository describes it all.
"""

from __future__ import annotations

import datetime
import decimal
import json
import os
from typing import Any, Iterator, Mapping, Optional, Sequence, Union

import pyarrow as pa

from . import _forfait

__all__ = ["Rulebook", "Error", "RulebookError", "DeclarationError"]


class Error(Exception):
    """Every error forfait raises."""


class RulebookError(Error, ValueError):
    """A rulebook that does not check: `diagnostics` lists each error (and warning) as
    `forfait check --error-format json` gives it, with `line` and `column` of its first
    label added (1-based; `None` when it has none)."""

    def __init__(self, message: str, diagnostics: list[dict[str, Any]]):
        super().__init__(message)
        self.diagnostics = diagnostics


class DeclarationError(Error, ValueError):
    """A declaration (or a frame's columns) that cannot be evaluated: `problems` lists
    each with `code` (`forfait::decl::...`), `field`, `message` and `expected`."""

    def __init__(self, message: str, problems: list[dict[str, Any]]):
        super().__init__(message)
        self.problems = problems


def _diagnostics(text: str) -> list[dict[str, Any]]:
    items = json.loads(text)
    for item in items:
        first = item["labels"][0] if item.get("labels") else {}
        item["line"] = first.get("line")
        item["column"] = first.get("column")
    return items


def _json_default(value: Any) -> Any:
    # Exact values go as text, which the readers read as they read a CSV cell.
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    raise TypeError(f"a declaration's value cannot be {type(value).__name__}: {value!r}")


def _to_arrow(data: Any) -> Union[pa.RecordBatch, pa.Table]:
    """A frame as Arrow: a RecordBatch or Table as it is; anything that speaks the Arrow
    PyCapsule interface (Polars, DuckDB, ...) through it; a pandas DataFrame through
    `pa.Table.from_pandas` (its index left out)."""
    if isinstance(data, (pa.RecordBatch, pa.Table)):
        return data
    module = type(data).__module__
    if module.startswith("pandas"):
        return pa.Table.from_pandas(data, preserve_index=False)
    if hasattr(data, "__arrow_c_stream__"):
        return pa.table(data)
    if hasattr(data, "__arrow_c_array__"):
        return pa.record_batch(data)
    if hasattr(data, "to_arrow"):
        return data.to_arrow()
    raise TypeError(
        "evaluate_batch takes a pyarrow RecordBatch or Table, a pandas or Polars DataFrame, "
        f"or any object with __arrow_c_stream__ or __arrow_c_array__; not {type(data).__name__}"
    )


class Rulebook:
    """A rulebook that checked clean (its warnings in `warnings`)."""

    def __init__(
        self, compiled: Any, warnings: list[dict[str, Any]], text: str, name: str, language: str
    ):
        self._compiled = compiled
        self._text = text
        self._file = name
        self._language = language
        self.warnings = warnings

    def __reduce__(self) -> Any:
        # Pickled as its text, checked again where it is unpickled (Spark's workers).
        return (Rulebook.from_text, (self._text, self._file, self._language))

    @classmethod
    def from_text(cls, text: str, name: str = "<text>", language: str = "en") -> "Rulebook":
        """Parses and checks a rulebook's text; raises `RulebookError` with its diagnostics
        (messages in `language`, `en` or `fr`) when it has errors."""
        compiled, diagnostics = _forfait.compile(name, text, language)
        items = _diagnostics(diagnostics)
        if compiled is None:
            errors = [d for d in items if d["severity"] == "error"]
            first = errors[0] if errors else (items[0] if items else {"message": "?"})
            where = f"{name}:{first.get('line')}:{first.get('column')}"
            raise RulebookError(
                f"{where}: {first['message']} ({len(errors)} error(s))", items
            )
        return cls(compiled, items, text, name, language)

    @classmethod
    def from_path(cls, path: Union[str, os.PathLike], language: str = "en") -> "Rulebook":
        """Reads and checks a rulebook file (see `from_text`)."""
        with open(path, encoding="utf-8") as f:
            text = f.read()
        return cls.from_text(text, name=os.fspath(path), language=language)

    @property
    def name(self) -> str:
        return self._compiled.name

    @property
    def title(self) -> str:
        return self._compiled.title

    @property
    def exercice(self) -> int:
        return self._compiled.exercice

    @property
    def content_hash(self) -> str:
        """The rulebook's hash, as every result row and JSON object carries it."""
        return self._compiled.content_hash

    @property
    def inputs(self) -> list[str]:
        """The inputs' names, in the rulebook's order: a frame's columns (with `id`)."""
        return self._compiled.input_names()

    @property
    def input_types(self) -> list[tuple[str, str, list[str], bool]]:
        """Each input's name, type (`yes_no`, `count`, `decimal`, `date`, `text`,
        `choice`), its choices' names, and whether a frame must have its column."""
        return self._compiled.input_types()

    def check(self) -> list[dict[str, Any]]:
        """The rulebook's warnings (it checked clean of errors, or it would not exist)."""
        return self.warnings

    def _evaluate(self, declaration: Mapping[str, Any], source: str, explain: bool) -> dict[str, Any]:
        if not isinstance(declaration, Mapping):
            raise TypeError(f"a declaration is a dict, not {type(declaration).__name__}")
        text = json.dumps(dict(declaration), default=_json_default, allow_nan=False)
        result = json.loads(self._compiled.evaluate_json(text, source, explain))
        if result["status"] == "rejected":
            problems = result["errors"]
            message = " | ".join(
                f"{p['field']}: {p['message']}" if p.get("field") else p["message"]
                for p in problems
            )
            raise DeclarationError(message, problems)
        return result

    def evaluate(self, declaration: Mapping[str, Any], source: str = "<dict>") -> dict[str, Any]:
        """One declaration (field names to values: numbers, bools, texts, `Decimal`s,
        dates) evaluated: the JSON contract's object (docs/output-json.md) as a dict.
        Raises `DeclarationError` when it is rejected."""
        return self._evaluate(declaration, source, explain=False)

    def explain(self, declaration: Mapping[str, Any], source: str = "<dict>") -> dict[str, Any]:
        """As `evaluate`, with `explanation` (the tree `forfait explain` prints, as nodes
        of `text`, `status`, `holds` and `children`) and `text` (that print, in French)."""
        return self._evaluate(declaration, source, explain=True)

    def result_schema(
        self, columns: Optional[Sequence[str]] = None, categorical: bool = True
    ) -> pa.Schema:
        """The Arrow schema of `evaluate_batch`'s results."""
        return self._compiled.result_schema(_columns(columns), categorical)

    def spark_schema(self, columns: Optional[Sequence[str]] = None) -> str:
        """`result_schema` as Spark's DDL (`id STRING, ..., total_euros DECIMAL(38,2)`)."""
        fields = []
        for field in self.result_schema(columns, categorical=False):
            if pa.types.is_decimal(field.type):
                kind = f"DECIMAL({field.type.precision},{field.type.scale})"
            else:
                kind = "STRING"
            fields.append(f"`{field.name}` {kind}")
        return ", ".join(fields)

    def evaluate_batch(
        self,
        data: Any,
        columns: Optional[Sequence[str]] = None,
        ignore_unknown_columns: bool = False,
        source: str = "frame",
        first_row: int = 0,
        categorical: bool = True,
    ) -> Union[pa.RecordBatch, pa.Table]:
        """A frame of declarations evaluated, a result row per row: a RecordBatch for a
        RecordBatch, else a Table. Columns are `id` and inputs; results are the CSV result
        row's columns (`columns=` chooses some, as `--columns`), amounts as exact
        decimal128 (scale 2 for euros). A row that does not read is `rejected`, its
        `errors` saying why; a column that is no input raises `DeclarationError`.
        `source` names the frame in each row's `source` (`frame:row N`, N from
        `first_row`, counted from 0). `status`, the indicators' statuses and
        `rulebook_hash` are dictionary-encoded (pandas' categories), or texts with
        `categorical=False`."""
        arrow = _to_arrow(data)
        chosen = _columns(columns)
        if isinstance(arrow, pa.RecordBatch):
            return self._compiled.evaluate_arrow(
                arrow,
                chosen,
                ignore_unknown_columns,
                source,
                first_row,
                self._language,
                categorical,
            )
        batches = []
        row = first_row
        for batch in arrow.to_batches():
            batches.append(
                self._compiled.evaluate_arrow(
                    batch,
                    chosen,
                    ignore_unknown_columns,
                    source,
                    row,
                    self._language,
                    categorical,
                )
            )
            row += batch.num_rows
        if not batches:
            empty = pa.RecordBatch.from_pylist([], schema=arrow.schema)
            batches.append(
                self._compiled.evaluate_arrow(
                    empty,
                    chosen,
                    ignore_unknown_columns,
                    source,
                    row,
                    self._language,
                    categorical,
                )
            )
        return pa.Table.from_batches(batches)

    def evaluate_batches(
        self, batches: Iterator[pa.RecordBatch], **options: Any
    ) -> Iterator[pa.RecordBatch]:
        """Each record batch evaluated as it comes, rows numbered on: the function Spark's
        `mapInArrow` calls (`df.mapInArrow(rulebook.evaluate_batches, schema)`). Statuses
        are texts unless `categorical=True`: Spark reads no dictionary-encoded column."""
        row = options.pop("first_row", 0)
        options.setdefault("categorical", False)
        for batch in batches:
            yield self.evaluate_batch(batch, first_row=row, **options)
            row += batch.num_rows


def _columns(columns: Optional[Sequence[str]]) -> Optional[str]:
    if columns is None:
        return None
    if isinstance(columns, str):
        return columns
    return ",".join(columns)
