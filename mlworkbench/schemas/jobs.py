"""Notebook jobs (issue 8): a notebook's parameters, runs now (papermill in their own process),
their logs and HTML exports, named jobs with schedules, and the scheduler's state
(``ws.jobs``; REST under ``/jobs``)."""

from datetime import datetime
from typing import Any, Literal

from pydantic import Field, model_validator

from mlworkbench.schemas._base import Model

JobRunStatus = Literal["queued", "running", "succeeded", "failed", "timed_out", "cancelled"]
ParameterType = Literal["str", "int", "float", "bool", "list", "dict", "date", "datetime", "any"]
OverlapPolicy = Literal["skip", "queue"]
CatchUpPolicy = Literal["once", "all", "skip"]


class NotebookParametersQuery(Model):
    """Which notebook's parameters to read (query parameters)."""

    notebook: str = Field(description="The notebook, relative to the Jupyter root")


class NotebookParameterInfo(Model):
    """One name of the notebook's ``parameters`` cell."""

    name: str
    type: ParameterType = Field(
        description="The annotation, else the default literal's type, else any; values sent "
        "as text are parsed by it (strings need no quotes)"
    )
    default: Any = Field(
        default=None, description="The default as a JSON value (null when not a plain literal)"
    )
    default_text: str = Field(description="The default as written in the cell (Python source)")
    help: str | None = Field(default=None, description="The comment after the assignment")


class NotebookParameters(Model):
    """What a run form needs: the notebook's parameters and the kernels to choose from."""

    notebook: str = Field(description="Relative to the Jupyter root")
    kernel: str = Field(description="The notebook's own kernel, else python3")
    kernels: list[str] = Field(description="Installed kernel names")
    parameters: list[NotebookParameterInfo] = Field(
        description="In the cell's order; empty when it has no parameters cell"
    )


class _RunOptions(Model):
    parameters: dict[str, Any] = Field(
        default={},
        description="Values by name: text parsed by the declared type (no quotes needed), or "
        "JSON values",
    )
    kernel: str | None = Field(
        default=None, description="Default: the notebook's own, else python3"
    )
    timeout_seconds: float | None = Field(
        default=None, gt=0, description="An attempt taking longer is killed (none: no limit)"
    )
    retries: int = Field(default=0, ge=0, le=100, description="Attempts after a failed one")
    retry_backoff_seconds: float = Field(
        default=30.0, ge=0, description="Seconds before the first retry; doubled for each next"
    )
    output_dir: str | None = Field(
        default=None,
        description="Folder (relative to the Jupyter root) for the executed notebook and its "
        "HTML; default: the run's folder in the workspace",
    )


class RunNotebookRequest(_RunOptions):
    """Run a notebook now, in its own process."""

    notebook: str = Field(description="The notebook, relative to the Jupyter root")


class JobRunInfo(Model):
    """One run of a notebook (of a job, or ad hoc)."""

    id: int
    job_id: int | None = Field(default=None, description="None: an ad-hoc run")
    job_name: str | None = Field(
        default=None, description="The job's name (None: ad hoc or deleted)"
    )
    status: JobRunStatus
    finished: bool = Field(description="succeeded, failed, timed_out or cancelled")
    attempt: int = Field(description="Executions made so far (retries included)")
    notebook: str = Field(description="Relative to the Jupyter root when inside it")
    kernel: str | None = None
    parameters: dict[str, Any] = Field(description="As parsed (dates as ISO text)")
    created_at: datetime
    started_at: datetime | None = None
    ended_at: datetime | None = None
    duration_seconds: float | None = Field(
        default=None, description="From start to end (to now while running)"
    )
    scheduled_for: datetime | None = Field(
        default=None, description="The cron time the scheduler fired it for"
    )
    exit_reason: str | None = Field(
        default=None, description="Why it failed, timed out or was cancelled"
    )
    failed_cell: int | None = Field(
        default=None, description="Index of the cell that raised, in the user's notebook"
    )
    traceback: str | None = None
    output_path: str | None = Field(
        default=None,
        description="The executed notebook: relative to the Jupyter root when inside it (open it "
        "in JupyterLab), else absolute",
    )
    output_in_root: bool = Field(description="Whether output_path is under the Jupyter root")
    output_available: bool = Field(description="Whether the executed notebook exists")
    html_available: bool = Field(
        description="Whether GET /jobs/runs/{run_id}/html has something to show"
    )
    values: dict[str, Any] = Field(default={}, description="What the notebook recorded")


class ListJobRunsQuery(Model):
    """Which runs to list (query parameters)."""

    job_id: int | None = Field(default=None, description="Only this job's runs")
    job: str | None = Field(default=None, description="Only the runs of the job of this name")
    status: JobRunStatus | None = Field(default=None, description="Only runs in this status")
    finished_after: datetime | None = Field(
        default=None,
        description="Only runs that ended after this time (ISO; UTC when no offset): what a "
        "notification poller has not seen yet",
    )
    limit: int = Field(default=50, ge=1, le=1000, description="At most this many, newest first")


