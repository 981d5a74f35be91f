"""The scheduler: fires the runs of scheduled jobs when their cron time comes.

Any number of processes may run a ``Scheduler`` on the same workspace (the server extension,
``mlworkbench scheduler``); only the holder of the lease (one row of the metadata, renewed every
tick, taken over when it expired) fires, so a run starts once. Each tick, for every unpaused
scheduled job, the cron times since the job last fired are due:

- catch-up ``once`` fires the latest due time only, ``all`` fires each, ``skip`` fires the latest
  only if it is no older than ``grace_seconds`` (a scheduler that was down skips what it missed);
- when a run of the job is still queued or running, overlap ``skip`` fires nothing and ``queue``
  records a queued run, started when the one before it ends.

The job's ``last_fired_for`` moves before its runs are recorded, and only from the value the tick
read (compare and set): a crash in between loses that firing rather than doubling it, and two
schedulers that both think they hold the lease (a holder stalled past its lease) fire it once.

``SchedulerThread`` runs the loop in a daemon thread (the server extension's scheduler).
"""

from __future__ import annotations

import json
import os
import socket
import threading
import uuid
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import select, update

from mlworkbench.core.errors import WorkbenchError
from mlworkbench.core.jobs.rows import JobRow, JobRunRow, SchedulerLeaseRow
from mlworkbench.core.jobs.schedule import fire_times, parse_schedule
from mlworkbench.core.workspace.store import utcnow

if TYPE_CHECKING:
    from mlworkbench.core.workspace.workspace import Workspace

MAX_CATCH_UP = 1000  # due times read per job and tick
QUEUE_POLL_SECONDS = 0.2  # between ticks while queued runs wait for the one before them


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
        """Tick every ``interval`` seconds until ``stop`` is set; then release the lease. When
        a job is due sooner than that, the next tick comes at its fire time, not up to an
        interval late."""
        _warm_up()
        try:
            while not stop.is_set():
                wait = interval
                try:
                    self.tick()
                    wait = self._until_next_due(interval)
                except Exception as e:  # noqa: BLE001 (a bad tick must not end the loop)
                    print(f"mlworkbench scheduler: {type(e).__name__}: {e}", flush=True)
                stop.wait(wait)
        finally:
            try:
                self.release()
            except Exception:  # noqa: BLE001, S110 (the workspace is closing; the lease expires)
                pass

    def _until_next_due(self, interval: float) -> float:
        """Seconds to the next tick: ``interval``, or less when a fire time comes sooner, and
        at most ``QUEUE_POLL_SECONDS`` while runs wait in a queue (the next one starts as soon
        as the one before it ended)."""
        now = utcnow()
        horizon = now + timedelta(seconds=interval)
        with self._runs.store.read() as session:
            jobs = list(session.execute(
                select(JobRow.schedule, JobRow.timezone)
                .where(JobRow.schedule.is_not(None), JobRow.paused.is_(False))))
            waiting = session.scalar(
                select(JobRunRow.id).where(JobRunRow.status == "queued",
                                           JobRunRow.pid.is_(None),
                                           JobRunRow.job_id.is_not(None)).limit(1))
        if waiting is not None:
            horizon = min(horizon, now + timedelta(seconds=QUEUE_POLL_SECONDS))
        soonest = horizon
        for schedule, tz in jobs:
            try:
                upcoming = fire_times(parse_schedule(schedule).cron, tz, now, count=1)
            except WorkbenchError:
                continue
            if upcoming and upcoming[0] < soonest:
                soonest = upcoming[0]
        # A hair past the fire time, so that the tick sees it due.
        return max(0.0, (soonest - now).total_seconds() + 0.005)

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
        read = JobRow.last_fired_for.is_(None) if job.last_fired_for is None \
            else JobRow.last_fired_for == job.last_fired_for
        with self._runs._write() as session:
            moved = session.execute(update(JobRow).where(JobRow.id == job.id, read)
                                    .values(last_fired_for=due[-1])).rowcount
        if not moved:  # another scheduler fired these times since this tick read the job
            return []
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


def _warm_up() -> None:
    """Import what recording a run needs (the notebook reader, papermill's translators, the
    kernel specs) before the first fire time, not at it: the first firing would be late by
    their import (1 to 2 s)."""
    from mlworkbench.core.jobs.process import skip_slow_optional_imports

    skip_slow_optional_imports()
    import jupyter_client.kernelspec  # noqa: F401
    import nbformat  # noqa: F401
    import papermill.translators  # noqa: F401


class SchedulerThread:
    """A ``Scheduler`` ticking in a daemon thread: what the server extension runs.

    Args:
        workspace: The open workspace.
        interval: Seconds between ticks.
        **options: ``Scheduler``'s (holder, lease_seconds, grace_seconds).
    """

    def __init__(self, workspace: Workspace, interval: float = 1.0, **options) -> None:
        self.scheduler = Scheduler(workspace, **options)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self.scheduler.run_forever,
                                        args=(self._stop, interval),
                                        name="mlworkbench-scheduler", daemon=True)

    @property
    def holder(self) -> str:
        """This scheduler's name in the lease."""
        return self.scheduler.holder

    def start(self) -> SchedulerThread:
        self._thread.start()
        return self

    def is_alive(self) -> bool:
        return self._thread.is_alive()

    def stop(self, timeout: float = 5.0) -> None:
        """End the loop (waiting up to ``timeout`` seconds for a tick under way) and give the
        lease up, so that another scheduler takes over at once."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout)
        if self._thread.is_alive():  # a long tick: release now; the loop ends after it
            self.scheduler.release()
