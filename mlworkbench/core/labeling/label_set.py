"""One label set: record, skip, undo, page its items, count progress, compact its versions.

Get one from ``ws.labels`` (:class:`~mlworkbench.core.labeling.label_sets.LabelSets`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, get_args

from sqlalchemy import func, select

from mlworkbench.core.data.identifiers import literal, quote
from mlworkbench.core.errors import InvalidRequestError, NotFoundError, WorkbenchError
from mlworkbench.core.labeling.images import served_file
from mlworkbench.core.labeling.items import items as fetch_items
from mlworkbench.core.labeling.journal import BUILTIN, Journal, LabelEvent
from mlworkbench.core.labeling.progress import progress as count_progress
from mlworkbench.core.labeling.source import ITEM_KEY, ItemSource
from mlworkbench.core.labeling.views import COLUMN_LIST, SEQ_KEY
from mlworkbench.core.workspace.store import LabelLinkRow, LabelSetRow, TableVersionRow, utcnow
from mlworkbench.schemas import ColumnInfo
from mlworkbench.schemas.labeling import (
    DescribeLabelSet,
    ItemFilter,
    ItemPage,
    LabelProgress,
    LabelSource,
    LabelStatus,
)

if TYPE_CHECKING:
    from mlworkbench.core.labeling.label_sets import LabelSets

FILTERS = get_args(ItemFilter)
SOURCES = get_args(LabelSource)
STATUSES = get_args(LabelStatus)


def snapshot_copy(select_sql: str, path: Path, seq: int) -> str:
    """The COPY writing a snapshot, with the change number it holds in its metadata."""
    return (
        f"COPY ({select_sql}) TO {literal(str(path))} "
        f"(FORMAT parquet, KV_METADATA {{{SEQ_KEY}: '{int(seq)}'}})"
    )


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
        queue_exists = filter == "uncertain" and self.has_queue()
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
            indexes=self._sets.indexes,
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

    def has_queue(self) -> bool:
        """Whether the active-learning queue (the table ``<name>_queue``) exists."""
        from mlworkbench.core.labeling.active import queue_table

        name = queue_table(self.name).lower()
        return any(n.lower() == name for n in self._sets._tables.names())

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
                    return cursor.execute(snapshot_copy(select_sql, path, seq)).fetchone()[0]
                finally:
                    cursor.close()

        described = self._sets._tables.save_file(
            self.name,
            write,
            sql=f"-- labels of '{self.name}' (a snapshot of its journal)",
            label_set=True,
        )
        return int(described.version or 0)

    def _columns(self) -> list[ColumnInfo]:
        return self._sets.cached(self.id, "columns", self.sql, self._source.columns)

    def _check_key(self, key: Any) -> str:
        if key is None or (isinstance(key, str) and not key):
            raise InvalidRequestError("key", "Give the item's key.")
        key = str(key)
        self._native(key)
        return key

    def _native(self, key: str) -> Any:
        """The key as typed in the source (a lookup in the key index).

        Raises:
            NotFoundError: No item has this key.
        """
        index = self._sets.indexes.get(self.id, self._source, self.created_at)
        found, native = self._sets.indexes.find(index, key)
        if not found:
            raise NotFoundError("item", key, f"Label set '{self.name}' has no item '{key}'.")
        return native


def _check_source(source: str) -> None:
    if source not in SOURCES:
        raise InvalidRequestError("source", f"source is one of: {', '.join(SOURCES)}.")


def _check_annotator(annotator: str) -> str:
    if not isinstance(annotator, str) or not annotator.strip():
        raise InvalidRequestError("annotator", "Say who labels: annotator is empty.")
    return annotator
