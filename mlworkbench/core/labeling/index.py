"""The ordered key index of a label set's items, kept in this process's DuckDB.

Paging a million items by ``ORDER BY key LIMIT .. OFFSET ..`` sorts them all (with every shown
column) for each page: about a second. Instead each process sorts the keys once per change of
the data (``mlwb_labels.idx_<id>``: position, key as text, key as typed) and pages by position:
a page far in is a range read of that table, then a join that fetches only its rows from the
source. The index lives in DuckDB, which spills it under its memory limit; Python never holds it.
"""

from __future__ import annotations

import threading
import uuid
from dataclasses import dataclass

from mlworkbench.core.data.engine import Engine
from mlworkbench.core.data.identifiers import quote
from mlworkbench.core.errors import InvalidRequestError
from mlworkbench.core.labeling.source import ITEM_KEY, ItemSource
from mlworkbench.core.labeling.views import SCHEMA, index_table

DUPLICATE_EXAMPLES = 5


OUTSIDE_LIMIT = 10_000  # keys outside the items kept in memory; past it, progress joins
CHANGED_LIMIT = 50  # changed keys looked up one by one; past it, one join checks them all


@dataclass(frozen=True)
class KeyIndex:
    """A built index: its table, how many items it holds, the key's DuckDB type."""

    table: str
    total: int
    native_type: str


@dataclass
class _Outside:
    version: tuple
    checked_seq: int
    keys: set[str] | None  # None: too many to keep


