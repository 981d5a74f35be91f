"""The items of a label set: its SELECT, run by DuckDB, wrapped so errors point into it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import duckdb

from mlworkbench.core.data.engine import Engine
from mlworkbench.core.data.identifiers import quote
from mlworkbench.core.data.relations import resolve_sql
from mlworkbench.core.data.sql_errors import translate
from mlworkbench.core.data.statements import split
from mlworkbench.core.errors import InvalidRequestError
from mlworkbench.schemas import ColumnInfo

ITEM_KEY = "mlwb_item_key"  # the key as text, added to the source's columns


class ItemSource:
    """One label set's item query.

    Args:
        engine: The workspace's DuckDB.
        sql: The user's SELECT.
        key: The key column.

    Raises:
        InvalidRequestError: ``sql`` is not exactly one SELECT.
    """

    def __init__(self, engine: Engine, sql: str, key: str) -> None:
        statements = split(sql)
        if len(statements) != 1 or not statements[0].is_select:
            raise InvalidRequestError("sql", "Label the rows of one SELECT statement.")
        self._engine = engine
        self._statement = statements[0]
        self.sql = sql
        self.key = key
        self._head = f"WITH src AS (SELECT *, CAST({quote(key)} AS VARCHAR) AS {ITEM_KEY} FROM (\n"
        self.cte = f"{self._head}{self._statement.body}\n) AS mlwb_q)"

    def run(self, query: str, parameters: Any = None, *, cte: bool = True) -> list[tuple]:
        """Run ``query`` (which reads ``src``) and fetch all of its (few) rows."""
        with self.cursor() as cursor:
            return self.execute(cursor, query, parameters, cte=cte).fetchall()

    @contextmanager
    def cursor(self) -> Iterator[duckdb.DuckDBPyConnection]:
        cursor = self._engine.cursor()
        try:
            yield cursor
        finally:
            cursor.close()

    def execute(
        self,
        cursor: duckdb.DuckDBPyConnection,
        query: str,
        parameters: Any = None,
        *,
        cte: bool = True,
        prefix_sql: str = "",
    ) -> duckdb.DuckDBPyConnection:
        """Execute ``query`` after the ``src`` CTE (and ``prefix_sql`` before it, e.g. a
        CREATE TABLE .. AS); a DuckDB error points into the user's SQL."""
        executed = f"{prefix_sql}{self.cte}\n{query}" if cte else query
        try:
            return cursor.execute(executed, parameters)
        except duckdb.Error as error:
            raise translate(
                error,
                sql=self.sql,
                executed=executed,
                prefix=len(prefix_sql) + len(self._head) if cte else len(executed),
                start=self._statement.start,
                length=len(self._statement.text),
            ) from None

    def columns(self) -> list[ColumnInfo]:
        """The query's columns, as DuckDB types them (the key column must be one).

        Raises:
            QueryError: DuckDB refused the query.
            InvalidRequestError: The key column is not in it (the message lists its columns).
        """
        with self.cursor() as cursor:
            columns = resolve_sql(cursor, self.sql).columns
        check_columns("key", [self.key], columns)
        return columns


def check_columns(field: str, wanted: list[str], columns: list[ColumnInfo]) -> None:
    """Refuse names that are not columns of the query, listing the columns it has."""
    names = [c.name for c in columns]
    unknown = [w for w in wanted if w not in names]
    if unknown:
        listed = ", ".join(names)
        what = "Column" if len(unknown) == 1 else "Columns"
        raise InvalidRequestError(
            field,
            f"{what} {', '.join(repr(u) for u in unknown)} not in the query; its columns are: "
            f"{listed}.",
            unknown=unknown,
            columns=names,
        )
