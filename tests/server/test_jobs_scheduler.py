"""The job scheduler inside the server extension, on a real jupyter-server: runs lost while the
server was down are marked failed at start, due jobs fire from the server's thread, and beside a
`mlworkbench scheduler` process on the same workspace every due time runs once, including when
that process is killed while it holds the lease."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest

from mlworkbench.core import Workspace
from mlworkbench.core.jobs.rows import JobRow, SchedulerLeaseRow
from mlworkbench.core.workspace.store import utcnow
from tests.jobs.test_jobs_run import write_notebook

pytest.importorskip("papermill")
WAIT = 300  # seconds runs may take on a busy machine (never asserted)
CLI_LEASE = 2.0  # the CLI scheduler's lease: taken over this long after it was killed


def _workspace_path(config: dict) -> Path:
    return Path(config["MLWorkbench"]["workspace"])


@pytest.fixture
def jp_server_config(jp_server_config, jp_root_dir, request, capfd):
    """The conftest's config with ``request.param``'s MLWorkbench traits; with ``cli_first``
    a `mlworkbench scheduler` process holds the lease before the server starts."""
    options = dict(getattr(request, "param", {}))
    cli_first = options.pop("cli_first", False)
    jp_server_config["MLWorkbench"].update({"scheduler_interval": 0.2, **options})
    if cli_first:
        request.getfixturevalue("cli_scheduler")
    return jp_server_config


@pytest.fixture
def cli_scheduler(jp_server_config, jp_root_dir):
    """`mlworkbench scheduler` on the server's workspace, holding the lease (a short one)."""
    path = _workspace_path(jp_server_config)
    process = subprocess.Popen(
        [sys.executable, "-m", "mlworkbench.cli", "--workspace", str(path), "--root",
         str(jp_root_dir), "scheduler", "--interval", "0.2", "--lease-seconds", str(CLI_LEASE)],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        cwd=jp_root_dir, start_new_session=True)
    holder = None
    for line in process.stderr:  # "Scheduler <holder> running; Ctrl-C stops it."
        if "running; Ctrl-C stops it" in line:
            holder = line.split()[1]
            break
    assert holder, "the CLI scheduler did not start"
    end = time.monotonic() + 60
    while _lease(path)[0] != holder:
        assert process.poll() is None and time.monotonic() < end, "it never took the lease"
        time.sleep(0.1)
    yield process, holder
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGINT)
        process.wait(timeout=60)


def _lease(path: Path):
    with Workspace.open(path) as ws, ws.store.read() as session:
        row = session.get(SchedulerLeaseRow, 1)
        return (row.holder, row.expires_at) if row else (None, None)


def _due_job(ws, root: Path, name: str, times: int, **fields):
    """An hourly job that last fired ``times`` hours ago, so ``times`` fire times are due now.
    It is saved paused and unpaused with its past in one write, so no tick sees it between."""
    write_notebook(root / f"{name}.ipynb",
                   "import mlworkbench as mlwb\nmlwb.record('n', n)", parameters="n = 0")
    now = utcnow()
    if now.minute == 59 and now.second > 40:  # no new hour while the test counts due times
        time.sleep(61 - now.second)
        now = utcnow()
    hour = now.replace(minute=0, second=0, microsecond=0)
    job = ws.jobs.definitions.create(name, f"{name}.ipynb", parameters={"n": "7"},
                                     schedule="hourly", paused=True, **fields)
    with ws.jobs.runs._write() as session:
        row = session.get(JobRow, job.id)
        row.last_fired_for, row.paused = hour - timedelta(hours=times), False
    return job.id, hour


async def _until_finished(ws, job_id: int, count: int) -> list:
    end = time.monotonic() + WAIT
    while True:
        runs = ws.jobs.list_runs(job_id=job_id)
        if len(runs) >= count and all(r.finished for r in runs):
            return runs
        assert time.monotonic() < end, [(r.id, r.status) for r in runs]
        await asyncio.sleep(0.2)


def _settings(app) -> dict:
    return app.web_app.settings


