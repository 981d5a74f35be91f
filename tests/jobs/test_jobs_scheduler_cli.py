"""`mlworkbench scheduler` as a user starts it after a crash: runs whose runner died while
nothing watched are marked failed, with the reason, before it fires anything."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys

from mlworkbench.core import Workspace


def test_the_headless_scheduler_marks_runs_lost_in_a_crash_failed_and_says_so(tmp_path):
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    path = tmp_path / ".mlworkbench"
    with Workspace.open(path, root_dir=tmp_path) as ws:
        run_id = ws.jobs.runs.insert(notebook="lost.ipynb", kernel="python3", parameters="{}",
                                     retries=0, retry_backoff_seconds=0)
        ws.jobs.runs.update(run_id, status="running", pid=gone.pid, host=socket.gethostname())
    scheduler = subprocess.Popen(
        [sys.executable, "-m", "mlworkbench.cli", "--workspace", str(path), "scheduler",
         "--interval", "0.2"], stderr=subprocess.PIPE, text=True, cwd=tmp_path,
        start_new_session=True)
    try:
        told = []
        for line in scheduler.stderr:  # the lost run is reported, then the loop starts
            told.append(line)
            if "running; Ctrl-C stops it" in line:
                break
    finally:
        os.killpg(scheduler.pid, signal.SIGINT)
        scheduler.wait(timeout=60)
    assert any(f"Run {run_id} (lost.ipynb): The runner process (pid {gone.pid})" in line
               for line in told), told
    with Workspace.open(path, root_dir=tmp_path) as ws:
        assert ws.jobs.describe(run_id).status == "failed"
