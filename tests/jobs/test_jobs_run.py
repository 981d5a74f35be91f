"""Run now: papermill executes a notebook in its own process, on a real kernel."""

import json
from pathlib import Path

import nbformat
import pytest

from mlworkbench.core import Workspace
from mlworkbench.core.errors import NotFoundError
from mlworkbench.core.jobs import KernelNotFoundError, OutputFolderError
from mlworkbench.core.jobs.export import HtmlExportError
from mlworkbench.core.jobs.process import alive
from mlworkbench.schemas import RegisterSourceRequest

pytest.importorskip("papermill")
WAIT = 300  # seconds a tiny notebook may take on a busy machine (not asserted)


def write_notebook(path: Path, *cells: str, parameters: str | None = None) -> Path:
    """A python3 notebook with an optional ``parameters`` cell, then ``cells``."""
    nb = nbformat.v4.new_notebook()
    if parameters is not None:
        cell = nbformat.v4.new_code_cell(parameters)
        cell.metadata["tags"] = ["parameters"]
        nb.cells.append(cell)
    nb.cells += [nbformat.v4.new_code_cell(c) for c in cells]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nbformat.write(nb, path)
    return path


@pytest.fixture
def ws(tmp_path):
    with Workspace.open(tmp_path / ".mlworkbench", root_dir=tmp_path) as workspace:
        yield workspace


def _wait_for(path: Path, run_id: int, ws) -> None:
    import time

    end = time.monotonic() + WAIT
    while not path.exists() and time.monotonic() < end:
        assert not ws.jobs.describe(run_id).finished, ws.jobs.describe(run_id).log()
        time.sleep(0.2)
    assert path.exists()


def test_a_run_succeeds_with_its_values_its_executed_notebook_and_html(ws, tmp_path):
    write_notebook(
        tmp_path / "report.ipynb",
        "import mlworkbench as mlwb\nprint('since', since, type(day).__name__, n + 1)\n"
        "mlwb.record('auc', 0.91)\nmlwb.record('rows', n * 2)",
        parameters='from datetime import date\nsince = "2020-01-01"\nn = 3\nday: date = None',
    )
    run_id = ws.jobs.run("report.ipynb", {"since": "2026-01-01", "n": "5", "day": "2026-02-03"})
    run = ws.jobs.wait(run_id, timeout=WAIT)
    assert run.status == "succeeded", run.log()
    assert run.values == {"auc": 0.91, "rows": 10}
    assert run.parameters == {"since": "2026-01-01", "n": 5, "day": "2026-02-03"}
    assert run.attempt == 1 and run.exit_reason is None and run.started_at and run.ended_at
    executed = nbformat.read(run.output_path, as_version=4)
    printed = "".join(o.get("text", "") for o in executed.cells[-1].outputs)
    assert "since 2026-01-01 date 6" in printed
    assert Path(run.output_path).parent == ws.path / "jobs" / "runs" / str(run_id)
    assert not Path(run.html_path).exists()  # made when first asked for, not by the run
    html = ws.jobs.html(run_id)
    assert html == Path(run.html_path) and "since 2026-01-01 date 6" in html.read_text()
    assert "since 2026-01-01 date 6" in run.log()
    assert [r.id for r in ws.jobs.list_runs()] == [run_id]


def test_a_notebook_that_raises_fails_with_the_cell_and_its_traceback(ws, tmp_path):
    write_notebook(tmp_path / "bad.ipynb", "x = 1", "def f():\n    return 1 / 0\nf()",
                   "print('never')", parameters="x = 0")
    run = ws.jobs.wait(ws.jobs.run("bad.ipynb", output_dir="out"), timeout=WAIT)
    assert run.status == "failed"
    assert run.failed_cell == 2  # in the user's notebook: parameters, x = 1, then f()
    assert "ZeroDivisionError in cell 2" in run.exit_reason
    assert "1 / 0" in run.traceback and "\x1b[" not in run.traceback
    # The executed notebook is kept in the output folder, up to the failing cell.
    assert Path(run.output_path) == tmp_path / "out" / f"bad-run{run.id}.ipynb"
    executed = nbformat.read(run.output_path, as_version=4)
    raised = [c for c in executed.cells
              if any(o.get("ename") == "ZeroDivisionError" for o in c.get("outputs", []))]
    assert [c.source for c in raised] == ["def f():\n    return 1 / 0\nf()"]
    assert "ZeroDivisionError" in ws.jobs.html(run.id).read_text()


