"""How the jobs routes show what ``ws.jobs`` returns: paths relative to the Jupyter root (so
JupyterLab can open them), job names on runs, defaults as JSON values. Rendering only; every
decision is core's."""

from __future__ import annotations

import ast
import datetime as dt
import json
from pathlib import Path
from typing import Any

from mlworkbench.core.jobs.definitions import JobDefinition
from mlworkbench.core.jobs.records import JobRun
from mlworkbench.schemas.jobs import JobInfo, JobRunInfo, NotebookParameterInfo, NotebookParameters


def shown_path(path: str | None, root: Path) -> tuple[str | None, bool]:
    """``path`` relative to ``root`` when inside it (posix style), else as it is."""
    if not path:
        return None, False
    resolved = Path(path)
    if resolved.is_absolute() and resolved.is_relative_to(root):
        return resolved.relative_to(root).as_posix(), True
    return path, not resolved.is_absolute()


def run_info(ws: Any, run: JobRun, job_name: str | None = None) -> JobRunInfo:
    root = ws.root_dir
    output, in_root = shown_path(run.output_path, root)
    has_output = bool(run.output_path) and Path(run.output_path).is_file()
    has_html = bool(run.html_path) and Path(run.html_path).is_file()
    return JobRunInfo(
        id=run.id, job_id=run.job_id, job_name=job_name, status=run.status,
        finished=run.finished, attempt=run.attempt,
        notebook=shown_path(run.notebook, root)[0] or run.notebook, kernel=run.kernel,
        parameters=run.parameters, created_at=run.created_at, started_at=run.started_at,
        ended_at=run.ended_at, duration_seconds=run.duration, scheduled_for=run.scheduled_for,
        exit_reason=run.exit_reason, failed_cell=run.failed_cell, traceback=run.traceback,
        output_path=output, output_in_root=in_root, output_available=has_output,
        html_available=has_html or has_output, values=run.values,
    )


def runs_info(ws: Any, runs: list[JobRun]) -> list[JobRunInfo]:
    """``runs`` with their jobs' names (one lookup for all)."""
    names = ws.jobs.runs.job_names({r.job_id for r in runs})
    return [run_info(ws, r, names.get(r.job_id)) for r in runs]


def job_info(ws: Any, job: JobDefinition) -> JobInfo:
    """``job`` with its latest run."""
    latest = ws.jobs.list_runs(job_id=job.id, limit=1)
    fields = {k: v for k, v in vars(job).items() if k in JobInfo.model_fields}
    return JobInfo(**fields, last_run=run_info(ws, latest[0], job.name) if latest else None)


def notebook_parameters(ws: Any, notebook: str) -> NotebookParameters:
    """The run form of ``notebook``: its parameters, its kernel and the installed kernels."""
    from jupyter_client.kernelspec import KernelSpecManager

    from mlworkbench.core.jobs.jobs import DEFAULT_KERNEL, _notebook_kernel

    path = ws.jobs._notebook(notebook)  # the same checks as a run: 403, 404, not a notebook
    declared = ws.jobs.parameters(notebook)
    return NotebookParameters(
        notebook=shown_path(str(path), ws.root_dir)[0] or notebook,
        kernel=_notebook_kernel(path) or DEFAULT_KERNEL,
        kernels=sorted(KernelSpecManager().find_kernel_specs()),
        parameters=[
            NotebookParameterInfo(name=p.name, type=p.type, default=default_value(p.default),
                                  default_text=p.default, help=p.help or None)
            for p in declared
        ],
    )


def default_value(source: str) -> Any:
    """A parameter's default (Python source) as a JSON value: literals as they are, a
    ``date(2026, 1, 1)`` or ``datetime(...)`` call as ISO text, anything else None.

    >>> default_value("'a'"), default_value("[1, 2]"), default_value("date(2026, 1, 2)")
    ('a', [1, 2], '2026-01-02')
    """
    try:
        tree = ast.parse(source.strip(), mode="eval").body
    except (SyntaxError, ValueError):
        return None
    if isinstance(tree, ast.Call):
        return _date_call(tree)
    try:
        value = ast.literal_eval(tree)
        json.dumps(value, allow_nan=False)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return None
    return value


def _date_call(call: ast.Call) -> str | None:
    name = call.func.attr if isinstance(call.func, ast.Attribute) else \
        call.func.id if isinstance(call.func, ast.Name) else None
    kind = {"date": dt.date, "datetime": dt.datetime}.get(name or "")
    if kind is None or call.keywords:
        return None
    try:
        args = [ast.literal_eval(a) for a in call.args]
        return kind(*args).isoformat()
    except (ValueError, TypeError, SyntaxError):
        return None
