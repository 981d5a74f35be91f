"""The cost preview of a query: DuckDB's estimated output rows from ``EXPLAIN (FORMAT JSON)``,
and a LIMIT and a sample rewrite when the result would be huge."""

from __future__ import annotations

import json
import math
import time
from typing import Any

import duckdb

from mlworkbench.core.data.statements import split
from mlworkbench.schemas.prep import EstimateQueryRequest, QueryEstimate

CARDINALITY = "Estimated Cardinality"


def plan_rows(plan: list[dict[str, Any]] | dict[str, Any]) -> int | None:
    """The estimated output rows of a physical plan (``EXPLAIN (FORMAT JSON)``).

    The root's own estimate when it has one; a LIMIT caps its input's; a cross product (which
    DuckDB leaves unestimated) multiplies its inputs'; other operators without an estimate (a
    final projection, ORDER BY) pass their first input's on.

    >>> plan_rows([{"name": "ORDER_BY", "extra_info": {},
    ...   "children": [{"name": "SEQ_SCAN", "extra_info": {"Estimated Cardinality": "42"}}]}])
    42
    """
    node = plan[0] if isinstance(plan, list) and plan else plan
    if not isinstance(node, dict):
        return None
    info = node.get("extra_info") or {}
    children = node.get("children") or []
    below = [plan_rows(child) for child in children]
    if "LIMIT" in str(node.get("name", "")) and str(info.get("Limit", "")).isdigit():
        limit = int(info["Limit"])
        return min(limit, below[0]) if below and below[0] is not None else limit
    if node.get("name") == "CROSS_PRODUCT" and below and None not in below:
        return math.prod(below)
    value = info.get(CARDINALITY)
    if value is not None:
        try:
            return int(str(value).lstrip("~"))
        except ValueError:
            return None
    return below[0] if below else None


def explain_rows(
    cursor: duckdb.DuckDBPyConnection, sql: str, parameters: Any = None
) -> int | None:
    """DuckDB's estimate of the rows ``sql`` (one SELECT) returns.

    Raises:
        duckdb.Error: The query does not bind.
    """
    rows = cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", parameters).fetchall()
    for _kind, text in rows:
        try:
            return plan_rows(json.loads(text))
        except (ValueError, TypeError):
            continue
    return None


def estimate(cursor: duckdb.DuckDBPyConnection, request: EstimateQueryRequest) -> QueryEstimate:
    """How many rows the query would return, and what to run instead when that is too many.

    Args:
        cursor: A cursor of its own.
        request: The SQL (the last statement is estimated when it is the only one), its
            parameters, the warning threshold and the sizes of the suggested rewrites.

    Returns:
        The estimate; ``reason`` says why there is none (several statements, not a SELECT).

    Raises:
        QueryError: The SQL does not parse or bind (line and column point into it).
    """
    started = time.perf_counter()
    statements = split(request.sql)

    def answer(**kw: Any) -> QueryEstimate:
        return QueryEstimate(threshold_rows=request.threshold_rows,
                             elapsed_ms=(time.perf_counter() - started) * 1000, **kw)

    if len(statements) != 1:
        return answer(estimated_rows=None, large=False,
                      reason="Only a single statement can be estimated before it runs.")
    statement = statements[0]
    if not statement.is_select:
        return answer(estimated_rows=None, large=False,
                      reason="Only SELECT-like statements are estimated.")
    try:
        rows = explain_rows(cursor, statement.body, statement.bind(request.parameters))
    except duckdb.Error as error:
        raise statement.error(error, request.sql) from None
    if rows is None:
        return answer(estimated_rows=None, large=False, reason="DuckDB gave no estimate.")
    if rows <= request.threshold_rows:
        return answer(estimated_rows=rows, large=False)
    body = statement.body.rstrip()
    percent = max(0.0001, min(100.0, 100.0 * request.sample_rows / rows))
    return answer(
        estimated_rows=rows,
        large=True,
        warning=(
            f"This query may return about {rows:,} rows (over {request.threshold_rows:,}). "
            f"Add a LIMIT or run it on a sample."
        ),
        limit_sql=f"SELECT * FROM (\n{body}\n) LIMIT {request.limit_rows}",
        sample_sql=f"SELECT * FROM (\n{body}\n) USING SAMPLE {percent:.4g}% (bernoulli)",
    )
