"""Column profiles in a handful of scans, sampled on big inputs.

The plan, whatever the width of the table:

1. ``count(*)`` (free for Parquet: read from the footers).
2. On a big input, a sample is copied once into a temp table. A Parquet view is sampled by
   whole row groups (``file_row_number`` filters let DuckDB skip the others, so a 100M-row file
   is sampled in a fraction of a second); anything else with ``USING SAMPLE``.
3. One aggregate query for every column's statistics (batched by ``STATS_BATCH`` columns).
4. One query for every numeric and temporal histogram (DuckDB's ``histogram()`` over bin
   numbers or truncated dates), one ``UNION ALL`` for every column's top values.

Work is bounded on very wide tables: the sample holds at most ``CELL_BUDGET`` cells.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import time
import uuid
from typing import Any

import duckdb

from mlworkbench.core.data.charts import column_chart
from mlworkbench.core.data.identifiers import quote
from mlworkbench.core.data.relations import Relation
from mlworkbench.schemas import ColumnInfo
from mlworkbench.schemas.prep import (
    ColumnKind,
    ColumnProfile,
    DescribeProfile,
    HistogramBin,
    ProfileRequest,
    ValueCount,
)

CELL_BUDGET = 50_000_000  # cells in a sample (rows x columns)
MIN_SAMPLE_ROWS = 1_000
STATS_BATCH = 100  # columns per aggregate query
# Past this many columns, per-aggregate costs dominate: distinct counts are approximate and
# histograms are counted by one GROUP BY.
WIDE_COLUMNS = 32
EPOCH = dt.datetime(1970, 1, 1)
MAX_TEXT = 200  # characters of a min, max or top value kept
SAFE_INTEGER = 2**53
_INTEGERS = {"TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT",
             "UINTEGER", "UBIGINT", "UHUGEINT", "BIGNUM", "VARINT"}
_FLOATS = {"FLOAT", "DOUBLE", "REAL"}
_TEMPORAL = re.compile(r"^(DATE|TIMESTAMP(_S|_MS|_NS)?|TIMESTAMP WITH TIME ZONE|TIMESTAMPTZ)$")
_TEXT = re.compile(r"^(VARCHAR|JSON|UUID|TIME|TIME WITH TIME ZONE|INTERVAL|BIT|ENUM\(.*\))$", re.S)
_NESTED = re.compile(r"(\[\d*\]$)|^(STRUCT|MAP|UNION|LIST)\(")
# (largest span in seconds, unit) for time histograms.
_UNITS = [(2 * 86400, "hour"), (92 * 86400, "day"), (2 * 366 * 86400, "week"),
          (15 * 366 * 86400, "month")]


def column_kind(duckdb_type: str) -> ColumnKind:
    """How a column of this DuckDB type is profiled.

    >>> column_kind("DECIMAL(10,2)"), column_kind("INTEGER[]"), column_kind("DATE")
    (<ColumnKind.numeric: 'numeric'>, <ColumnKind.other: 'other'>, <ColumnKind.temporal: 'temporal'>)
    """
    if _NESTED.search(duckdb_type):
        return ColumnKind.other
    if duckdb_type in _INTEGERS or duckdb_type in _FLOATS or duckdb_type.startswith("DECIMAL"):
        return ColumnKind.numeric
    if _TEMPORAL.match(duckdb_type):
        return ColumnKind.temporal
    if duckdb_type == "BOOLEAN":
        return ColumnKind.boolean
    if _TEXT.match(duckdb_type):
        return ColumnKind.text
    return ColumnKind.other


def profile(
    cursor: duckdb.DuckDBPyConnection, relation: Relation, request: ProfileRequest
) -> DescribeProfile:
    """Profile the columns of ``relation``.

    Args:
        cursor: A cursor of its own (a temp table is created on it, and dropped).
        relation: What to read.
        request: Which columns, and the sampling and chart options.

    Returns:
        The profile; ``sampled`` says whether the statistics come from a sample.

    Raises:
        NotFoundError: A requested column does not exist.
    """
    started = time.perf_counter()
    columns = ([relation.column(n) for n in request.columns] if request.columns is not None
               else list(relation.columns))
    total = cursor.execute(f"SELECT count(*) FROM {relation.sql}").fetchone()[0]
    target = max(MIN_SAMPLE_ROWS, min(request.sample_rows, CELL_BUDGET // max(1, len(columns))))
    sampled = total > request.sample_threshold or total > target * 2 and (
        total * len(columns) > CELL_BUDGET
    )
    temp = None
    try:
        if sampled and columns:
            temp = f"mlwb_profile_{uuid.uuid4().hex[:12]}"
            cursor.execute(f"CREATE TEMP TABLE {temp} AS {sample_sql(cursor, relation, columns, total, target)}")
            data = temp
            rows = cursor.execute(f"SELECT count(*) FROM {temp}").fetchone()[0]
        else:
            data, rows, sampled = relation.sql, total, False
        profiles = [_empty(c) for c in columns]
        exact = rows <= request.exact_distinct_rows and len(profiles) <= WIDE_COLUMNS
        ranges = _stats(cursor, data, rows, profiles, exact=exact)
        for p in profiles:
            p.distinct_approximate = p.distinct_approximate or sampled
        _histograms(cursor, data, profiles, ranges, request.bins)
        _top_values(cursor, data, profiles, request.top_k)
    finally:
        if temp:
            cursor.execute(f"DROP TABLE IF EXISTS {temp}")
    if request.charts:
        for p in profiles:
            p.chart = column_chart(p) if p.profiled else None
    return DescribeProfile(
        source=relation.label,
        total_rows=total,
        sampled=sampled,
        sample_rows=rows if sampled else None,
        columns=profiles,
        elapsed_ms=(time.perf_counter() - started) * 1000,
    )


def _empty(column: ColumnInfo) -> ColumnProfile:
    kind = column_kind(column.type)
    reason = None
    if kind is ColumnKind.other:
        reason = f"{column.type} is a nested or unsupported type: only nulls are counted."
    return ColumnProfile(name=column.name, type=column.type, kind=kind,
                         profiled=kind is not ColumnKind.other, reason=reason)


def sample_sql(
    cursor: duckdb.DuckDBPyConnection, relation: Relation, columns: list[ColumnInfo],
    total: int, target: int,
) -> str:
    """The SELECT of a sample of about ``target`` rows."""
    names = ", ".join(quote(c.name) for c in columns)
    if relation.parquet_args:
        group = _row_group_rows(cursor, relation.parquet_args)
        if group:
            # Keep every step-th chunk of rows; chunks as big as row groups let DuckDB skip the
            # row groups it does not need instead of reading and discarding them.
            chunk = min(group, max(2048, target // 8))
            step = max(1, math.ceil(total / target))
            candidate = (
                f"SELECT {names} FROM read_parquet({relation.parquet_args}, file_row_number = true)"
                f" WHERE (file_row_number // {chunk}) % {step} = 0"
            )
            try:
                cursor.execute(f"DESCRIBE {candidate}")
                return candidate
            except duckdb.Error:
                pass  # e.g. a column already named file_row_number: sample the plain way
    percent = min(100.0, 100.0 * target / max(1, total))
    method = "system" if target >= 100_000 else "bernoulli"
    return f"SELECT {names} FROM {relation.sql} USING SAMPLE {percent:.6f}% ({method}, 42)"


def _row_group_rows(cursor: duckdb.DuckDBPyConnection, args: str) -> int | None:
    match = re.match(r"\s*('(?:[^']|'')*'|\[.*?\])", args, re.S)
    if not match:
        return None
    try:
        row = cursor.execute(
            f"SELECT max(row_group_num_rows) FROM parquet_metadata({match.group(1)})"
        ).fetchone()
    except duckdb.Error:
        return None
    return int(row[0]) if row and row[0] else None


def _stats(
    cursor: duckdb.DuckDBPyConnection, data: str, rows: int, profiles: list[ColumnProfile],
    *, exact: bool,
) -> list[Any]:
    """Counts, distinct counts, min/max/mean/std/quantiles: one query per batch of columns.

    Returns:
        Per column, what its histogram needs: (finite min, finite max) of a number, the span
        in seconds of a time, else None.
    """
    ranges: list[Any] = []
    for first in range(0, len(profiles), STATS_BATCH):
        batch = profiles[first : first + STATS_BATCH]
        expressions: list[str] = []
        slots: list[list[tuple[str, int]]] = []
        # A number's finite values (no NaN, no infinities) are projected once, below the
        # aggregates: repeating the CASE in each aggregate slows DuckDB's planner on wide tables.
        finite = [
            f"CASE WHEN isfinite({quote(p.name)}::DOUBLE) THEN {quote(p.name)}::DOUBLE END "
            f"AS mlwb_f{first + i}"
            for i, p in enumerate(batch) if p.kind is ColumnKind.numeric and p.profiled
        ]
        for i, p in enumerate(batch):
            stats = _stat_expressions(p, exact, f"mlwb_f{first + i}")
            slots.append([(name, len(expressions) + i) for i, (name, _) in enumerate(stats)])
            expressions += [expr for _, expr in stats]
        source = f"(SELECT *, {', '.join(finite)} FROM {data})" if finite else data
        values = cursor.execute(f"SELECT {', '.join(expressions)} FROM {source}").fetchone()
        for p, named in zip(batch, slots, strict=True):
            ranges.append(_fill(p, {name: values[i] for name, i in named}, rows, exact))
    return ranges


def _stat_expressions(p: ColumnProfile, exact: bool, finite: str) -> list[tuple[str, str]]:
    c = quote(p.name)
    out = [("count", f"count({c})")]
    if not p.profiled:
        return out
    out.append(("distinct", f"count(DISTINCT {c})" if exact else f"approx_count_distinct({c})"))
    if p.kind is ColumnKind.numeric:
        out += [("min", f"min({c})::VARCHAR"), ("max", f"max({c})::VARCHAR"),
                ("lo", f"min({finite})"), ("hi", f"max({finite})"),
                ("mean", f"avg({finite})"), ("std", f"stddev_samp({finite})"),
                ("q", f"approx_quantile({finite}, [0.25, 0.5, 0.75])")]
    elif p.kind is ColumnKind.temporal:
        out += [("min", f"min({c})::VARCHAR"), ("max", f"max({c})::VARCHAR"),
                ("span", f"date_diff('second', min({c})::TIMESTAMP, max({c})::TIMESTAMP)")]
    elif p.kind is ColumnKind.boolean:
        out += [("min", f"min({c})"), ("max", f"max({c})"), ("mean", f"avg({c}::INTEGER)")]
    else:
        out += [("min", f"left(min({c}::VARCHAR), {MAX_TEXT})"),
                ("max", f"left(max({c}::VARCHAR), {MAX_TEXT})")]
    return out


def _fill(p: ColumnProfile, v: dict[str, Any], rows: int, exact: bool) -> Any:
    p.count = int(v["count"] or 0)
    p.null_count = rows - p.count
    p.null_share = p.null_count / rows if rows else 0.0
    if not p.profiled:
        return None
    p.distinct = int(v["distinct"] or 0)
    p.distinct_approximate = not exact
    if p.kind is ColumnKind.numeric:
        p.min, p.max = _number(v["min"], p.type), _number(v["max"], p.type)
        p.mean, p.std = _finite(v["mean"]), _finite(v["std"])
        q = v["q"]
        if q and all(x is not None for x in q):
            p.quantiles = {"p25": q[0], "p50": q[1], "p75": q[2]}
        return v["lo"], v["hi"]
    elif p.kind is ColumnKind.temporal:
        p.min, p.max = v["min"], v["max"]
        return v["span"]
    p.min, p.max = v["min"], v["max"]
    if p.kind is ColumnKind.boolean:
        p.mean = _finite(v["mean"])
    return None


def _number(text: str | None, duckdb_type: str) -> int | float | str | None:
    """A min or max as a JSON number when JSON holds it exactly, else DuckDB's text."""
    if text is None:
        return None
    if duckdb_type in _INTEGERS:
        value = int(text)
        return value if -SAFE_INTEGER <= value <= SAFE_INTEGER else text
    number = float(text)
    return number if math.isfinite(number) else text


