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
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from mlworkbench.core.data.engine import Engine
from mlworkbench.core.data.identifiers import literal, name_key, quote
from mlworkbench.core.errors import (
    ConflictError,
    InvalidRequestError,
    NotFoundError,
    WorkbenchError,
)
from mlworkbench.core.labeling.images import is_image, served_file
from mlworkbench.core.labeling.items import items as fetch_items
from mlworkbench.core.labeling.index import KeyIndexes
from mlworkbench.core.labeling.journal import BUILTIN, Journal, LabelEvent
from mlworkbench.core.labeling.progress import progress as count_progress
from mlworkbench.core.labeling.source import ITEM_KEY, ItemSource, check_columns
from mlworkbench.core.labeling.views import COLUMN_LIST, COLUMNS, SEQ_KEY
from mlworkbench.core.workspace.names import check_name, owner
from mlworkbench.core.workspace.store import (
    LabelLinkRow,
    LabelSetRow,
    Store,
    TableRow,
    TableVersionRow,
    utcnow,
)
from mlworkbench.core.workspace.tables import Tables
from mlworkbench.schemas import ColumnInfo
from mlworkbench.schemas.labeling import (
    CreateLabelSetRequest,
    DescribeLabelSet,
    FetchImageQuery,
    FetchItemsRequest,
    ItemPage,
    LabelProgress,
    ListLabelSets,
    RecordLabelRequest,
    RecordLabelResponse,
    SkipItemRequest,
    UndoLabelResponse,
)

log = logging.getLogger(__name__)

COMPACT_EVERY = 2000  # changes since the last snapshot that start a background compaction
KIND_SAMPLE_ROWS = 20
FILTERS = ("all", "unlabeled", "disagreements", "uncertain")
SOURCES = ("builtin", "labelstudio", "model")
STATUSES = ("ok", "unknown_label", "deleted_upstream")


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
        self.indexes.check(source)
        if kind is None:
            kind = self._infer_kind(source, shown, columns)
        elif kind not in ("text", "image", "record"):
            raise InvalidRequestError("kind", "kind is one of: text, image, record.")
        definition = {
            "sql": sql,
            "key": key,
            "choices": json.dumps(choices),
            "multi": bool(multi),
            "show": json.dumps(shown),
            "kind": kind,
        }
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
        self._tables.remove(label_set.name)  # the label set's rows go with it (ON DELETE CASCADE)
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


def _snapshot_copy(select_sql: str, path: Path, seq: int) -> str:
    return (
        f"COPY ({select_sql}) TO {literal(str(path))} "
        f"(FORMAT parquet, KV_METADATA {{{SEQ_KEY}: '{int(seq)}'}})"
    )


def _empty_snapshot(engine: Engine):
    def write(path: Path) -> int:
        typed = ", ".join(f"CAST(NULL AS {kind}) AS {name}" for name, kind in COLUMNS)
        cursor = engine.cursor(refresh=False)
        try:
            cursor.execute(_snapshot_copy(f"SELECT {typed} WHERE false", path, 0))
        finally:
            cursor.close()
        return 0

    return write