def test_the_timeout_kills_the_notebook_and_its_kernel(ws, tmp_path):
    write_notebook(tmp_path / "slow.ipynb",
                   "import os, pathlib, time\npathlib.Path('kernel.pid').write_text("
                   "str(os.getpid()))\ntime.sleep(600)")
    run = ws.jobs.wait(ws.jobs.run("slow.ipynb", timeout=30), timeout=WAIT)
    assert run.status == "timed_out"
    assert "Timed out after 30 s" in run.exit_reason
    pid_file = tmp_path / "kernel.pid"
    if pid_file.exists():  # the kernel started before the timeout (a busy machine may not)
        assert not alive(int(pid_file.read_text()))


def test_stop_cancels_a_running_notebook_and_kills_its_kernel(ws, tmp_path):
    write_notebook(tmp_path / "slow.ipynb",
                   "import os, pathlib, time\npathlib.Path('kernel.pid').write_text("
                   "str(os.getpid()))\ntime.sleep(600)")
    run_id = ws.jobs.run("slow.ipynb", retries=3, retry_backoff=0)
    pid_file = tmp_path / "kernel.pid"
    _wait_for(pid_file, run_id, ws)
    ws.jobs.stop(run_id)
    run = ws.jobs.wait(run_id, timeout=WAIT)
    assert run.status == "cancelled" and run.exit_reason == "Stopped by the user."
    assert run.attempt == 1  # a stop is never retried
    assert not alive(int(pid_file.read_text()))
    assert ws.jobs.stop(run_id).status == "cancelled"  # stopping again changes nothing


def test_a_failure_is_retried_until_an_attempt_succeeds(ws, tmp_path):
    write_notebook(tmp_path / "flaky.ipynb",
                   "import pathlib\np = pathlib.Path('tries.txt')\n"
                   "n = int(p.read_text()) if p.exists() else 0\np.write_text(str(n + 1))\n"
                   "assert n >= 1, 'first try fails'")
    run = ws.jobs.wait(ws.jobs.run("flaky.ipynb", retries=2, retry_backoff=0), timeout=WAIT)
    assert run.status == "succeeded", run.log()
    assert run.attempt == 2 and (tmp_path / "tries.txt").read_text() == "2"
    assert "first try fails; retrying" in run.log()


def test_missing_notebook_kernel_and_unwritable_folder_are_refused_before_starting(
        ws, tmp_path):
    write_notebook(tmp_path / "ok.ipynb", "1")
    with pytest.raises(NotFoundError, match="No notebook 'nope.ipynb'"):
        ws.jobs.run("nope.ipynb")
    with pytest.raises(KernelNotFoundError, match="No Jupyter kernel named 'cobol'.*python3"):
        ws.jobs.run("ok.ipynb", kernel="cobol")
    (tmp_path / "a-file").write_text("not a folder")
    with pytest.raises(OutputFolderError, match="'a-file/out' cannot be written to") as raised:
        ws.jobs.run("ok.ipynb", output_dir="a-file/out")
    assert raised.value.status == 400
    assert ws.jobs.list_runs() == []


def test_a_job_runs_sql_cells_against_the_workspace(ws, tmp_path):
    (tmp_path / "orders.csv").write_text("id,amount\n1,10\n2,20\n3,30\n")
    ws.catalog.register_source(RegisterSourceRequest(path="orders.csv"))
    write_notebook(
        tmp_path / "sql.ipynb", "%load_ext mlworkbench",
        "%%sql -o big\nSELECT count(*) AS n, sum(amount) AS total FROM orders\n"
        "WHERE amount > $least",
        "import mlworkbench as mlwb\nmlwb.record('n', int(big.n[0]))\n"
        "mlwb.record('total', float(big.total[0]))",
        parameters="least = 0",
    )
    run = ws.jobs.wait(ws.jobs.run("sql.ipynb", {"least": "15"}), timeout=WAIT)
    assert run.status == "succeeded", run.log()
    assert run.values == {"n": 2, "total": 50.0}
    assert json.loads((ws.path / "jobs" / "runs" / str(run.id) / "values.json").read_text()) \
        == run.values


def test_after_a_restart_a_run_whose_runner_died_reads_as_failed_with_the_reason(ws):
    import socket
    import subprocess
    import sys

    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    run_id = ws.jobs.runs.insert(notebook="x.ipynb", kernel="python3", parameters="{}",
                                 retries=0, retry_backoff_seconds=0)
    ws.jobs.runs.update(run_id, status="running", pid=gone.pid, host=socket.gethostname())
    [recovered] = ws.jobs.recover()
    assert recovered.status == "failed"
    assert f"runner process (pid {gone.pid}) ended without recording" in recovered.exit_reason
    assert ws.jobs.recover() == []


