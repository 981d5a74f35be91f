"""Saved (and scheduled) notebook jobs from a notebook: ``mlwb.schedule("report.ipynb",
"daily at 06:00", since="2026-01-01")``, ``mlwb.jobs()``, ``mlwb.job("report")`` and
``mlwb.job_parameters("report.ipynb")``.

Thin over ``ws.jobs.definitions`` (the calls ``mlworkbench jobs create|list|pause|resume|delete``
and the panel make), so a job saved here fires from the server's or the headless scheduler.
Bad input raises the core's ``WorkbenchError`` subclasses with their messages, before anything
is saved: ``ScheduleError`` (what of the cron was understood), ``BadRequestError`` (timezone,
overlap, catch_up, name), ``JobParameterError``, ``NotFoundError``, ``KernelNotFoundError``,
``OutputFolderError``.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mlworkbench.core.errors import ConflictError, InvalidRequestError
from mlworkbench.notebook import runner
from mlworkbench.notebook_jobs import _COLOURS, NotebookRun, job_runs

if TYPE_CHECKING:
    import pandas

    from mlworkbench.core.jobs.definitions import JobDefinition, JobDefinitions

__all__ = ["NotebookJob", "job", "job_parameters", "jobs", "schedule"]

#: Keyword names of ``schedule`` / ``update`` -> the stored field.
_OPTIONS = {"notebook": "notebook", "schedule": "schedule", "timezone": "timezone",
            "overlap": "overlap", "catch_up": "catch_up", "kernel": "kernel",
            "timeout": "timeout_seconds", "retries": "retries",
            "retry_backoff": "retry_backoff_seconds", "output_dir": "output_dir",
            "paused": "paused"}
_NEXT = 5


def _definitions() -> JobDefinitions:
    return runner().ws.jobs.definitions


class NotebookJob:
    """A saved job as a notebook shows it: schedule in words, next fire times, parameters,
    last run; ``pause``, ``resume``, ``update``, ``run_now``, ``runs``, ``delete``.

    Attributes:
        name: The job's name; every other attribute is the saved job's (``refresh``):
            ``notebook``, ``schedule``, ``schedule_description``, ``timezone``, ``paused``,
            ``parameters``, ``next_fire_times`` (UTC), ``kernel``, ``timeout_seconds``, ...
    """

    def __init__(self, name: str) -> None:
        self.name = name
        self._job: JobDefinition = _definitions().describe(name, _NEXT)
        self._deleted = False

    def refresh(self) -> NotebookJob:
        self._job = _definitions().describe(self.name, _NEXT)
        return self

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self._job, name)

    def pause(self) -> NotebookJob:
        """Stop firing the schedule (``resume`` starts again; nothing is caught up)."""
        self._job = _definitions().pause(self.name)
        return self

    def resume(self) -> NotebookJob:
        """Fire the schedule again from now; times missed while paused are skipped."""
        self._job = _definitions().resume(self.name)
        return self

    def update(self, *, parameters: dict[str, Any] | None = None, **fields: Any) -> NotebookJob:
        """Change some of the job's fields; the others stay.

        Args:
            parameters: Replace all parameter values with these.
            **fields: ``schedule`` (None: no schedule), ``timezone``, ``overlap``,
                ``catch_up``, ``kernel``, ``timeout``, ``retries``, ``retry_backoff``,
                ``output_dir``, ``paused``, ``notebook``; any other name is a parameter value,
                set on top of the saved ones.

        Raises:
            As ``mlwb.schedule``; nothing is changed when a field is bad.
        """
        if "name" in fields:
            raise InvalidRequestError("name", f"A job keeps its name: create a new one with "
                                              f"mlwb.schedule(..., name='{fields['name']}') and "
                                              f"delete '{self.name}' with .delete().")
        changes, values = _split(fields)
        if parameters is not None or values:
            base = dict(parameters) if parameters is not None else dict(self._job.parameters)
            changes["parameters"] = {**base, **values}
        self._job = _definitions().update(self.name, **changes)
        return self

    def run_now(self, *, wait: bool = True, parameters: dict[str, Any] | None = None,
                **values: Any) -> NotebookRun:
        """Run the job now (its schedule is unchanged), like ``mlwb.run``.

        Args:
            wait: Block until it finished, showing its status (a kernel interrupt stops it).
            parameters, **values: Parameter values for this run only, over the saved ones.

        Returns:
            The run.

        Raises:
            JobParameterError, KernelNotFoundError, NotFoundError: Before anything starts.
        """
        run_id = _definitions().run_now(self.name, parameters={**(parameters or {}), **values})
        started = NotebookRun(run_id)
        return started.wait() if wait else started

    def runs(self, limit: int = 100) -> pandas.DataFrame:
        """This job's runs, newest first (the columns of ``mlwb.job_runs()``)."""
        return job_runs(limit, job=self.name)

    @property
    def last_run(self) -> NotebookRun | None:
        """The newest run of this job (None before its first)."""
        found = runner().ws.jobs.list_runs(job_id=self._job.id, limit=1)
        return NotebookRun(found[0].id) if found else None

    def delete(self) -> None:
        """Delete the job (its runs stay, with no job)."""
        _definitions().delete(self.name)
        self._deleted = True

    def __repr__(self) -> str:
        if self._deleted:
            return f"NotebookJob({self.name!r}, deleted)"
        return f"NotebookJob({self.name!r}, {_when(self._job)!r}, paused={self._job.paused})"

    def _repr_html_(self) -> str:
        return _job_html(self._job, None if self._deleted else self.last_run, self._deleted)


