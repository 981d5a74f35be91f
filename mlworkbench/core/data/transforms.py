"""SQL for the panel's transforms: each a pure function from a small spec to SELECT text.

The text is the truth: the panel shows it and the user may edit it before running it, so it is
written to be read (one clause a line, identifiers quoted, values as plain literals).
"""

from __future__ import annotations

import math

from mlworkbench.core.data.identifiers import literal, quote
from mlworkbench.core.data.relations import table_sql
from mlworkbench.core.errors import InvalidRequestError
from mlworkbench.schemas.prep import (
    CastTransform,
    DeriveTransform,
    DropDuplicatesTransform,
    FillNullsTransform,
    FilterTransform,
    TransformSqlRequest,
)


def transform_sql(request: TransformSqlRequest) -> str:
    """The SELECT that applies ``request.transform`` to the table or query.

    >>> from mlworkbench.schemas.prep import CastTransform
    >>> print(transform_sql(TransformSqlRequest(table="orders", transform=CastTransform(
    ...     column="amount", to_type="DOUBLE"))))
    SELECT * REPLACE (CAST("amount" AS DOUBLE) AS "amount")
    FROM orders

    Raises:
        InvalidRequestError: The spec is incomplete or contradictory.
    """
    if request.table is not None:
        source = table_sql(request.table)
    else:
        source = f"(\n{request.sql.strip().rstrip(';').rstrip()}\n) AS src"
    t = request.transform
    if isinstance(t, FilterTransform):
        return f"SELECT *\nFROM {source}\nWHERE {filter_condition(t)}"
    if isinstance(t, DeriveTransform):
        if t.replace:
            return f"SELECT * REPLACE ({t.expression} AS {quote(t.name)})\nFROM {source}"
        return f"SELECT *, {t.expression} AS {quote(t.name)}\nFROM {source}"
    if isinstance(t, CastTransform):
        cast = "TRY_CAST" if t.try_cast else "CAST"
        c = quote(t.column)
        return f"SELECT * REPLACE ({cast}({c} AS {t.to_type}) AS {c})\nFROM {source}"
    if isinstance(t, DropDuplicatesTransform):
        if not t.columns:
            return f"SELECT DISTINCT *\nFROM {source}"
        keys = ", ".join(quote(c) for c in t.columns)
        order = ""
        if t.order_by:
            order = f" ORDER BY {quote(t.order_by)}{' DESC' if t.descending else ''}"
        return (f"SELECT *\nFROM {source}\n"
                f"QUALIFY row_number() OVER (PARTITION BY {keys}{order}) = 1")
    return _fill_nulls(t, source)


def _fill_nulls(t: FillNullsTransform, source: str) -> str:
    fills = []
    for column in t.columns:
        c = quote(column)
        if t.strategy == "value":
            if t.value is None:
                raise InvalidRequestError("transform.value", "Give the value to fill nulls with.")
            fill = value_sql(t.value)
        else:
            function = {"mean": "avg", "median": "median", "mode": "mode"}[t.strategy]
            fill = f"{function}({c}) OVER ()"
        fills.append(f"coalesce({c}, {fill}) AS {c}")
    body = ",\n    ".join(fills)
    return f"SELECT * REPLACE (\n    {body}\n)\nFROM {source}"


def filter_condition(t: FilterTransform) -> str:
    """The WHERE condition of a filter.

    >>> filter_condition(FilterTransform(column="status", op="in", value=["paid", "it's"]))
    '"status" IN (\\'paid\\', \\'it\\'\\'s\\')'

    Raises:
        InvalidRequestError: No column (and no expression), or values that do not fit the op.
    """
    if t.expression:
        return t.expression
    if not t.column:
        raise InvalidRequestError("transform.column", "Give a column (or an expression).")
    c = quote(t.column)
    if t.op in ("is null", "is not null"):
        return f"{c} {t.op.upper()}"
    if t.op in ("in", "not in"):
        values = t.value if isinstance(t.value, list) else [t.value]
        if not values:
            raise InvalidRequestError("transform.value", f"'{t.op}' needs at least one value.")
        return f"{c} {t.op.upper()} ({', '.join(value_sql(v) for v in values)})"
    if t.op == "between":
        if not isinstance(t.value, list) or len(t.value) != 2:
            raise InvalidRequestError("transform.value", "'between' needs two values: [low, high].")
        return f"{c} BETWEEN {value_sql(t.value[0])} AND {value_sql(t.value[1])}"
    if isinstance(t.value, list):
        raise InvalidRequestError("transform.value", f"'{t.op}' compares with one value.")
    if t.value is None:
        raise InvalidRequestError(
            "transform.value", f"'{t.op}' with no value: use 'is null' to keep NULLs."
        )
    return f"{c} {t.op.upper()} {value_sql(t.value)}"


def value_sql(value: object) -> str:
    """A value as a SQL literal.

    >>> value_sql(None), value_sql(True), value_sql(3), value_sql(2.5), value_sql("o'k")
    ('NULL', 'TRUE', '3', '2.5', "'o''k'")
    """
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            return f"'{value}'::DOUBLE"
        return repr(value)
    return literal(str(value))
