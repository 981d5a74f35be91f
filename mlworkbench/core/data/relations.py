"""What a profile, a join or a transform reads: a table name, a result session or a SELECT,
resolved to a FROM item with its columns.

Table names are taken as the catalog lists them (``orders``, ``shop.customers``,
``"order items"``); a bare name that needs quoting (``order items``) and a name in another
ASCII case (``Orders``) are accepted too. An unknown name is a 404 that names near matches.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

import duckdb

from mlworkbench.core.data.identifiers import name_key, quote, quote_if_needed
from mlworkbench.core.data.sql_errors import translate
from mlworkbench.core.data.statements import split
from mlworkbench.core.errors import InvalidRequestError, NotFoundError
from mlworkbench.schemas import ColumnInfo

# A dotted path of plain or double-quoted parts: already written as SQL.
_SQL_NAME = re.compile(r'(?:[A-Za-z_][A-Za-z0-9_$]*|"(?:[^"]|"")*")(?:\.(?:[A-Za-z_][A-Za-z0-9_$]*|"(?:[^"]|"")*"))*')
# The view the engine builds for a Parquet source or a workspace table.
_PARQUET_VIEW = re.compile(r"SELECT \* FROM read_parquet\((.*)\);?\s*$", re.IGNORECASE | re.DOTALL)


@dataclass(frozen=True)
class Relation:
    """Something to read.

    Attributes:
        sql: A FROM item: a table name as SQL, or a parenthesised subquery.
        label: How messages and responses name it.
        columns: Its columns and DuckDB types.
        parquet_args: For a Parquet view, the arguments of its ``read_parquet(...)`` (so that a
            sample can skip whole row groups instead of reading every row).
    """

    sql: str
    label: str
    columns: list[ColumnInfo]
    parquet_args: str | None = None

    def column(self, name: str) -> ColumnInfo:
        """The column called ``name`` (exact, else ASCII-case-insensitive).

        Raises:
            NotFoundError: No such column; the message names near matches.
        """
        for column in self.columns:
            if column.name == name:
                return column
        for column in self.columns:
            if name_key(column.name) == name_key(name):
                return column
        names = [c.name for c in self.columns]
        raise NotFoundError(
            "column", name, f"Table '{self.label}' has no column '{name}'.{_near(name, names)}",
            table=self.label, near=difflib.get_close_matches(name, names, n=3, cutoff=0.6),
        )


def table_sql(name: str) -> str:
    """``name`` as SQL: kept when it is already a (dotted, quoted) SQL name, else quoted.

    >>> table_sql("orders"), table_sql("order items"), table_sql('shop."Order Items"')
    ('orders', '"order items"', 'shop."Order Items"')
    """
    name = name.strip()
    return name if _SQL_NAME.fullmatch(name) else quote(name)


def resolve_table(cursor: duckdb.DuckDBPyConnection, name: str, known: list[str]) -> Relation:
    """The table ``name`` among the ``known`` names (as the catalog writes them in SQL).

    Raises:
        NotFoundError: No such table; the message names near matches.
    """
    candidates = [name, table_sql(name), quote_if_needed(name)]
    found = next((k for k in known if k in candidates), None)
    if found is None:
        keys = {name_key(c) for c in candidates}
        found = next((k for k in known if name_key(k) in keys), None)
    if found is None:
        near = difflib.get_close_matches(name, known, n=3, cutoff=0.6)
        raise NotFoundError(
            "table", name, f"No table or source named '{name}'.{_near(name, known)}", near=near
        )
    view = cursor.execute(
        "SELECT sql FROM duckdb_views() WHERE database_name = 'memory' AND schema_name = 'main' "
        "AND view_name = $name",
        {"name": _unquoted(found)},
    ).fetchone()
    match = _PARQUET_VIEW.search(view[0]) if view and view[0] else None
    return Relation(found, found, describe(cursor, found), match.group(1) if match else None)


def resolve_sql(cursor: duckdb.DuckDBPyConnection, sql: str, field: str = "sql") -> Relation:
    """One SELECT-like statement as a subquery.

    Raises:
        InvalidRequestError: Not exactly one SELECT-like statement.
        QueryError: DuckDB cannot bind it (line and column point into ``sql``).
    """
    statements = split(sql)
    if len(statements) != 1 or not statements[0].is_select:
        raise InvalidRequestError(field, "Give exactly one SELECT (or FROM, WITH, VALUES) query.")
    statement = statements[0]
    subquery = f"(\n{statement.body}\n)"
    try:
        columns = describe(cursor, subquery)
    except duckdb.Error as error:
        prefix = "DESCRIBE SELECT * FROM (\n"
        raise translate(
            error, sql=sql, executed=f"{prefix}{subquery[2:]}", prefix=len(prefix),
            start=statement.start, length=len(statement.text),
        ) from None
    return Relation(subquery + " AS mlwb_src", "query", columns)


def describe(cursor: duckdb.DuckDBPyConnection, from_item: str) -> list[ColumnInfo]:
    """The columns of a FROM item, as DuckDB types them."""
    rows = cursor.execute(f"DESCRIBE SELECT * FROM {from_item}").fetchall()
    return [ColumnInfo(name=row[0], type=row[1]) for row in rows]


def _unquoted(sql_name: str) -> str:
    if sql_name.startswith('"') and sql_name.endswith('"') and "." not in sql_name.strip('"'):
        return sql_name[1:-1].replace('""', '"')
    return sql_name


def _near(name: str, names: list[str]) -> str:
    near = difflib.get_close_matches(name, names, n=3, cutoff=0.6)
    if not near:
        return ""
    return " Did you mean " + " or ".join(f"'{n}'" for n in near) + "?"
