"""Result sessions: open, page, sort, filter, save, export and close query results.

Sessions expire after ``ttl_seconds`` without use, and at most ``max_results`` stay open (the
least recently used goes first). Each one holds its rows in DuckDB, never in Python.
"""

from __future__ import annotations

import queue
import threading
import time
import uuid
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from mlworkbench.core.data.engine import Engine
from mlworkbench.core.data.export import export as export_table
from mlworkbench.core.data.session import ResultSession
from mlworkbench.core.data.sorting import FIRST_ROWS, TOPN_ROWS
from mlworkbench.core.data.statements import Parameters, Statement
from mlworkbench.core.errors import NotFoundError
from mlworkbench.schemas import (
    DescribeResult,
    DescribeTable,
    ExportFormat,
    FetchPageRequest,
    QueryPage,
    ResultStatus,
    SaveResultRequest,
)

if TYPE_CHECKING:
    from mlworkbench.core.workspace.tables import Tables


class Results:
    """The open result sessions of this process.

    Args:
        engine: The workspace's DuckDB.
        tables: Where saved results go.
        ttl_seconds: Idle time after which a session is dropped.
        max_results: Sessions kept at once.

    Attributes:
        topn_rows: Sorted/filtered windows ending within this many rows are answered by a
            top-N query; deeper ones build a full sorted copy (for new sessions).
        first_rows: Rows a sort's first top-N keeps (for new sessions).
    """

    def __init__(
        self, engine: Engine, tables: Tables, *, ttl_seconds: float = 1800, max_results: int = 32
    ) -> None:
        self.topn_rows = TOPN_ROWS
        self.first_rows = FIRST_ROWS
        self._engine = engine
        self._tables = tables
        self._ttl = ttl_seconds
        self._max = max(1, max_results)
        self._sessions: dict[str, ResultSession] = {}
        self._lock = threading.Lock()
        self._evicted: queue.Queue[ResultSession | None] = queue.Queue()  # closed by _closer
        self._closer: threading.Thread | None = None

    def open(
        self,
        cursor: duckdb.DuckDBPyConnection,
        statement: Statement,
        *,
        sql: str,
        parameters: Parameters,
        page_size: int,
        query_id: str,
    ) -> tuple[ResultSession, list]:
        """Turn the last statement of a run into a session; takes ownership of ``cursor``.

        Args:
            cursor: The cursor the run's earlier statements used.
            statement: The statement whose result is kept.
            sql: The whole submitted text (errors point into it).
            parameters: The run's parameters.
            page_size: Rows in the first page.
            query_id: The run's id.

        Returns:
            The new session and its first page.

        Raises:
            QueryError, QueryCancelledError, UnsupportedError: The statement failed.
        """
        session = ResultSession(
            id=uuid.uuid4().hex,
            query_id=query_id,
            sql=sql,
            engine=self._engine,
            parameters=parameters,
            topn_rows=self.topn_rows,
            first_rows=self.first_rows,
        )
        try:
            if statement.is_select:
                rows = session.open_select(cursor, statement, page_size)
            else:
                rows = session.open_direct(cursor, statement)
                rows = rows[:page_size]
        except BaseException:
            session.close()
            raise
        self._sweep()
        evicted = []
        with self._lock:
            while len(self._sessions) >= self._max:
                oldest = min(self._sessions.values(), key=lambda s: s.last_used)
                evicted.append(self._sessions.pop(oldest.id))
            self._sessions[session.id] = session
        for old in evicted:
            self._close_later(old)
        return session, rows

    def _close_later(self, session: ResultSession) -> None:
        """Close an evicted session on a daemon thread: dropping its tables (and waiting for
        its copy to stop) is no part of the run that evicted it. The thread is started once
        (a start per cell would cost more than the drop) and stopped by :meth:`close_all`."""
        self._evicted.put(session)
        with self._lock:
            if self._closer is None:
                self._closer = threading.Thread(
                    target=self._close_evicted, name="mlwb-results-closer", daemon=True
                )
                self._closer.start()

    def _close_evicted(self) -> None:
        while True:
            session = self._evicted.get()
            try:
                if session is None:  # close_all: stop
                    return
                session.close()  # never raises: dropping a table is quiet
            finally:
                self._evicted.task_done()

    def settle(self) -> None:
        """Wait until every evicted session is closed (its tables dropped)."""
        self._evicted.join()

    def get(self, session_id: str) -> ResultSession:
        """The open session with this id, marked as used now.

        Raises:
            NotFoundError: No such session (never opened, closed or expired).
        """
        self._sweep()
        with self._lock:
            session = self._sessions.get(session_id)
            if session is None:
                raise NotFoundError(
                    "result",
                    session_id,
                    f"No result '{session_id}': it was closed or expired; run the query again.",
                )
            session.last_used = time.monotonic()
            return session

    def describe(self, session_id: str) -> DescribeResult:
        """Columns, row count and status of a result.

        Raises:
            NotFoundError: No such session.
        """
        s = self.get(session_id)
        return DescribeResult(
            session_id=s.id,
            sql=s.sql,
            columns=s.columns,
            total_rows=s.total_rows,
            status=s.status,
            error=s.error,
        )

    def page(self, session_id: str, request: FetchPageRequest) -> QueryPage:
        """A window of a result, sorted and filtered server-side.

        Raises:
            NotFoundError: No such session.
            QueryError: The filter is not a boolean expression over the result's columns.
            InvalidRequestError: A sort column does not exist.
            QueryCancelledError: A newer sort or filter of this result replaced this one while
                its rows were being sorted.
        """
        started = time.perf_counter()
        session = self.get(session_id)
        rows, total = session.page(request.offset, request.limit, request.sort, request.filter)
        page = QueryPage(
            session_id=session.id,
            offset=request.offset,
            rows=[],
            total_rows=total,
            columns=session.columns,
            elapsed_ms=(time.perf_counter() - started) * 1000,
        )
        page.rows = rows  # cells are JSON-safe by construction: validating 20k of them is slow
        return page

    def close(self, session_id: str) -> None:
        """Drop a result and its tables.

        Raises:
            NotFoundError: No such session.
        """
        self.get(session_id)
        with self._lock:
            session = self._sessions.pop(session_id, None)
        if session is not None:
            session.close()

    def save(self, session_id: str, request: SaveResultRequest) -> DescribeTable:
        """Save the whole result (not the current sort or filter) as a new version of a
        workspace table; waits for the result to be materialised.

        Raises:
            NotFoundError: No such session.
            ConflictError: The name exists and ``overwrite`` is false, or a source has it.
        """
        session = self.get(session_id)
        session.wait()
        with session.lock:
            return self._tables.save_select(
                request.name,
                f"SELECT * FROM {session.table}" if session.table else None,
                sql=session.sql,
                overwrite=request.overwrite,
            )

    def export(self, session_id: str, fmt: ExportFormat, dest: Path) -> Path:
        """Write the whole result to ``dest`` as CSV or Parquet (temp name, then rename).

        Returns:
            ``dest``.

        Raises:
            NotFoundError: No such session.
        """
        session = self.get(session_id)
        session.wait()
        with session.lock:
            cursor = self._engine.cursor(refresh=False)
            try:
                source = session.table or "(SELECT NULL WHERE false)"
                return export_table(cursor, source, fmt, Path(dest))
            finally:
                cursor.close()

    def count(self) -> int:
        """How many sessions are open."""
        self._sweep()
        with self._lock:
            return len(self._sessions)

    def counting(self) -> int:
        """How many results are still being copied and counted in the background."""
        with self._lock:
            return sum(s.status is ResultStatus.counting for s in self._sessions.values())

    def close_all(self) -> None:
        """Close every session (when the workspace closes)."""
        with self._lock:
            sessions, self._sessions = list(self._sessions.values()), {}
        for session in sessions:
            session.close()
        with self._lock:
            closer, self._closer = self._closer, None
        if closer is not None:  # it closes what is queued, then stops
            self._evicted.put(None)
            closer.join()

    def _sweep(self) -> None:
        deadline = time.monotonic() - self._ttl
        with self._lock:
            expired = [s for s in self._sessions.values() if s.last_used < deadline]
            for session in expired:
                del self._sessions[session.id]
        for session in expired:
            session.close()
