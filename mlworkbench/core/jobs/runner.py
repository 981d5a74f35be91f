"""The process that carries one job run: ``python -m mlworkbench.core.jobs.runner RUN_ID``.

``Jobs.run`` starts it in a new session, detached from the server, so a run outlives the
process that started it. The runner marks the run running, executes the notebook once per
attempt with papermill in this same process (``execute.py``; papermill starts the kernel as a
child of this process), retries a failure after a growing backoff, and records the outcome:
status, reason, failing cell and traceback, the values the notebook recorded.

A watchdog thread enforces the timeout and honours a stop (SIGTERM from ``Jobs.stop``, or the
run's ``cancel_requested`` seen in the store) by killing every child process, the kernel and
whatever it started, which makes papermill return; should papermill not return after that, the
watchdog records the outcome and ends the process itself.

Environment: ``MLWORKBENCH_METADATA_URL`` (the metadata store), ``MLWORKBENCH_HOME`` (the
workspace, for the notebook's own ``%%sql`` and ``mlwb`` calls), ``MLWORKBENCH_RUN_ID`` and
``MLWORKBENCH_RUN_DIR`` (where ``mlwb.record`` writes); the kernel inherits them.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import threading
import time
from pathlib import Path
from typing import TextIO

from mlworkbench.core.jobs.process import (
    METADATA_URL_ENV,
    VALUES,
    kill_children,
    skip_slow_optional_imports,
)
from mlworkbench.core.jobs.store_ops import RunStore, run_dir
from mlworkbench.core.workspace.store import Store

POLL_SECONDS = 0.1
CANCEL_POLL_SECONDS = 0.5
#: How long papermill may take to return once the kernel was killed before the runner exits.
RETURN_GRACE_SECONDS = 30.0


class Runner:
    """Carries run ``run_id`` from queued to finished."""

    def __init__(self, store: Store, run_id: int, folder: Path | None = None,
                 out: TextIO | None = None) -> None:
        self.runs = RunStore(store)
        self.run_id = run_id
        self.folder = folder or run_dir(Path(os.environ["MLWORKBENCH_HOME"]), run_id)
        self.out = out or sys.stdout  # the run's log: papermill's stdout and stderr go here
        self._signalled = False

    def on_signal(self, *_: object) -> None:
        self._signalled = True

    def main(self) -> int:
        if not self.runs.start(self.run_id, os.getpid()):
            return 0  # stopped before it started, or another runner has it
        row = self.runs.get(self.run_id)
        status, reason, error = "failed", None, None
        for attempt in range(1, row.retries + 2):
            self.runs.update(self.run_id, attempt=attempt)
            if attempt > 1:
                print(f"--- attempt {attempt} of {row.retries + 1} ---", file=self.out, flush=True)
            status, reason, error = self._attempt(row)
            if status not in ("failed", "timed_out") or attempt > row.retries:
                break
            backoff = row.retry_backoff_seconds * 2 ** (attempt - 1)
            print(f"{reason}; retrying in {backoff:g} s", file=self.out, flush=True)
            if self._sleep(backoff):
                status, reason = "cancelled", "Stopped while waiting to retry."
                break
        self.runs.finish(self.run_id, status, reason, error, self.values())
        return 0

    def _attempt(self, row) -> tuple[str, str | None, dict | None]:
        from mlworkbench.core.jobs.execute import execute

        watchdog = _Watchdog(self, row.timeout_seconds)
        watchdog.start()
        try:
            failure = execute(Path(row.notebook), Path(row.output_path), row.kernel,
                              str(Path(row.notebook).parent), json.loads(row.parameters),
                              self.out)
        finally:
            watchdog.finish()
        if watchdog.outcome is not None:
            status, reason = watchdog.outcome
            return status, reason, None
        if failure is None:
            return "succeeded", None, None
        where = f" in cell {failure['cell']}" if failure.get("cell") is not None else ""
        return "failed", f"{failure['ename']}{where}: {failure['evalue']}", failure

    def cancelled(self) -> bool:
        return self._signalled or self.runs.cancel_requested(self.run_id)

    def _sleep(self, seconds: float) -> bool:
        """Wait ``seconds``; True when a stop came meanwhile."""
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            if self.cancelled():
                return True
            time.sleep(min(CANCEL_POLL_SECONDS, max(0.0, end - time.monotonic())))
        return False

    def values(self) -> dict:
        path = self.folder / VALUES
        try:
            return json.loads(path.read_text()) if path.exists() else {}
        except ValueError:
            return {}



class _Watchdog(threading.Thread):
    """Watches one attempt: past its timeout, or on a stop, kills the kernel's process tree
    and notes why (``outcome``); papermill then returns and the attempt reads the outcome."""

    def __init__(self, runner: Runner, timeout: float | None) -> None:
        super().__init__(name="mlworkbench-job-watchdog", daemon=True)
        self.runner = runner
        self.deadline = None if timeout is None else time.monotonic() + timeout
        self.timeout = timeout
        self.outcome: tuple[str, str] | None = None
        self._done = threading.Event()

    def finish(self) -> None:
        self._done.set()
        self.join()

    def run(self) -> None:
        next_check = 0.0
        while not self._done.wait(POLL_SECONDS):
            now = time.monotonic()
            if self.deadline is not None and now >= self.deadline:
                self._kill("timed_out", f"Timed out after {self.timeout:g} s: the notebook and "
                           "its kernel were killed.")
                return
            if now >= next_check:
                next_check = now + CANCEL_POLL_SECONDS
                if self.runner.cancelled():
                    self._kill("cancelled", "Stopped by the user.")
                    return

    def _kill(self, status: str, reason: str) -> None:
        self.outcome = (status, reason)
        kill_children(os.getpid())
        if self._done.wait(RETURN_GRACE_SECONDS):
            return
        # papermill did not come back from a dead kernel: record the outcome and end here.
        runner = self.runner
        runner.runs.finish(runner.run_id, status, reason, None, runner.values())
        os._exit(1)


def run_main(runner: Runner) -> int:
    """``runner.main()``; a runner that fails records the run failed with the reason."""
    try:
        return runner.main()
    except BaseException as e:
        runner.runs.finish(runner.run_id, "failed", f"The runner failed: {type(e).__name__}: {e}",
                           None, runner.values())
        raise


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    skip_slow_optional_imports()
    store = Store(os.environ[METADATA_URL_ENV])
    runner = Runner(store, int(args[0]))
    signal.signal(signal.SIGTERM, runner.on_signal)
    signal.signal(signal.SIGINT, runner.on_signal)
    try:
        return run_main(runner)
    finally:
        store.dispose()


if __name__ == "__main__":
    sys.exit(main())