def _finite(value: Any) -> float | None:
    return float(value) if value is not None and math.isfinite(value) else None


def _histograms(
    cursor: duckdb.DuckDBPyConnection, data: str, profiles: list[ColumnProfile],
    ranges: list[Any], bins: int,
) -> None:
    """Every numeric and temporal histogram in one scan.

    Each column's bars are keyed by a BIGINT: a bin number, or the start of a period in epoch
    microseconds. A narrow table counts them with one ``histogram()`` per column; a wide one
    with one GROUP BY over the unpivoted keys (DuckDB's cost per aggregate adds up there).
    """
    plans: list[tuple[ColumnProfile, str, Any]] = []
    for p, extent in zip(profiles, ranges, strict=True):
        if not p.profiled or not p.count:
            continue
        c = quote(p.name)
        if p.kind is ColumnKind.numeric:
            lo, hi = extent or (None, None)
            if lo is None or hi is None:
                continue
            if p.type in _INTEGERS and hi - lo + 1 <= bins:
                width, key = 1.0, f"({c} - {int(lo)})::BIGINT"  # one bar per value
            else:
                width = (hi - lo) / bins or 1.0
                key = f"least(floor(({c}::DOUBLE - {lo!r}) / {width!r}), {bins - 1})::BIGINT"
            plans.append((p, f"CASE WHEN isfinite({c}::DOUBLE) THEN {key} END", (lo, width)))
        elif p.kind is ColumnKind.temporal and extent is not None:
            unit = next((u for limit, u in _UNITS if extent <= limit), "year")
            p.histogram_unit = unit
            plans.append((p, f"epoch_us(date_trunc('{unit}', {c})::TIMESTAMP)", unit))
    if not plans:
        return
    if len(plans) <= WIDE_COLUMNS:
        row = cursor.execute(
            f"SELECT {', '.join(f'histogram({e})' for _, e, _ in plans)} FROM {data}"
        ).fetchone()
        counts = [c or {} for c in row]
    else:
        keys = ", ".join(f"{e} AS h{i}" for i, (_, e, _) in enumerate(plans))
        counts = [{} for _ in plans]
        for name, key, n in cursor.execute(
            f"SELECT name, v, count(*) FROM (UNPIVOT (SELECT {keys} FROM {data}) "
            "ON COLUMNS(*) INTO NAME name VALUE v) GROUP BY ALL"
        ).fetchall():
            counts[int(name[1:])][key] = n
    for (p, _, how), bars in zip(plans, counts, strict=True):
        if p.kind is ColumnKind.numeric:
            lo, width = how
            p.histogram = [
                HistogramBin(start=lo + i * width, end=lo + (i + 1) * width, count=n)
                for i, n in sorted(bars.items())
            ]
        else:
            try:
                p.histogram = [
                    HistogramBin(start=_iso(start), end=_iso(_next(start, how)), count=n)
                    for start, n in ((EPOCH + dt.timedelta(microseconds=us), n)
                                     for us, n in sorted(bars.items()))
                ]
            except (OverflowError, ValueError):  # dates beyond Python's years 1-9999
                p.histogram, p.histogram_unit = [], None


