"""What a job run looks like to its callers (the notebook, the CLI; the REST schemas later)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from mlworkbench.core.jobs.rows import FINISHED, JobRunRow


@dataclass
class JobRun:
    """One run of a notebook.

    Attributes:
        id, job_id, status, attempt, notebook, kernel, parameters: As recorded.
        created_at, started_at, ended_at: UTC; None until reached.
        exit_reason: Why it failed, timed out or was cancelled.
        failed_cell: The index of the cell that raised; traceback: its traceback (no colours).
        output_path, html_path, log_path: The executed notebook, its HTML, the stdout/stderr log.
        values: What the notebook recorded with ``mlwb.record``.
    """

    id: int
    job_id: int | None
    status: str
    attempt: int
    notebook: str
    kernel: str | None
    parameters: dict[str, Any]
    created_at: datetime
    started_at: datetime | None
    ended_at: datetime | None
    exit_reason: str | None
    failed_cell: int | None
    traceback: str | None
    output_path: str | None
    html_path: str | None
    log_path: str | None
    scheduled_for: datetime | None = None
    values: dict[str, Any] = field(default_factory=dict)
    pid: int | None = None
    host: str | None = None

    @property
    def finished(self) -> bool:
        return self.status in FINISHED

    @property
    def duration(self) -> float | None:
        """Seconds from start to end (to now while running)."""
        if self.started_at is None:
            return None
        from mlworkbench.core.workspace.store import utcnow

        return ((self.ended_at or utcnow()) - self.started_at).total_seconds()

    def log(self, tail: int | None = None) -> str:
        """The run's stdout/stderr (the last ``tail`` characters)."""
        if not self.log_path or not Path(self.log_path).exists():
            return ""
        text = Path(self.log_path).read_text(errors="replace")
        return text[-tail:] if tail else text


def from_row(row: JobRunRow, live_values: dict[str, Any] | None = None) -> JobRun:
    values = json.loads(row.recorded or "{}")
    if live_values and not values:
        values = live_values
    return JobRun(
        id=row.id, job_id=row.job_id, status=row.status, attempt=row.attempt,
        notebook=row.notebook, kernel=row.kernel, parameters=json.loads(row.parameters or "{}"),
        created_at=row.created_at, started_at=row.started_at, ended_at=row.ended_at,
        exit_reason=row.exit_reason, failed_cell=row.failed_cell, traceback=row.traceback,
        output_path=row.output_path, html_path=row.html_path, log_path=row.log_path,
        scheduled_for=row.scheduled_for, values=values, pid=row.pid, host=row.host,
    )
