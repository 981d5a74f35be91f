"""The label journal: every label, skip and undo committed to the metadata database.

Each call is one write transaction that appends to ``label_events``, updates the current state
(``label_state``, ``label_skips``) and takes the label set's next change number, so the call is
durable when it returns (SQLite commits with fsync) and every process's views see it at once.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import Connection, Table, bindparam, insert, select, update
from sqlalchemy.orm import Session

from mlworkbench.core.errors import NotFoundError
from mlworkbench.core.workspace.store import (
    LabelEventRow,
    LabelSetRow,
    LabelSkipRow,
    LabelStateRow,
    Store,
    UTCDateTime,
    utcnow,
)

BUILTIN = "builtin"
CHUNK = 400  # rows per IN (...) list: well under SQLite's bound-variable limit
BIG_CHUNK = 5000  # values per one-column IN (...) list


@dataclass
class LabelEvent:
    """One annotation to record (see :meth:`LabelSet.record_many`).

    Attributes:
        key: The item key (as text).
        labels: The label(s) given; one for a single-label set.
        annotator: Who gave it.
        source: 'builtin', 'labelstudio' or 'model'.
        at: When it was given (default: now).
        external_id: Its id where it came from (a Label Studio annotation id): recording the same
            (source, external_id) again updates it instead of adding one.
        model_version: The model that predicted it (source 'model').
        score: The model's score.
        status: 'ok', 'unknown_label' (set for you when a label is not a choice) or
            'deleted_upstream'.
    """

    key: str
    labels: Sequence[str]
    annotator: str
    source: str
    at: datetime | None = None
    external_id: str | None = None
    model_version: str | None = None
    score: float | None = None
    status: str = "ok"


@functools.lru_cache(maxsize=4096)  # a pull's events mostly share a few times
def _sqlite_time(value: datetime) -> str:
    """A datetime as SQLAlchemy's SQLite DateTime stores it (UTC, naive)."""
    if value.tzinfo is not None:
        value = value.astimezone(timezone.utc).replace(tzinfo=None)
    return value.strftime("%Y-%m-%d %H:%M:%S.%f")


def _insert_many(connection: Connection, table: Table, rows: list[dict]) -> None:
    """INSERT many rows. On SQLite straight through the driver's executemany: SQLAlchemy's
    per-row parameter processing cost more than SQLite itself (1.3 s for 30,000 rows)."""
    if not rows:
        return
    if connection.dialect.name != "sqlite":
        connection.execute(table.insert(), rows)
        return
    names = list(rows[0])
    times = {n for n in names if isinstance(table.c[n].type, UTCDateTime)}
    values = [
        tuple(
            _sqlite_time(row[n]) if n in times and row[n] is not None else row[n]
            for n in names
        )
        for row in rows
    ]
    columns = ", ".join(f'"{n}"' for n in names)
    marks = ", ".join("?" for _ in names)
    connection.exec_driver_sql(f'INSERT INTO "{table.name}" ({columns}) VALUES ({marks})', values)


def _chunks(values: list, size: int = CHUNK) -> Iterable[list]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