def _iso(value: dt.datetime) -> str:
    return value.isoformat()


def _next(start: dt.datetime, unit: str) -> dt.datetime:
    if unit == "hour":
        return start + dt.timedelta(hours=1)
    if unit == "day":
        return start + dt.timedelta(days=1)
    if unit == "week":
        return start + dt.timedelta(days=7)
    if unit == "month":
        return start.replace(year=start.year + start.month // 12, month=start.month % 12 + 1)
    return start.replace(year=start.year + 1)


def _top_values(
    cursor: duckdb.DuckDBPyConnection, data: str, profiles: list[ColumnProfile], k: int
) -> None:
    """The k most frequent values of every column whose values repeat, in one statement."""
    wanted = [
        (i, p) for i, p in enumerate(profiles)
        # A column of (nearly) unique values has no telling top values: skip its costly GROUP BY.
        if p.profiled and p.count and not (p.count > k and (p.distinct or 0) > p.count // 2)
    ]
    for first in range(0, len(wanted), STATS_BATCH):
        parts = []
        for i, p in wanted[first : first + STATS_BATCH]:
            c = quote(p.name)
            parts.append(
                f"(SELECT {i} AS i, left({c}::VARCHAR, {MAX_TEXT}) AS v, count(*) AS n "
                f"FROM {data} WHERE {c} IS NOT NULL GROUP BY {c} ORDER BY n DESC, v LIMIT {k})"
            )
        for i, value, n in cursor.execute(" UNION ALL ".join(parts)).fetchall():
            profiles[i].top_values.append(ValueCount(value=value, count=n))
    for p in profiles:
        p.top_values.sort(key=lambda v: (-v.count, v.value or ""))
