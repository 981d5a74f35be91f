"""The query history: every query run from the panel, a notebook or the CLI, kept in the
metadata database (table ``query_history``, Alembic revision 0002).

Recording is bookkeeping, never the work itself. A finished run is put on a queue and the
query's answer goes out at once; one background thread per workspace writes what is queued (one
INSERT, or one transaction for a burst) on an engine that waits at most two seconds for the
database lock, does not fsync each commit (WAL with synchronous=NORMAL) and does not bump the
catalog generation. When it cannot write (the database is locked, the disk is full), it logs and
drops the entry. Reading the history first waits for this process's queue, and closing the
workspace flushes it, so the CLI's last query is written before it exits. The history keeps the
newest ``MAX_ENTRIES``; older entries are pruned in the same transaction with one range DELETE
on the primary key.
"""

from __future__ import annotations

import json
import logging
import queue
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, func, select, update

from mlworkbench.core.errors import NotFoundError, QueryCancelledError, QueryError, WorkbenchError
from mlworkbench.core.workspace.store import HistoryRow, Store, utcnow
from mlworkbench.schemas import (
    ClearHistoryResponse,
    DescribeHistoryEntry,
    HistoryPage,
    ListHistoryRequest,
    QuerySource,
    QueryStatus,
    RecordQueryRequest,
)

MAX_ENTRIES = 10_000
ROWS_LATER_SECONDS = 600.0  # how long a row count still being counted is waited for
ROWS_POLL_SECONDS = 0.5

RowsLater = Callable[[], "int | None"]
MAX_SQL_CHARS = 100_000  # a generated 10 MB INSERT is not worth keeping whole

log = logging.getLogger(__name__)


@dataclass
class Tracked:
    """What :meth:`History.track` learns while its block runs: set ``rows`` when known, or
    ``rows_later`` to a function that returns the count once it is known (None until then)."""

    rows: int | None = None
    query_id: str | None = None
    rows_later: RowsLater | None = None
    started: float = field(default_factory=time.perf_counter)


