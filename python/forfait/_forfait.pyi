"""The native module: the PyO3 and Arrow glue that `forfait` wraps."""

from typing import Any, Optional

import pyarrow as pa

class CompiledBook:
    name: str
    title: str
    exercice: int
    content_hash: str
    def warnings_json(self, language: str) -> str: ...
    def input_names(self) -> list[str]: ...
    def input_types(self) -> list[tuple[str, str, list[str], bool]]: ...
    def evaluate_json(self, text: str, source: str, explain: bool) -> str: ...
    def result_schema(self, columns: Optional[str] = None, categorical: bool = True) -> pa.Schema: ...
    def evaluate_arrow(
        self,
        batch: Any,
        columns: Optional[str] = None,
        ignore_unknown_columns: bool = False,
        source: str = "frame",
        first_row: int = 0,
        language: str = "en",
        categorical: bool = True,
    ) -> pa.RecordBatch: ...

def compile(name: str, text: str, language: str) -> tuple[Optional[CompiledBook], str]: ...