class Journal:
    """Writes of one label set.

    Args:
        store: The metadata store.
        label_set_id: The label set's row id.
        name: Its name (for messages).
    """

    def __init__(self, store: Store, label_set_id: int, name: str) -> None:
        self._store = store
        self._id = label_set_id
        self._name = name
        self.last_seq = 0  # the change number of this journal's last write
        self.last_event_id: int | None = None  # the id of the last single event recorded

    def _next_seq(self, session: Session, count: int = 1) -> int:
        seq = session.scalar(
            update(LabelSetRow)
            .where(LabelSetRow.id == self._id)
            .values(seq=LabelSetRow.seq + count)
            .returning(LabelSetRow.seq)
        )
        if seq is None:
            raise NotFoundError("label set", self._name)
        self.last_seq = int(seq)
        return self.last_seq

    def record(self, events: list[LabelEvent]) -> int:
        """Append events and make each the current label of its (item, annotator, source).

        Events with an ``external_id`` already recorded with the same content are left out.
        Rows go in through executemany (no ORM objects): 10,000 pulled annotations are one
        transaction of well under a second of Python.

        Returns:
            How many events were written; :attr:`last_event_id` is the id of a single one.
        """
        encoded = [(e, json.dumps(list(e.labels))) for e in events]
        with self._store.write() as session:
            encoded = self._changed(session, encoded)
            if not encoded:
                self._next_seq(session, 0)  # still says NotFound for a removed label set
                return 0
            seq = self._next_seq(session)
            now = utcnow()
            rows = [
                {
                    "label_set_id": self._id,
                    "action": "label",
                    "item_key": e.key,
                    "labels": labels,
                    "annotator": e.annotator,
                    "source": e.source,
                    "status": e.status,
                    "model_version": e.model_version,
                    "score": e.score,
                    "external_id": e.external_id,
                    "labeled_at": e.at or now,
                    "undone": False,
                }
                for e, labels in encoded
            ]
            connection = session.connection()
            events_table = LabelEventRow.__table__
            event_id = None
            if len(rows) == 1:
                event_id = connection.execute(
                    events_table.insert().returning(events_table.c.id), rows
                ).scalar_one()
                self.last_event_id = int(event_id)
            else:
                _insert_many(connection, events_table, rows)
            state: dict[tuple[str, str, str], dict] = {}
            for row in rows:  # the last event of a group wins
                state[(row["item_key"], row["annotator"], row["source"])] = {
                    "label_set_id": self._id,
                    "item_key": row["item_key"],
                    "annotator": row["annotator"],
                    "source": row["source"],
                    "labels": row["labels"],
                    "status": row["status"],
                    "model_version": row["model_version"],
                    "score": row["score"],
                    "external_id": row["external_id"],
                    "labeled_at": row["labeled_at"],
                    "event_id": event_id,
                    "seq": seq,
                }
            self._replace_state(session, list(state.values()))
            builtin = [
                {"b_key": k, "b_annotator": a, "b_seq": seq}
                for k, a, source in state
                if source == BUILTIN
            ]
            if builtin:
                # A label given in the labeler ends that annotator's skip of the item.
                skips = LabelSkipRow.__table__
                connection.execute(
                    skips.update()
                    .where(
                        skips.c.label_set_id == self._id,
                        skips.c.item_key == bindparam("b_key"),
                        skips.c.annotator == bindparam("b_annotator"),
                        skips.c.active.is_(True),
                    )
                    .values(active=False, seq=bindparam("b_seq")),
                    builtin,
                )
            return len(rows)

    def _changed(
        self, session: Session, encoded: list[tuple[LabelEvent, str]]
    ) -> list[tuple[LabelEvent, str]]:
        """The events whose (source, external_id) is new, or recorded with other content."""
        external = [e for e, _ in encoded if e.external_id is not None]
        if not external:
            return encoded
        latest: dict[tuple[str, str], tuple] = {}
        for source in {e.source for e in external}:
            ids = sorted({e.external_id for e in external if e.source == source})
            for chunk in _chunks(ids, BIG_CHUNK):
                found = session.execute(
                    select(
                        LabelEventRow.external_id,
                        LabelEventRow.item_key,
                        LabelEventRow.labels,
                        LabelEventRow.annotator,
                        LabelEventRow.status,
                        LabelEventRow.model_version,
                        LabelEventRow.score,
                    )
                    .where(
                        LabelEventRow.label_set_id == self._id,
                        LabelEventRow.source == source,
                        LabelEventRow.external_id.in_(chunk),
                        LabelEventRow.undone.is_(False),
                    )
                    .order_by(LabelEventRow.id)
                ).all()
                for external_id, *content in found:
                    latest[(source, external_id)] = tuple(content)
        kept = []
        for e, labels in encoded:
            if e.external_id is not None:
                content = (e.key, labels, e.annotator, e.status, e.model_version, e.score)
                if latest.get((e.source, e.external_id)) == content:
                    continue
                latest[(e.source, e.external_id)] = content
            kept.append((e, labels))
        return kept

    def _replace_state(self, session: Session, rows: list[dict]) -> None:
        table = LabelStateRow.__table__
        connection = session.connection()
        connection.execute(
            table.delete().where(
                table.c.label_set_id == self._id,
                table.c.item_key == bindparam("item_key"),
                table.c.annotator == bindparam("annotator"),
                table.c.source == bindparam("source"),
            ),
            [{k: r[k] for k in ("item_key", "annotator", "source")} for r in rows],
        )
        _insert_many(connection, table, rows)

    def skip(self, key: str, annotator: str) -> int:
        """Record that ``annotator`` skipped the item ``key``.

        Returns:
            The event id.
        """
        with self._store.write() as session:
            seq = self._next_seq(session)
            event_id = session.scalar(
                insert(LabelEventRow)
                .values(
                    label_set_id=self._id,
                    action="skip",
                    item_key=key,
                    labels=None,
                    annotator=annotator,
                    source=BUILTIN,
                    status="ok",
                    labeled_at=utcnow(),
                    undone=False,
                )
                .returning(LabelEventRow.id)
            )
            self._set_skip(session, key, annotator, True, seq)
            return int(event_id)

    def _set_skip(self, session: Session, key: str, annotator: str, active: bool, seq: int):
        row = session.get(LabelSkipRow, (self._id, key, annotator))
        if row is None:
            if active:
                session.add(
                    LabelSkipRow(
                        label_set_id=self._id,
                        item_key=key,
                        annotator=annotator,
                        active=True,
                        seq=seq,
                    )
                )
        elif row.active != active:
            row.active, row.seq = active, seq

    def undo(self, annotator: str) -> str | None:
        """Undo ``annotator``'s last label or skip in the labeler; what they had before for that
        item comes back.

        Returns:
            The key of the item undone, or None when there is nothing to undo.
        """
        with self._store.write() as session:
            last = self._latest(session, annotator)
            if last is None:
                self._next_seq(session, 0)
                return None
            seq = self._next_seq(session)
            last.undone = True
            session.flush()
            key = last.item_key
            if last.action == "label":
                self._restore_label(session, key, annotator, seq)
            latest = self._latest(session, annotator, key=key)
            skipped = latest is not None and latest.action == "skip"
            self._set_skip(session, key, annotator, skipped, seq)
            return key

    def _latest(
        self, session: Session, annotator: str, *, key: str | None = None, action: str | None = None
    ) -> LabelEventRow | None:
        """The annotator's newest event in the labeler that is not undone (of one item, of one
        action, when given)."""
        conditions = [
            LabelEventRow.label_set_id == self._id,
            LabelEventRow.annotator == annotator,
            LabelEventRow.source == BUILTIN,
            LabelEventRow.undone.is_(False),
        ]
        if key is not None:
            conditions.append(LabelEventRow.item_key == key)
        if action is not None:
            conditions.append(LabelEventRow.action == action)
        return session.scalars(
            select(LabelEventRow).where(*conditions).order_by(LabelEventRow.id.desc()).limit(1)
        ).first()

    def _restore_label(self, session: Session, key: str, annotator: str, seq: int) -> None:
        previous = self._latest(session, annotator, key=key, action="label")
        state = session.get(LabelStateRow, (self._id, key, annotator, BUILTIN))
        if state is None:  # cannot happen while the journal is whole; nothing to restore
            return
        state.seq = seq
        if previous is None:
            state.labels, state.event_id, state.external_id = None, None, None
            return
        state.labels, state.status = previous.labels, previous.status
        state.model_version, state.score = previous.model_version, previous.score
        state.external_id, state.labeled_at = previous.external_id, previous.labeled_at
        state.event_id = previous.id

    def flag_external(self, source: str, external_ids: Iterable[str], status: str) -> int:
        """Set the status of the current labels that came as these external ids.

        Returns:
            How many labels changed status.
        """
        ids = sorted({str(i) for i in external_ids})
        with self._store.write() as session:
            seq = self._next_seq(session)
            changed = 0
            for chunk in _chunks(ids):
                result = session.execute(
                    update(LabelStateRow)
                    .where(
                        LabelStateRow.label_set_id == self._id,
                        LabelStateRow.source == source,
                        LabelStateRow.external_id.in_(chunk),
                        LabelStateRow.labels.is_not(None),
                        LabelStateRow.status != status,
                    )
                    .values(status=status, seq=seq)
                )
                changed += result.rowcount or 0
            return changed
