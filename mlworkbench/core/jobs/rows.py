"""The metadata rows of notebook jobs (tables made by migration 0007)."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from sqlalchemy import Boolean, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from mlworkbench.core.workspace.store import Base, UTCDateTime, utcnow

#: Statuses a run can end in; the others are queued and running.
FINISHED = ("succeeded", "failed", "cancelled", "timed_out")
STATUSES = ("queued", "running", *FINISHED)


class _Limits:
    """What a run needs to start; kept on the job and copied on each run."""

    notebook: Mapped[str] = mapped_column(Text)  # relative to the root directory
    kernel: Mapped[str | None] = mapped_column(String(128), nullable=True)
    parameters: Mapped[str] = mapped_column(Text, default="{}")  # JSON
    output_dir: Mapped[str | None] = mapped_column(Text, nullable=True)
    timeout_seconds: Mapped[float | None] = mapped_column(Float, nullable=True)
    retries: Mapped[int] = mapped_column(Integer, default=0)
    retry_backoff_seconds: Mapped[float] = mapped_column(Float, default=30.0)


class JobRow(_Limits, Base):
    """A job definition: a notebook with its parameters, limits and optional cron schedule."""

    __tablename__ = "jobs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(128), unique=True)
    schedule: Mapped[str | None] = mapped_column(String(256), nullable=True)  # cron text
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    paused: Mapped[bool] = mapped_column(Boolean, default=False)
    overlap: Mapped[str] = mapped_column(String(16), default="skip")  # skip | queue
    catch_up: Mapped[str] = mapped_column(String(16), default="once")  # once | all | skip
    last_fired_for: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class JobRunRow(_Limits, Base):
    """One run of a notebook (of a job, or ad hoc with ``job_id`` None). ``attempt`` counts the
    executions made (retries included); paths are relative to the root directory when inside it,
    absolute otherwise."""

    __tablename__ = "job_runs"
    __table_args__: ClassVar[tuple] = (
        Index("ix_job_runs_job", "job_id", "id"),
        Index("ix_job_runs_status", "status"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    job_id: Mapped[int | None] = mapped_column(
        ForeignKey("jobs.id", ondelete="SET NULL"), nullable=True
    )
    status: Mapped[str] = mapped_column(String(16), default="queued")
    attempt: Mapped[int] = mapped_column(Integer, default=0)
    scheduled_for: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    pid: Mapped[int | None] = mapped_column(Integer, nullable=True)
    host: Mapped[str | None] = mapped_column(String(256), nullable=True)
    cancel_requested: Mapped[bool] = mapped_column(Boolean, default=False)
    exit_reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    failed_cell: Mapped[int | None] = mapped_column(Integer, nullable=True)
    traceback: Mapped[str | None] = mapped_column(Text, nullable=True)
    output_path: Mapped[str | None] = mapped_column(Text, nullable=True)
    html_path: Mapped[str | None] = mapped_column(Text, nullable=True)
    log_path: Mapped[str | None] = mapped_column(Text, nullable=True)
    recorded: Mapped[str] = mapped_column(Text, default="{}")  # JSON: name -> value


class SchedulerLeaseRow(Base):
    """The one row (id 1) naming the scheduler allowed to fire runs until ``expires_at``."""

    __tablename__ = "scheduler_lease"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    holder: Mapped[str | None] = mapped_column(String(256), nullable=True)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
