"""REST API of notebook runs on a real jupyter-server (auth on): a notebook's parameters, run
now through papermill (real kernels), follow, log paging, HTML export, stop, and bad input.

Real runs cost a kernel start each, so the module makes one finished run up front (through
core, on the workspace every test's server opens) and the tests read it; three more runs are
started through the API: one that succeeds, one stopped while running, one never started.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path
from types import SimpleNamespace

import pytest

from mlworkbench.core import Workspace
from tests.jobs.test_jobs_run import WAIT, write_notebook

pytest.importorskip("papermill")

PARAMETERS = ('from datetime import date\n'
              'since = "2026-01-01"  # first day of the report\n'
              'n = 3\nrate = 0.5\nverbose = False\nday = date(2026, 1, 1)')
REPORT = ("import mlworkbench as mlwb\n"
          "print('report', since, n, rate, verbose, type(day).__name__, day.isoformat())\n"
          "mlwb.record('total', n * rate)\nmlwb.record('flag', verbose)")
SLOW = ("import pathlib, time\npathlib.Path('slow-started').write_text('yes')\n"
        "print('sleeping', flush=True)\ntime.sleep(600)")


@pytest.fixture(scope="module")
def shared(tmp_path_factory):
    """A Jupyter root with the notebooks and a workspace holding one finished run of
    report.ipynb (made through core; every test's server opens this workspace)."""
    root = tmp_path_factory.mktemp("jobs-root")
    write_notebook(root / "report.ipynb", REPORT, parameters=PARAMETERS)
    write_notebook(root / "slow.ipynb", SLOW)
    (root / "notes.txt").write_text("not a notebook")
    workspace = root / ".mlworkbench"
    with Workspace.open(workspace, root_dir=root) as ws:
        run_id = ws.jobs.run("report.ipynb", {"n": "4", "verbose": "yes"})
        run = ws.jobs.wait(run_id, timeout=WAIT)
    assert run.status == "succeeded", run.log()
    return SimpleNamespace(root=root, workspace=workspace, run=run)


@pytest.fixture
def jp_root_dir(shared):
    return shared.root


@pytest.fixture
def jp_server_config(jp_server_config, shared):
    jp_server_config["MLWorkbench"]["workspace"] = str(shared.workspace)
    return jp_server_config


@pytest.fixture
def ws(jp_serverapp):
    return jp_serverapp.web_app.settings["mlworkbench_workspace"]


async def _until(api, run_id: int, condition) -> dict:
    """Poll GET /jobs/runs/{id} until ``condition(run)`` (a failed run shows its log)."""
    loop = asyncio.get_running_loop()
    end = loop.time() + WAIT
    while True:
        code, run = await api.get(f"jobs/runs/{run_id}")
        assert code == 200, run
        if condition(run) or loop.time() > end:
            return run
        await asyncio.sleep(0.2)


async def test_parameters_show_names_types_defaults_help_and_the_kernels(api):
    code, form = await api.get("jobs/parameters", notebook="report.ipynb")
    assert code == 200, form
    assert form["notebook"] == "report.ipynb" and form["kernel"] == "python3"
    assert "python3" in form["kernels"]
    by_name = {p["name"]: p for p in form["parameters"]}
    assert list(by_name) == ["since", "n", "rate", "verbose", "day"]
    assert {n: p["type"] for n, p in by_name.items()} == {
        "since": "str", "n": "int", "rate": "float", "verbose": "bool", "day": "date"}
    assert {n: p["default"] for n, p in by_name.items()} == {
        "since": "2026-01-01", "n": 3, "rate": 0.5, "verbose": False, "day": "2026-01-01"}
    assert by_name["day"]["default_text"] == "date(2026, 1, 1)"
    assert by_name["since"]["help"] == "first day of the report"
    assert by_name["n"]["help"] is None


async def test_parameters_of_a_missing_outside_or_non_notebook_file_are_refused(api):
    code, error = await api.get("jobs/parameters", notebook="nope.ipynb")
    assert code == 404 and "nope.ipynb" in error["message"]
    code, error = await api.get("jobs/parameters", notebook="../elsewhere.ipynb")
    assert code == 403 and error["code"] == "forbidden_path"
    code, error = await api.get("jobs/parameters", notebook="notes.txt")
    assert code == 422 and "not a notebook" in error["message"]
    code, error = await api.get("jobs/parameters")
    assert code == 422 and error["detail"]["field"] == "notebook"


async def test_a_finished_run_shows_its_values_paths_and_job(api, shared):
    code, run = await api.get(f"jobs/runs/{shared.run.id}")
    assert code == 200, run
    assert (run["status"], run["finished"], run["job_id"], run["job_name"]) == (
        "succeeded", True, None, None)
    assert run["notebook"] == "report.ipynb"
    assert run["parameters"] == {"n": 4, "verbose": True}
    assert run["values"] == {"total": 2.0, "flag": True}
    # The executed notebook is in the workspace, under the root: JupyterLab can open it.
    assert run["output_path"] == f".mlworkbench/jobs/runs/{shared.run.id}/report.ipynb"
    assert run["output_in_root"] and run["output_available"] and run["html_available"]
    assert (shared.root / run["output_path"]).is_file()
    assert run["duration_seconds"] > 0 and run["ended_at"] >= run["started_at"]
    code, listed = await api.get("jobs/runs")
    assert code == 200 and shared.run.id in [r["id"] for r in listed["runs"]]
    ids = [r["id"] for r in listed["runs"]]
    assert ids == sorted(ids, reverse=True)  # newest first
    code, newest = await api.get("jobs/runs", limit="1")
    assert code == 200 and [r["id"] for r in newest["runs"]] == ids[:1]
    code, error = await api.get("jobs/runs", limit="0")
    assert code == 422 and error["detail"]["field"] == "limit"


async def test_the_log_is_read_piece_by_piece_from_an_offset(api, shared):
    path = f"jobs/runs/{shared.run.id}/log"
    code, whole = await api.get(path)
    assert code == 200 and whole["finished"] is True
    assert "report 2026-01-01 4 0.5 True date 2026-01-01" in whole["text"]
    data = whole["text"].encode()
    assert whole["offset"] == len(data) == Path(shared.run.log_path).stat().st_size
    middle = len(data) // 2
    code, rest = await api.get(path, offset=str(middle))
    assert code == 200 and rest["text"].encode() == data[middle:]
    assert rest["offset"] == whole["offset"]
    code, nothing = await api.get(path, offset=str(whole["offset"]))
    assert (nothing["text"], nothing["offset"]) == ("", whole["offset"])
    code, error = await api.get(path, offset="-1")
    assert code == 422 and error["detail"]["field"] == "offset"


async def test_the_html_export_is_served_sandboxed(jp_fetch, shared):
    response = await jp_fetch("mlworkbench", "api", "jobs", "runs", str(shared.run.id), "html")
    assert response.code == 200
    assert response.headers["Content-Type"].startswith("text/html")
    assert "sandbox allow-scripts" in response.headers["Content-Security-Policy"]
    assert "report 2026-01-01 4 0.5 True date 2026-01-01" in response.body.decode()


async def test_runs_finished_after_a_time_are_those_that_ended_since(api, shared):
    before = (shared.run.ended_at - dt.timedelta(seconds=1)).isoformat()
    code, listed = await api.get("jobs/runs", finished_after=before)
    assert code == 200 and shared.run.id in [r["id"] for r in listed["runs"]]
    assert all(r["finished"] for r in listed["runs"])
    after = shared.run.ended_at.astimezone(dt.timezone.utc).replace(tzinfo=None).isoformat()
    code, listed = await api.get("jobs/runs", finished_after=after)  # naive: read as UTC
    assert code == 200 and shared.run.id not in [r["id"] for r in listed["runs"]]
    code, error = await api.get("jobs/runs", finished_after="yesterday")
    assert code == 422 and error["detail"]["field"] == "finished_after"
    code, error = await api.get("jobs/runs", job="no-such-job")
    assert code == 404


async def test_a_run_started_through_the_api_parses_text_by_type_and_succeeds(api):
    body = {"notebook": "report.ipynb", "output_dir": "outputs",
            "parameters": {"since": "2026-03-01", "n": "7", "rate": "0.25", "verbose": "no",
                           "day": "2026-03-02"}}
    code, started = await api.post("jobs/runs", body)
    assert code == 201, started
    assert started["status"] in ("queued", "running") and not started["finished"]
    assert started["parameters"] == {"since": "2026-03-01", "n": 7, "rate": 0.25,
                                     "verbose": False, "day": "2026-03-02"}
    run = await _until(api, started["id"], lambda r: r["finished"])
    assert run["status"] == "succeeded", run
    assert run["values"] == {"total": 1.75, "flag": False}
    assert run["output_path"] == f"outputs/report-run{run['id']}.ipynb"
    code, log = await api.get(f"jobs/runs/{run['id']}/log")
    assert "report 2026-03-01 7 0.25 False date 2026-03-02" in log["text"]


async def test_stop_cancels_a_running_run(api, shared):
    started_file = shared.root / "slow-started"
    code, started = await api.post("jobs/runs", {"notebook": "slow.ipynb", "retries": 2,
                                                 "retry_backoff_seconds": 0})
    assert code == 201, started
    await _until(api, started["id"], lambda r: r["finished"] or started_file.exists())
    code, stopped = await api.post(f"jobs/runs/{started['id']}/stop")
    assert code == 200, stopped
    run = await _until(api, started["id"], lambda r: r["finished"])
    assert run["status"] == "cancelled" and run["exit_reason"] == "Stopped by the user."
    assert run["attempt"] == 1  # a stop is not retried
    code, again = await api.post(f"jobs/runs/{started['id']}/stop")
    assert code == 200 and again["status"] == "cancelled"  # a finished run is unchanged


async def test_a_queued_run_has_no_html_and_stops_before_it_starts(api, ws):
    run_id = ws.jobs.enqueue("report.ipynb")
    code, run = await api.get(f"jobs/runs/{run_id}")
    assert code == 200 and run["status"] == "queued" and not run["html_available"]
    code, error = await api.get(f"jobs/runs/{run_id}/html")
    assert code == 404 and "no executed notebook yet" in error["message"]
    code, log = await api.get(f"jobs/runs/{run_id}/log")
    assert code == 200 and (log["text"], log["finished"]) == ("", False)
    code, stopped = await api.post(f"jobs/runs/{run_id}/stop")
    assert code == 200 and stopped["status"] == "cancelled"
    assert stopped["exit_reason"] == "Stopped before it started."


async def test_bad_runs_are_refused_with_what_to_fix_and_nothing_recorded(api, ws):
    before = len(ws.jobs.list_runs(limit=1000))
    code, error = await api.post("jobs/runs", {"notebook": "report.ipynb",
                                               "parameters": {"n": "three"}})
    assert code == 400 and error["code"] == "bad_job_parameter"
    assert error["detail"]["parameter"] == "n" and error["detail"]["expected"] == "int"
    assert "'n' expects a whole number" in error["message"]
    code, error = await api.post("jobs/runs", {"notebook": "report.ipynb",
                                               "parameters": {"day": "2026-02-30"}})
    assert code == 400 and error["detail"]["parameter"] == "day"
    code, error = await api.post("jobs/runs", {"notebook": "report.ipynb",
                                               "parameters": {"colour": "red"}})
    assert code == 400 and error["detail"]["parameter"] == "colour"
    assert "no parameter 'colour'" in error["message"] and "since" in error["message"]
    code, error = await api.post("jobs/runs", {"notebook": "missing.ipynb"})
    assert code == 404 and "missing.ipynb" in error["message"]
    code, error = await api.post("jobs/runs", {"notebook": "/etc/passwd.ipynb"})
    assert code == 403
    code, error = await api.post("jobs/runs", {"notebook": "report.ipynb", "kernel": "cobol"})
    assert code == 404 and error["code"] == "kernel_not_found"
    code, error = await api.post("jobs/runs", {"notebook": "report.ipynb",
                                               "output_dir": "notes.txt/out"})
    assert code == 400 and error["code"] == "output_folder_not_writable"
    code, error = await api.post("jobs/runs", {"notebook": "report.ipynb",
                                               "timeout_seconds": 0})
    assert code == 422 and error["detail"]["field"] == "timeout_seconds"
    code, error = await api.post("jobs/runs", {"notebook": "report.ipynb", "retries": -1})
    assert code == 422 and error["detail"]["field"] == "retries"
    code, error = await api.post("jobs/runs", {"notebook": "report.ipynb", "colour": 1})
    assert code == 422 and error["detail"]["field"] == "colour"
    assert len(ws.jobs.list_runs(limit=1000)) == before


async def test_unknown_runs_are_404(api):
    for path in ("jobs/runs/999999", "jobs/runs/999999/log", "jobs/runs/999999/html",
                 "jobs/runs/abc"):
        code, error = await api.get(path)
        assert code == 404, (path, error)
    code, error = await api.post("jobs/runs/999999/stop")
    assert code == 404 and "999999" in error["message"]


async def test_a_request_without_the_token_is_refused(jp_fetch):
    response = await jp_fetch("mlworkbench", "api", "jobs", "runs", method="POST",
                              body='{"notebook": "report.ipynb"}', raise_error=False,
                              headers={"Authorization": ""})
    assert response.code == 403


async def test_a_character_cut_by_a_write_in_progress_is_read_whole_next_time(api, ws):
    run_id = ws.jobs.enqueue("report.ipynb")
    log = Path(ws.jobs.describe(run_id).log_path)
    euro = "€".encode()
    log.write_bytes(b"ab" + euro[:2])  # the writer is in the middle of the euro sign
    code, first = await api.get(f"jobs/runs/{run_id}/log")
    assert code == 200 and (first["text"], first["offset"]) == ("ab", 2)
    with log.open("ab") as f:
        f.write(euro[2:] + b"cd\n")
    code, second = await api.get(f"jobs/runs/{run_id}/log", offset=str(first["offset"]))
    assert (second["text"], second["offset"]) == ("€cd\n", 2 + len(euro) + 3)
    ws.jobs.stop(run_id)
