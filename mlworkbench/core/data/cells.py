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
    '"NULL"',
    "NULL",
}
# Fetched as Python ints (exact), turned into text beyond 2**53.
_BIG_INTEGERS = {"BIGINT", "UBIGINT", "HUGEINT", "UHUGEINT"}


def _big_integer(value: Any) -> Any:
    if value is None or -SAFE_INTEGER <= value <= SAFE_INTEGER:
        return value
    return str(value)


def _integer_text(value: Any) -> Any:
    if value is None:
        return None
    number = int(value)
    return number if -SAFE_INTEGER <= number <= SAFE_INTEGER else value


def _double(value: Any) -> Any:
    if value is None or math.isfinite(value):
        return value
    return "nan" if value != value else ("inf" if value > 0 else "-inf")


def _float_text(value: Any) -> Any:
    # FLOAT travels as DuckDB's shortest text ('0.1'), then as the double that text names,
    # not as the float's exact binary value (0.10000000149011612).
    if value is None:
        return None
    number = float(value)
    return number if math.isfinite(number) else value


def _cell_plan(column_type: str) -> tuple[bool, Callable[[Any], Any] | None]:
    """(cast to VARCHAR in SQL?, Python fix-up or None) for one DuckDB type."""
    if column_type in _NATIVE:
        return False, None
    if column_type in _BIG_INTEGERS:
        return False, _big_integer
    if column_type == "DOUBLE":
        return False, _double
    if column_type == "FLOAT":
        return True, _float_text
    if column_type in ("BIGNUM", "VARINT"):
        return True, _integer_text
    return True, None


class CellReader:
    """Builds the SELECT list of a page query and turns fetched tuples into cells.

    Args:
        columns: The result's columns (unique names) and DuckDB types.
    """

    def __init__(self, columns: Sequence[ColumnInfo]) -> None:
        self.columns = list(columns)
        expressions, fixes = [], []
        for index, column in enumerate(self.columns):
            cast, fix = _cell_plan(column.type)
            ident = quote(column.name)
            expressions.append(f"CAST({ident} AS VARCHAR) AS {ident}" if cast else ident)
            if fix is not None:
                fixes.append((index, fix))
        self.select_list = ", ".join(expressions) if expressions else "*"
        self._fixes = fixes

    def rows(self, fetched: list[tuple]) -> list[list[Any]]:
        """Cells from ``fetchall()`` of a query over :attr:`select_list`.

        Args:
            fetched: The tuples DuckDB returned.

        Returns:
            One list of JSON-safe cells per row.
        """
        rows = [list(row) for row in fetched]
        for index, fix in self._fixes:
            for row in rows:
                row[index] = fix(row[index])
        return rows
