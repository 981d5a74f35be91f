"""The SQL table of each label set in this process's DuckDB.

A label set's table is its newest Parquet snapshot with the label state committed since laid
over it. The snapshot records (in its Parquet key-value metadata) the change number it was taken
at; each process keeps an in-memory copy of the state rows changed after the numbers it has
seen (``mlwb_labels.ov_<id>``) and of the skips (``mlwb_labels.sk_<id>``), brought up to date on
every catalog refresh, which a label commit triggers. So a label is in SQL at once in every
process, and a key press costs one small SQLite commit instead of a Parquet rewrite.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import duckdb
from sqlalchemy import select
from sqlalchemy.orm import Session

from mlworkbench.core.data.identifiers import literal
from mlworkbench.core.workspace.store import LabelSetRow, LabelSkipRow, LabelStateRow

SCHEMA = "mlwb_labels"
SMALL_BATCH = 50
SEQ_KEY = "mlwb_label_seq"
# The columns of a label set's SQL table, in order.
COLUMNS = (
    ("item_key", "VARCHAR"),
    ("label", "VARCHAR"),
    ("labels", "VARCHAR[]"),
    ("annotator", "VARCHAR"),
    ("labeled_at", "TIMESTAMP"),
    ("source", "VARCHAR"),
    ("status", "VARCHAR"),
    ("model_version", "VARCHAR"),
    ("score", "DOUBLE"),
)
COLUMN_LIST = ", ".join(name for name, _ in COLUMNS)
# The in-memory tables: the state rows changed since the snapshot, and the skips.
_OVERLAY_COLUMNS = (*COLUMNS, ("seq", "BIGINT"), ("present", "BOOLEAN"))
_SKIP_COLUMNS = (
    ("item_key", "VARCHAR"),
    ("annotator", "VARCHAR"),
    ("active", "BOOLEAN"),
    ("seq", "BIGINT"),
)
_OVERLAY_NAMES = [name for name, _ in _OVERLAY_COLUMNS]
_SKIP_NAMES = [name for name, _ in _SKIP_COLUMNS]


def _ddl(columns: tuple[tuple[str, str], ...]) -> str:
    return ", ".join(f"{name} {kind}" for name, kind in columns)


def _arrow(columns: dict[str, list], *, overlay: bool):
    """An Arrow table of the rows to upsert (pyarrow imported only once labels change)."""
    import pyarrow as pa

    types = {
        "VARCHAR": pa.string(),
        "VARCHAR[]": pa.list_(pa.string()),
        "TIMESTAMP": pa.timestamp("us"),
        "DOUBLE": pa.float64(),
        "BIGINT": pa.int64(),
        "BOOLEAN": pa.bool_(),
    }
    fields = _OVERLAY_COLUMNS if overlay else _SKIP_COLUMNS
    return pa.Table.from_pydict(columns, schema=pa.schema([(n, types[t]) for n, t in fields]))


def _replace(
    admin: duckdb.DuckDBPyConnection,
    table: str,
    columns: dict[str, list],
    keys: tuple[str, ...],
    overlay: bool,
) -> None:
    """Put the rows in ``table`` in place of those with the same ``keys``, in one transaction.

    Keeping one row per key makes the views plain scans: picking the newest row per key at
    read time (a window or DISTINCT ON) cost 6-15 ms on every query of the label set.
    """
    count = len(next(iter(columns.values())))
    match = " AND ".join(f"{table}.{k} = mlwb_new.{k}" for k in keys)
    names = ", ".join(columns)
    admin.execute("BEGIN TRANSACTION").fetchall()
    try:
        if count <= SMALL_BATCH:
            # Parameters, no pyarrow import: ~1 ms for a key press.
            row = "(" + ", ".join("?" * len(columns)) + ")"
            values = [v for i in range(count) for v in (c[i] for c in columns.values())]
            rows = f"(VALUES {', '.join([row] * count)}) AS mlwb_new({names})"
            admin.execute(f"DELETE FROM {table} USING {rows} WHERE {match}", values).fetchall()
            admin.execute(f"INSERT INTO {table} SELECT * FROM {rows}", values).fetchall()
        else:
            name = "mlwb_label_rows"
            admin.register(name, _arrow(columns, overlay=overlay))
            try:
                admin.execute(
                    f"DELETE FROM {table} USING {name} AS mlwb_new WHERE {match}"
                ).fetchall()
                admin.execute(f"INSERT INTO {table} SELECT * FROM {name}").fetchall()
            finally:
                admin.unregister(name)
        admin.execute("COMMIT").fetchall()
    except BaseException:
        admin.execute("ROLLBACK").fetchall()
        raise


def overlay_table(label_set_id: int) -> str:
    """The in-memory table of the state rows changed since the snapshot."""
    return f"{SCHEMA}.ov_{label_set_id}"


def skips_table(label_set_id: int) -> str:
    """The in-memory table of skips (``active`` false once undone)."""
    return f"{SCHEMA}.sk_{label_set_id}"


def index_table(label_set_id: int | str) -> str:
    """The key index (see ``index.py``): ``pos`` (0-based, in key order), ``item_key`` (text),
    ``native`` (the key as typed)."""
    return f"{SCHEMA}.idx_{label_set_id}"


def view_sql(label_set_id: int, snapshot: str) -> str:
    """The label set's table: the snapshot's rows not changed since, then the changed rows."""
    overlay = overlay_table(label_set_id)
    return (
        f"SELECT {COLUMN_LIST} FROM read_parquet({literal(snapshot)}) AS s "
        f"ANTI JOIN {overlay} AS o USING (item_key, annotator, source) "
        f"UNION ALL SELECT {COLUMN_LIST} FROM {overlay} WHERE present"
    )


def active_skips_sql(label_set_id: int) -> str:
    """(item_key, annotator) of the skips in force."""
    return f"(SELECT item_key, annotator FROM {skips_table(label_set_id)} WHERE active)"


@dataclass
class _Synced:
    created: object = None  # the label set's created_at: SQLite may give a new one its id
    seq: int = 0  # the label set's change number the in-memory copy reflects
    snapshot: str | None = None
    snapshot_seq: int = 0
    pruned_seq: int = 0  # the overlay holds no rows at or below this change number


class LabelViews:
    """Keeps the in-memory label state of every label set in step with the metadata.

    Used by :class:`~mlworkbench.core.data.engine.Engine` under its lock.
    """

    def __init__(self) -> None:
        self._synced: dict[int, _Synced] = {}
        self._snapshot_seqs: dict[str, int] = {}

    def sync(
        self, session: Session, admin: duckdb.DuckDBPyConnection, snapshots: dict[int, str]
    ) -> dict[int, str]:
        """Bring the in-memory state up to date and say which tables are label sets.

        Args:
            session: A read session of the refresh (one consistent snapshot of the metadata).
            admin: The engine's admin cursor.
            snapshots: Current Parquet file (absolute path) by workspace table id.

        Returns:
            The view SQL of each label set's table, by workspace table id.
        """
        rows = session.execute(
            select(LabelSetRow.id, LabelSetRow.table_id, LabelSetRow.seq, LabelSetRow.created_at)
        ).all()
        views: dict[int, str] = {}
        alive = set()
        for label_set_id, table_id, seq, created in rows:
            snapshot = snapshots.get(table_id)
            if snapshot is None:
                continue
            alive.add(label_set_id)
            synced = self._synced.get(label_set_id)
            if synced is None or synced.created != created:  # new here, or removed and reused
                synced = self._synced[label_set_id] = _Synced(created=created)
                self._create(admin, label_set_id)
            if synced.snapshot != snapshot:
                synced.snapshot = snapshot
                synced.snapshot_seq = self._snapshot_seq(admin, snapshot)
            if seq > synced.seq:
                self._pull(session, admin, label_set_id, synced.seq)
                synced.seq = seq
            views[table_id] = view_sql(label_set_id, snapshot)
        for label_set_id in set(self._synced) - alive:
            del self._synced[label_set_id]
            admin.execute(f"DROP TABLE IF EXISTS {overlay_table(label_set_id)}")
            admin.execute(f"DROP TABLE IF EXISTS {skips_table(label_set_id)}")
            admin.execute(f"DROP TABLE IF EXISTS {index_table(label_set_id)}")
        return views

    def prune(self, admin: duckdb.DuckDBPyConnection) -> None:
        """Drop in-memory rows the current snapshots hold (call after the views are replaced,
        so no new query reads an older snapshot with them gone). Only a new snapshot has any to
        drop: rows pulled since have higher change numbers."""
        for label_set_id, synced in self._synced.items():
            if synced.snapshot_seq <= synced.pruned_seq:
                continue
            admin.execute(
                f"DELETE FROM {overlay_table(label_set_id)} WHERE seq <= $1", [synced.snapshot_seq]
            ).fetchall()
            synced.pruned_seq = synced.snapshot_seq

    def seen(self, label_set_id: int) -> tuple[int, int]:
        """(change number reflected in memory, change number of the current snapshot)."""
        synced = self._synced.get(label_set_id) or _Synced()
        return synced.seq, synced.snapshot_seq

    def _create(self, admin: duckdb.DuckDBPyConnection, label_set_id: int) -> None:
        admin.execute(f"CREATE SCHEMA IF NOT EXISTS {SCHEMA}")
        admin.execute(
            f"CREATE OR REPLACE TABLE {overlay_table(label_set_id)} ({_ddl(_OVERLAY_COLUMNS)})"
        )
        admin.execute(
            f"CREATE OR REPLACE TABLE {skips_table(label_set_id)} ({_ddl(_SKIP_COLUMNS)})"
        )

    def _snapshot_seq(self, admin: duckdb.DuckDBPyConnection, snapshot: str) -> int:
        if snapshot not in self._snapshot_seqs:
            try:
                rows = admin.execute(
                    "SELECT value FROM parquet_kv_metadata($1) WHERE key = $2",
                    [snapshot, SEQ_KEY.encode()],
                ).fetchall()
                value = int(rows[0][0]) if rows else 0
            except duckdb.Error:
                value = 0  # unreadable: keep every state row in memory, which is always right
            self._snapshot_seqs[snapshot] = value
        return self._snapshot_seqs[snapshot]

    def _pull(
        self, session: Session, admin: duckdb.DuckDBPyConnection, label_set_id: int, since: int
    ) -> None:
        state = session.execute(
            select(
                LabelStateRow.item_key,
                LabelStateRow.labels,
                LabelStateRow.annotator,
                LabelStateRow.labeled_at,
                LabelStateRow.source,
                LabelStateRow.status,
                LabelStateRow.model_version,
                LabelStateRow.score,
                LabelStateRow.seq,
            ).where(LabelStateRow.label_set_id == label_set_id, LabelStateRow.seq > since)
        ).all()
        if state:
            columns: dict[str, list] = {name: [] for name in _OVERLAY_NAMES}
            for key, labels, annotator, at, source, status, version, score, seq in state:
                values = json.loads(labels) if labels is not None else None
                columns["item_key"].append(key)
                columns["label"].append(values[0] if values else None)
                columns["labels"].append(values)
                columns["annotator"].append(annotator)
                columns["labeled_at"].append(at.replace(tzinfo=None) if at else None)
                columns["source"].append(source)
                columns["status"].append(status)
                columns["model_version"].append(version)
                columns["score"].append(score)
                columns["seq"].append(seq)
                columns["present"].append(values is not None)
            _replace(
                admin,
                overlay_table(label_set_id),
                columns,
                ("item_key", "annotator", "source"),
                overlay=True,
            )
        skips = session.execute(
            select(
                LabelSkipRow.item_key, LabelSkipRow.annotator, LabelSkipRow.active, LabelSkipRow.seq
            ).where(LabelSkipRow.label_set_id == label_set_id, LabelSkipRow.seq > since)
        ).all()
        if skips:
            columns = {name: [row[i] for row in skips] for i, name in enumerate(_SKIP_NAMES)}
            _replace(
                admin, skips_table(label_set_id), columns, ("item_key", "annotator"), overlay=False
            )