def schedule(notebook: str, schedule: str | None, *, name: str | None = None,
             timezone: str = "UTC", overlap: str = "skip", catch_up: str = "once",
             kernel: str | None = None, timeout: float | None = None, retries: int = 0,
             retry_backoff: float = 30.0, output_dir: str | None = None, paused: bool = False,
             parameters: dict[str, Any] | None = None, **values: Any) -> NotebookJob:
    """Save ``notebook`` as a job that runs on ``schedule`` (the server's scheduler, or
    ``mlworkbench scheduler``, fires it).

    Args:
        notebook: The notebook's path (relative to the kernel's working directory).
        schedule: Cron (``"0 6 * * 1-5"``) or a shortcut (``"hourly"``, ``"daily at 06:00"``,
            ``"weekly on mon,thu at 18:30"``, ``"monthly on 1 at 06:00"``); None: no schedule
            (the job runs only when started).
        name: The job's name (default: the notebook's file name without ``.ipynb``).
        timezone: The IANA timezone the schedule's times are in (``"Europe/Paris"``).
        overlap: When a run is still going at the next fire time: ``skip`` it or ``queue`` it.
        catch_up: Fire times missed while nothing was running: ``once``, ``all`` or ``skip``.
        kernel, timeout, retries, retry_backoff, output_dir: As ``mlwb.run``.
        paused: Save it paused (``.resume()`` starts the schedule).
        parameters: Parameter values by name (for names that clash with the options above).
        **values: Parameter values by name: text is parsed by the declared type.

    Returns:
        The job; it displays its schedule in words, next fire times and last run.

    Raises:
        ConflictError: A job has this name (``mlwb.job(name).update(...)`` changes it).
        ScheduleError: A schedule that cannot be read (the message shows what was understood).
        BadRequestError: An unknown timezone, overlap or catch_up; a name with '/'.
        JobParameterError: A parameter the notebook does not declare, or of the wrong type.
        NotFoundError, KernelNotFoundError, OutputFolderError: No such notebook or kernel, an
            output folder that cannot be written.
    """
    name = Path(notebook).stem if name is None else name
    fields = {"schedule": schedule, "timezone": timezone, "overlap": overlap,
              "catch_up": catch_up, "kernel": kernel, "timeout_seconds": timeout,
              "retries": retries, "retry_backoff_seconds": retry_backoff,
              "output_dir": output_dir, "paused": paused,
              "parameters": {**(parameters or {}), **values}}
    try:
        _definitions().create(name, notebook, **fields)
    except ConflictError:
        raise ConflictError(
            f"A job named '{name}' exists (mlwb.jobs() lists the jobs): change it with "
            f"mlwb.job('{name}').update(schedule=..., ...), or pass name='...' to save "
            "another.", name=name) from None
    return NotebookJob(name)


def jobs() -> pandas.DataFrame:
    """The saved jobs by name: notebook, schedule, its description, timezone, paused, next run
    (UTC), last run (id and status). Open one with ``mlwb.job(name)``."""
    import pandas

    listed = runner().ws.jobs
    rows = []
    for j in listed.definitions.list():
        last = listed.list_runs(job_id=j.id, limit=1)
        rows.append({"name": j.name, "notebook": j.notebook, "schedule": j.schedule,
                     "description": j.schedule_description, "timezone": j.timezone,
                     "paused": j.paused,
                     "next_run": j.next_fire_times[0] if j.next_fire_times else None,
                     "last_run_id": last[0].id if last else None,
                     "last_run_status": last[0].status if last else None})
    frame = pandas.DataFrame(rows, columns=["name", "notebook", "schedule", "description",
                                            "timezone", "paused", "next_run", "last_run_id",
                                            "last_run_status"])
    return frame.set_index("name")


