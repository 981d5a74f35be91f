"""POST /scoring/task: scoring as a background task on a real jupyter-server (auth on) with a
model trained and published for real; progress polled on GET /tasks/{id}, Cancel through
POST /tasks/{id}/cancel leaving the table's previous version current."""

from __future__ import annotations

import asyncio
import threading

import pytest

from mlworkbench.core import tasks as tasks_module
from mlworkbench.core.serving import scoring as scoring_module
from tests.server.conftest import with_churn_run

ROWS = 400_000
SQL = ("SELECT i AS id, (i % 101) / 10.0 AS usage, CAST(i % 97 AS INT) AS tenure, "
       "['basic', 'plus', 'pro'][i % 3 + 1] AS plan FROM range($n) t(i)")


@pytest.fixture
def jp_server_config(jp_server_config, workspace_templates):
    return with_churn_run(jp_server_config, workspace_templates)


@pytest.fixture
def workspace(jp_serverapp, churn_run_id):
    ws = jp_serverapp.web_app.settings["mlworkbench_workspace"]
    ws.registry.publish(churn_run_id, "churn")
    return ws


@pytest.fixture
def gate(monkeypatch):
    """Holds the scoring thread at its first progress report (rows done > 0) until released,
    so the test sees a running task and cancels it at a known point: the report is made
    after every batch (no 1 s wait), and the cancel check runs as it returns."""
    monkeypatch.setattr(scoring_module, "PROGRESS_AFTER_SECONDS", 0.0)
    reached, release = threading.Event(), threading.Event()
    update = tasks_module.Progress.update

    def gated(self, done=None, total=None, message=None):
        if self.kind != "scoring" or not done or reached.is_set():
            return update(self, done, total, message)
        self.done, self.total = done, total
        reached.set()
        release.wait(30)
        self.check()

    monkeypatch.setattr(tasks_module.Progress, "update", gated)
    yield reached, release
    release.set()


async def _until(api, task_id: str, condition) -> dict:
    for _ in range(1200):
        code, task = await api.get(f"tasks/{task_id}")
        assert code == 200, task
        if condition(task):
            return task
        await asyncio.sleep(0.05)
    raise AssertionError(f"task never got there: {task}")


def _body(n: int) -> dict:
    return {"sql": SQL, "model": "churn", "into": "scored", "parameters": {"n": n}}


async def test_a_scoring_task_reports_progress_and_ends_with_the_response(api, workspace, gate):
    reached, release = gate
    code, started = await api.post("scoring/task", _body(ROWS))
    assert code == 202, started
    running = await _until(api, started["task_id"], lambda t: t["done"] > 0)
    assert (running["kind"], running["finished"], running["cancelled"]) == (
        "scoring", False, False)
    assert 0 < running["done"] < ROWS <= running["total"]
    release.set()
    task = await _until(api, started["task_id"], lambda t: t["finished"])
    assert task["error"] is None, task["error"]
    result = task["result"]
    assert (task["done"], task["total"]) == (ROWS, ROWS)
    assert (result["rows"], result["model"], result["version"]) == (ROWS, "churn", 1)
    assert result["table"]["name"] == "scored" and result["table"]["version"] == 1
    assert result["sha256"] in result["lineage"]
    assert workspace.query("SELECT count(*) AS n FROM scored")["n"][0] == ROWS


async def test_a_cancelled_scoring_keeps_the_previous_version(api, workspace, gate):
    reached, release = gate
    code, first = await api.post("scoring", _body(10))
    assert code == 201 and first["table"]["version"] == 1
    folder = workspace.tables.path("scored").parent
    files = sorted(folder.iterdir())

    code, started = await api.post("scoring/task", _body(ROWS))
    assert code == 202, started
    await _until(api, started["task_id"], lambda t: t["done"] > 0 and not t["finished"])
    code, answer = await api.post(f"tasks/{started['task_id']}/cancel")
    assert (code, answer) == (200, {"cancelled": True})
    release.set()
    task = await _until(api, started["task_id"], lambda t: t["finished"])
    assert task["cancelled"] and task["result"] is None
    assert task["error"]["code"] == "cancelled"

    described = workspace.tables.describe("scored")
    assert [v.version for v in described.versions] == [1]
    assert workspace.query("SELECT count(*) AS n FROM scored")["n"][0] == 10
    assert sorted(folder.iterdir()) == files  # the cancelled version's file is gone too


async def test_bad_input_is_refused_at_once_or_is_the_tasks_error(api, workspace, jp_fetch):
    response = await jp_fetch("mlworkbench", "api", "scoring", "task", method="POST",
                              body="{}", headers={"Authorization": ""}, raise_error=False)
    assert response.code == 403

    code, error = await api.post("scoring/task", {**_body(5), "model": "nope"})
    assert (code, error["code"]) == (404, "not_found") and "nope" in error["message"]
    code, error = await api.post("scoring/task", {**_body(5), "sql": "SELECT 1; SELECT 2"})
    assert code == 422 and error["detail"]["field"] == "sql"

    # Found by reading the rows: the task's error, as POST /scoring answers it.
    cases = [({"sql": "SELECT 1 AS usage"}, "signature_mismatch"),
             ({"sql": "SELECT *,\n  nosuch FROM range(3)"}, "query_error")]
    for change, want in cases:
        body = {**_body(5), **change, "parameters": None}
        code, started = await api.post("scoring/task", body)
        assert code == 202, started
        task = await _until(api, started["task_id"], lambda t: t["finished"])
        code, direct = await api.post("scoring", body)
        assert task["error"]["code"] == direct["code"] == want
        assert task["error"] == {k: direct[k] for k in task["error"]}
    assert task["error"]["detail"]["line"] == 2
