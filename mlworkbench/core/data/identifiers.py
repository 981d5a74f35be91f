"""Quoting names and values for DuckDB SQL text, and deriving safe names.

Every identifier that reaches SQL text goes through :func:`quote`, so names with spaces, quotes or
unicode work everywhere. Values never do: they are bound as parameters; only file paths (which
DuckDB table functions need as literals in view definitions) go through :func:`literal`.
"""

from __future__ import annotations

import re

_PLAIN = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_ASCII_UPPER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")

# DuckDB's reserved keywords (``SELECT keyword_name FROM duckdb_keywords() WHERE
# keyword_category = 'reserved'``), fixed here so quoting needs no connection.
RESERVED = frozenset(
    """all analyse analyze and any array as asc asymmetric both case cast check collate column
    constraint create default deferrable desc describe distinct do else end except false fetch
    for foreign from group having in initially intersect into lambda lateral leading limit not
    null offset on only or order pivot pivot_longer pivot_wider placing primary qualify
    references returning select show some summarize symmetric table then to trailing true union
    unique unpivot using variadic when where window with""".split()
)


def quote(name: str) -> str:
    """Quote an identifier for DuckDB, always.

    Args:
        name: Any table, column or schema name.

    Returns:
        The name in double quotes, inner double quotes doubled.

    >>> quote('my table')
    '"my table"'
    """
    return '"' + name.replace('"', '""') + '"'


def quote_if_needed(name: str) -> str:
    """Quote an identifier only when DuckDB would not read it unquoted.

    Args:
        name: A table or column name.

    Returns:
        ``name`` as is when it is a plain, non-reserved identifier, else :func:`quote` of it.

    >>> quote_if_needed("orders"), quote_if_needed("order items"), quote_if_needed("select")
    ('orders', '"order items"', '"select"')
    """
    if _PLAIN.fullmatch(name) and name.lower() not in RESERVED:
        return name
    return quote(name)


def literal(text: str) -> str:
    """A single-quoted SQL string literal (for file paths in view definitions).

    Args:
        text: The string.

    Returns:
        The literal, inner single quotes doubled.

    >>> literal("it's.csv")
    "'it''s.csv'"
    """
    return "'" + text.replace("'", "''") + "'"


def name_key(name: str) -> str:
    """The key under which DuckDB compares names: it folds ASCII case only ("Orders" is
    "orders", but "É" is not "é"), so uniqueness checks must fold exactly the same way.

    Args:
        name: A table or source name.

    Returns:
        The name with ASCII letters lower-cased.
    """
    return name.translate(_ASCII_UPPER)


def safe_name(text: str, fallback: str = "data") -> str:
    """Turn a file stem into a name that needs no quoting: ``"Sales 2024"`` -> ``sales_2024``.

    Args:
        text: Usually a file or folder name without extension.
        fallback: Used when nothing usable is left.

    Returns:
        A lower-case plain identifier that is not a reserved word.
    """
    name = re.sub(r"[^a-z0-9_]+", "_", text.lower(), flags=re.ASCII).strip("_") or fallback
    if name[0].isdigit():
        name = f"t_{name}"
    if name in RESERVED:
        name = f"{name}_"
    return name
