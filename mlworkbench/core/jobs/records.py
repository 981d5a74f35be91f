"""What a job run looks like to its callers (the notebook, the CLI; the REST schemas later)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mlworkbench.core.jobs.rows import FINISHED, JobRunRow

#: Bytes of log one ``JobRun.log_from`` call returns at most.
LOG_CHUNK = 1 << 20

if TYPE_CHECKING:
    from mlworkbench.core.jobs.store_ops import RunStore


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

    def log_from(self, offset: int = 0, limit: int = LOG_CHUNK) -> tuple[str, int]:
        """The log from byte ``offset`` on (at most ``limit`` bytes), and the offset to ask
        from next time. The log only grows, so a follower reads it piece by piece; a UTF-8
        character cut by a write in progress is left for the next read.
        """
        if not self.log_path:
            return "", offset
        try:
            with open(self.log_path, "rb") as f:
                f.seek(offset)
                data = f.read(limit)
        except FileNotFoundError:
            return "", offset
        cut = _complete_utf8(data)
        return data[:cut].decode("utf-8", errors="replace"), offset + cut


def _complete_utf8(data: bytes) -> int:
    """The length of ``data`` without a UTF-8 sequence cut at its end."""
    for back in range(1, min(4, len(data)) + 1):
        byte = data[-back]
        if byte < 0x80:  # ASCII: nothing cut
            return len(data)
        if byte >= 0xC0:  # a lead byte: is its sequence whole?
            need = 2 if byte < 0xE0 else 3 if byte < 0xF0 else 4
            return len(data) if back >= need else len(data) - back
    return len(data)


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


def finished_since(runs: RunStore, after: datetime, *, job_id: int | None = None,
                   limit: int = 50) -> list[JobRun]:
    """Runs that ended after ``after`` (naive: UTC), newest first: what a poller that last
    looked at ``after`` has not seen end yet.
    """
    if after.tzinfo is None:
        after = after.replace(tzinfo=timezone.utc)
    return [from_row(row) for row in runs.list(job_id=job_id, limit=limit, finished_after=after)]
