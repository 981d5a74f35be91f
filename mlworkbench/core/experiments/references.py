"""What a SELECT reads, from DuckDB's own parse tree (``json_serialize_sql``): the tables it
names (outside the CTEs that shadow them) and the files its reader functions open.

Parsing, not binding: nothing is read, ``$parameters`` are fine, and every reference keeps its
byte span in the text so that it can be rewritten (see ``lineage.pinned_sql``).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

import duckdb

from mlworkbench.core.data.identifiers import name_key
from mlworkbench.core.data.statements import split
from mlworkbench.core.errors import InvalidRequestError

# Table functions that read files named by their first argument.
FILE_READERS = frozenset(
    """read_csv read_csv_auto read_parquet parquet_scan read_json read_json_auto read_ndjson
    read_ndjson_auto read_json_objects read_ndjson_objects read_text read_blob""".split()
)
# The name at the start of a table reference's span: dotted plain or double-quoted parts.
_NAME = re.compile(r'(?:"(?:[^"]|"")*"|[^\s."(),;]+)(?:\s*\.\s*(?:"(?:[^"]|"")*"|[^\s."(),;]+))*')


@dataclass(frozen=True)
class TableReference:
    """A table named in the query.

    Attributes:
        parts: (catalog, schema, table) as parsed; empty strings where not written.
        start: Byte offset of the name in the statement.
        end: Byte offset just past the name.
        aliased: The reference has its own alias (``orders o``).
    """

    parts: tuple[str, str, str]
    start: int
    end: int
    aliased: bool

    @property
    def table(self) -> str:
        return self.parts[2]


@dataclass(frozen=True)
class Statement:
    """The one SELECT of a query and what it reads.

    Attributes:
        body: The statement's text (terminating ``;`` blanked), which the offsets point into.
        tables: Table references, in text order.
        files: File paths or globs given literally to reader functions (``read_csv('x.csv')``).
    """

    body: str
    tables: list[TableReference]
    files: list[str]


def parse(cursor: duckdb.DuckDBPyConnection, sql: str) -> Statement:
    """Find what one SELECT reads.

    Args:
        cursor: Any DuckDB cursor (only the parser runs).
        sql: One SELECT-like statement.

    Returns:
        The statement and its references.

    Raises:
        InvalidRequestError: Not exactly one SELECT.
        QueryError: It does not parse.
    """
    statements = split(sql)
    if len(statements) != 1 or not statements[0].is_select:
        raise InvalidRequestError("sql", "A run reads one SELECT (or FROM, WITH) query.")
    body = statements[0].body
    tree = json.loads(cursor.execute("SELECT json_serialize_sql($q)", {"q": body}).fetchone()[0])
    if tree.get("error"):
        raise InvalidRequestError(
            "sql", f"Cannot read the tables of this query: {tree.get('error_message')}"
        )
    data = body.encode()
    tables: list[TableReference] = []
    files: list[str] = []
    for node in tree["statements"]:
        _walk(node, frozenset(), data, tables, files)
    tables.sort(key=lambda r: r.start)
    return Statement(body, tables, files)


def _walk(node, ctes: frozenset[str], data: bytes, tables: list, files: list) -> None:
    if isinstance(node, list):
        for item in node:
            _walk(item, ctes, data, tables, files)
        return
    if not isinstance(node, dict):
        return
    kind = node.get("type")
    if kind == "BASE_TABLE":
        _table(node, ctes, data, tables)
        return
    if kind == "TABLE_FUNCTION":
        _files(node.get("function") or {}, files)
    if kind == "RECURSIVE_CTE_NODE" and node.get("cte_name"):
        ctes = ctes | {name_key(node["cte_name"])}
    entries = (node.get("cte_map") or {}).get("map") or []
    if entries:
        # A CTE sees the CTEs before it; the query body sees them all.
        seen = set(ctes)
        for entry in entries:
            _walk(entry["value"], frozenset(seen), data, tables, files)
            seen.add(name_key(entry["key"]))
        ctes = frozenset(seen)
    for key, value in node.items():
        if key != "cte_map" and isinstance(value, (dict, list)):
            _walk(value, ctes, data, tables, files)


def _table(node: dict, ctes: frozenset[str], data: bytes, tables: list) -> None:
    catalog, schema, table = node["catalog_name"], node["schema_name"], node["table_name"]
    if not catalog and not schema and name_key(table) in ctes:
        return
    start = node["query_location"]
    if start >= len(data):  # no position: cannot be rewritten, but still read
        start = end = -1
    else:
        span = data[start : start + node["query_location_length"]].decode(errors="ignore")
        match = _NAME.match(span)
        end = start + len(match.group(0).encode()) if match else start
    tables.append(TableReference((catalog, schema, table), start, end, bool(node.get("alias"))))


def _files(function: dict, files: list) -> None:
    if function.get("function_name", "").lower() not in FILE_READERS:
        return
    arguments = function.get("arguments") or []
    positional = [a["expression"] for a in arguments if not a.get("name")]
    if not positional:
        return
    first = positional[0]
    items = first.get("arguments", []) if first.get("function_name") == "list_value" else [first]
    for item in items:
        expression = item.get("expression", item)
        literal = expression.get("literal") or {}
        if expression.get("class") == "CONSTANT" and literal.get("kind") in ("STRING", "VARCHAR"):
            files.append(literal["text"])
