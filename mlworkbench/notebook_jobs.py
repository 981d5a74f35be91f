"""Notebook jobs from a notebook: ``mlwb.run("report.ipynb", since="2026-01-01")``,
``mlwb.job_runs()``, ``mlwb.job_run(id)`` and, inside a job, ``mlwb.record("auc", 0.91)``.

Thin over ``ws.jobs`` (the same calls the CLI makes); the kernel's workspace is the one
``mlwb.sql`` uses, so relative notebook paths resolve against the directory it was opened in.
"""

from __future__ import annotations

import html
import os
import time
from typing import TYPE_CHECKING, Any

from mlworkbench.notebook import runner

if TYPE_CHECKING:
    import pandas

    from mlworkbench.core.jobs import JobRun

__all__ = ["NotebookRun", "job_run", "job_runs", "record", "run"]

_COLOURS = {"succeeded": "var(--jp-success-color1, green)",
            "failed": "var(--jp-error-color1, red)", "timed_out": "var(--jp-error-color1, red)",
            "cancelled": "var(--jp-warn-color1, orange)"}


class NotebookRun:
    """A job run as a notebook shows it: status, values, a link to the executed notebook.

    Attributes:
        run_id: The run's id; every other attribute is the run's latest state (``refresh``).
    """

    def __init__(self, run_id: int) -> None:
        self.run_id = run_id
        self._run: JobRun = runner().ws.jobs.describe(run_id)

    def refresh(self) -> NotebookRun:
        self._run = runner().ws.jobs.describe(self.run_id)
        return self

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self._run, name)

    def wait(self, timeout: float | None = None) -> NotebookRun:
        """Block until the run finished, showing its status meanwhile; a kernel interrupt
        stops the run."""
        handle = _display(self)
        end = None if timeout is None else time.monotonic() + timeout
        try:
            while not self.refresh()._run.finished:
                if end is not None and time.monotonic() >= end:
                    break
                if handle is not None:
                    handle.update(self)
                time.sleep(0.5)
        except KeyboardInterrupt:
            self.stop()
            runner().ws.jobs.wait(self.run_id, timeout=30)
            self.refresh()
        if handle is not None:
            handle.update(self)
        return self

    def stop(self) -> NotebookRun:
        """Stop the run (its kernel is killed; it ends 'cancelled')."""
        self._run = runner().ws.jobs.stop(self.run_id)
        return self

    def log(self, tail: int | None = None) -> str:
        return self._run.log(tail)

    def __repr__(self) -> str:
        return f"NotebookRun({self.run_id}, status={self._run.status!r})"

    def _repr_html_(self) -> str:
        r = self._run
        colour = _COLOURS.get(r.status, "var(--jp-ui-font-color1)")
        took = f" in {r.duration:.1f} s" if r.duration is not None and r.finished else ""
        attempt = f" (attempt {r.attempt})" if r.attempt > 1 else ""
        parts = [(f"<b>Job run {r.id}</b> of <code>{html.escape(_rel(r.notebook))}</code>: "
                  f"<span style='color:{colour}'>{html.escape(r.status)}</span>{took}{attempt}")]
        if r.exit_reason:
            parts.append(f"<div>{html.escape(r.exit_reason)}</div>")
        if r.traceback:
            parts.append(f"<details><summary>Traceback</summary><pre>"
                         f"{html.escape(r.traceback)}</pre></details>")
        if r.values:
            cells = "".join(f"<tr><td>{html.escape(str(k))}</td><td>{html.escape(str(v))}</td></tr>"
                            for k, v in r.values.items())
            parts.append(f"<table><tr><th>value</th><th></th></tr>{cells}</table>")
        links = [f"<a href='{html.escape(_rel(p))}' target='_blank'>{label}</a>"
                 for label, p in (("executed notebook", r.output_path), ("HTML", r.html_path))
                 if p and r.finished and os.path.exists(p)]
        if links:
            parts.append("<div>" + " · ".join(links) + "</div>")
        return "<div class='mlwb-job-run'>" + "".join(parts) + "</div>"


def run(notebook: str, *, wait: bool = True, kernel: str | None = None,
        timeout: float | None = None, retries: int = 0, retry_backoff: float = 30.0,
        output_dir: str | None = None, parameters: dict[str, Any] | None = None,
        **values: Any) -> NotebookRun:
    """Run ``notebook`` now with papermill, in its own process.

    Args:
        notebook: The notebook's path (relative to the kernel's working directory).
        wait: Block until it finished (showing its status); False returns at once.
        kernel, timeout, retries, retry_backoff, output_dir: As ``ws.jobs.run``.
        parameters: Parameter values by name (for names that clash with the options above).
        **values: Parameter values by name: text is parsed by the declared type.

    Returns:
        The run; it displays its status, recorded values and a link to the executed notebook.

    Raises:
        NotFoundError, KernelNotFoundError, JobParameterError, OutputFolderError: Before
            anything starts (see ``ws.jobs.run``).
    """
    run_id = runner().ws.jobs.run(notebook, {**(parameters or {}), **values}, kernel=kernel,
                                  timeout=timeout, retries=retries, retry_backoff=retry_backoff,
                                  output_dir=output_dir)
    started = NotebookRun(run_id)
    return started.wait() if wait else started


def job_runs(limit: int = 100, *, job: str | None = None) -> pandas.DataFrame:
    """Notebook job runs, newest first: status, notebook, times, reason, recorded values
    (``values.*`` columns). Reopen one with ``mlwb.job_run(id)``.

    Args:
        limit: At most this many.
        job: Only the runs of the saved job of this name.

    Raises:
        NotFoundError: No job named ``job``.
    """
    import pandas

    jobs = runner().ws.jobs
    job_id = None if job is None else jobs.definitions.describe(job, 0).id
    rows = []
    for r in jobs.list_runs(job_id=job_id, limit=limit):
        rows.append({"run_id": r.id, "status": r.status, "notebook": _rel(r.notebook),
                     "started_at": r.started_at, "duration": r.duration, "attempt": r.attempt,
                     "exit_reason": r.exit_reason, "parameters": r.parameters,
                     **{f"values.{k}": v for k, v in r.values.items()}})
    frame = pandas.DataFrame(rows)
    return frame.set_index("run_id") if len(frame) else frame


def job_run(run_id: int) -> NotebookRun:
    """Reopen a job run.

    Raises:
        NotFoundError: No such run.
    """
    return NotebookRun(run_id)


def record(name: str, value: Any) -> Any:
    """Keep ``value`` under ``name`` with the current job run (runs compare on these); outside
    a job nothing is kept. Returns the value, so a cell shows it."""
    from mlworkbench.core.jobs.record import record as keep

    keep(name, value)
    return value


def _rel(path: str | None) -> str:
    if not path:
        return ""
    try:
        return os.path.relpath(path)
    except ValueError:
        return path


def _display(started: NotebookRun):
    try:
        from IPython import get_ipython
        from IPython.display import display
    except ImportError:
        return None
    if get_ipython() is None:
        return None
    return display(started, display_id=True)
