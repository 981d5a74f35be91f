"""Active learning: the next-to-label queue of a label set.

:func:`refresh_queue` fits a quick model on the label set's current labels (or takes a fitted
one), scores every unlabeled item in Arrow record batches streamed from DuckDB (a million items
never sit in memory at once), and writes the workspace table ``<label set>_queue`` as a new
version: one row per unlabeled item with ``item_key, predicted, predicted_labels, confidence,
margin, entropy, uncertainty, model_version, rank`` (rank 1 = label next). Being a workspace
table it is a SQL view at once (``SELECT * FROM review_labels_queue ORDER BY rank``); the
built-in labeler's "uncertain" filter and the Label Studio push read it.

The scores go to a scratch Parquet file first; the ranked table is then written from it by
DuckDB (which sorts out of core), through :meth:`Tables.save_file`, so a cancel or a failure at
any point leaves the previous queue current.
"""

from __future__ import annotations

import functools
import threading
import time
import uuid
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mlworkbench.core.data.identifiers import literal, quote
from mlworkbench.core.errors import InvalidRequestError, QueryCancelledError
from mlworkbench.core.labeling.queue_model import QueueModel, custom_queue_model, fit_queue_model
from mlworkbench.core.labeling.source import ITEM_KEY, ItemSource
from mlworkbench.core.labeling.uncertainty import STRATEGIES, Strategy, score
from mlworkbench.schemas.queue import DescribeQueue, QueueItem

if TYPE_CHECKING:
    import pyarrow

    from mlworkbench.core.data.engine import Engine
    from mlworkbench.core.labeling.label_sets import LabelSet
    from mlworkbench.core.tasks import Progress as TaskProgress
    from mlworkbench.core.workspace.tables import Tables

Progress = Callable[[int, int], None]  # (items scored, items to score)
QUEUE_SUFFIX = "_queue"
TOP_ITEMS = 10
HUMAN_LABEL = "l.source <> 'model'"  # model pre-annotations are not ground truth
_TARGET = "__mlwb_target"


def queue_table(label_set: str) -> str:
    """The name of a label set's queue table."""
    return f"{label_set}{QUEUE_SUFFIX}"


def refresh_queue(
    label_set: LabelSet,
    *,
    model: Any = None,
    strategy: Strategy = "least_confidence",
    batch_size: int = 10_000,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
    engine: Engine | None = None,
    tables: Tables | None = None,
) -> DescribeQueue:
    """Train (or take) a model and write the label set's queue as a new table version.

    Args:
        label_set: The label set; its labels are read from the SQL table of its name.
        model: A fitted estimator with ``predict_proba`` (given every source column but the
            key, as a DataFrame); None fits the built-in model on the current labels.
        strategy: ``least_confidence``, ``margin`` or ``entropy``.
        batch_size: Unlabeled items scored per batch.
        progress: Called with (items scored, items to score) after each batch.
        cancel: Set it (from any thread) to stop; the previous queue stays current.
        engine: The workspace's DuckDB (default: the label set's).
        tables: The workspace tables the queue is written through (default: the label set's).

    Returns:
        The queue: its table and version, the model, and its first items.

    Raises:
        ConflictError: Fewer than 2 distinct labels to train on (409).
        InvalidRequestError: No usable feature column (422, naming the columns), an unknown
            strategy, or a model that does not fit the items.
        QueryCancelledError: ``cancel`` was set.
        QueryError: The label set's query no longer runs.
    """
    if strategy not in STRATEGIES:
        raise InvalidRequestError(
            "strategy", f"Unknown strategy '{strategy}'; use one of {', '.join(STRATEGIES)}."
        )
    started = time.monotonic()
    engine = engine if engine is not None else label_set._engine
    tables = tables if tables is not None else label_set._sets._tables
    job = _QueueJob(label_set, engine, cancel or threading.Event())
    types = job.types()
    if model is None:
        queue_model = job.fit(types)
    else:
        queue_model = custom_queue_model(
            model, choices=list(label_set.choices), multi=label_set.multi,
            columns=[c for c in types if c != label_set.key],
        )
    scratch = engine.temp_directory / f"queue-{uuid.uuid4().hex}.parquet"
    try:
        scored = job.score(queue_model, scratch, strategy, batch_size, progress)
        job.check()
        table = tables.save_file(
            queue_table(label_set.name),
            lambda tmp: job.rank(scratch, tmp, queue_model.version),
            sql=f"-- active-learning queue of '{label_set.name}', {strategy}, {queue_model.version}",
            overwrite=True,
        )
    finally:
        scratch.unlink(missing_ok=True)
    return DescribeQueue(
        label_set=label_set.name,
        table=queue_table(label_set.name),
        version=table.version,
        strategy=strategy,
        model_kind=queue_model.kind,
        model_version=queue_model.version,
        multi=label_set.multi,
        classes=queue_model.classes,
        trained_on=job.trained_on,
        features=queue_model.features,
        ignored_columns=queue_model.ignored,
        scored=scored,
        seconds=round(time.monotonic() - started, 3),
        created_at=datetime.now(timezone.utc),
        top=job.top(tables.path(queue_table(label_set.name), table.version)),
    )


