"""Faithful cells: what a result value becomes on its way to JSON.

A cell is JSON null, a bool, an integer only when JSON and JavaScript hold it exactly
(|x| <= 2**53), a finite double, or else DuckDB's own text for the value. The conversion happens
mostly in SQL: the page query casts every column that is not JSON-safe to VARCHAR, so DuckDB
writes the text (DECIMAL exactly, TIMESTAMPTZ with its offset, BLOB as ``\\xAB``, nested types),
and Python only touches integers that may be too big and doubles that may be NaN or infinite.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

import duckdb
import numpy as np

from mlworkbench.core.data.identifiers import quote
from mlworkbench.schemas import ColumnInfo

SAFE_INTEGER = 2**53
# Fetched as they are: every value fits JSON exactly.
_NATIVE = {
    "BOOLEAN",
    "TINYINT",
    "SMALLINT",
    "INTEGER",
    "UTINYINT",
    "USMALLINT",
    "UINTEGER",
    "VARCHAR",
}
# Fetched as 64-bit integers (exact), turned into text beyond 2**53.
_INT64 = {"BIGINT", "UBIGINT"}
# Fetched as DuckDB's text, turned into numbers when JSON holds them exactly.
_INTEGER_TEXT = {"HUGEINT", "UHUGEINT", "BIGNUM", "VARINT"}


def _big_integers(array: Any, values: list) -> list:
    data = array.compressed() if np.ma.isMaskedArray(array) else array
    if not data.size or (
        data.max() <= SAFE_INTEGER and (array.dtype.kind == "u" or data.min() >= -SAFE_INTEGER)
    ):
        return values
    return [v if v is None or -SAFE_INTEGER <= v <= SAFE_INTEGER else str(v) for v in values]


def _doubles(array: Any, values: list) -> list:
    data = array.compressed() if np.ma.isMaskedArray(array) else array
    if np.isfinite(data).all():
        return values
    return [
        v if v is None or math.isfinite(v) else ("nan" if v != v else "inf" if v > 0 else "-inf")
        for v in values
    ]


def _integer_text(_array: Any, values: list) -> list:
    out = []
    for v in values:
        if v is not None and len(v) <= 17 and -SAFE_INTEGER <= int(v) <= SAFE_INTEGER:
            v = int(v)
        out.append(v)
    return out


def _float_text(_array: Any, values: list) -> list:
    # FLOAT travels as the double its shortest text names ('0.1'), not as the float's exact
    # binary value (0.10000000149011612); NaN and infinities stay text.
    out = []
    for v in values:
        if v is not None:
            number = float(v)
            v = number if math.isfinite(number) else v
        out.append(v)
    return out


Fix = Callable[[Any, list], list]


def _cell_plan(column_type: str) -> tuple[bool, Fix | None]:
    """(cast to VARCHAR in SQL?, fix-up of the fetched column or None) for one DuckDB type."""
    if column_type in _NATIVE:
        return False, None
    if column_type in _INT64:
        return False, _big_integers
    if column_type == "DOUBLE":
        return False, _doubles
    if column_type == "FLOAT":
        return True, _float_text
    if column_type in _INTEGER_TEXT:
        return True, _integer_text
    return True, None


class CellReader:
    """Builds the SELECT list of a page query and turns its result into rows of cells.

    Columns are fetched as NumPy arrays and turned into lists in C (``tolist``), which is
    several times faster than ``fetchall()``'s tuples; fix-ups are skipped for a column when a
    vectorised check shows none is needed.

    Args:
        columns: The result's columns (unique names) and DuckDB types.
    """

    def __init__(self, columns: Sequence[ColumnInfo]) -> None:
        self.columns = list(columns)
        expressions: list[str] = []
        self._fixes: dict[int, Fix] = {}
        for index, column in enumerate(self.columns):
            cast, fix = _cell_plan(column.type)
            ident = quote(column.name)
            expressions.append(f"CAST({ident} AS VARCHAR) AS {ident}" if cast else ident)
            if fix is not None:
                self._fixes[index] = fix
        self.select_list = ", ".join(expressions) if expressions else "*"

    def rows(self, result: duckdb.DuckDBPyConnection) -> list[list[Any]]:
        """Cells of an executed query over :attr:`select_list`.

        Args:
            result: The cursor the page query was executed on.

        Returns:
            One list of JSON-safe cells per row.
        """
        columns = []
        # By position: fetchnumpy renames columns whose names differ only in case.
        for index, array in enumerate(result.fetchnumpy().values()):
            values = array.tolist()
            fix = self._fixes.get(index)
            columns.append(fix(array, values) if fix else values)
        return [list(row) for row in zip(*columns, strict=True)]
