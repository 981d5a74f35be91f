"""The Label Studio routes on a real jupyter-server (auth on) against a real Label Studio."""

from __future__ import annotations

import asyncio
import json

import pytest

from mlworkbench.core.labeling.studio_config import choice_result
from tests.server.conftest import Api

ITEMS = "SELECT * FROM (VALUES " + ", ".join(
    f"('k{i}', 'text number {i}')" for i in range(12)) + ") t(id, body)"


@pytest.fixture
def jp_server_config(tmp_path_factory, label_studio):
    workspace = tmp_path_factory.mktemp("workspace")
    return {
        "ServerApp": {"jpserver_extensions": {"mlworkbench": True},
                      "allow_unauthenticated_access": False},
        "MLWorkbench": {"workspace": str(workspace), "label_studio_url": label_studio.url,
                        "label_studio_api_key": label_studio.token},
    }


@pytest.fixture
def api(jp_fetch) -> Api:
    return Api(jp_fetch)


async def finish(api: Api, started: tuple[int, dict], timeout: float = 120) -> dict:
    code, body = started
    assert code == 202, body
    for _ in range(int(timeout / 0.2)):
        code, task = await api.get(f"tasks/{body['task_id']}")
        assert code == 200
        if task["finished"]:
            return task
        await asyncio.sleep(0.2)
    raise AssertionError(f"task {body['task_id']} did not finish")


async def test_connect_push_pull_through_rest(api, label_studio):
    code, _ = await api.post("labelsets", {"name": "notes", "sql": ITEMS, "key": "id",
                                           "choices": ["a", "b"], "show": ["body"]})
    assert code == 201
    code, link = await api.get("labelsets/notes/studio")
    assert code == 200 and link["state"] == "not_connected"
    code, body = await api.post("labelsets/notes/studio/push", {})
    assert code == 409 and "connect" in body["message"]

    code, link = await api.post("labelsets/notes/studio/connect", {"title": "Notes"})
    assert code == 200 and link["state"] == "ok"
    assert link["project_url"].startswith(label_studio.url)

    task = await finish(api, await api.post("labelsets/notes/studio/push", {"batch_size": 5}))
    assert task["error"] is None and task["kind"] == "push"
    assert task["result"]["pushed"] == 12 and (task["done"], task["total"]) == (12, 12)
    task = await finish(api, await api.post("labelsets/notes/studio/push", {}))
    assert task["result"]["pushed"] == 0 and task["result"]["skipped"] == 12

    from label_studio_sdk import LabelStudio

    sdk = LabelStudio(base_url=label_studio.url, api_key=label_studio.token)
    tasks = sdk.tasks.list(project=link["project_id"])
    first = next(iter(tasks))
    sdk.annotations.create(id=first.id, result=choice_result(["b"]))
    task = await finish(api, await api.post("labelsets/notes/studio/pull"))
    assert task["error"] is None and task["result"]["written"] == 1

    code, link = await api.get("labelsets/notes/studio")
    assert link["counts"] == {"tasks": 12, "annotated": 1, "pushed": 12, "pulled": 1,
                              "unknown_labels": 0, "deleted_upstream": 0}
    assert link["configured"] is True
    assert link["last_pull_at"] is not None
    code, described = await api.get("labelsets/notes")
    assert described["progress"]["labeled"] == 1
    # The key is server config: it never travels in an answer.
    assert label_studio.token not in json.dumps([link, described, task])


async def test_a_failed_push_reports_its_error_in_the_task(api):
    await api.post("labelsets", {"name": "bad", "sql": ITEMS, "key": "id", "choices": ["a"]})
    code, _ = await api.post("labelsets/bad/studio/connect", {})
    assert code == 200
    task = await finish(api, await api.post("labelsets/bad/studio/push", {"sql": "SELECT nope"}))
    assert task["finished"] and task["result"] is None
    assert task["error"]["code"] == "query_error" and "nope" in task["error"]["message"]


async def test_unknown_names_are_404(api):
    code, body = await api.get("labelsets/nope/studio")
    assert code == 404
    code, body = await api.get("tasks/0123")
    assert code == 404 and body["code"] == "not_found"
    code, body = await api.post("tasks/0123/cancel")
    assert code == 404