def refresh_queue_task(
    label_set: LabelSet,
    task: TaskProgress,
    *,
    strategy: Strategy = "least_confidence",
    batch_size: int = 10_000,
) -> dict[str, Any]:
    """:func:`refresh_queue` as a background task (``Tasks.start("queue", ...)``): it reports
    training, then items scored of items to score, to ``task`` and stops at the next batch once
    the task is cancelled (the previous queue stays current).

    Args:
        label_set: The label set whose queue to refresh.
        task: The background task's progress (:class:`mlworkbench.core.tasks.Progress`).
        strategy, batch_size: As for :func:`refresh_queue`.

    Returns:
        The queue's description (``DescribeQueue``) as JSON-ready data: the task's result.

    Raises:
        What :func:`refresh_queue` raises; the task keeps it as its error.
    """
    name = label_set.name
    task.update(message=f"Training the queue model of '{name}'")
    queue = refresh_queue(
        label_set,
        strategy=strategy,
        batch_size=batch_size,
        progress=lambda done, total: task.update(
            done, total, f"Scoring the unlabeled items of '{name}'"),
        cancel=task.cancel_event,
    )
    return queue.model_dump(mode="json")


class _QueueJob:
    """The SQL of one refresh: the labeled rows, the unlabeled batches, the ranked table. The
    items come from the label set's :class:`ItemSource` (its ``src`` CTE adds the key as text)."""

    def __init__(self, info: LabelSet, engine: Engine, cancel: threading.Event) -> None:
        self.info = info
        self.engine = engine
        self.cancel = cancel
        self.trained_on = 0
        self.source = ItemSource(engine, info.sql, info.key)
        self.human = (
            f"SELECT DISTINCT l.item_key FROM {quote(info.name)} AS l "
            f"WHERE l.status IN ('ok', 'unknown_label') AND {HUMAN_LABEL}"
        )

    def check(self) -> None:
        if self.cancel.is_set():
            raise QueryCancelledError(
                f"Refreshing the queue of '{self.info.name}' was cancelled; the previous queue "
                "is unchanged."
            )

    def types(self) -> dict[str, str]:
        return {c.name: c.type for c in self.source.columns()}

    def _truth_sql(self) -> str:
        """One target per labeled item: multi-label takes the latest answer; single-label the
        label most annotators gave (the latest breaks a tie)."""
        table = quote(self.info.name)
        ok = f"l.status = 'ok' AND {HUMAN_LABEL}"
        if self.info.multi:
            return (
                f"SELECT l.item_key, arg_max(l.labels, l.labeled_at) AS {_TARGET} "
                f"FROM {table} AS l WHERE {ok} AND len(l.labels) > 0 GROUP BY l.item_key"
            )
        return (
            f"SELECT l.item_key, l.label AS {_TARGET} FROM {table} AS l "
            f"WHERE {ok} AND l.label IS NOT NULL GROUP BY l.item_key, l.label "
            "QUALIFY row_number() OVER (PARTITION BY l.item_key "
            "ORDER BY count(*) DESC, max(l.labeled_at) DESC, l.label) = 1"
        )

    def fit(self, types: dict[str, str]) -> QueueModel:
        info = self.info
        sql = (
            f"SELECT t.{_TARGET}, src.* FROM src "
            f"JOIN ({self._truth_sql()}) AS t ON t.item_key = src.{ITEM_KEY}"
        )
        with self.source.cursor() as cursor:
            frame = self.source.execute(cursor, sql).df()
        self.check()
        self.trained_on = len(frame)
        targets = [list(t) for t in frame[_TARGET]] if info.multi else list(frame[_TARGET])
        text_hint = set(info.show) if info.kind == "text" else set()
        return fit_queue_model(
            info.name, frame.drop(columns=[_TARGET, ITEM_KEY]), targets,
            [str(k) for k in frame[ITEM_KEY]], types,
            key=info.key, multi=info.multi, text_hint=text_hint,
        )

    def score(
        self, model: QueueModel, scratch: Path, strategy: Strategy, batch_size: int,
        progress: Progress | None,
    ) -> int:
        """Score the unlabeled items batch by batch into ``scratch``; returns how many."""
        import pyarrow.parquet as pq

        unlabeled = f"SELECT * FROM src WHERE {ITEM_KEY} NOT IN ({self.human})"
        with self.source.cursor() as cursor:
            # The count runs through ItemSource so that an error points into the user's SQL;
            # the batches come from a relation (a DB-API result would copy them once more).
            counted = self.source.execute(cursor, f"SELECT count(*) FROM ({unlabeled})")
            total = counted.fetchall()[0][0]
            reader = cursor.sql(f"{self.source.cte}\n{unlabeled}").to_arrow_reader(batch_size)
            done = 0
            with pq.ParquetWriter(scratch, _scores_schema()) as writer:
                for batch in reader:
                    self.check()
                    if batch.num_rows:
                        writer.write_batch(self._scores(model, batch, strategy))
                    done += batch.num_rows
                    if progress is not None:
                        progress(done, total)
        return done

    def _scores(
        self, model: QueueModel, batch: pyarrow.RecordBatch, strategy: Strategy
    ) -> pyarrow.RecordBatch:
        import pyarrow as pa

        frame = batch.to_pandas()
        keys = frame.pop(ITEM_KEY).astype(str).tolist()
        frame = frame.drop(columns=[self.info.key])
        probabilities = model.probabilities(frame)
        scores = score(probabilities, multi=model.multi)
        classes = model.classes
        predicted = [classes[i] for i in scores.predicted]
        if model.multi:
            chosen = [[c for c, p in zip(classes, row) if p >= 0.5] for row in probabilities]
        else:
            chosen = [[p] for p in predicted]
        return pa.record_batch(
            [keys, predicted, chosen, scores.confidence, scores.margin, scores.entropy,
             scores.uncertainty(strategy)],
            schema=_scores_schema(),
        )

    def rank(self, scratch: Path, out: Path, version: str) -> int:
        """Write the ranked queue from the scratch scores (DuckDB sorts, spilling if big)."""
        sql = (
            f"COPY (SELECT item_key, predicted, predicted_labels, confidence, margin, entropy, "
            f"uncertainty, {literal(version)} AS model_version, "
            "row_number() OVER (ORDER BY uncertainty DESC, item_key) AS rank "
            f"FROM read_parquet({literal(str(scratch))}) ORDER BY rank) "
            f"TO {literal(str(out))} (FORMAT parquet)"
        )
        with self.engine.cursor(refresh=False) as cursor:
            return cursor.execute(sql).fetchone()[0]

    def top(self, path: Path) -> list[QueueItem]:
        with self.engine.cursor(refresh=False) as cursor:
            rows = cursor.execute(
                "SELECT item_key, rank, predicted, confidence, uncertainty "
                f"FROM read_parquet({literal(str(path))}) ORDER BY rank LIMIT {TOP_ITEMS}"
            ).fetchall()
        return [
            QueueItem(item_key=k, rank=r, predicted=p, confidence=c, uncertainty=u)
            for k, r, p, c, u in rows
        ]


@functools.cache
def _scores_schema() -> pyarrow.Schema:
    """The scratch file's columns (pyarrow is imported when a queue is refreshed, not when
    this module is: the Label Studio push imports it for :func:`queue_table`)."""
    import pyarrow as pa

    return pa.schema(
        [
            ("item_key", pa.string()),
            ("predicted", pa.string()),
            ("predicted_labels", pa.list_(pa.string())),
            ("confidence", pa.float64()),
            ("margin", pa.float64()),
            ("entropy", pa.float64()),
            ("uncertainty", pa.float64()),
        ]
    )

