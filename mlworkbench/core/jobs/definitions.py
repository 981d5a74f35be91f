"""Job definitions (``ws.jobs.definitions``): a named notebook with its parameters, limits and
an optional schedule; create, change, pause, resume, delete, run now, next fire times.

Everything a run needs is checked when the job is saved (notebook, kernel, parameter types,
output folder, schedule, timezone), so a scheduled run does not fail on a typo at 3 a.m.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from mlworkbench.core.errors import BadRequestError, ConflictError, NotFoundError
from mlworkbench.core.jobs.rows import JobRow
from mlworkbench.core.jobs.schedule import fire_times, parse_schedule, zone
from mlworkbench.core.workspace.store import utcnow

if TYPE_CHECKING:
    from mlworkbench.core.jobs.jobs import Jobs

OVERLAP = ("skip", "queue")
CATCH_UP = ("once", "all", "skip")
#: Names the REST API uses under /jobs/ for other things.
RESERVED_NAMES = ("runs", "parameters", "schedule", "scheduler")
_FIELDS = ("notebook", "parameters", "kernel", "output_dir", "timeout_seconds", "retries",
           "retry_backoff_seconds", "schedule", "timezone", "overlap", "catch_up")


@dataclass
class JobDefinition:
    """A job as saved, with its schedule read back and its next fire times (UTC)."""

    id: int
    name: str
    notebook: str
    parameters: dict[str, Any]
    kernel: str | None
    output_dir: str | None
    timeout_seconds: float | None
    retries: int
    retry_backoff_seconds: float
    schedule: str | None
    schedule_description: str | None
    timezone: str
    paused: bool
    overlap: str
    catch_up: str
    created_at: datetime
    updated_at: datetime
    next_fire_times: list[datetime] = field(default_factory=list)


class JobDefinitions:
    """Named jobs of one workspace."""

    def __init__(self, jobs: Jobs) -> None:
        self._jobs = jobs
        self._store = jobs.runs

    def create(self, name: str, notebook: str, **fields: Any) -> JobDefinition:
        """Save a new job.

        Args:
            name: Unique name.
            notebook: Relative to the root directory.
            **fields: parameters, kernel, output_dir, timeout_seconds, retries,
                retry_backoff_seconds, schedule (cron or a shortcut), timezone (IANA),
                overlap (skip|queue), catch_up (once|all|skip), paused.

        Raises:
            ConflictError: The name is taken.
            BadRequestError, ScheduleError, JobParameterError, NotFoundError,
            KernelNotFoundError, OutputFolderError: A field to fix.
        """
        if not name or not name.strip():
            raise BadRequestError("name", "A job needs a name.")
        if "/" in name or name != name.strip() or name.lower() in RESERVED_NAMES:
            raise BadRequestError("name", f"'{name}' cannot name a job: no '/', no spaces at "
                                          f"either end, and not {', '.join(RESERVED_NAMES)}.")
        values = self._checked({"notebook": notebook, "parameters": {}, "retries": 0,
                                "retry_backoff_seconds": 30.0, "timezone": "UTC",
                                "overlap": "skip", "catch_up": "once", **fields})
        now = utcnow()
        with self._store._write() as session:
            if session.scalar(select(JobRow.id).where(JobRow.name == name)) is not None:
                raise ConflictError(f"A job named '{name}' exists; change it or pick another "
                                    "name.", name=name)
            row = JobRow(name=name, created_at=now, updated_at=now,
                         paused=bool(fields.get("paused", False)), **values)
            session.add(row)
        return self.describe(name)

    def update(self, name: str, **fields: Any) -> JobDefinition:
        """Change some fields of job ``name`` (same fields and errors as ``create``)."""
        row = self._row(name)
        current = {f: getattr(row, f) for f in _FIELDS}
        current["parameters"] = json.loads(row.parameters)
        values = self._checked({**current, **fields})
        with self._store._write() as session:
            stored = session.get(JobRow, row.id)
            for key, value in values.items():
                setattr(stored, key, value)
            if "paused" in fields:
                stored.paused = bool(fields["paused"])
            stored.updated_at = utcnow()
        return self.describe(name)

    def pause(self, name: str) -> JobDefinition:
        return self.update(name, paused=True)

    def resume(self, name: str) -> JobDefinition:
        """Resume firing; times missed while paused are not caught up."""
        with self._store._write() as session:
            stored = session.get(JobRow, self._row(name).id)
            stored.paused = False
            stored.last_fired_for = utcnow()
        return self.describe(name)

    def delete(self, name: str) -> None:
        """Delete job ``name``; its runs stay (with no job)."""
        with self._store._write() as session:
            session.delete(session.get(JobRow, self._row(name).id))

    def describe(self, name: str, count: int = 5) -> JobDefinition:
        return _described(self._row(name), count)

    def list(self) -> list[JobDefinition]:
        with self._store.store.read() as session:
            return [_described(r) for r in session.scalars(select(JobRow).order_by(JobRow.name))]

    def run_now(self, name: str, **overrides: Any) -> int:
        """Start job ``name`` now (``overrides``: parameters merged, other ``run`` options)."""
        row = self._row(name)
        parameters = {**json.loads(row.parameters), **overrides.pop("parameters", {})}
        return self._jobs.run(row.notebook, parameters, **{**_run_options(row), **overrides},
                              job_id=row.id)

    def _row(self, name: str) -> JobRow:
        with self._store.store.read() as session:
            row = session.scalar(select(JobRow).where(JobRow.name == name))
        if row is None:
            raise NotFoundError("job", name)
        return row

    def _checked(self, values: dict[str, Any]) -> dict[str, Any]:
        values = {k: v for k, v in values.items() if k in _FIELDS}
        if values.get("schedule"):
            values["schedule"] = parse_schedule(values["schedule"]).text.strip()
        else:
            values["schedule"] = None
        zone(values["timezone"])
        for key, allowed in (("overlap", OVERLAP), ("catch_up", CATCH_UP)):
            if values[key] not in allowed:
                raise BadRequestError(key, f"{key} must be one of {', '.join(allowed)}; got "
                                           f"'{values[key]}'.")
        jobs = self._jobs
        path = jobs._notebook(values["notebook"])
        from mlworkbench.core.jobs import parameters as params
        from mlworkbench.core.jobs.jobs import _check_kernel

        if values.get("kernel"):
            _check_kernel(values["kernel"])
        parsed = params.parse(params.inspect(path, values.get("kernel")),
                              dict(values.get("parameters") or {}))
        jobs._output_dir(values.get("output_dir"))
        values["notebook"] = str(path.relative_to(jobs._ws.root_dir)) \
            if path.is_relative_to(jobs._ws.root_dir) else str(path)
        values["parameters"] = json.dumps(parsed)
        return values


def _run_options(row: JobRow) -> dict[str, Any]:
    return {"kernel": row.kernel, "timeout": row.timeout_seconds, "retries": row.retries,
            "retry_backoff": row.retry_backoff_seconds, "output_dir": row.output_dir}


def _described(row: JobRow, count: int = 5) -> JobDefinition:
    cron = parse_schedule(row.schedule) if row.schedule else None
    upcoming = [] if cron is None or row.paused else \
        fire_times(cron.cron, row.timezone, utcnow(), count=count)
    return JobDefinition(
        id=row.id, name=row.name, notebook=row.notebook, parameters=json.loads(row.parameters),
        kernel=row.kernel, output_dir=row.output_dir, timeout_seconds=row.timeout_seconds,
        retries=row.retries, retry_backoff_seconds=row.retry_backoff_seconds,
        schedule=row.schedule, schedule_description=cron.description if cron else None,
        timezone=row.timezone, paused=row.paused, overlap=row.overlap, catch_up=row.catch_up,
        created_at=row.created_at, updated_at=row.updated_at, next_fire_times=upcoming,
    )
