"""Label sets: workspace tables of labels given to the items of a query.

``ws.labels.create("review_labels", "SELECT * FROM reviews", key="id", choices=["pos", "neg"])``
makes a label set; ``record``, ``skip`` and ``undo`` write its journal (durable at return, in
SQL at once in every process, see ``journal.py`` and ``views.py``); ``items`` pages its items;
``compact`` snapshots its labels into a new Parquet version of its table (also done in the
background every ``compact_every`` changes).
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any, get_args

from sqlalchemy import select

from mlworkbench.core.data.engine import Engine
from mlworkbench.core.data.identifiers import name_key, quote
from mlworkbench.core.errors import ConflictError, InvalidRequestError, NotFoundError
from mlworkbench.core.labeling.images import is_image
from mlworkbench.core.labeling.index import KeyIndexes
from mlworkbench.core.labeling.label_set import LabelSet, snapshot_copy
from mlworkbench.core.labeling.source import ItemSource, check_columns
from mlworkbench.core.labeling.views import COLUMNS
from mlworkbench.core.workspace.names import check_name, owner
from mlworkbench.core.workspace.store import LabelSetRow, Store, TableRow
from mlworkbench.core.workspace.tables import Tables
from mlworkbench.schemas import ColumnInfo
from mlworkbench.schemas.labeling import (
    CreateLabelSetRequest,
    DescribeLabelSet,
    FetchImageQuery,
    FetchItemsRequest,
    ItemPage,
    LabelProgress,
    LabelSetKind,
    ListLabelSets,
    RecordLabelRequest,
    RecordLabelResponse,
    SkipItemRequest,
    UndoLabelResponse,
)

__all__ = ["LabelSet", "LabelSets"]

log = logging.getLogger(__name__)

COMPACT_EVERY = 2000  # changes since the last snapshot that start a background compaction
KIND_SAMPLE_ROWS = 20
KINDS = get_args(LabelSetKind)


class LabelSets:
    """The label sets of a workspace (``ws.labels``).

    Args:
        store: The metadata store.
        engine: The process's DuckDB.
        tables: Workspace tables (each label set's versions are a table's).
        root_dir: The Jupyter root (local image paths resolve against it).

    Attributes:
        compact_every: Changes since the last snapshot after which a write starts a
            background compaction in this process.
    """

    def __init__(self, store: Store, engine: Engine, tables: Tables, root_dir: Path) -> None:
        self._store = store
        self._engine = engine
        self._tables = tables
        self.root_dir = root_dir
        self.compact_every = COMPACT_EVERY
        self._lock = threading.Lock()
        self._compacting: dict[int, threading.Thread] = {}
        self._cache: dict[tuple, Any] = {}  # (label set id, what, sql, data signature) -> value
        self.indexes = KeyIndexes(engine)

    def create(
        self,
        name: str,
        sql: str,
        *,
        key: str,
        choices: Iterable[str],
        multi: bool = False,
        show: Iterable[str] | None = None,
        kind: str | None = None,
        overwrite: bool = False,
    ) -> LabelSet:
        """Make a label set over the rows of ``sql``.

        Args:
            name: Its SQL table name.
            sql: One SELECT: one row per item.
            key: The column identifying an item (unique, never NULL).
            choices: The labels to choose from.
            multi: Several labels per item.
            show: Columns shown to the annotator (default: all).
            kind: 'text', 'image' or 'record'; inferred from the shown columns when None.
            overwrite: Replace the definition of an existing label set; its labels stay.

        Returns:
            The label set.

        Raises:
            ConflictError: The name is taken (by a table, a source, or a label set without
                ``overwrite``).
            InvalidRequestError: Bad choices, a key or shown column not in the query (the
                message lists its columns), repeated or NULL keys (some are named).
            QueryError: DuckDB refused ``sql`` (line and column point into it).
        """
        check_name(name)
        choices = _check_choices(choices)
        with self._store.read() as session:  # say so before reading a million keys
            self._check_free(session, name, overwrite)
        source = ItemSource(self._engine, sql, key)
        columns = source.columns()
        shown = list(show) if show is not None else [c.name for c in columns]
        if not shown:
            raise InvalidRequestError("show", "Show at least one column.")
        check_columns("show", shown, columns)
        if kind is None:
            kind = self._infer_kind(source, shown, columns)
        elif kind not in KINDS:
            raise InvalidRequestError("kind", f"kind is one of: {', '.join(KINDS)}.")
        definition = {
            "sql": sql,
            "key": key,
            "choices": json.dumps(choices),
            "multi": bool(multi),
            "show": json.dumps(shown),
            "kind": kind,
        }
        checked = self.indexes.check(source)  # the sort of its keys becomes its index
        try:
            label_set = self._define(name, definition, overwrite)
            self.indexes.adopt(checked, label_set.id, sql, key, label_set.created_at)
            checked = None
        finally:
            if checked is not None:
                self.indexes.discard(checked)
        return label_set

    def _define(self, name: str, definition: dict[str, Any], overwrite: bool) -> LabelSet:
        """Write a checked definition: a new label set with its empty table, or over the
        definition of the existing one."""
        with self._store.write() as session:
            existing = self._check_free(session, name, overwrite)
            if existing is not None:
                for field, value in definition.items():
                    setattr(existing, field, value)
        if existing is not None:
            return self.get(name)
        self._tables.save_file(name, _empty_snapshot(self._engine), sql=f"-- label set {name}")
        try:
            with self._store.write() as session:
                table_id = session.scalar(
                    select(TableRow.id).where(TableRow.name_key == name_key(name))
                )
                row = LabelSetRow(name=name, name_key=name_key(name), table_id=table_id, seq=0)
                for field, value in definition.items():
                    setattr(row, field, value)
                session.add(row)
        except BaseException:
            self._tables.remove(name)
            raise
        self._engine.refresh()
        return self.get(name)

    def _check_free(self, session, name: str, overwrite: bool) -> LabelSetRow | None:
        """The label set to overwrite, if any.

        Raises:
            ConflictError: A table or source has the name, or a label set without overwrite.
        """
        existing = session.scalar(
            select(LabelSetRow).where(LabelSetRow.name_key == name_key(name))
        )
        if existing is not None and not overwrite:
            raise ConflictError(
                f"Label set '{name}' already exists; pass overwrite=True to change its "
                "query or choices (its labels stay).",
                name=name,
            )
        taken = owner(session, name) if existing is None else None
        if taken is not None:
            raise ConflictError(
                f"'{name}' is already a {taken}; choose another name for the label set.",
                name=name,
            )
        return existing

    def get(self, name: str) -> LabelSet:
        """The label set called ``name``.

        Raises:
            NotFoundError: No label set has this name (the message names it).
        """
        with self._store.read() as session:
            row = session.scalar(select(LabelSetRow).where(LabelSetRow.name_key == name_key(name)))
        if row is None:
            raise NotFoundError("label set", name)
        return self._bind(row)

    def _bind(self, row: LabelSetRow) -> LabelSet:
        return LabelSet(self, row)

    def list(self, annotator: str | None = None) -> list[DescribeLabelSet]:
        """Every label set, by name, with its progress."""
        with self._store.read() as session:
            rows = session.scalars(select(LabelSetRow).order_by(LabelSetRow.name)).all()
        return [self._bind(row).describe(annotator, strict=False) for row in rows]

    def names(self) -> list[str]:
        with self._store.read() as session:
            return list(session.scalars(select(LabelSetRow.name).order_by(LabelSetRow.name)))

    def remove(self, name: str) -> None:
        """Remove a label set: its labels, journal and table versions.

        Raises:
            NotFoundError: No label set has this name.
        """
        label_set = self.get(name)
        self.wait_compaction(label_set.id)
        self._tables.remove(label_set.name, label_set=True)  # the label set's rows go with it (ON DELETE CASCADE)
        self.indexes.drop(label_set.id)

    def close(self, timeout: float = 30.0) -> None:
        """Wait for background compactions of this process."""
        with self._lock:
            threads = list(self._compacting.values())
        for thread in threads:
            thread.join(timeout)

    def wait_compaction(self, label_set_id: int, timeout: float = 60.0) -> None:
        with self._lock:
            thread = self._compacting.get(label_set_id)
        if thread is not None:
            thread.join(timeout)

    # --- one call per REST route (the handlers only parse and write) ----------------------

    def create_from(self, request: CreateLabelSetRequest, annotator: str | None = None):
        """:meth:`create` from its request model; answers the label set described."""
        return self.create(**request.model_dump()).describe(annotator)

    def describe(self, name: str, annotator: str | None = None) -> DescribeLabelSet:
        return self.get(name).describe(annotator)

    def list_all(self, annotator: str | None = None) -> ListLabelSets:
        return ListLabelSets(label_sets=self.list(annotator))

    def fetch_items(self, name: str, request: FetchItemsRequest, annotator: str) -> ItemPage:
        return self.get(name).items(
            request.filter, request.offset, request.limit, annotator=annotator
        )

    def record_label(
        self, name: str, request: RecordLabelRequest, annotator: str
    ) -> RecordLabelResponse:
        """Record a label from the labeler (choices checked) and answer the new progress."""
        label_set = self.get(name)
        event_id = label_set.record(request.key, request.labels, annotator=annotator)
        return RecordLabelResponse(event_id=event_id, progress=label_set.progress(annotator))

    def skip_item(self, name: str, request: SkipItemRequest, annotator: str) -> LabelProgress:
        label_set = self.get(name)
        label_set.skip(request.key, annotator=annotator)
        return label_set.progress(annotator)

    def undo_last(self, name: str, annotator: str) -> UndoLabelResponse:
        label_set = self.get(name)
        key = label_set.undo(annotator=annotator)
        return UndoLabelResponse(key=key, progress=label_set.progress(annotator))

    def image_file(self, name: str, request: FetchImageQuery) -> Path:
        return self.get(name).image_file(request.key, request.column)

    def _infer_kind(self, source: ItemSource, shown: list[str], columns: list[ColumnInfo]) -> str:
        types = {c.name: c.type for c in columns}
        texts = [c for c in shown if types[c] == "VARCHAR"]
        if texts:
            select_list = ", ".join(quote(c) for c in texts)
            sample = source.run(f"SELECT {select_list} FROM src LIMIT {KIND_SAMPLE_ROWS}")
            for index, _ in enumerate(texts):
                values = [row[index] for row in sample if row[index] is not None]
                if values and sum(is_image(v) for v in values) * 2 >= len(values):
                    return "image"
        one_text = len([c for c in shown if c in texts]) == 1 and len(shown) <= 2
        return "text" if one_text else "record"

    def cached(self, label_set_id: int, what: str, sql: str, compute) -> Any:
        """A value about a label set's source kept until the data (not the labels) changes."""
        self._engine.refresh()
        key = (label_set_id, what, sql, self._engine.data_signature)
        if key not in self._cache:
            if len(self._cache) > 256:
                self._cache.clear()
            self._cache[key] = compute()
        return self._cache[key]

    def after_write(self, label_set: LabelSet, seq: int) -> None:
        """Start a background compaction when enough changed since the snapshot."""
        _, snapshot_seq = self._engine.label_views.seen(label_set.id)
        if seq - snapshot_seq < self.compact_every:
            return
        with self._lock:
            running = self._compacting.get(label_set.id)
            if running is not None and running.is_alive():
                return
            thread = threading.Thread(
                target=self._compact_quietly,
                args=(label_set,),
                name=f"mlwb-compact-{label_set.id}",
                daemon=True,
            )
            self._compacting[label_set.id] = thread
            thread.start()

    def _compact_quietly(self, label_set: LabelSet) -> None:
        try:
            label_set.compact()
        except Exception:  # the journal still has every label; the next write tries again
            log.warning("Compacting label set '%s' failed", label_set.name, exc_info=True)


def _check_choices(choices: Iterable[str]) -> list[str]:
    if isinstance(choices, str):
        raise InvalidRequestError("choices", "choices is a list of labels, e.g. ['pos', 'neg'].")
    values = [str(c) for c in choices]
    if not values:
        raise InvalidRequestError("choices", "Give at least one label choice.")
    if any(not v.strip() for v in values):
        raise InvalidRequestError("choices", "A label choice is empty.")
    repeated = sorted({v for v in values if values.count(v) > 1})
    if repeated:
        raise InvalidRequestError("choices", f"Label choices repeat: {', '.join(repeated)}.")
    return values


def _empty_snapshot(engine: Engine):
    def write(path: Path) -> int:
        typed = ", ".join(f"CAST(NULL AS {kind}) AS {name}" for name, kind in COLUMNS)
        cursor = engine.cursor(refresh=False)
        try:
            cursor.execute(snapshot_copy(f"SELECT {typed} WHERE false", path, 0))
        finally:
            cursor.close()
        return 0

    return write