class History:
    """Record, list and forget history entries.

    Args:
        store: The workspace's metadata store.
        max_entries: How many entries are kept; the oldest go first.
    """

    def __init__(self, store: Store, *, max_entries: int = MAX_ENTRIES) -> None:
        self._store = store
        self.max_entries = max_entries
        self._queue: queue.Queue[RecordQueryRequest | None] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._thread_lock = threading.Lock()

    def record(self, entry: RecordQueryRequest, rows_later: RowsLater | None = None) -> None:
        """Queue one finished run for the writer thread; returns at once and never raises.

        Args:
            entry: The run.
            rows_later: For a result still being counted: returns its row count once known
                (None until then); the writer fills the count in when it comes, within
                ``ROWS_LATER_SECONDS``.
        """
        self._queue.put((entry, rows_later))
        with self._thread_lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(
                    target=self._write_queued, name="mlworkbench-history", daemon=True
                )
                self._thread.start()

    def flush(self) -> None:
        """Wait until every run queued by this process is written (or dropped)."""
        if self._thread is not None:
            self._queue.join()

    def close(self) -> None:
        """Flush, then stop the writer thread."""
        with self._thread_lock:
            thread, self._thread = self._thread, None
        if thread is not None and thread.is_alive():
            self._queue.put(None)
            thread.join()

    def _write_queued(self) -> None:
        later: list[tuple[int, RowsLater, float]] = []  # (entry id, count, deadline)
        while True:
            try:
                batch = [self._queue.get(timeout=ROWS_POLL_SECONDS if later else None)]
            except queue.Empty:
                batch = []
            while batch and len(batch) < 100 and batch[-1] is not None:
                try:
                    batch.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            items = [item for item in batch if item is not None]
            try:
                if items:
                    ids = self._insert([entry for entry, _ in items])
                    deadline = time.monotonic() + ROWS_LATER_SECONDS
                    later += [(i, fn, deadline) for i, (_, fn) in zip(ids, items) if fn]
                if later:
                    later = self._fill_rows(later)
            except Exception as error:  # bookkeeping must never fail the work it records
                log.warning("mlworkbench: could not record %d queries in the history: %s",
                            len(items), error)
            finally:
                for _ in batch:
                    self._queue.task_done()
            if batch and batch[-1] is None:
                return

    def _fill_rows(
        self, later: list[tuple[int, RowsLater, float]]
    ) -> list[tuple[int, RowsLater, float]]:
        """Write the row counts that are known now; keep waiting for the others."""
        known, waiting, now = {}, [], time.monotonic()
        for entry_id, count, deadline in later:
            try:
                rows = count()
            except Exception:  # the result is gone: its count will never come
                continue
            if rows is not None:
                known[entry_id] = rows
            elif now < deadline:
                waiting.append((entry_id, count, deadline))
        if known:
            with self._store.write_quick() as session:
                for entry_id, rows in known.items():
                    session.execute(
                        update(HistoryRow).where(HistoryRow.id == entry_id).values(rows=rows)
                    )
        return waiting

    def _insert(self, entries: list[RecordQueryRequest]) -> list[int]:
        rows = [
            HistoryRow(
                sql=e.sql[:MAX_SQL_CHARS],
                parameters=None if e.parameters is None else json.dumps(e.parameters, default=str),
                started_at=e.started_at,
                duration_ms=e.duration_ms,
                rows=e.rows,
                status=e.status.value,
                error=e.error,
                error_line=e.error_line,
                error_column=e.error_column,
                source=e.source.value,
                query_id=e.query_id,
            )
            for e in entries
        ]
        with self._store.write_quick() as session:
            session.add_all(rows)
            session.flush()
            newest = max(r.id for r in rows)
            session.execute(delete(HistoryRow).where(HistoryRow.id <= newest - self.max_entries))
        return [r.id for r in rows]

    @contextmanager
    def track(
        self,
        sql: str,
        parameters: Any = None,
        *,
        source: QuerySource = QuerySource.panel,
        query_id: str | None = None,
    ) -> Iterator[Tracked]:
        """Time the block and record it when it ends: ok, error (with line and column from a
        QueryError) or cancelled. The block's exception is re-raised untouched.

        Example (a magic recording a cell)::

            with ws.history.track(sql, values, source=QuerySource.notebook) as run:
                ...
                run.rows = total_rows

        Yields:
            A :class:`Tracked` whose ``rows`` and ``query_id`` the block may set.
        """
        started_at = utcnow()
        run = Tracked(query_id=query_id)
        status, message, line, column = QueryStatus.ok, None, None, None
        try:
            yield run
        except QueryCancelledError:
            status = QueryStatus.cancelled
            raise
        except QueryError as error:
            status, message = QueryStatus.error, error.message
            line, column = error.line, error.column
            raise
        except WorkbenchError as error:
            status, message = QueryStatus.error, error.message
            raise
        except KeyboardInterrupt:
            status = QueryStatus.cancelled
            raise
        except Exception as error:
            status, message = QueryStatus.error, str(error) or type(error).__name__
            raise
        finally:
            try:
                entry = RecordQueryRequest(
                    sql=sql,
                    parameters=parameters,
                    started_at=started_at,
                    duration_ms=(time.perf_counter() - run.started) * 1000,
                    rows=run.rows,
                    status=status,
                    error=message,
                    error_line=line,
                    error_column=column,
                    source=source,
                    query_id=run.query_id,
                )
            except Exception as error:
                log.warning("mlworkbench: could not record the query in the history: %s", error)
            else:
                self.record(entry, run.rows_later if run.rows is None else None)

    def list(self, request: ListHistoryRequest | None = None) -> HistoryPage:
        """A page of entries, newest first.

        Args:
            request: Paging, a text to search the SQL for (case-insensitive) and a status.

        Returns:
            The page and how many entries match in all.
        """
        request = request or ListHistoryRequest()
        self.flush()
        conditions = []
        if request.q:
            pattern = request.q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            conditions.append(HistoryRow.sql.ilike(f"%{pattern}%", escape="\\"))
        if request.status is not None:
            conditions.append(HistoryRow.status == request.status.value)
        with self._store.read() as session:
            total = session.scalar(select(func.count(HistoryRow.id)).where(*conditions)) or 0
            rows = session.scalars(
                select(HistoryRow)
                .where(*conditions)
                .order_by(HistoryRow.id.desc())
                .offset(request.offset)
                .limit(request.limit)
            ).all()
        return HistoryPage(
            entries=[_describe(r) for r in rows],
            total=total,
            offset=request.offset,
            limit=request.limit,
        )

    def get(self, entry_id: int) -> DescribeHistoryEntry:
        """One entry.

        Raises:
            NotFoundError: No entry with this id (never recorded, deleted or pruned).
        """
        self.flush()
        with self._store.read() as session:
            row = session.get(HistoryRow, entry_id)
        if row is None:
            raise NotFoundError("history entry", str(entry_id))
        return _describe(row)

    def delete(self, entry_id: int) -> None:
        """Forget one entry.

        Raises:
            NotFoundError: No entry with this id.
        """
        self.flush()
        with self._store.write_quick() as session:
            deleted = session.execute(delete(HistoryRow).where(HistoryRow.id == entry_id))
        if not deleted.rowcount:
            raise NotFoundError("history entry", str(entry_id))

    def clear(self) -> ClearHistoryResponse:
        """Forget every entry.

        Returns:
            How many were removed.
        """
        self.flush()
        with self._store.write_quick() as session:
            deleted = session.execute(delete(HistoryRow))
        return ClearHistoryResponse(deleted=deleted.rowcount or 0)


def _describe(row: HistoryRow) -> DescribeHistoryEntry:
    return DescribeHistoryEntry(
        id=row.id,
        sql=row.sql,
        parameters=json.loads(row.parameters) if row.parameters else None,
        started_at=row.started_at,
        duration_ms=row.duration_ms,
        rows=row.rows,
        status=QueryStatus(row.status),
        error=row.error,
        error_line=row.error_line,
        error_column=row.error_column,
        source=QuerySource(row.source),
        query_id=row.query_id,
    )