def test_the_html_export_is_made_once_kept_and_made_again_when_the_notebook_changed(ws, tmp_path):
    write_notebook(tmp_path / "ok.ipynb", "print('first')")
    queued = ws.jobs.enqueue("ok.ipynb")
    with pytest.raises(NotFoundError, match=f"Job run {queued} has no executed notebook yet"):
        ws.jobs.html(queued)
    with pytest.raises(NotFoundError):
        ws.jobs.html(queued + 1000)
    # An executed notebook written by hand stands in for a finished run's.
    done = ws.jobs.describe(queued)
    nb = nbformat.read(tmp_path / "ok.ipynb", as_version=4)
    nbformat.write(nb, done.output_path)
    html = ws.jobs.html(queued)
    assert "first" in html.read_text()
    made = html.stat().st_mtime_ns
    assert ws.jobs.html(queued).stat().st_mtime_ns == made  # kept: not exported again
    nb.cells[0].source = "print('second')"
    nbformat.write(nb, done.output_path)
    import os

    os.utime(done.output_path, ns=(made + 10**9, made + 10**9))  # newer than the HTML
    assert "second" in ws.jobs.html(queued).read_text()
    assert [p.name for p in html.parent.iterdir() if p.name.startswith(".")] == []  # no temp
    Path(done.output_path).write_text("not a notebook")
    os.utime(done.output_path, ns=(made + 2 * 10**9, made + 2 * 10**9))
    with pytest.raises(HtmlExportError, match="could not be exported to HTML") as raised:
        ws.jobs.html(queued)
    assert raised.value.status == 422
    assert "second" in html.read_text()  # the previous export is left whole


def test_run_wait_runs_in_the_command_and_ctrl_c_stops_it_with_its_kernel(ws, tmp_path):
    import signal
    import subprocess
    import sys
    import time

    write_notebook(tmp_path / "slow.ipynb",
                   "import os, pathlib, time\npathlib.Path('kernel.pid').write_text("
                   "str(os.getpid()))\ntime.sleep(600)")
    command = subprocess.Popen(
        [sys.executable, "-m", "mlworkbench.cli", "--workspace", str(ws.path), "--root",
         str(tmp_path), "run", "slow.ipynb", "--wait", "--retries", "2", "--retry-backoff",
         "0"], cwd=tmp_path, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True)
    try:
        end = time.monotonic() + WAIT
        while not ws.jobs.list_runs() and time.monotonic() < end:
            time.sleep(0.1)
        [run] = ws.jobs.list_runs()
        _wait_for(tmp_path / "kernel.pid", run.id, ws)
        assert ws.jobs.describe(run.id).pid == command.pid  # no runner process of its own
        command.send_signal(signal.SIGINT)
        out, err = command.communicate(timeout=WAIT)
    finally:
        if command.poll() is None:
            command.kill()
    assert command.returncode == 1, out + err
    run = ws.jobs.describe(run.id)
    assert run.status == "cancelled" and run.exit_reason == "Stopped by the user."
    assert run.attempt == 1 and f"Job run {run.id}: cancelled" in out
    assert not alive(int((tmp_path / "kernel.pid").read_text()))


def test_jobs_html_from_the_shell_prints_the_export_made_on_demand(ws, tmp_path):
    from click.testing import CliRunner

    from mlworkbench.cli import main

    write_notebook(tmp_path / "ok.ipynb", "print('shown')")
    run_id = ws.jobs.enqueue("ok.ipynb")
    base = ["--workspace", str(ws.path), "--root", str(tmp_path), "jobs"]
    missing = CliRunner().invoke(main, [*base, "html", str(run_id)])
    assert missing.exit_code == 2 and "has no executed notebook yet" in missing.output
    assert "html\t" not in CliRunner().invoke(main, [*base, "show", str(run_id)]).output
    nbformat.write(nbformat.read(tmp_path / "ok.ipynb", as_version=4),
                   ws.jobs.describe(run_id).output_path)
    made = CliRunner().invoke(main, [*base, "html", str(run_id)])
    assert made.exit_code == 0, made.output
    assert made.output.strip() == ws.jobs.describe(run_id).html_path
    assert "shown" in Path(made.output.strip()).read_text()
    assert f"html\t{made.output.strip()}" in CliRunner().invoke(
        main, [*base, "show", str(run_id)]).output
