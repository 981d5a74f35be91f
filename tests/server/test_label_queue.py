"""POST /labelsets/{name}/queue: the active-learning queue through the REST API (a real
jupyter-server with auth on; the label set is made through the server's own workspace)."""

from __future__ import annotations

import asyncio
import json
import time

import pytest
from tornado.httpclient import HTTPClientError


@pytest.fixture
def workspace(jp_serverapp):
    return jp_serverapp.web_app.settings["mlworkbench_workspace"]


def line_set(ws, n=101, labeled=(0, 10, 20, 80, 90, 100)):
    ws.tables.save_query("pts", f"SELECT range AS id, (range - 50) / 50.0 AS x FROM range({n})")
    labels = ws.labels.create("pts_labels", "SELECT * FROM pts", key="id", choices=["neg", "pos"])
    for key in labeled:
        labels.record(key, ["neg" if key < 50 else "pos"], annotator="ann")
    return labels


async def test_refreshing_the_queue_answers_its_description_and_writes_the_table(api, workspace):
    line_set(workspace)

    code, queue = await api.post("labelsets/pts_labels/queue", {"strategy": "margin"})

    assert code == 200, queue
    assert queue["table"] == "pts_labels_queue" and queue["version"] == 1
    assert queue["strategy"] == "margin" and queue["trained_on"] == 6 and queue["scored"] == 95
    assert queue["top"][0]["item_key"] == "50" and queue["top"][0]["rank"] == 1
    code, table = await api.get("tables/pts_labels_queue")
    assert code == 200 and table["table"]["row_count"] == 95
    code, result = await api.post(
        "queries", {"sql": "SELECT item_key FROM pts_labels_queue WHERE rank = 1"}
    )
    assert code == 200, result


async def test_too_few_labels_is_a_409_and_a_bad_strategy_a_422(api, workspace):
    line_set(workspace, labeled=(0, 10))

    code, error = await api.post("labelsets/pts_labels/queue")
    assert code == 409 and "at least 2 different labels" in error["message"]

    code, error = await api.post("labelsets/pts_labels/queue", {"strategy": "random"})
    assert code == 422 and error["detail"]["field"] == "strategy"

    code, error = await api.post("labelsets/nope/queue")
    assert code == 404, error


async def test_a_client_that_goes_away_cancels_the_refresh(jp_fetch, api, workspace):
    line_set(workspace, n=400_000, labeled=(0, 10, 90, 100))
    scratch = workspace.engine.temp_directory
    body = json.dumps({"batch_size": 100})  # 4,000 small batches: many seconds of scoring
    with pytest.raises(HTTPClientError):
        await jp_fetch("mlworkbench", "api", "labelsets", "pts_labels", "queue",
                       method="POST", body=body, request_timeout=2.0)
    assert list(scratch.glob("queue-*.parquet")), "the refresh was scoring when the client left"

    deadline = time.monotonic() + 5
    while list(scratch.glob("queue-*.parquet")) and time.monotonic() < deadline:
        await asyncio.sleep(0.1)
    assert not list(scratch.glob("queue-*.parquet")), "the refresh stopped at the next batch"
    code, _ = await api.get("tables/pts_labels_queue")
    assert code == 404


async def task_when(api, task_id, done):
    """Poll GET /tasks/{id} until ``done(task)``; returns every answer seen."""
    seen = []
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        code, task = await api.get(f"tasks/{task_id}")
        assert code == 200, task
        seen.append(task)
        if done(task):
            return seen
        await asyncio.sleep(0.05)
    raise AssertionError(f"task {task_id} never got there: {seen[-1]}")


async def test_a_background_refresh_reports_progress_and_its_queue(api, workspace):
    line_set(workspace, n=20_000, labeled=(0, 10, 90, 100))

    code, started = await api.post("labelsets/pts_labels/queue/task",
                                   {"strategy": "entropy", "batch_size": 500})
    assert code == 202, started
    seen = await task_when(api, started["task_id"], lambda t: t["finished"])

    last = seen[-1]
    assert last["kind"] == "queue" and last["error"] is None, last
    assert last["done"] == last["total"] == 19_996
    assert last["result"]["table"] == "pts_labels_queue" and last["result"]["scored"] == 19_996
    assert last["result"]["strategy"] == "entropy"
    code, table = await api.get("tables/pts_labels_queue")
    assert code == 200 and table["table"]["row_count"] == 19_996


async def test_a_background_refresh_cancels_and_keeps_no_queue(api, workspace):
    line_set(workspace, n=400_000, labeled=(0, 10, 90, 100))
    code, started = await api.post("labelsets/pts_labels/queue/task", {"batch_size": 100})
    assert code == 202, started
    task_id = started["task_id"]
    await task_when(api, task_id, lambda t: t["done"] > 0)  # scoring has begun

    code, answer = await api.post(f"tasks/{task_id}/cancel")
    assert code == 200 and answer["cancelled"] is True
    last = (await task_when(api, task_id, lambda t: t["finished"]))[-1]
    assert last["cancelled"] and last["error"]["code"] == "cancelled"
    assert last["done"] < last["total"] == 399_996
    code, _ = await api.get("tables/pts_labels_queue")
    assert code == 404
    assert not list(workspace.engine.temp_directory.glob("queue-*.parquet"))


async def test_the_server_makes_its_background_tasks_once_at_start(jp_serverapp, api, workspace):
    settings = jp_serverapp.web_app.settings
    tasks = settings.get("mlworkbench_tasks")
    assert tasks is not None, "made with the workspace, before any request"
    line_set(workspace, n=200)

    for _ in range(2):
        code, started = await api.post("labelsets/pts_labels/queue/task", {"batch_size": 100})
        assert code == 202, started
        await task_when(api, started["task_id"], lambda t: t["finished"])
        assert tasks.get(started["task_id"]).error is None  # the same Tasks ran it
    assert settings["mlworkbench_tasks"] is tasks
