"""The query history: every query run from the panel, a notebook or the CLI, kept in the
metadata database (table ``query_history``, Alembic revision 0002).

Recording is bookkeeping, never the work itself: one INSERT after the query ends, on an engine
that waits at most two seconds for the database lock and does not bump the catalog generation.
When it cannot write (the database is locked, the disk is full), it logs and the query's answer
goes out as if nothing happened. The history keeps the newest ``MAX_ENTRIES``; older entries are
pruned by the same INSERT's transaction with one range DELETE on the primary key.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, func, select

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
MAX_SQL_CHARS = 100_000  # a generated 10 MB INSERT is not worth keeping whole

log = logging.getLogger(__name__)


@dataclass
class Tracked:
    """What :meth:`History.track` learns while its block runs; set ``rows`` when known."""

    rows: int | None = None
    query_id: str | None = None
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

    def record(self, entry: RecordQueryRequest) -> int | None:
        """Keep one finished run. Never raises: a failure to write is logged and ignored.

        Args:
            entry: The run.

        Returns:
            The new entry's id, or None when it could not be written.
        """
        try:
            return self._insert(entry)
        except Exception as error:  # bookkeeping must never fail the work it records
            log.warning("mlworkbench: could not record the query in the history: %s", error)
            return None

    def _insert(self, entry: RecordQueryRequest) -> int:
        parameters = None
        if entry.parameters is not None:
            parameters = json.dumps(entry.parameters, default=str)
        row = HistoryRow(
            sql=entry.sql[:MAX_SQL_CHARS],
            parameters=parameters,
            started_at=entry.started_at,
            duration_ms=entry.duration_ms,
            rows=entry.rows,
            status=entry.status.value,
            error=entry.error,
            error_line=entry.error_line,
            error_column=entry.error_column,
            source=entry.source.value,
            query_id=entry.query_id,
        )
        with self._store.write_quick() as session:
            session.add(row)
            session.flush()
            session.execute(delete(HistoryRow).where(HistoryRow.id <= row.id - self.max_entries))
        return row.id

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
            status, message, line, column = QueryStatus.error, error.message, error.line, error.column
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
                self.record(entry)

    def list(self, request: ListHistoryRequest | None = None) -> HistoryPage:
        """A page of entries, newest first.

        Args:
            request: Paging, a text to search the SQL for (case-insensitive) and a status.

        Returns:
            The page and how many entries match in all.
        """
        request = request or ListHistoryRequest()
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
        with self._store.write_quick() as session:
            deleted = session.execute(delete(HistoryRow).where(HistoryRow.id == entry_id))
        if not deleted.rowcount:
            raise NotFoundError("history entry", str(entry_id))

    def clear(self) -> ClearHistoryResponse:
        """Forget every entry.

        Returns:
            How many were removed.
        """
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
