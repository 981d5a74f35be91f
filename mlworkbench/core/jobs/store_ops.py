"""Reads and writes of job runs in the metadata store, shared by ``Jobs`` (any process that opens
the workspace) and the runner process.

Writes go through the store's write engine (``BEGIN IMMEDIATE``, a long busy timeout) but not
``Store.write``: a run's status changes are not catalog changes, so they must not make every
process refresh its DuckDB views.
"""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from mlworkbench.core.jobs.rows import FINISHED, JobRow, JobRunRow, SchedulerLeaseRow
from mlworkbench.core.workspace.store import Store, utcnow


def run_dir(workspace: Path, run_id: int) -> Path:
    """Where run ``run_id`` keeps its log, spec, recorded values and (by default) outputs."""
    return workspace / "jobs" / "runs" / str(run_id)


class RunStore:
    """Job runs in one metadata store."""

    def __init__(self, store: Store) -> None:
        self.store = store

    @contextmanager
    def _write(self) -> Iterator[Session]:
        with Session(self.store.write_engine, expire_on_commit=False) as session, \
                session.begin():
            yield session

    def insert(self, **fields: Any) -> int:
        with self._write() as session:
            row = JobRunRow(status="queued", attempt=0, cancel_requested=False, recorded="{}",
                            created_at=utcnow(), **fields)
            session.add(row)
            session.flush()
            return row.id

    def get(self, run_id: int) -> JobRunRow | None:
        with self.store.read() as session:
            return session.get(JobRunRow, run_id)

    def list(self, *, job_id: int | None = None, limit: int = 50,
             finished_after: datetime | None = None) -> list[JobRunRow]:
        """Runs, newest first: only ``job_id``'s, only those that ended after
        ``finished_after``, when given."""
        query = select(JobRunRow).order_by(JobRunRow.id.desc()).limit(limit)
        if job_id is not None:
            query = query.where(JobRunRow.job_id == job_id)
        if finished_after is not None:
            query = query.where(JobRunRow.status.in_(FINISHED),
                                JobRunRow.ended_at > finished_after)
        with self.store.read() as session:
            return list(session.scalars(query))

    def job_names(self, job_ids: set[int | None]) -> dict[int, str]:
        """The names of the jobs ``job_ids`` (deleted jobs and None are left out)."""
        wanted = {i for i in job_ids if i is not None}
        if not wanted:
            return {}
        with self.store.read() as session:
            rows = session.execute(select(JobRow.id, JobRow.name).where(JobRow.id.in_(wanted)))
            return {job_id: name for job_id, name in rows}

    def lease(self) -> tuple[str | None, datetime | None]:
        """The scheduler lease: who holds it and until when (None, None: nobody yet)."""
        with self.store.read() as session:
            row = session.get(SchedulerLeaseRow, 1)
        return (None, None) if row is None else (row.holder, row.expires_at)

    def update(self, run_id: int, **fields: Any) -> None:
        with self._write() as session:
            session.execute(update(JobRunRow).where(JobRunRow.id == run_id).values(**fields))

    def start(self, run_id: int, pid: int) -> bool:
        """queued -> running by this process; False when the run is no longer queued."""
        with self._write() as session:
            done = session.execute(
                update(JobRunRow)
                .where(JobRunRow.id == run_id, JobRunRow.status == "queued",
                       JobRunRow.cancel_requested.is_(False))
                .values(status="running", pid=pid, host=socket.gethostname(),
                        started_at=utcnow())
            )
            if done.rowcount:
                return True
            session.execute(  # stopped while queued
                update(JobRunRow)
                .where(JobRunRow.id == run_id, JobRunRow.status == "queued")
                .values(status="cancelled", exit_reason="Stopped before it started.",
                        ended_at=utcnow())
            )
            return False

    def finish(self, run_id: int, status: str, reason: str | None, error: dict | None,
               values: dict) -> None:
        """Record the outcome, unless the run already has one."""
        fields: dict[str, Any] = {"status": status, "exit_reason": reason, "ended_at": utcnow(),
                                  "recorded": json.dumps(values, default=str)}
        if error:
            fields.update(failed_cell=error.get("cell"), traceback=error.get("traceback"))
        with self._write() as session:
            session.execute(update(JobRunRow)
                            .where(JobRunRow.id == run_id, JobRunRow.status.not_in(FINISHED))
                            .values(**fields))

    def cancel_requested(self, run_id: int) -> bool:
        with self.store.read() as session:
            return bool(session.scalar(select(JobRunRow.cancel_requested)
                                       .where(JobRunRow.id == run_id)))
