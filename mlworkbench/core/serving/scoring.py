"""Score a query: its rows with a published model's predictions, saved as a workspace table.

``Scoring.score(sql, "churn@production", into="scored")`` runs the query once, reads its rows
from DuckDB as Arrow batches (never the whole result in Python), predicts each batch, and
writes the rows plus the prediction column (and, asked for, one probability column per class)
straight into the Parquet file of a new version of ``into``, through the tables' crash-safe
sequence: a failure or a crash at any point leaves the previous version current.

The version's lineage (``TableVersionInfo.sql``, what every table version records as its
origin) is a query that gives the same rows again through ``predict()`` with the exact model
version, under a comment naming the model, its version and its file's sha256; the Parquet
file's metadata holds the same as JSON under ``mlworkbench.scoring``.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import duckdb

from mlworkbench.core.data.estimate import explain_rows
from mlworkbench.core.data.identifiers import literal, quote
from mlworkbench.core.data.sql_errors import translate
from mlworkbench.core.data.statements import Parameters, split
from mlworkbench.core.errors import InvalidRequestError
from mlworkbench.core.serving.sql_predict import arrow_type, result_type, to_arrow
from mlworkbench.core.serving.sql_stream import BATCH_ROWS
from mlworkbench.schemas.scoring import ScoreResponse

if TYPE_CHECKING:
    from pathlib import Path

    from mlworkbench.core.workspace.workspace import Workspace

#: progress(rows done, total rows): called after each batch once scoring has taken a second
#: (the total is the planner's estimate, exact at the last call).
Progress = Callable[[int, int], None]
PROGRESS_AFTER_SECONDS = 1.0
METADATA_KEY = b"mlworkbench.scoring"


class Scoring:
    """Score queries with published models (``ws.scoring``)."""

    def __init__(self, ws: Workspace) -> None:
        self._ws = ws

    def score(self, sql: str, model: str, *, into: str, column: str = "prediction",
              probabilities: bool = False, parameters: Parameters = None,
              progress: Progress | None = None,
              check: Callable[[], None] | None = None) -> ScoreResponse:
        """Save the rows of ``sql`` with ``model``'s predictions as a new version of ``into``.

        Args:
            sql: One SELECT whose columns include the model's signature columns (others are
                kept and passed through).
            model: ``name@alias``, ``name@<version>`` or ``name`` (its newest version).
            into: The workspace table to write (created, or given a new version).
            column: The prediction column's name.
            probabilities: Also write ``<column>_<class>`` probability columns (classifiers).
            parameters: The query's ``$name`` or positional values.
            progress: Told ``(rows done, total)`` after each batch once it has taken 1 s; the
                total is DuckDB's estimate until the last call, which gives the exact one.
            check: Called before each batch and once more before the version is saved; what
                it raises (a cancelled task's ``QueryCancelledError``) stops the scoring and
                no version is written.

        Returns:
            The table at its new version, the model version used and the rows scored.

        Raises:
            NotFoundError: Unknown model (404).
            SignatureError: The query's columns do not fit the model (422).
            InvalidRequestError: Not one SELECT, a column name taken, a bad table name.
            ConflictError: ``into`` is a source or a label set.
            QueryError: DuckDB refused the query (line and column in ``sql``).
        """
        statement, loaded = self._checked(sql, model, column)
        lineage = lineage_sql(sql, loaded, column)
        rows = {"total": 0}

        def write(tmp: Path) -> int:
            rows["total"] = _write(self._ws, statement, sql, parameters, loaded, tmp,
                                   column=column, probabilities=probabilities,
                                   progress=progress, check=check, lineage=lineage)
            return rows["total"]

        table = self._ws.tables.save_file(into, write, sql=lineage, overwrite=True)
        return ScoreResponse(table=table, model=loaded.name, version=loaded.version,
                             sha256=loaded.sha256, rows=rows["total"], column=column,
                             lineage=lineage)

    def check(self, sql: str, model: str, *, column: str = "prediction") -> None:
        """The checks :meth:`score` makes before reading any row (one SELECT, a known model,
        a column name), so a background scoring can refuse bad input at once. Raises as
        :meth:`score` does."""
        self._checked(sql, model, column)

    def _checked(self, sql: str, model: str, column: str) -> tuple[Any, Any]:
        statements = split(sql)
        if len(statements) != 1 or not statements[0].is_select:
            raise InvalidRequestError(
                "sql", "Scoring takes one SELECT statement (its rows are scored); "
                       f"this text holds {len(statements)} statement(s).")
        loaded = self._ws.registry.load(model)
        if not column or not column.strip():
            raise InvalidRequestError("column", "Give the prediction column a name.")
        return statements[0], loaded


def lineage_sql(sql: str, loaded: Any, column: str) -> str:
    """A query that gives the scored rows again, under a comment naming the exact model."""
    body = split(sql)[0].body.strip()
    return (f"-- Scored with model '{loaded.name}' version {loaded.version} "
            f"(sha256 {loaded.sha256})\n"
            f"SELECT *, predict({literal(f'{loaded.name}@{loaded.version}')}, *) AS "
            f"{quote(column)}\nFROM (\n{body}\n) AS scored")


def _write(ws: Workspace, statement: Any, sql: str, parameters: Parameters, loaded: Any,
           tmp: Path, *, column: str, probabilities: bool, progress: Progress | None,
           check: Callable[[], None] | None, lineage: str) -> int:
    """Stream the query's batches through the model into ``tmp``; the rows written."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    bound = statement.bind(parameters)
    cursor = ws.engine.cursor()
    try:
        explained = f"EXPLAIN (FORMAT JSON) {statement.body}"
        try:
            # The plan binds the query first: a bad one fails here, with its position. Its
            # row estimate sizes the progress (exact for scans and filters of a table, an
            # estimate for joins), so the query runs once, not once more to count.
            estimate = explain_rows(cursor, statement.body, bound) or 0
            reader = cursor.sql(statement.body, params=bound).to_arrow_reader(BATCH_ROWS)
        except duckdb.Error as error:
            raise translate(error, sql=sql, executed=explained,
                            prefix=len(explained) - len(statement.body), start=statement.start,
                            length=len(statement.text)) from None
        kind = arrow_type(result_type(loaded))
        added = [pa.field(column, kind)]
        classes = [c.item() if hasattr(c, "item") else c for c in (loaded.classes or [])]
        if probabilities and classes:
            added += [pa.field(f"{column}_{c}", pa.float64()) for c in classes]
        taken = [f.name for f in added if f.name in reader.schema.names]
        if taken:
            raise InvalidRequestError(
                "column", f"The query already has a column {', '.join(map(repr, taken))}; "
                          "choose another prediction column name.")
        metadata = {METADATA_KEY: json.dumps({
            "model": loaded.name, "version": loaded.version, "sha256": loaded.sha256,
            "column": column, "sql": sql, "lineage": lineage}).encode()}
        schema = pa.schema(list(reader.schema) + added, metadata=metadata)
        done, started = 0, time.monotonic()
        with pq.ParquetWriter(str(tmp), schema) as writer:
            names = [n for n in loaded.signature.names if n in reader.schema.names]
            for batch in reader:
                if check is not None:
                    check()
                frame = batch.select(names).to_pandas()  # only what the model reads
                checked = loaded.check(frame)  # SignatureError (422) on the first batch
                arrays = list(batch.columns) + [to_arrow(loaded.predict(checked), kind)]
                if len(added) > 1:
                    scores = loaded.predict_proba(checked)
                    if scores is None:
                        raise InvalidRequestError(
                            "probabilities", f"{loaded.label} gives no class probabilities.")
                    arrays += [pa.array(scores[:, i], pa.float64())
                               for i in range(len(classes))]
                writer.write_batch(pa.RecordBatch.from_arrays(arrays, schema=schema))
                done += batch.num_rows
                if progress is not None and time.monotonic() - started >= \
                        PROGRESS_AFTER_SECONDS:
                    progress(done, max(estimate, done))
        if check is not None:
            check()
        if progress is not None and time.monotonic() - started >= PROGRESS_AFTER_SECONDS:
            progress(done, done)
        return done
    finally:
        cursor.close()
