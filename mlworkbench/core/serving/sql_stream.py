"""Streamed ``predict()``: a query's predictions computed on large batches, not per 2,048 rows.

DuckDB hands a Python function one vector (2,048 rows, fixed when DuckDB is compiled) per
call, and a scikit-learn pipeline's ``predict`` has a fixed cost per call (each column
transformer, each tree) of the order of its cost for those rows: called per vector, it runs
at about half the speed of one call over the same rows in memory. When every ``predict()``
of a query is an item of its outer SELECT list, the query can instead run with each call
replaced by the call's arguments packed in a struct; the rows stream out of DuckDB in large
Arrow batches, each call's model predicts a whole batch at once, the prediction takes the
struct's place, and DuckDB scans that stream as the query's result.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import duckdb

from mlworkbench.core.data.identifiers import quote
from mlworkbench.core.serving.sql_predict import (
    FUNCTION,
    PredictCall,
    PredictModel,
    PreparedPredict,
    arrow_type,
    model_argument,
    model_columns,
    result_type,
    to_arrow,
)

if TYPE_CHECKING:
    import pyarrow as pa

#: Rows per batch the models predict on (64 DuckDB vectors).
BATCH_ROWS = 131_072
_FIELD = "__mlwb_arg_{call}_{column}"


def prepare_streamed(connection: duckdb.DuckDBPyConnection, sql: str,
                     calls: list[PredictCall], load: Callable[[str], PredictModel],
                     parameters: Any = None) -> PreparedPredict | None:
    """``sql`` rewritten to scan a stream of its rows with the predictions in place, or None
    when its shape does not allow it (a ``predict()`` outside the outer SELECT list, DISTINCT,
    several statements, or a rewrite DuckDB does not bind).

    Raises:
        BadRequestError: A ``predict()`` whose model is not a string literal.
        NotFoundError: An unknown model (from ``load``).
        SignatureError: The first batch does not fit a model's signature.
    """
    items = _outer_calls(connection, sql)
    if items is None or any(call.start not in items for call in calls):
        return None
    pieces, done, plans = [], 0, []
    for k, call in enumerate(calls):
        ref, arguments = model_argument(connection, call)
        model = load(ref)
        columns = model_columns(model, arguments)
        packed = ", ".join(f"{quote(_FIELD.format(call=k, column=j))} := {text}"
                           for j, text in enumerate(columns))
        alias = items[call.start]
        named = "" if alias else f" AS {quote(call_name(sql, call))}"
        pieces += [sql[done:call.start], f"struct_pack({packed}){named}"]
        done = call.end
        plans.append((k, model, alias or call_name(sql, call)))
    inner = connection.cursor()
    try:
        relation = inner.sql("".join(pieces) + sql[done:], params=parameters)
        reader = relation.to_arrow_reader(BATCH_ROWS)
    except duckdb.Error:
        inner.close()
        return None
    try:
        stream = _Stream(reader, plans)
        first = stream.first()  # a signature error is raised here, before DuckDB runs anything
    except BaseException:
        inner.close()
        raise
    import pyarrow as pa

    view = f"__mlwb_predicted_{uuid.uuid4().hex[:12]}"
    connection.register(view, pa.RecordBatchReader.from_batches(stream.schema,
                                                                stream.batches(first)))
    prepared = PreparedPredict(f"SELECT * FROM {quote(view)}", connection, None, streamed=True)
    prepared.cleanups += [inner.close, lambda: _unregister(connection, view)]
    return prepared


def call_name(sql: str, call: PredictCall) -> str:
    """The column name of an unaliased call: its text, as DuckDB names an expression."""
    return sql[call.start:call.end]


class _Stream:
    """The inner query's batches with each packed struct replaced by its predictions."""

    def __init__(self, reader: pa.RecordBatchReader, plans: list[tuple[int, Any, str]]):
        import pyarrow as pa

        self._reader = reader
        fields = list(reader.schema)
        self._slots = []  # (position, model, names, arrow type)
        for k, model, name in plans:
            prefix = _FIELD.format(call=k, column="")
            at = next(i for i, f in enumerate(fields) if pa.types.is_struct(f.type)
                      and f.type.num_fields and f.type.field(0).name.startswith(prefix))
            kind = arrow_type(result_type(model))
            fields[at] = pa.field(name, kind)
            self._slots.append((at, model, model.signature.names, kind))
        self.schema = pa.schema(fields)

    def first(self) -> pa.RecordBatch | None:
        """The first batch, predicted (so that errors surface before the query runs)."""
        try:
            batch = self._reader.read_next_batch()
        except StopIteration:
            return None
        return self._predict(batch)

    def batches(self, first: pa.RecordBatch | None) -> Iterator[pa.RecordBatch]:
        if first is None:
            return
        yield first
        for batch in self._reader:
            yield self._predict(batch)

    def _predict(self, batch: pa.RecordBatch) -> pa.RecordBatch:
        import pyarrow as pa

        columns = list(batch.columns)
        for at, model, names, kind in self._slots:
            packed = columns[at]
            frame = pa.Table.from_arrays(packed.flatten(), names=names).to_pandas()
            columns[at] = to_arrow(model.predict(frame), kind)
        return pa.RecordBatch.from_arrays(columns, schema=self.schema)


def _outer_calls(connection: duckdb.DuckDBPyConnection, sql: str) -> dict[int, str] | None:
    """Start offset -> alias ('' when none) of each ``predict()`` item of the outer SELECT
    list; None when ``sql`` is not one plain SELECT (DuckDB's parse of it, as JSON)."""
    serialized = connection.execute("SELECT json_serialize_sql($1)", [sql]).fetchall()[0][0]
    parsed = json.loads(serialized)
    if parsed.get("error") or len(parsed.get("statements", [])) != 1:
        return None
    node = parsed["statements"][0]["node"]
    if node.get("type") != "SELECT_NODE" or any(
            m.get("type") == "DISTINCT_MODIFIER" for m in node.get("modifiers", [])):
        return None
    data = sql.encode()  # DuckDB's query_location counts UTF-8 bytes
    return {len(data[:item["query_location"]].decode(errors="ignore")): item.get("alias") or ""
            for item in node.get("select_list", [])
            if item.get("class") == "FUNCTION"
            and str(item.get("function_name", "")).lower() == FUNCTION}


def _unregister(connection: duckdb.DuckDBPyConnection, view: str) -> None:
    try:
        connection.unregister(view)
    except duckdb.Error:
        pass  # the connection was closed: its views went with it
