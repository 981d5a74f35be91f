"""The model registry's REST routes on a real jupyter-server with auth on, as the panel calls
them, publishing a real training run."""

from __future__ import annotations

import pytest

from tests.server.conftest import with_churn_run


@pytest.fixture
def jp_server_config(jp_server_config, workspace_templates):
    return with_churn_run(jp_server_config, workspace_templates)



@pytest.fixture
def workspace(jp_serverapp):
    return jp_serverapp.web_app.settings["mlworkbench_workspace"]


async def test_publish_promote_gate_roll_back_and_delete_over_rest(api, workspace,
                                                                  churn_run_id):
    run_id = churn_run_id
    code, version = await api.post("models", {"run_id": run_id, "name": "churn",
                                              "description": "first"})
    assert code == 201, version
    assert (version["name"], version["version"], version["run_id"]) == ("churn", 1, run_id)
    assert [c["name"] for c in version["signature"]["columns"]] == ["usage", "tenure", "plan"]
    assert version["card"].startswith("# churn, version 1")
    code, second = await api.post("models", {"run_id": run_id, "name": "churn"})
    assert (code, second["version"]) == (201, 2)

    code, listed = await api.get("models")
    assert code == 200 and [(m["name"], m["latest_version"]) for m in listed["models"]] == [
        ("churn", 2)]

    code, move = await api.call("PUT", "models/churn/aliases/production", {"version": 1})
    assert code == 200 and move["moved"] and move["to_version"] == 1
    code, gates = await api.call("PUT", "models/churn/aliases/production/gates",
                                 {"gates": ["balanced_accuracy > 2"]})
    assert code == 200 and gates == {**gates, "alias": "production", "version": 1,
                                     "gates": ["balanced_accuracy > 2"]}
    code, error = await api.call("PUT", "models/churn/aliases/production", {"version": 2})
    assert (code, error["code"]) == (409, "gate_failed")
    assert error["detail"]["failed"] == ["balanced_accuracy > 2"]
    assert "balanced_accuracy" in error["detail"]["metrics"]

    await api.call("PUT", "models/churn/aliases/production/gates", {"gates": []})
    code, move = await api.call("PUT", "models/churn/aliases/production", {"version": 2})
    assert code == 200 and (move["from_version"], move["to_version"]) == (1, 2)
    code, back = await api.post("models/churn/aliases/production/rollback")
    assert code == 200 and (back["action"], back["to_version"]) == ("rollback", 1)

    code, described = await api.get("models/churn")
    assert code == 200
    assert [a["version"] for a in described["aliases"]] == [1]
    assert [(m["action"], m["to_version"], m["moved"]) for m in described["alias_history"]] == [
        ("rollback", 1, True), ("promote", 2, True), ("promote", 2, False),
        ("promote", 1, True)]
    assert described["alias_history"][0]["actor"]  # who asked is kept

    code, edited = await api.call("PUT", "models/churn/versions/1/card", {"card": "# Mine\n"})
    assert code == 200 and edited["card"] == "# Mine\n"
    code, got = await api.get("models/churn/versions/v1")
    assert code == 200 and got["card"] == "# Mine\n" and got["aliases"] == ["production"]

    code, error = await api.delete("models/churn/versions/1")
    assert (code, error["detail"]["aliases"]) == (409, ["production"])
    code, _ = await api.delete("models/churn/versions/2")
    assert code == 204
    code, error = await api.delete("models/churn")
    assert code == 409 and "force" in error["message"]
    code, _ = await api.call("DELETE", "models/churn", force="true")
    assert code == 204
    code, listed = await api.get("models")
    assert listed["models"] == []


async def test_bad_requests_are_4xx_saying_what_to_fix(api, workspace):
    failed = workspace.experiments.start_run("scratch")
    failed.fail("out of memory")

    code, error = await api.post("models", {"run_id": failed.id, "name": "churn"})
    assert code == 409 and "out of memory" in error["message"]
    code, error = await api.post("models", {"run_id": failed.id, "name": "churn model"})
    assert (code, error["detail"]["field"]) == (422, "name")
    code, error = await api.post("models", {"run_id": 999, "name": "churn"})
    assert code == 404 and "999" in error["message"]
    code, error = await api.post("models", {"name": "churn"})
    assert code == 422 and error["detail"]["field"] == "run_id"
    code, error = await api.get("models/nothing")
    assert code == 404 and error["detail"]["known"] == []
    code, error = await api.get("models/nothing/versions/x")
    assert code == 404