class ListJobRuns(Model):
    runs: list[JobRunInfo] = Field(description="Newest first")


class JobRunLogQuery(Model):
    offset: int = Field(default=0, ge=0, description="Characters already read")


class JobRunLog(Model):
    """A piece of a run's stdout/stderr log (it only grows)."""

    text: str = Field(description="The log from offset on")
    offset: int = Field(description="Send it as offset next time to get what follows")
    finished: bool = Field(description="The run ended: nothing more will be written")


class JobCreateRequest(_RunOptions):
    """Save a named job: a notebook with its parameters, limits and an optional schedule."""

    name: str = Field(min_length=1, max_length=128, description="Unique name")
    notebook: str = Field(description="The notebook, relative to the Jupyter root")
    schedule: str | None = Field(
        default=None,
        description="Cron ('0 6 * * *') or a shortcut ('hourly', 'daily at 07:30', 'weekly on "
        "mon,thu at 9:00', 'monthly on 1 at 06:00'); none: run only when asked",
    )
    timezone: str = Field(default="UTC", description="IANA name the schedule's times are in")
    overlap: OverlapPolicy = Field(
        default="skip", description="When a run is still going at fire time: skip or queue"
    )
    catch_up: CatchUpPolicy = Field(
        default="once",
        description="Fire times missed while no scheduler ran: once (the latest), all, or skip",
    )
    paused: bool = Field(default=False, description="Saved but not firing")


class JobUpdateRequest(Model):
    """Change some fields of a job (those not sent stay as they are)."""

    notebook: str | None = None
    parameters: dict[str, Any] | None = Field(
        default=None, description="Replaces the job's parameters"
    )
    kernel: str | None = None
    timeout_seconds: float | None = Field(default=None, gt=0)
    retries: int | None = Field(default=None, ge=0, le=100)
    retry_backoff_seconds: float | None = Field(default=None, ge=0)
    output_dir: str | None = None
    schedule: str | None = Field(default=None, description="Empty text: no schedule")
    timezone: str | None = None
    overlap: OverlapPolicy | None = None
    catch_up: CatchUpPolicy | None = None
    paused: bool | None = None

    @model_validator(mode="after")
    def _no_null_where_a_value_is_needed(self) -> "JobUpdateRequest":
        for name in _NEEDED:
            if name in self.model_fields_set and getattr(self, name) is None:
                raise ValueError(f"'{name}' cannot be null: leave it out to keep it as it is")
        return self


#: Fields of a job that always have a value (null is only for kernel, timeout, output folder
#: and schedule, where it means the default, no limit, the run's folder, no schedule).
_NEEDED = ("notebook", "parameters", "retries", "retry_backoff_seconds", "timezone", "overlap",
           "catch_up", "paused")


class RunJobRequest(Model):
    """Run a job now, with some parameters changed for this run only."""

    parameters: dict[str, Any] = Field(default={}, description="Merged over the job's")


class JobInfo(Model):
    """A saved job with its next fire times and its latest run."""

    id: int
    name: str
    notebook: str = Field(description="Relative to the Jupyter root when inside it")
    parameters: dict[str, Any]
    kernel: str | None = None
    output_dir: str | None = None
    timeout_seconds: float | None = None
    retries: int
    retry_backoff_seconds: float
    schedule: str | None = Field(default=None, description="As saved (cron or a shortcut)")
    schedule_description: str | None = Field(default=None, description="The schedule in words")
    timezone: str
    paused: bool
    overlap: OverlapPolicy
    catch_up: CatchUpPolicy
    created_at: datetime
    updated_at: datetime
    next_fire_times: list[datetime] = Field(
        default=[], description="The next 5 (UTC); empty when paused or unscheduled"
    )
    last_run: JobRunInfo | None = None


class ListJobs(Model):
    jobs: list[JobInfo] = Field(description="By name")


class SchedulePreviewQuery(Model):
    schedule: str = Field(description="Cron or a shortcut")
    timezone: str = Field(default="UTC", description="IANA name")


class SchedulePreview(Model):
    """How a schedule is read, before saving it."""

    schedule: str
    cron: str = Field(description="The 5-field cron it means")
    description: str = Field(description="In words")
    timezone: str
    next_fire_times: list[datetime] = Field(description="The next 5 (UTC)")


class SchedulerStatus(Model):
    """Whether scheduled jobs fire: this server's scheduler and the workspace's lease."""

    running_here: bool = Field(description="This server's scheduler thread is alive")
    this_holder: str | None = Field(
        default=None, description="This server's scheduler name (None: disabled here)"
    )
    holder: str | None = Field(
        default=None, description="The scheduler holding the lease (the one that fires)"
    )
    lease_expires_at: datetime | None = None
    lease_active: bool = Field(description="Some scheduler holds an unexpired lease")
