"""Notebook jobs of a workspace (``ws.jobs``): read a notebook's parameters, run it now in its
own process, follow, stop and list runs.

``run`` checks everything that can be checked before a process starts (the notebook exists,
the kernel is installed, the parameters have the declared types, the output folder takes
files), records a queued run, and spawns ``python -m mlworkbench.core.jobs.runner RUN_ID`` in a
new session: the run outlives the process that started it, and any process that opens the
workspace can follow or stop it. A runner that dies leaves its run 'running' with a dead pid;
it then reads as failed, with the reason.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import update

from mlworkbench.core.errors import ForbiddenPathError, InvalidRequestError, NotFoundError
from mlworkbench.core.jobs import parameters as params
from mlworkbench.core.jobs.errors import KernelNotFoundError, OutputFolderError
from mlworkbench.core.jobs.process import (
    LOG,
    METADATA_URL_ENV,
    RUN_DIR_ENV,
    RUN_ID_ENV,
    VALUES,
    alive,
)
from mlworkbench.core.jobs.records import JobRun, from_row
from mlworkbench.core.jobs.rows import JobRunRow
from mlworkbench.core.jobs.store_ops import RunStore, run_dir
from mlworkbench.core.workspace.store import utcnow

if TYPE_CHECKING:
    from mlworkbench.core.workspace.workspace import Workspace

DEFAULT_KERNEL = "python3"
#: A queued run claimed by ``start`` this long ago and still without a runner was abandoned.
CLAIM_SECONDS = 60.0


class Jobs:
    """Notebook runs of one workspace.

    Args:
        workspace: The open workspace; notebook paths resolve against its root directory.
    """

    def __init__(self, workspace: Workspace) -> None:
        from mlworkbench.core.jobs.definitions import JobDefinitions

        self._ws = workspace
        self.runs = RunStore(workspace.store)
        self.definitions = JobDefinitions(self)

    # --- before a run ----------------------------------------------------------------------

    def parameters(self, notebook: str | os.PathLike) -> list[params.NotebookParameter]:
        """The parameters the notebook declares in its ``parameters`` cell.

        Raises:
            NotFoundError: No such notebook.
        """
        return params.inspect(self._notebook(notebook))

    # --- running ---------------------------------------------------------------------------

    def run(self, notebook: str | os.PathLike, parameters: dict[str, Any] | None = None, *,
            kernel: str | None = None, timeout: float | None = None, retries: int = 0,
            retry_backoff: float = 30.0, output_dir: str | os.PathLike | None = None,
            job_id: int | None = None, scheduled_for: Any = None) -> int:
        """Start running ``notebook`` now, in its own process.

        Args:
            notebook: The notebook, relative to the root directory (or absolute, inside it).
            parameters: Values by name: text (parsed by the declared type) or Python values.
            kernel: The kernel (default: the notebook's own, else python3).
            timeout: Seconds an attempt may take before it is killed (None: no limit).
            retries: Attempts after a failed or timed-out one (a stop is never retried).
            retry_backoff: Seconds before the first retry; doubled for each next one.
            output_dir: Where the executed notebook and its HTML go (default: the run's folder
                in the workspace, ``jobs/runs/<id>/``, which also holds the log).
            job_id: The job this run belongs to (None: an ad-hoc run).
            scheduled_for: The cron time the scheduler fired it for.

        Returns:
            The run id.

        Raises:
            NotFoundError: No such notebook.
            KernelNotFoundError: No such kernel.
            JobParameterError: An unknown parameter or a value of the wrong type.
            OutputFolderError: The output folder cannot be written to.
            InvalidRequestError: A negative timeout, retries or backoff.
        """
        run_id = self.enqueue(notebook, parameters, kernel=kernel, timeout=timeout,
                              retries=retries, retry_backoff=retry_backoff,
                              output_dir=output_dir, job_id=job_id, scheduled_for=scheduled_for)
        self.start(run_id)
        return run_id

    def enqueue(self, notebook: str | os.PathLike, parameters: dict[str, Any] | None = None, *,
                kernel: str | None = None, timeout: float | None = None, retries: int = 0,
                retry_backoff: float = 30.0, output_dir: str | os.PathLike | None = None,
                job_id: int | None = None, scheduled_for: Any = None) -> int:
        """Check and record a queued run without starting it (``start`` does); the arguments,
        result and errors are ``run``'s. The scheduler queues runs this way."""
        path = self._notebook(notebook)
        kernel = kernel or _notebook_kernel(path) or DEFAULT_KERNEL
        _check_kernel(kernel)
        if timeout is not None and timeout <= 0:
            raise InvalidRequestError("timeout", "The timeout must be a positive number of "
                                                 "seconds (or none for no limit).")
        if retries < 0 or retry_backoff < 0:
            raise InvalidRequestError("retries", "Retries and their backoff cannot be negative.")
        values = params.parse(params.inspect(path, kernel), dict(parameters or {}))
        out = self._output_dir(output_dir)
        # One transaction: a process killed here leaves no run without its paths.
        with self.runs._write() as session:
            row = JobRunRow(
                status="queued", attempt=0, cancel_requested=False, recorded="{}",
                created_at=utcnow(), job_id=job_id, notebook=str(path), kernel=kernel,
                parameters=json.dumps(values), output_dir=None if out is None else str(out),
                timeout_seconds=timeout, retries=retries, retry_backoff_seconds=retry_backoff,
                scheduled_for=scheduled_for)
            session.add(row)
            session.flush()
            run_id = row.id
            folder = run_dir(self._ws.path, run_id)
            folder.mkdir(parents=True, exist_ok=True)
            target = out or folder
            stem = path.stem if out is None else f"{path.stem}-run{run_id}"
            row.output_path = str(target / f"{stem}.ipynb")
            row.html_path = str(target / f"{stem}.html")
            row.log_path = str(folder / LOG)
        return run_id

    def start(self, run_id: int) -> bool:
        """Start queued run ``run_id`` in its own runner process; False when another process
        started it first (two schedulers during a lease handover)."""
        with self.runs._write() as session:  # claim it: pid 0 until the runner's is known
            claimed = session.execute(
                update(JobRunRow).where(JobRunRow.id == run_id, JobRunRow.status == "queued",
                                        JobRunRow.pid.is_(None)).values(pid=0)).rowcount
        if not claimed:
            return False
        try:
            self._spawn(run_id, run_dir(self._ws.path, run_id))
        except OSError as e:  # no process could be started (out of memory, pids, ...)
            self.runs.finish(run_id, "failed", f"The runner process could not start: {e}",
                             None, {})
        return True

    def run_here(self, run_id: int) -> JobRun:
        """Carry queued run ``run_id`` in this process until it ends, and return it: what
        ``mlworkbench run --wait`` does (one process, no runner to start). SIGINT (Ctrl-C)
        and SIGTERM (``stop`` from another process) stop it: the kernel is killed and the run
        ends cancelled. Call it from the main thread of a process made for it (a CLI): it
        sets the run's environment variables for the kernel and takes those two signals.
        """
        import signal

        from mlworkbench.core.jobs.runner import Runner, run_main

        folder = run_dir(self._ws.path, run_id)
        environment = self._environment(run_id, folder)
        before = {name: os.environ.get(name) for name in environment}
        os.environ.update(environment)  # the kernel papermill starts inherits them
        with open(folder / LOG, "a", buffering=1, encoding="utf-8") as log:
            runner = Runner(self._ws.store, run_id, folder=folder, out=log)
            taken = {s: signal.signal(s, runner.on_signal) for s in (signal.SIGINT,
                                                                       signal.SIGTERM)}
            try:
                run_main(runner)
            finally:
                for number, handler in taken.items():
                    signal.signal(number, handler)
                for name, value in before.items():
                    if value is None:
                        os.environ.pop(name, None)
                    else:
                        os.environ[name] = value
        return self.describe(run_id)

    def _environment(self, run_id: int, folder: Path) -> dict[str, str]:
        """What a run's process (and so its kernel) needs on top of this one's environment."""
        import mlworkbench

        source = str(Path(mlworkbench.__file__).resolve().parent.parent)
        return {
            "PYTHONPATH": os.pathsep.join(p for p in (source, os.environ.get("PYTHONPATH"))
                                          if p),
            METADATA_URL_ENV: self._ws.store.url,
            "MLWORKBENCH_HOME": str(self._ws.path),
            RUN_ID_ENV: str(run_id),
            RUN_DIR_ENV: str(folder),
        }

    def _spawn(self, run_id: int, folder: Path) -> None:
        env = {**os.environ, **self._environment(run_id, folder)}
        with open(folder / LOG, "ab") as log:
            process = subprocess.Popen(
                [sys.executable, "-m", "mlworkbench.core.jobs.runner", str(run_id)],
                stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, env=env,
                cwd=str(self._ws.root_dir), start_new_session=True,
            )
        self.runs.update(run_id, pid=process.pid, host=socket.gethostname())
        # Reap it when it ends, so that its pid reads as dead (not a zombie) at once.
        threading.Thread(target=process.wait, name=f"mlworkbench-job-{run_id}",
                         daemon=True).start()

    def stop(self, run_id: int) -> JobRun:
        """Stop a queued or running run: its notebook process and kernel are killed and it ends
        'cancelled' (never retried). Stopping a finished run changes nothing.

        Raises:
            NotFoundError: No such run.
        """
        run = self.describe(run_id)
        if run.finished:
            return run
        self.runs.update(run_id, cancel_requested=True)
        if run.status == "queued" and run.pid is None:  # queued behind another, never started
            self.runs.finish(run_id, "cancelled", "Stopped before it started.", None, {})
        if run.pid and run.host == socket.gethostname() and alive(run.pid):
            try:
                os.kill(run.pid, 15)  # the runner kills the notebook's tree and records it
            except ProcessLookupError:
                pass
        return self.describe(run_id)

    def wait(self, run_id: int, timeout: float | None = None, poll: float = 0.05) -> JobRun:
        """Block until the run finished (or ``timeout`` seconds passed); its latest state."""
        end = None if timeout is None else time.monotonic() + timeout
        while True:
            run = self.describe(run_id)
            if run.finished or (end is not None and time.monotonic() >= end):
                return run
            time.sleep(poll)

    # --- reading ---------------------------------------------------------------------------

    def describe(self, run_id: int) -> JobRun:
        """Run ``run_id`` as it is now (with the values recorded so far while it runs).

        Raises:
            NotFoundError: No such run.
        """
        row = self.runs.get(run_id)
        if row is None:
            raise NotFoundError("job run", str(run_id), f"No job run {run_id}.")
        return self._read(row)

    def html(self, run_id: int) -> Path:
        """The HTML export of run ``run_id``'s executed notebook: made on the first request
        (and again when the notebook changed since, as after a retry), then kept beside it.

        Raises:
            NotFoundError: No such run, or it has no executed notebook yet (queued, or it
                failed before papermill wrote one).
            HtmlExportError: nbconvert could not export it.
        """
        from mlworkbench.core.jobs.export import export_html

        run = self.describe(run_id)
        notebook = Path(run.output_path) if run.output_path else None
        if notebook is None or not notebook.is_file():
            raise NotFoundError("executed notebook", str(run_id),
                                f"Job run {run_id} has no executed notebook yet ({run.status}).")
        html = Path(run.html_path) if run.html_path else notebook.with_suffix(".html")
        if not html.is_file() or html.stat().st_mtime_ns < notebook.stat().st_mtime_ns:
            export_html(notebook, html)
        return html

    def list_runs(self, *, job_id: int | None = None, limit: int = 50) -> list[JobRun]:
        """Runs, newest first (only ``job_id``'s when given)."""
        return [self._read(row) for row in self.runs.list(job_id=job_id, limit=limit)]

    def recover(self) -> list[JobRun]:
        """After a restart: read every unfinished run again. A run whose runner process died
        is marked failed with the reason; a live runner needs nothing (its state is in the
        store, so any process re-attaches by reading it); runs queued behind another wait for
        the scheduler to start them. A run claimed by a process that ended before its runner
        started (claimed more than ``CLAIM_SECONDS`` ago, no runner) is marked failed.

        Returns:
            The runs that were unfinished, as they are now.
        """
        rows = [r for r in self.runs.list(limit=100_000) if r.status in ("queued", "running")]
        stale = utcnow() - timedelta(seconds=CLAIM_SECONDS)
        for row in rows:
            if row.status == "queued" and row.pid == 0 and row.created_at < stale:
                self.runs.finish(row.id, "failed", "The process starting it ended before its "
                                 "runner started.", None, {})
        return [self._read(self.runs.get(row.id)) for row in rows]

    def _read(self, row) -> JobRun:
        if row.status in ("queued", "running") and row.pid and \
                row.host == socket.gethostname() and not alive(row.pid):
            self.runs.finish(row.id, "failed", f"The runner process (pid {row.pid}) ended "
                             "without recording an outcome (killed, or the machine restarted).",
                             None, _live_values(self._ws.path, row.id))
            row = self.runs.get(row.id)
        live = _live_values(self._ws.path, row.id) if row.status == "running" else None
        return from_row(row, live)

    # --- paths -----------------------------------------------------------------------------

    def _notebook(self, notebook: str | os.PathLike) -> Path:
        root = self._ws.root_dir
        path = (root / Path(notebook).expanduser()).resolve()
        if not self._ws.allow_outside_root and not path.is_relative_to(root):
            raise ForbiddenPathError(f"'{notebook}' is outside the root directory '{root}'.",
                                     path=str(notebook))
        if not path.is_file():
            raise NotFoundError("notebook", str(notebook),
                                f"No notebook '{notebook}' under '{root}'.")
        if path.suffix != ".ipynb":
            raise InvalidRequestError("notebook", f"'{notebook}' is not a notebook (.ipynb).")
        return path

    def _output_dir(self, output_dir: str | os.PathLike | None) -> Path | None:
        if output_dir is None:
            return None
        path = (self._ws.root_dir / Path(output_dir).expanduser()).resolve()
        try:
            path.mkdir(parents=True, exist_ok=True)
            probe = path / f".mlworkbench-probe-{os.getpid()}"
            probe.write_bytes(b"")
            probe.unlink()
        except OSError as e:
            raise OutputFolderError(str(output_dir), f"The output folder '{output_dir}' cannot "
                                    f"be written to ({e.strerror or e}); choose another or fix "
                                    "its permissions.") from None
        return path


def _notebook_kernel(path: Path) -> str | None:
    try:
        return json.loads(path.read_text())["metadata"]["kernelspec"]["name"]
    except (ValueError, KeyError, TypeError, OSError):
        return None


def _check_kernel(kernel: str) -> None:
    from jupyter_client.kernelspec import KernelSpecManager

    installed = KernelSpecManager().find_kernel_specs()
    if kernel not in installed:
        raise KernelNotFoundError(
            "kernel", kernel, f"No Jupyter kernel named '{kernel}' is installed (installed: "
            f"{', '.join(sorted(installed)) or 'none'}).", installed=sorted(installed))


def _live_values(workspace: Path, run_id: int) -> dict[str, Any]:
    path = run_dir(workspace, run_id) / VALUES
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return {}


__all__ = ["Jobs"]