def job(name: str) -> NotebookJob:
    """Reopen the saved job ``name``.

    Raises:
        NotFoundError: No such job.
    """
    return NotebookJob(name)


def job_parameters(notebook: str) -> pandas.DataFrame:
    """The parameters ``notebook`` declares in its ``parameters`` cell (what the panel's
    parameter form is built from): name, type, default (as written), help (the comment).

    Raises:
        NotFoundError: No such notebook.
    """
    import pandas

    declared = runner().ws.jobs.parameters(notebook)
    return pandas.DataFrame([{"name": p.name, "type": p.type, "default": p.default,
                              "help": p.help} for p in declared],
                            columns=["name", "type", "default", "help"])


def _split(fields: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Keyword arguments as (stored job fields, parameter values)."""
    changes = {_OPTIONS[k]: v for k, v in fields.items() if k in _OPTIONS}
    return changes, {k: v for k, v in fields.items() if k not in _OPTIONS}


def _when(j: JobDefinition) -> str:
    if not j.schedule:
        return "no schedule"
    return f"{j.schedule} ({j.schedule_description}, {j.timezone})"


def _local(moment, tz: str) -> str:
    from zoneinfo import ZoneInfo

    return f"{moment.astimezone(ZoneInfo(tz)):%a %Y-%m-%d %H:%M %Z}"


def _job_html(j: JobDefinition, last: NotebookRun | None, deleted: bool) -> str:
    esc = html.escape
    if deleted:
        state = ("deleted", _COLOURS["failed"])
    elif j.paused:
        state = ("paused", _COLOURS["cancelled"])
    else:
        state = ("active" if j.schedule else "on demand", _COLOURS["succeeded"])
    rows = []
    if j.schedule:
        rows.append(("Schedule", f"{esc(j.schedule_description or '')} <code>"
                                 f"{esc(j.schedule)}</code>, {esc(j.timezone)}"))
    else:
        rows.append(("Schedule", "none: runs only when started (<code>.run_now()</code>)"))
    if deleted:
        rows.append(("Next runs", "none: the job is deleted (its runs stay)"))
    elif j.paused and j.schedule:
        rows.append(("Next runs", "none while paused (<code>.resume()</code> fires it again)"))
    elif j.next_fire_times:
        rows.append(("Next runs", "<br>".join(esc(_local(t, j.timezone))
                                              for t in j.next_fire_times)))
    if j.parameters:
        rows.append(("Parameters", "<br>".join(f"<code>{esc(k)}</code> = {esc(repr(v))}"
                                               for k, v in j.parameters.items())))
    options = [f"overlap {j.overlap}", f"catch up {j.catch_up}"]
    options += [f"kernel {j.kernel}"] if j.kernel else []
    options += [f"timeout {j.timeout_seconds:g} s"] if j.timeout_seconds else []
    options += [f"{j.retries} retries"] if j.retries else []
    rows.append(("Options", esc(", ".join(options))))
    if last is not None:
        colour = _COLOURS.get(last.status, "var(--jp-ui-font-color1)")
        when = f" {last.started_at:%Y-%m-%d %H:%M} UTC" if last.started_at else ""
        rows.append(("Last run", f"{last.run_id}: <span style='color:{colour}'>"
                                 f"{esc(last.status)}</span>{esc(when)} "
                                 f"(<code>mlwb.job_run({last.run_id})</code>)"))
    elif not deleted:
        rows.append(("Last run", "none yet"))
    label = "style='text-align:left;padding-right:1em;color:var(--jp-ui-font-color2)'"
    body = "".join(f"<tr><th {label}>{k}</th><td style='text-align:left'>{v}</td></tr>"
                   for k, v in rows)
    return (f"<div class='mlwb-job' style='color:var(--jp-ui-font-color1)'>"
            f"<b>Job {esc(j.name)}</b> runs <code>{esc(j.notebook)}</code>: "
            f"<span style='color:{state[1]}'>{state[0]}</span>"
            f"<table style='border-collapse:collapse'>{body}</table></div>")