async def test_a_due_job_fires_from_the_servers_scheduler_and_succeeds(jp_serverapp,
                                                                       jp_root_dir):
    scheduler = _settings(jp_serverapp)["mlworkbench_scheduler"]
    assert scheduler.is_alive()
    ws = _settings(jp_serverapp)["mlworkbench_workspace"]
    job_id, hour = _due_job(ws, jp_root_dir, "hourly_report", 3, catch_up="once")
    [run] = await _until_finished(ws, job_id, 1)
    assert run.status == "succeeded", run.log()
    assert run.values == {"n": 7}
    assert run.scheduled_for == hour  # the latest due time only (catch-up once)
    assert _lease(ws.path)[0] == scheduler.holder


@pytest.mark.parametrize("jp_server_config", [{"scheduler": False}], indirect=True)
def test_a_run_left_running_by_a_dead_runner_is_marked_failed_at_server_start(
        jp_server_config, jp_root_dir, request, capfd):
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    with Workspace.open(_workspace_path(jp_server_config), root_dir=jp_root_dir) as ws:
        run_id = ws.jobs.runs.insert(notebook="lost.ipynb", kernel="python3", parameters="{}",
                                     retries=0, retry_backoff_seconds=0)
        ws.jobs.runs.update(run_id, status="running", pid=gone.pid, host=socket.gethostname())
    capfd.readouterr()
    app = request.getfixturevalue("jp_serverapp")
    told = capfd.readouterr().err  # the extension's log (its own logger, on stderr)
    # The stored row itself (not a read, which would also mark it): the start marked it.
    row = _settings(app)["mlworkbench_workspace"].jobs.runs.get(run_id)
    assert row.status == "failed"
    assert f"runner process (pid {gone.pid}) ended without recording" in row.exit_reason
    assert f"job run {run_id} (lost.ipynb) marked failed: The runner process" in told, told
    assert "mlworkbench_scheduler" not in _settings(app)  # disabled by the trait


@pytest.mark.parametrize("jp_server_config", [{"cli_first": True}], indirect=True)
async def test_beside_a_cli_scheduler_each_due_time_runs_once(jp_serverapp, jp_root_dir,
                                                              cli_scheduler):
    process, cli_holder = cli_scheduler
    ws = _settings(jp_serverapp)["mlworkbench_workspace"]
    server = _settings(jp_serverapp)["mlworkbench_scheduler"]
    assert server.is_alive() and _lease(ws.path)[0] == cli_holder  # the server waits
    job_id, hour = _due_job(ws, jp_root_dir, "each", 3, catch_up="all", overlap="queue")
    await _until_finished(ws, job_id, 3)
    await asyncio.sleep(1.0)  # a second scheduler firing again would have recorded by now
    runs = ws.jobs.list_runs(job_id=job_id)
    assert [r.status for r in runs] == ["succeeded"] * 3, [r.log() for r in runs]
    assert sorted(r.scheduled_for for r in runs) == [hour - timedelta(hours=2),
                                                     hour - timedelta(hours=1), hour]
    # Both stayed up throughout (which of them fired, or whether the lease changed hands
    # when a tick outlasted the CLI's short lease, does not matter: each time ran once).
    assert process.poll() is None and server.is_alive()
    assert _lease(ws.path)[0] in (cli_holder, server.holder)


@pytest.mark.parametrize("jp_server_config", [{"cli_first": True}], indirect=True)
async def test_a_lease_holder_killed_mid_work_is_taken_over_and_nothing_runs_twice(
        jp_serverapp, jp_root_dir, cli_scheduler):
    process, cli_holder = cli_scheduler
    ws = _settings(jp_serverapp)["mlworkbench_workspace"]
    server = _settings(jp_serverapp)["mlworkbench_scheduler"]
    job_id, _ = _due_job(ws, jp_root_dir, "queued", 3, catch_up="all", overlap="queue")
    end = time.monotonic() + WAIT
    while len(ws.jobs.list_runs(job_id=job_id)) < 3:  # the CLI fired: one runs, two queued
        assert time.monotonic() < end
        await asyncio.sleep(0.05)
    os.kill(process.pid, signal.SIGKILL)  # no release: the lease stays until it expires
    process.wait(timeout=30)
    runs = await _until_finished(ws, job_id, 3)  # the queued two need a scheduler to start
    assert [r.status for r in runs] == ["succeeded"] * 3, [r.log() for r in runs]
    assert len({r.scheduled_for for r in runs}) == 3
    assert len(ws.jobs.list_runs(job_id=job_id)) == 3
    assert _lease(ws.path)[0] == server.holder != cli_holder
