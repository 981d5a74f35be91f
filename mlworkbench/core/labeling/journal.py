"""The label journal: every label, skip and undo committed to the metadata database.

Each call is one write transaction that appends to ``label_events``, updates the current state
(``label_state``, ``label_skips``) and takes the label set's next change number, so the call is
durable when it returns (SQLite commits with fsync) and every process's views see it at once.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, insert, select, tuple_, update
from sqlalchemy.orm import Session

from mlworkbench.core.errors import NotFoundError
from mlworkbench.core.workspace.store import (
    LabelEventRow,
    LabelSetRow,
    LabelSkipRow,
    LabelStateRow,
    Store,
    utcnow,
)

BUILTIN = "builtin"
CHUNK = 400  # rows per IN (...) list: well under SQLite's bound-variable limit


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

    def record(self, events: list[LabelEvent]) -> list[int]:
        """Append events and make each the current label of its (item, annotator, source).

        Events with an ``external_id`` already recorded with the same content are left out.

        Returns:
            The ids of the events written, in order.
        """
        with self._store.write() as session:
            events = self._changed(session, events)
            if not events:
                self._next_seq(session, 0)  # still says NotFound for a removed label set
                return []
            seq = self._next_seq(session)
            now = utcnow()
            rows = [
                {
                    "label_set_id": self._id,
                    "action": "label",
                    "item_key": e.key,
                    "labels": json.dumps(list(e.labels)),
                    "annotator": e.annotator,
                    "source": e.source,
                    "status": e.status,
                    "model_version": e.model_version,
                    "score": e.score,
                    "external_id": e.external_id,
                    "labeled_at": e.at or now,
                    "undone": False,
                }
                for e in events
            ]
            ids = list(
                session.scalars(
                    insert(LabelEventRow).returning(
                        LabelEventRow.id, sort_by_parameter_order=True
                    ),
                    rows,
                )
            )
            state: dict[tuple[str, str, str], dict] = {}
            for row, event_id in zip(rows, ids, strict=True):  # the last one of a group wins
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
            builtin = sorted({(k, a) for k, a, s in state if s == BUILTIN})
            for chunk in _chunks(builtin):
                # A label given in the labeler ends that annotator's skip of the item.
                session.execute(
                    update(LabelSkipRow)
                    .where(
                        LabelSkipRow.label_set_id == self._id,
                        LabelSkipRow.active.is_(True),
                        tuple_(LabelSkipRow.item_key, LabelSkipRow.annotator).in_(chunk),
                    )
                    .values(active=False, seq=seq)
                )
            return ids

    def _changed(self, session: Session, events: list[LabelEvent]) -> list[LabelEvent]:
        """The events whose (source, external_id) is new, or recorded with other content."""
        external = [e for e in events if e.external_id is not None]
        if not external:
            return events
        latest: dict[tuple[str, str], tuple] = {}
        for source in {e.source for e in external}:
            ids = sorted({e.external_id for e in external if e.source == source})
            for chunk in _chunks(ids):
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
        for e in events:
            if e.external_id is not None:
                content = (
                    e.key,
                    json.dumps(list(e.labels)),
                    e.annotator,
                    e.status,
                    e.model_version,
                    e.score,
                )
                if latest.get((e.source, e.external_id)) == content:
                    continue
                latest[(e.source, e.external_id)] = content
            kept.append(e)
        return kept

    def _replace_state(self, session: Session, rows: list[dict]) -> None:
        groups = [(r["item_key"], r["annotator"], r["source"]) for r in rows]
        for chunk in _chunks(groups, CHUNK // 3):
            session.execute(
                delete(LabelStateRow).where(
                    LabelStateRow.label_set_id == self._id,
                    tuple_(
                        LabelStateRow.item_key, LabelStateRow.annotator, LabelStateRow.source
                    ).in_(chunk),
                )
            )
        if rows:
            session.execute(insert(LabelStateRow), rows)

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
                        label_set_id=self._id, item_key=key, annotator=annotator, active=True, seq=seq
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
            self._set_skip(session, key, annotator, latest is not None and latest.action == "skip", seq)
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
