"""Join keys: suggestions from names, types and measured overlap; the join's SQL; its preview.

A suggestion pairs columns whose names match (``customer_id`` on both sides, or ``id`` in
``customers`` with ``customer_id`` elsewhere) and whose types compare, then measures on a sample
of the left table how many of its keys the right table holds (the match rate) and whether
matched keys repeat on either side (the cardinality). Measuring reads only the key columns, and
only the right rows whose keys are in the left sample.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import duckdb

from mlworkbench.core.data.cells import CellReader
from mlworkbench.core.data.estimate import explain_rows
from mlworkbench.core.data.identifiers import name_key, quote, quote_if_needed
from mlworkbench.core.data.profile import sample_sql
from mlworkbench.core.data.relations import Relation
from mlworkbench.core.errors import IncompatibleKeysError, InvalidRequestError
from mlworkbench.schemas import ColumnInfo
from mlworkbench.schemas.prep import (
    Cardinality,
    JoinPreview,
    JoinSpec,
    JoinSuggestion,
    JoinType,
    PreviewJoinRequest,
)

_INTEGER = {"TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT",
            "UINTEGER", "UBIGINT", "UHUGEINT"}
_KEY_LIKE = re.compile(r"(^id$|_?id$|_key$|_code$|_no$|_number$|_uuid$)", re.IGNORECASE)
# Families that are never join keys (measures, flags, times).
_NOT_KEYS = {"number", "boolean", "time", "nested"}
REPEAT_SAMPLE_ROWS = 1_000_000  # bigger tables are checked for repeated keys on a sample


def type_family(duckdb_type: str) -> str:
    """Which types compare with which, without a CAST.

    >>> type_family("BIGINT"), type_family("DECIMAL(10,2)"), type_family("VARCHAR")
    ('integer', 'number', 'text')
    """
    t = duckdb_type.upper()
    if t in _INTEGER:
        return "integer"
    if t in ("FLOAT", "DOUBLE", "REAL") or t.startswith("DECIMAL"):
        return "number"
    if t == "VARCHAR" or t.startswith("ENUM") or t == "JSON":
        return "text"
    if t.startswith(("DATE", "TIMESTAMP", "TIME")):
        return "time"
    if t == "BOOLEAN":
        return "boolean"
    if t.endswith("]") or t.startswith(("STRUCT", "MAP", "UNION")):
        return "nested"
    return t


def compatible(left_type: str, right_type: str) -> bool:
    """Whether DuckDB compares the two types without an explicit CAST."""
    a, b = type_family(left_type), type_family(right_type)
    return a == b or {a, b} <= {"integer", "number"}


def singular(table: str) -> str:
    """The bare, lower-case, singular name of a table: ``shop."Categories"`` -> ``category``."""
    last = re.split(r'\.(?=(?:[^"]*"[^"]*")*[^"]*$)', table)[-1].strip('"').lower()
    if last.endswith("ies"):
        return last[:-3] + "y"
    if last.endswith(("sses", "xes")):
        return last[:-2]
    if last.endswith("s") and not last.endswith("ss"):
        return last[:-1]
    return last


def _normal(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


def name_match(left: Relation, a: str, right: Relation, b: str) -> tuple[float, str] | None:
    """(strength 0-1, reason) when the names of ``left.a`` and ``right.b`` suggest a key pair."""
    if name_key(a) == name_key(b):
        if a.lower() == "id":
            return 0.3, "both are called 'id' (usually each table's own key)"
        return (1.0 if _KEY_LIKE.search(a) else 0.5), "same name"
    for one, col, other, other_col in ((left, a, right, b), (right, b, left, a)):
        if other_col.lower() == "id" and _normal(col) == _normal(singular(other.label) + "id"):
            return 0.9, f"'{col}' names the id of {other.label}"
    if _normal(a) == _normal(b):
        return 0.8, "same name, spelled differently"
    return None


@dataclass
class _Overlap:
    match_rate: float | None
    left_unique: bool | None
    right_unique: bool | None


def suggest_joins(
    cursor: duckdb.DuckDBPyConnection, relations: list[Relation], sample_rows: int
) -> list[JoinSuggestion]:
    """Candidate key pairs for every pair of tables (left before right, in the order given),
    best first.

    Args:
        cursor: A cursor of its own.
        relations: Two or more tables.
        sample_rows: Left keys sampled to measure overlap.

    Returns:
        Suggestions ranked by score: name strength, measured match rate and a unique side.
    """
    totals = {r.sql: cursor.execute(f"SELECT count(*) FROM {r.sql}").fetchone()[0]
              for r in relations}
    out: list[JoinSuggestion] = []
    for i, left in enumerate(relations):
        for right in relations[i + 1 :]:
            for a in left.columns:
                for b in right.columns:
                    named = name_match(left, a.name, right, b.name)
                    if named is None or type_family(a.type) in _NOT_KEYS:
                        continue
                    ok = compatible(a.type, b.type)
                    overlap = (_overlap(cursor, left, a, right, b, totals[left.sql], sample_rows)
                               if ok else _Overlap(None, None, None))
                    out.append(_suggestion(left, a, right, b, named, ok, overlap))
    out.sort(key=lambda s: (-s.score, s.left_table, s.left_column))
    return out


def _overlap(
    cursor: duckdb.DuckDBPyConnection, left: Relation, a: ColumnInfo, right: Relation,
    b: ColumnInfo, left_total: int, sample_rows: int,
) -> _Overlap:
    if left_total > sample_rows:
        sample = f"({sample_sql(cursor, left, [a], left_total, sample_rows)})"
    else:
        sample = left.sql
    # Only right rows whose keys are in the sample are read into the hash table.
    s_count, s_distinct, hits, r_count, r_distinct = cursor.execute(
        f"""WITH s AS MATERIALIZED (SELECT {quote(a.name)} AS k FROM {sample} AS l
                                    WHERE {quote(a.name)} IS NOT NULL),
                 r AS MATERIALIZED (SELECT {quote(b.name)} AS k FROM {right.sql} AS r
                                    WHERE {quote(b.name)} IN (SELECT k FROM s))
            SELECT (SELECT count(*) FROM s), (SELECT count(DISTINCT k) FROM s),
                   (SELECT count(*) FROM s WHERE k IN (SELECT k FROM r)),
                   (SELECT count(*) FROM r), (SELECT count(DISTINCT k) FROM r)"""
    ).fetchone()
    if not s_count:
        return _Overlap(None, None, None)
    return _Overlap(hits / s_count, s_count == s_distinct, r_count == r_distinct)


def _cardinality(o: _Overlap) -> Cardinality | None:
    if o.left_unique is None or o.right_unique is None:
        return None
    if o.left_unique:
        return Cardinality.one_to_one if o.right_unique else Cardinality.one_to_many
    return Cardinality.many_to_one if o.right_unique else Cardinality.many_to_many


def _suggestion(
    left: Relation, a: ColumnInfo, right: Relation, b: ColumnInfo,
    named: tuple[float, str], ok: bool, o: _Overlap,
) -> JoinSuggestion:
    strength, reason = named
    lhs = f"{left.label}.{quote_if_needed(a.name)}"
    rhs = f"{right.label}.{quote_if_needed(b.name)}"
    if ok:
        score = 0.4 * strength + 0.45 * (o.match_rate or 0.0)
        score += 0.15 if (o.right_unique or o.left_unique) else 0.0
        condition = f"{lhs} = {rhs}"
    else:
        score = 0.2 * strength
        condition = f"{lhs} = CAST({rhs} AS {a.type})"
        reason += f"; the types differ ({a.type} and {b.type}): a CAST is needed"
    return JoinSuggestion(
        left_table=left.label, left_column=a.name, left_type=a.type,
        right_table=right.label, right_column=b.name, right_type=b.type,
        reason=reason, match_rate=o.match_rate, left_unique=o.left_unique,
        right_unique=o.right_unique, cardinality=_cardinality(o), compatible=ok,
        score=round(score, 4), condition=condition,
    )


# -- the join's SQL and its preview -----------------------------------------------------------


@dataclass
class _Table:
    relation: Relation
    alias: str  # as SQL


def _aliases(spec: JoinSpec, resolve: Callable[[str], Relation]) -> list[_Table]:
    tables: list[_Table] = []
    used: set[str] = set()
    for name in [spec.base] + [j.table for j in spec.joins]:
        relation = resolve(name)
        bare = re.split(r'\.(?=(?:[^"]*"[^"]*")*[^"]*$)', relation.label)[-1]
        bare = bare[1:-1].replace('""', '"') if bare.startswith('"') else bare
        alias, n = bare, 2
        while name_key(alias) in used:
            alias, n = f"{bare}_{n}", n + 1
        used.add(name_key(alias))
        tables.append(_Table(relation, quote_if_needed(alias)))
    return tables


def _find(tables: list[_Table], name: str, before: int, field: str) -> _Table:
    for t in tables[:before]:
        if name in (t.relation.label, t.alias) or name_key(name) in (
            name_key(t.relation.label), name_key(t.alias.strip('"'))
        ):
            return t
    joined = ", ".join(t.relation.label for t in tables[:before])
    raise InvalidRequestError(field, f"'{name}' is not joined before this table (joined: {joined}).")


def join_sql(spec: JoinSpec, resolve: Callable[[str], Relation]) -> str:
    """The SELECT of a join spec, with every output column named uniquely.

    Args:
        spec: Base table, joins in order, columns to keep.
        resolve: Looks a table name up (raises NotFoundError for an unknown one).

    Raises:
        NotFoundError: A table or column does not exist.
        IncompatibleKeysError: A key pair's types do not compare; the message suggests a CAST.
        InvalidRequestError: A key names a table not joined before it; duplicate aliases.
    """
    tables = _aliases(spec, resolve)
    base = tables[0]
    lines = [f"FROM {_from(base)}"]
    for n, (join, right) in enumerate(zip(spec.joins, tables[1:], strict=True), start=1):
        conditions = []
        for k, pair in enumerate(join.on):
            field = f"spec.joins.{n - 1}.on.{k}"
            left = _find(tables, pair.left_table, n, field)
            a = left.relation.column(pair.left_column)
            b = right.relation.column(pair.right_column)
            lhs, rhs = f"{left.alias}.{quote(a.name)}", f"{right.alias}.{quote(b.name)}"
            if not compatible(a.type, b.type):
                raise IncompatibleKeysError(
                    field,
                    f"Cannot join {left.relation.label}.{a.name} ({a.type}) with "
                    f"{right.relation.label}.{b.name} ({b.type}): the types do not compare. "
                    f"Cast one side, e.g. {lhs} = CAST({rhs} AS {a.type}).",
                    left_type=a.type, right_type=b.type,
                    suggestion=f"{lhs} = CAST({rhs} AS {a.type})",
                )
            conditions.append(f"{lhs} = {rhs}")
        how = {JoinType.inner: "JOIN", JoinType.left: "LEFT JOIN", JoinType.right: "RIGHT JOIN",
               JoinType.full: "FULL JOIN"}[join.how]
        lines.append(f"{how} {_from(right)} ON {' AND '.join(conditions)}")
    return "SELECT " + ",\n       ".join(_select_list(spec, tables)) + "\n" + "\n".join(lines)


def _from(t: _Table) -> str:
    return t.relation.sql if t.alias == t.relation.sql else f"{t.relation.sql} AS {t.alias}"


def _select_list(spec: JoinSpec, tables: list[_Table]) -> list[str]:
    chosen: list[tuple[_Table, ColumnInfo, str | None]] = []
    if spec.columns:
        for i, c in enumerate(spec.columns):
            t = _find(tables, c.table, len(tables), f"spec.columns.{i}.table")
            chosen.append((t, t.relation.column(c.column), c.alias))
    else:
        chosen = [(t, c, None) for t in tables for c in t.relation.columns]
    names: set[str] = set()
    out = []
    for t, column, alias in chosen:
        name = alias or column.name
        if name_key(name) in names:
            if alias:
                raise InvalidRequestError("spec.columns", f"Two columns are named '{alias}'.")
            name = f"{t.alias.strip(chr(34))}_{column.name}"
        names.add(name_key(name))
        expr = f"{t.alias}.{quote(column.name)}"
        out.append(expr if name == column.name else f"{expr} AS {quote(name)}")
    return out


def preview_join(
    cursor: duckdb.DuckDBPyConnection, request: PreviewJoinRequest,
    resolve: Callable[[str], Relation],
) -> JoinPreview:
    """The join's SQL, its first rows, DuckDB's row estimate, the exact count when the inputs
    are small, and a warning when keys repeat on both sides (rows multiply).

    Raises:
        As :func:`join_sql`.
    """
    import time

    started = time.perf_counter()
    spec = request.spec
    sql = join_sql(spec, resolve)
    estimated = explain_rows(cursor, sql)
    columns = [ColumnInfo(name=r[0], type=r[1])
               for r in cursor.execute(f"DESCRIBE {sql}").fetchall()]
    reader = CellReader(columns)
    rows = reader.rows(cursor.execute(
        f"SELECT {reader.select_list} FROM (\n{sql}\n) LIMIT {request.limit}"))
    names = [spec.base] + [j.table for j in spec.joins]
    inputs = [cursor.execute(f"SELECT count(*) FROM {resolve(n).sql}").fetchone()[0] for n in names]
    exact = None
    if sum(inputs) <= request.exact_count_rows:
        exact = cursor.execute(f"SELECT count(*) FROM (\n{sql}\n)").fetchone()[0]
    sizes = dict(zip(names, inputs, strict=True))
    warnings = _multiplying(cursor, spec, resolve, exact if exact is not None else estimated,
                            sizes)
    preview = JoinPreview(sql=sql, columns=columns, rows=[], estimated_rows=estimated,
                          exact_rows=exact, warnings=warnings,
                          elapsed_ms=(time.perf_counter() - started) * 1000)
    preview.rows = rows  # JSON-safe by construction (CellReader)
    return preview


def _repeats(
    cursor: duckdb.DuckDBPyConnection, relation: Relation, keys: list[str], rows: int
) -> bool:
    """Whether some key value occurs on more than one row (NULL keys never match: ignored).
    A big table is checked on a sample: a repeat there is a repeat in the table."""
    columns = [relation.column(k) for k in keys]
    cols = ", ".join(quote(c.name) for c in columns)
    not_null = " AND ".join(f"{quote(c.name)} IS NOT NULL" for c in columns)
    source = relation.sql
    if rows > REPEAT_SAMPLE_ROWS:
        source = f"({sample_sql(cursor, relation, columns, rows, REPEAT_SAMPLE_ROWS)})"
    return bool(cursor.execute(
        f"SELECT EXISTS (SELECT 1 FROM {source} AS t WHERE {not_null} GROUP BY {cols} "
        f"HAVING count(*) > 1)"
    ).fetchone()[0])


def _multiplying(
    cursor: duckdb.DuckDBPyConnection, spec: JoinSpec, resolve: Callable[[str], Relation],
    rows: int | None, sizes: dict[str, int],
) -> list[str]:
    warnings = []
    for join in spec.joins:
        by_left: dict[str, list] = {}
        for pair in join.on:
            by_left.setdefault(pair.left_table, []).append(pair)
        right = resolve(join.table)
        if not _repeats(cursor, right, [p.right_column for p in join.on], sizes[join.table]):
            continue
        for left_name, pairs in by_left.items():
            left_rows = sizes.get(left_name, REPEAT_SAMPLE_ROWS + 1)
            if _repeats(cursor, resolve(left_name), [p.left_column for p in pairs], left_rows):
                about = f"about {rows:,} rows" if rows is not None else "many rows"
                warnings.append(
                    f"Many-to-many join: key values repeat in both {left_name} and {join.table}, "
                    f"so their rows multiply ({about} from {sizes[spec.base]:,} in {spec.base}). "
                    f"Check the keys, or aggregate one side first."
                )
    return warnings