class LabelSet:
    """One label set. Get it from ``ws.labels.get(name)`` or ``ws.labels.create(...)``."""

    def __init__(self, owner_: LabelSets, row: LabelSetRow) -> None:
        self._sets = owner_
        self._engine = owner_._engine
        self._store = owner_._store
        self.id = row.id
        self.name = row.name
        self.sql = row.sql
        self.key = row.key
        self.choices: list[str] = json.loads(row.choices)
        self.multi = bool(row.multi)
        self.show: list[str] = json.loads(row.show)
        self.kind = row.kind
        self.created_at: datetime = row.created_at
        self._journal = Journal(self._store, self.id, self.name)
        self._source = ItemSource(self._engine, self.sql, self.key)

    def __repr__(self) -> str:
        return f"LabelSet({self.name!r}, choices={self.choices!r})"

    # --- writing -------------------------------------------------------------------------

    def record(
        self,
        key: Any,
        labels: Iterable[str] | str,
        *,
        annotator: str,
        source: str = BUILTIN,
        model_version: str | None = None,
        score: float | None = None,
        external_id: str | None = None,
        at: datetime | None = None,
    ) -> int:
        """Record ``annotator``'s label(s) of one item; durable when this returns.

        Args:
            key: The item's key (compared as text).
            labels: One label, or a list (several for a multi-label set).
            annotator: Who labels (the Jupyter user name in the labeler).
            source: 'builtin', 'labelstudio' or 'model'.
            model_version, score: For a model's prediction.
            external_id: Its id where it came from.
            at: When it was given (default: now).

        Returns:
            The event id.

        Raises:
            InvalidRequestError: A label not in the choices (the message lists them), several
                labels for a single-label set, no label, or a key that is not an item.
            NotFoundError: The label set was removed.
        """
        values = [labels] if isinstance(labels, str) else [str(v) for v in labels]
        unknown = [v for v in values if v not in self.choices]
        if unknown:
            raise InvalidRequestError(
                "labels",
                f"{', '.join(repr(u) for u in unknown)} "
                f"{'is' if len(unknown) == 1 else 'are'} not a label of '{self.name}'; "
                f"choose from: {', '.join(self.choices)}.",
                allowed=self.choices,
                unknown=unknown,
            )
        if len(set(values)) != len(values):
            raise InvalidRequestError("labels", "A label is given twice.")
        if not self.multi and len(values) != 1:
            raise InvalidRequestError(
                "labels",
                f"'{self.name}' takes one label per item; got {len(values)}. "
                "Use skip() to pass on an item.",
            )
        _check_source(source)
        key = self._check_key(key)
        event = LabelEvent(
            key=key,
            labels=values,
            annotator=_check_annotator(annotator),
            source=source,
            at=at,
            external_id=None if external_id is None else str(external_id),
            model_version=model_version,
            score=score,
        )
        self._journal.record([event])
        self._sets.after_write(self, self._journal.last_seq)
        return int(self._journal.last_event_id or 0)

    def record_many(self, events: Iterable[LabelEvent]) -> int:
        """Record many annotations in one transaction (a Label Studio pull, model predictions).

        Labels not in the choices are kept with status 'unknown_label'. The same
        (source, external_id) recorded again updates it when it changed, else is left out.
        Keys are not checked against the source (a pull may bring items removed since).

        Returns:
            How many events were written (new or changed).

        Raises:
            InvalidRequestError: An event without annotator, a bad source or status.
        """
        batch = []
        for event in events:
            _check_source(event.source)
            if event.status not in STATUSES:
                raise InvalidRequestError("status", f"status is one of: {', '.join(STATUSES)}.")
            values = [event.labels] if isinstance(event.labels, str) else list(event.labels)
            values = [str(v) for v in values]
            status = event.status
            if status == "ok" and any(v not in self.choices for v in values):
                status = "unknown_label"
            batch.append(
                LabelEvent(
                    key=str(event.key),
                    labels=values,
                    annotator=_check_annotator(event.annotator),
                    source=event.source,
                    at=event.at,
                    external_id=None if event.external_id is None else str(event.external_id),
                    model_version=event.model_version,
                    score=event.score,
                    status=status,
                )
            )
        written = self._journal.record(batch) if batch else 0
        if written:
            self._sets.after_write(self, self._journal.last_seq)
        return written

    def flag_external(self, source: str, external_ids: Iterable[Any], status: str) -> int:
        """Set the status of labels that came from ``source`` as these ids (e.g. a Label Studio
        task deleted upstream: 'deleted_upstream'). The labels stay.

        Returns:
            How many labels changed status.
        """
        _check_source(source)
        if status not in STATUSES:
            raise InvalidRequestError("status", f"status is one of: {', '.join(STATUSES)}.")
        return self._journal.flag_external(source, external_ids, status)

    def skip(self, key: Any, *, annotator: str) -> int:
        """Record that ``annotator`` skipped an item (it leaves their 'unlabeled' filter).

        Returns:
            The event id.
        """
        event_id = self._journal.skip(self._check_key(key), _check_annotator(annotator))
        return event_id

    def undo(self, *, annotator: str) -> str | None:
        """Undo ``annotator``'s last label or skip; their label before it comes back.

        Returns:
            The key of the item undone, or None when they have nothing to undo.
        """
        return self._journal.undo(_check_annotator(annotator))

    # --- reading -------------------------------------------------------------------------

    def items(
        self,
        filter: str = "all",
        offset: int = 0,
        limit: int = 50,
        annotator: str | None = None,
    ) -> ItemPage:
        """A page of items in key order, with their labels.

        Args:
            filter: 'all', 'unlabeled' (no label, not skipped by ``annotator``),
                'disagreements' or 'uncertain' (unlabeled, by the queue's uncertainty).
            offset: Items to pass over.
            limit: Items in the page.
            annotator: Whose 'mine' and 'skipped' to fill in.

        Raises:
            InvalidRequestError: A bad filter, offset or limit; repeated keys in the source now.
            ConflictError: 'uncertain' before the queue was trained.
        """
        if filter not in FILTERS:
            raise InvalidRequestError("filter", f"filter is one of: {', '.join(FILTERS)}.")
        if offset < 0 or limit < 1:
            raise InvalidRequestError("limit", "offset >= 0 and limit >= 1.")
        columns = self._columns()
        index = self._sets.indexes.get(self.id, self._source, self.created_at)
        queue_exists = filter == "uncertain" and f"{self.name}_queue".lower() in {
            n.lower() for n in self._sets._tables.names()
        }
        return fetch_items(
            self._source,
            index=index,
            name=self.name,
            label_set_id=self.id,
            columns=columns,
            show=self.show,
            root=self._sets.root_dir,
            filter=filter,
            offset=offset,
            limit=limit,
            annotator=annotator,
            queue_exists=queue_exists,
        )

    def progress(self, annotator: str | None = None) -> LabelProgress:
        """Counts of items: total, labeled, skipped, with disagreements; and unknown labels."""
        return count_progress(
            self._source,
            index=self._sets.indexes.get(self.id, self._source, self.created_at),
            name=self.name,
            label_set_id=self.id,
            annotator=annotator,
        )

    def describe(self, annotator: str | None = None, *, strict: bool = True) -> DescribeLabelSet:
        """The label set's definition, progress, version and bridge links.

        Args:
            annotator: Also count the items this annotator labeled.
            strict: Raise when the items cannot be read now; else say why in ``error`` (a
                list must not fail for one label set whose table was removed).
        """
        error = None
        try:
            progress = self.progress(annotator)
        except WorkbenchError as exc:
            if strict:
                raise
            error = exc.message
            progress = LabelProgress(
                total=0, labeled=0, skipped=0, disagreements=0, unknown_labels=0
            )
        with self._store.read() as session:
            version = session.scalar(
                select(func.max(TableVersionRow.version))
                .join(LabelSetRow, LabelSetRow.table_id == TableVersionRow.table_id)
                .where(LabelSetRow.id == self.id)
            )
        return DescribeLabelSet(
            name=self.name,
            sql=self.sql,
            key=self.key,
            choices=self.choices,
            multi=self.multi,
            show=self.show,
            kind=self.kind,
            progress=progress,
            version=int(version or 0),
            created_at=self.created_at,
            links=self.links(),
            error=error,
        )

    def source_relation_sql(self, all_columns: bool = False) -> str:
        """SQL selecting the items: ``item_key`` (the key as text) and the shown columns (or
        every column), for pushing tasks or scoring a queue."""
        select_list = "src.*" if all_columns else ", ".join(quote(c) for c in self.show)
        return (
            f"{self._source.cte}\nSELECT {ITEM_KEY} AS item_key, {select_list} FROM src"
        )

    def image_file(self, key: Any, column: str) -> Path:
        """The local image file of an item's column, for the labeler to show.

        Raises:
            InvalidRequestError: ``column`` is not shown.
            NotFoundError: No such item, no local image, or the file does not exist.
            ForbiddenPathError: The path leaves the Jupyter root.
        """
        if column not in self.show:
            raise InvalidRequestError(
                "column", f"'{column}' is not a shown column of '{self.name}': {self.show}."
            )
        key = self._check_key(key)
        native = self._native(key)
        rows = self._source.run(
            f"SELECT {quote(column)} FROM src WHERE {quote(self.key)} = $native LIMIT 1",
            {"native": native},
        )
        value = rows[0][0] if rows else None
        return served_file(value, root=self._sets.root_dir, key=key, column=column)

    def versions(self):
        """The versions of its table (snapshots of the labels), newest first."""
        return self._sets._tables.describe(self.name)

    # --- bridges -------------------------------------------------------------------------

    def link(self, kind: str) -> dict | None:
        """A bridge's stored state (e.g. kind 'labelstudio'), or None."""
        with self._store.read() as session:
            row = session.get(LabelLinkRow, (self.id, kind))
            return None if row is None else json.loads(row.state)

    def links(self) -> dict[str, dict]:
        with self._store.read() as session:
            rows = session.scalars(
                select(LabelLinkRow).where(LabelLinkRow.label_set_id == self.id)
            ).all()
            return {row.kind: json.loads(row.state) for row in rows}

    def set_link(self, kind: str, state: dict | None) -> None:
        """Store (or with None, remove) a bridge's state. Never put secrets in it."""
        with self._store.write() as session:
            row = session.get(LabelLinkRow, (self.id, kind))
            if state is None:
                if row is not None:
                    session.delete(row)
                return
            text = json.dumps(state, default=str)
            if row is None:
                session.add(
                    LabelLinkRow(label_set_id=self.id, kind=kind, state=text, updated_at=utcnow())
                )
            else:
                row.state, row.updated_at = text, utcnow()

    def refresh_queue(self, model: Any = None, strategy: str = "least_confidence", **kw: Any):
        """Train the queue model on the current labels and rank the unlabeled items
        (``<name>_queue``); see :mod:`mlworkbench.core.labeling.active`."""
        from mlworkbench.core.labeling import active

        return active.refresh_queue(self, model=model, strategy=strategy, **kw)

    # --- versions ------------------------------------------------------------------------

    def compact(self) -> int:
        """Write the current labels as a new Parquet version of the table (temp file, fsync,
        rename, then the metadata row); the journal keeps everything since.

        Returns:
            The new version number.
        """
        engine = self._engine

        def write(path: Path) -> int:
            # Under the engine's lock no refresh changes the in-memory rows during the copy,
            # so the copy holds exactly the changes up to the number it records.
            with engine.exclusive():
                engine.refresh()
                seq, _ = engine.label_views.seen(self.id)
                cursor = engine.cursor(refresh=False)
                try:
                    select_sql = (
                        f"SELECT {COLUMN_LIST} FROM {quote(self.name)} "
                        "ORDER BY item_key, annotator, source"
                    )
                    return cursor.execute(_snapshot_copy(select_sql, path, seq)).fetchone()[0]
                finally:
                    cursor.close()

        described = self._sets._tables.save_file(
            self.name,
            write,
            sql=f"-- labels of '{self.name}' (a snapshot of its journal)",
            overwrite=True,
        )
        return int(described.version or 0)

    def _columns(self) -> list[ColumnInfo]:
        return self._sets.cached(self.id, "columns", self.sql, self._source.columns)

    def _check_key(self, key: Any) -> str:
        if key is None or (isinstance(key, str) and not key):
            raise InvalidRequestError("key", "Give the item's key.")
        key = str(key)
        if self._native(key, missing=None) is None:
            raise NotFoundError("item", key, f"Label set '{self.name}' has no item '{key}'.")
        return key

    def _native(self, key: str, missing: Any = ...) -> Any:
        """The key as typed in the source (a lookup in the key index)."""
        index = self._sets.indexes.get(self.id, self._source, self.created_at)
        with self._source.cursor() as cursor:
            found = cursor.execute(
                f"SELECT native FROM {index.table} WHERE item_key = $key LIMIT 1", {"key": key}
            ).fetchall()
        if not found:
            if missing is ...:
                raise NotFoundError("item", key, f"Label set '{self.name}' has no item '{key}'.")
            return missing
        return found[0][0]


def _check_source(source: str) -> None:
    if source not in SOURCES:
        raise InvalidRequestError("source", f"source is one of: {', '.join(SOURCES)}.")


def _check_annotator(annotator: str) -> str:
    if not isinstance(annotator, str) or not annotator.strip():
        raise InvalidRequestError("annotator", "Say who labels: annotator is empty.")
    return annotator
