"""The process that carries one job run: ``python -m mlworkbench.core.jobs.runner RUN_ID``.

``Jobs.run`` starts it in a new session, detached from the server, so a run outlives the
process that started it. The runner marks the run running, executes the notebook once per
attempt in a child process (``execute.py``, which runs papermill, which starts the kernel),
enforces the timeout and honours a stop by killing that whole tree, retries a failure after a
growing backoff, and records the outcome: status, reason, failing cell and traceback, the values
the notebook recorded. Environment: ``MLWORKBENCH_METADATA_URL`` (the metadata store),
``MLWORKBENCH_HOME`` (the workspace, for the notebook's own ``%%sql`` and ``mlwb`` calls),
``MLWORKBENCH_RUN_ID`` and ``MLWORKBENCH_RUN_DIR`` (where ``mlwb.record`` writes).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from mlworkbench.core.jobs.process import ERROR, METADATA_URL_ENV, VALUES, kill_tree
from mlworkbench.core.jobs.store_ops import RunStore, run_dir
from mlworkbench.core.workspace.store import Store

POLL_SECONDS = 0.1
CANCEL_POLL_SECONDS = 0.5


class Runner:
    """Carries run ``run_id`` from queued to finished."""

    def __init__(self, store: Store, run_id: int) -> None:
        self.runs = RunStore(store)
        self.run_id = run_id
        self.folder = run_dir(Path(os.environ["MLWORKBENCH_HOME"]), run_id)
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
                print(f"--- attempt {attempt} of {row.retries + 1} ---", flush=True)
            status, reason, error = self._attempt(row)
            if status not in ("failed", "timed_out") or attempt > row.retries:
                break
            backoff = row.retry_backoff_seconds * 2 ** (attempt - 1)
            print(f"{reason}; retrying in {backoff:g} s", flush=True)
            if self._sleep(backoff):
                status, reason = "cancelled", "Stopped while waiting to retry."
                break
        self.runs.finish(self.run_id, status, reason, error, self._values())
        return 0

    def _attempt(self, row) -> tuple[str, str | None, dict | None]:
        error_path = self.folder / ERROR
        error_path.unlink(missing_ok=True)
        spec = self.folder / "spec.json"
        spec.write_text(json.dumps({
            "input": row.notebook, "output": row.output_path, "html": row.html_path,
            "kernel": row.kernel, "cwd": str(Path(row.notebook).parent),
            "parameters": json.loads(row.parameters), "error": str(error_path),
        }))
        child = subprocess.Popen(
            [sys.executable, "-m", "mlworkbench.core.jobs.execute", str(spec)],
            stdin=subprocess.DEVNULL, stdout=sys.stdout, stderr=sys.stderr, start_new_session=True,
        )
        deadline = None if row.timeout_seconds is None else time.monotonic() + row.timeout_seconds
        next_check = 0.0
        while child.poll() is None:
            if deadline is not None and time.monotonic() >= deadline:
                kill_tree(child.pid)
                child.wait()
                reason = (f"Timed out after {row.timeout_seconds:g} s: the notebook and its "
                          "kernel were killed.")
                return "timed_out", reason, None
            if time.monotonic() >= next_check:
                next_check = time.monotonic() + CANCEL_POLL_SECONDS
                if self._cancelled():
                    kill_tree(child.pid)
                    child.wait()
                    return "cancelled", "Stopped by the user.", None
            time.sleep(POLL_SECONDS)
        if child.returncode == 0:
            return "succeeded", None, None
        if error_path.exists():
            error = json.loads(error_path.read_text())
            where = f" in cell {error['cell']}" if error.get("cell") is not None else ""
            return "failed", f"{error['ename']}{where}: {error['evalue']}", error
        return "failed", f"The notebook process exited with status {child.returncode}.", None

    def _cancelled(self) -> bool:
        return self._signalled or self.runs.cancel_requested(self.run_id)

    def _sleep(self, seconds: float) -> bool:
        """Wait ``seconds``; True when a stop came meanwhile."""
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            if self._cancelled():
                return True
            time.sleep(min(CANCEL_POLL_SECONDS, max(0.0, end - time.monotonic())))
        return False

    def _values(self) -> dict:
        path = self.folder / VALUES
        return json.loads(path.read_text()) if path.exists() else {}


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    store = Store(os.environ[METADATA_URL_ENV])
    runner = Runner(store, int(args[0]))
    signal.signal(signal.SIGTERM, runner.on_signal)
    signal.signal(signal.SIGINT, runner.on_signal)
    try:
        return runner.main()
    except BaseException as e:
        runner.runs.finish(runner.run_id, "failed", f"The runner failed: {type(e).__name__}: {e}",
                           None, {})
        raise
    finally:
        store.dispose()


if __name__ == "__main__":
    sys.exit(main())