class KeyIndexes:
    """The indexes of this process, rebuilt when the data (not the labels) changed.

    Args:
        engine: The process's DuckDB.
    """

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._built: dict[int, tuple[tuple, KeyIndex]] = {}
        self._outside: dict[int, _Outside] = {}
        self._locks: dict[int, threading.Lock] = {}
        self._guard = threading.Lock()

    def get(self, label_set_id: int, source: ItemSource, created: object = None) -> KeyIndex:
        """The index of a label set's items, built or rebuilt if needed.

        Raises:
            InvalidRequestError: The key column repeats a value or holds NULL (examples named).
            QueryError: The source query fails.
        """
        self._engine.refresh()
        version = (source.sql, source.key, created, self._engine.data_signature)
        built = self._built.get(label_set_id)
        if built is not None and built[0] == version:
            return built[1]
        with self._guard:
            lock = self._locks.setdefault(label_set_id, threading.Lock())
        with lock:
            built = self._built.get(label_set_id)
            if built is not None and built[0] == version:
                return built[1]
            index = self._build(label_set_id, source)
            self._built[label_set_id] = (version, index)
            return index

    def find(self, index: KeyIndex, key: str) -> tuple[bool, object]:
        """Whether ``key`` is an item, and its typed value.

        The index is sorted by the typed key, so a lookup by it reads one row group (~1 ms at a
        million items) where comparing the text reads them all.
        """
        with self._engine.cursor(refresh=False) as cursor:
            rows = cursor.execute(
                f"SELECT native FROM {index.table} WHERE native = "
                f"TRY_CAST($key AS {index.native_type}) AND item_key = $key LIMIT 1",
                {"key": key},
            ).fetchall()
            if not rows:  # a type the text does not cast back to: compare the text
                rows = cursor.execute(
                    f"SELECT native FROM {index.table} WHERE item_key = $key LIMIT 1",
                    {"key": key},
                ).fetchall()
        return (True, rows[0][0]) if rows else (False, None)

    def outside(
        self, label_set_id: int, index: KeyIndex, *, labels: str, skips: str, overlay: str
    ) -> list[str] | None:
        """Labeled or skipped keys that are not items (the query changed, or a pull brought
        them), kept per process and brought up to date by looking up only the keys changed
        since, so progress needs no join with the million items.

        Args:
            label_set_id: The label set.
            index: Its key index (current).
            labels: Its SQL table.
            skips: Its in-memory skips table (every skip, with ``seq``).
            overlay: Its in-memory changed rows (with ``seq``).

        Returns:
            The keys, or None when there are too many to keep (count with a join instead).
        """
        with self._guard:
            lock = self._locks.setdefault(label_set_id, threading.Lock())
        with lock:
            return self._update_outside(label_set_id, index, labels, skips, overlay)

    def _update_outside(
        self, label_set_id: int, index: KeyIndex, labels: str, skips: str, overlay: str
    ) -> list[str] | None:
        seq, snapshot_seq = self._engine.label_views.seen(label_set_id)
        version = self._built.get(label_set_id, ((), None))[0]
        state = self._outside.get(label_set_id)
        with self._engine.cursor(refresh=False) as cursor:
            changed: list[str] | None = None
            if (
                state is not None
                and state.version == version
                and state.keys is not None
                and state.checked_seq >= snapshot_seq  # what compaction pruned was seen
            ):
                if seq == state.checked_seq:
                    return sorted(state.keys)
                changed = [
                    r[0]
                    for r in cursor.execute(
                        f"SELECT DISTINCT item_key FROM (SELECT item_key, seq FROM {overlay} "
                        f"UNION ALL SELECT item_key, seq FROM {skips}) WHERE seq > $seen "
                        f"LIMIT {CHANGED_LIMIT + 1}",
                        {"seen": state.checked_seq},
                    ).fetchall()
                ]
            if changed is not None and len(changed) <= CHANGED_LIMIT:
                keys = state.keys
                for key in changed:
                    found, _ = self.find(index, key)
                    (keys.discard if found else keys.add)(key)
            else:
                rows = cursor.execute(
                    f"SELECT DISTINCT item_key FROM (SELECT item_key FROM {labels} "
                    f"UNION ALL SELECT item_key FROM {skips}) "
                    f"WHERE item_key NOT IN (SELECT item_key FROM {index.table}) "
                    f"LIMIT {OUTSIDE_LIMIT + 1}"
                ).fetchall()
                keys = {r[0] for r in rows} if len(rows) <= OUTSIDE_LIMIT else None
        self._outside[label_set_id] = _Outside(version=version, checked_seq=seq, keys=keys)
        return None if keys is None else sorted(keys)

    def check(self, source: ItemSource) -> tuple[KeyIndex, int]:
        """Refuse a source whose key column repeats or holds NULL, building its index under a
        temporary name: give it to :meth:`adopt` once the label set exists, else :meth:`discard`.

        Returns:
            The index, and the data it was built over (see :meth:`get`).

        Raises:
            InvalidRequestError: Naming up to five repeated values and how often each occurs.
        """
        self._engine.refresh()
        signature = self._engine.data_signature
        token = f"check_{uuid.uuid4().hex[:12]}"
        try:
            return self._build(token, source), signature
        except BaseException:
            self.drop(token)
            raise

    def adopt(
        self, checked: tuple[KeyIndex, int], label_set_id: int, sql: str, key: str, created
    ) -> None:
        """Make a checked index the label set's own, so its first page does not sort the
        keys again (rebuilt by :meth:`get` if the data changed meanwhile)."""
        index, signature = checked
        table = index_table(label_set_id)
        with self._guard:
            lock = self._locks.setdefault(label_set_id, threading.Lock())
        with lock, self._engine.cursor(refresh=False) as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {table}").fetchall()
            cursor.execute(
                f"ALTER TABLE {index.table} RENAME TO {table.split('.', 1)[1]}"
            ).fetchall()
            self._outside.pop(label_set_id, None)
            self._built[label_set_id] = (
                (sql, key, created, signature),
                KeyIndex(table=table, total=index.total, native_type=index.native_type),
            )

    def discard(self, checked: tuple[KeyIndex, int]) -> None:
        with self._engine.cursor(refresh=False) as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {checked[0].table}").fetchall()

    def drop(self, label_set_id: int | str) -> None:
        self._built.pop(label_set_id, None)
        self._outside.pop(label_set_id, None)
        with self._engine.cursor(refresh=False) as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {index_table(label_set_id)}").fetchall()

    def _build(self, label_set_id: int | str, source: ItemSource) -> KeyIndex:
        table = index_table(label_set_id)
        k = quote(source.key)
        with source.cursor() as cursor:
            cursor.execute(f"CREATE SCHEMA IF NOT EXISTS {SCHEMA}").fetchall()
            source.execute(
                cursor,
                f"""SELECT row_number() OVER (ORDER BY {k}, {ITEM_KEY}) - 1 AS pos,
                           {ITEM_KEY} AS item_key, {k} AS native
                    FROM src ORDER BY pos""",
                prefix_sql=f"CREATE OR REPLACE TABLE {table} AS ",
            ).fetchall()
            repeated = cursor.execute(
                f"SELECT item_key, count(*) AS n FROM {table} GROUP BY ALL HAVING n > 1 "
                f"ORDER BY n DESC, item_key NULLS FIRST LIMIT {DUPLICATE_EXAMPLES}"
            ).fetchall()
            total = cursor.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0]
            native_type = cursor.execute(
                f"SELECT data_type FROM duckdb_columns() WHERE schema_name = '{SCHEMA}' "
                f"AND table_name = $t AND column_name = 'native'",
                {"t": table.split(".", 1)[1]},
            ).fetchall()[0][0]
        _check_unique(source.key, repeated)
        return KeyIndex(table=table, total=total, native_type=native_type)


def _check_unique(key: str, repeated: list[tuple]) -> None:
    if not repeated:
        return
    examples = [{"key": value, "rows": n} for value, n in repeated]
    if repeated[0][0] is None and len(repeated) == 1:
        raise InvalidRequestError(
            "key",
            f"The key column {quote(key)} is NULL in {repeated[0][1]} rows; every item needs "
            "a key.",
            null_keys=repeated[0][1],
        )
    shown = ", ".join(
        f"{'NULL' if value is None else repr(value)} ({n} rows)" for value, n in repeated
    )
    raise InvalidRequestError(
        "key",
        f"The key column {quote(key)} does not identify one item per row: {shown}. Choose a "
        "unique key column, or make one in the query (e.g. row_number() OVER ()).",
        examples=examples,
    )
