"""The scheduler: fires the runs of scheduled jobs when their cron time comes.

Any number of processes may run a ``Scheduler`` on the same workspace (the server extension,
``mlworkbench scheduler``); only the holder of the lease (one row of the metadata, renewed every
tick, taken over when it expired) fires, so a run starts once. Each tick, for every unpaused
scheduled job, the cron times since the job last fired are due:

- catch-up ``once`` fires the latest due time only, ``all`` fires each, ``skip`` fires the latest
  only if it is no older than ``grace_seconds`` (a scheduler that was down skips what it missed);
- when a run of the job is still queued or running, overlap ``skip`` fires nothing and ``queue``
  records a queued run, started when the one before it ends.

The job's ``last_fired_for`` moves before its runs are recorded: a crash in between loses that
firing rather than doubling it.
"""

from __future__ import annotations

import json
import os
import socket
import threading
import uuid
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import select

from mlworkbench.core.errors import WorkbenchError
from mlworkbench.core.jobs.rows import JobRow, JobRunRow, SchedulerLeaseRow
from mlworkbench.core.jobs.schedule import fire_times, parse_schedule
from mlworkbench.core.workspace.store import utcnow

if TYPE_CHECKING:
    from mlworkbench.core.workspace.workspace import Workspace

MAX_CATCH_UP = 1000  # due times read per job and tick


class Scheduler:
    """Fires scheduled jobs of ``workspace`` while it holds the lease.

    Args:
        workspace: The open workspace.
        holder: This scheduler's name in the lease (default: host, pid and a random part).
        lease_seconds: How long a lease lasts without renewal.
        grace_seconds: How late a fire time may be under catch-up ``skip``.
    """

    def __init__(self, workspace: Workspace, holder: str | None = None,
                 lease_seconds: float = 30.0, grace_seconds: float = 60.0) -> None:
        self._ws = workspace
        self.holder = holder or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self.lease = timedelta(seconds=lease_seconds)
        self.grace = timedelta(seconds=grace_seconds)

    @property
    def _runs(self):
        return self._ws.jobs.runs

    def acquire(self, now: datetime | None = None) -> bool:
        """Take or renew the lease; True when this scheduler holds it."""
        now = now or utcnow()
        with self._runs._write() as session:
            row = session.get(SchedulerLeaseRow, 1)
            if row is None:
                session.add(SchedulerLeaseRow(id=1, holder=self.holder,
                                              expires_at=now + self.lease))
                return True
            expired = row.expires_at is None or row.expires_at <= now
            if row.holder in (None, self.holder) or expired:
                row.holder, row.expires_at = self.holder, now + self.lease
                return True
            return False

    def release(self) -> None:
        """Give the lease up (another scheduler may take it at once)."""
        with self._runs._write() as session:
            row = session.get(SchedulerLeaseRow, 1)
            if row is not None and row.holder == self.holder:
                row.holder, row.expires_at = None, None

    def tick(self, now: datetime | None = None) -> list[int]:
        """Fire what is due at ``now``; the ids of the runs recorded (started or queued)."""
        now = now or utcnow()
        if not self.acquire(now):
            return []
        with self._runs.store.read() as session:
            jobs = list(session.scalars(select(JobRow).where(JobRow.schedule.is_not(None),
                                                             JobRow.paused.is_(False))))
        fired = []
        for job in jobs:
            fired += self._fire(job, now)
            self._start_queued(job.id)
        return fired

    def run_forever(self, stop: threading.Event, interval: float = 1.0) -> None:
        """Tick every ``interval`` seconds until ``stop`` is set; then release the lease."""
        try:
            while not stop.is_set():
                try:
                    self.tick()
                except Exception as e:  # noqa: BLE001 (a bad tick must not end the loop)
                    print(f"mlworkbench scheduler: {type(e).__name__}: {e}")
                stop.wait(interval)
        finally:
            self.release()

    def _fire(self, job: JobRow, now: datetime) -> list[int]:
        since = job.last_fired_for or job.created_at
        cron = parse_schedule(job.schedule).cron
        due = fire_times(cron, job.timezone, since, until=now, count=MAX_CATCH_UP)
        if not due:
            return []
        if job.catch_up == "all":
            chosen = due
        elif job.catch_up == "skip":
            chosen = [due[-1]] if now - due[-1] <= self.grace else []
        else:
            chosen = [due[-1]]
        with self._runs._write() as session:
            session.get(JobRow, job.id).last_fired_for = due[-1]
        fired = []
        for moment in chosen:
            active = self._active(job.id)
            if active and job.overlap == "skip":
                continue
            run_id = self._record(job, moment, start=not active)
            if run_id is not None:
                fired.append(run_id)
        return fired

    def _record(self, job: JobRow, moment: datetime, *, start: bool) -> int | None:
        jobs = self._ws.jobs
        options = {"kernel": job.kernel, "timeout": job.timeout_seconds,
                   "retries": job.retries, "retry_backoff": job.retry_backoff_seconds,
                   "output_dir": job.output_dir, "job_id": job.id, "scheduled_for": moment}
        try:
            run_id = jobs.enqueue(job.notebook, json.loads(job.parameters), **options)
        except WorkbenchError as e:  # the notebook went away since the job was saved, ...
            run_id = self._runs.insert(
                job_id=job.id, notebook=job.notebook, kernel=job.kernel,
                parameters=job.parameters, output_dir=job.output_dir,
                timeout_seconds=job.timeout_seconds, retries=job.retries,
                retry_backoff_seconds=job.retry_backoff_seconds, scheduled_for=moment)
            self._runs.finish(run_id, "failed", f"Could not start: {e.message}", None, {})
            return run_id
        if start:
            jobs.start(run_id)
        return run_id

    def _active(self, job_id: int) -> bool:
        return any(not r.finished for r in self._ws.jobs.list_runs(job_id=job_id, limit=20))

    def _start_queued(self, job_id: int) -> None:
        """Start the oldest queued run of the job when none of its runs is running."""
        with self._runs.store.read() as session:
            rows = list(session.scalars(
                select(JobRunRow).where(JobRunRow.job_id == job_id,
                                        JobRunRow.status.in_(("queued", "running")))
                .order_by(JobRunRow.id)))
        if rows and all(r.status == "queued" and r.pid is None for r in rows):
            self._ws.jobs.start(rows[0].id)
