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


@dataclass(frozen=True)
class KeyIndex:
    """A built index: its table and how many items it holds."""

    table: str
    total: int


class KeyIndexes:
    """The indexes of this process, rebuilt when the data (not the labels) changed.

    Args:
        engine: The process's DuckDB.
    """

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._built: dict[int, tuple[tuple, KeyIndex]] = {}
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

    def check(self, source: ItemSource) -> None:
        """Refuse a source whose key column repeats or holds NULL (building a throwaway index).

        Raises:
            InvalidRequestError: Naming up to five repeated values and how often each occurs.
        """
        token = f"check_{uuid.uuid4().hex[:12]}"
        try:
            self._build(token, source)
        finally:
            self.drop(token)

    def drop(self, label_set_id: int | str) -> None:
        self._built.pop(label_set_id, None)
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
        _check_unique(source.key, repeated)
        return KeyIndex(table=table, total=total)


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
