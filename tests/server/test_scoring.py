"""predict() through the query route (the panel's grid and result sessions) and POST /scoring,
on a real jupyter-server with auth on, with a model trained and published for real."""

from __future__ import annotations

import asyncio

import pytest

from tests.server.conftest import with_churn_run


@pytest.fixture
def jp_server_config(jp_server_config, workspace_templates):
    return with_churn_run(jp_server_config, workspace_templates)



@pytest.fixture
def workspace(jp_serverapp, churn_run_id):
    ws = jp_serverapp.web_app.settings["mlworkbench_workspace"]
    ws.registry.publish(churn_run_id, "churn")
    ws.registry.set_alias("churn", "production", 1)
    ws.tables.save_query("customers", "SELECT i AS id, ['basic', 'pro'][i % 2 + 1] AS plan, "
                                      "i % 97 AS tenure, (i % 101) / 10.0 AS usage "
                                      "FROM range(3000) t(i)")
    return ws


async def test_predict_in_the_query_route_and_its_result_session(api, workspace):
    want = workspace.registry.load("churn@production").predict(
        workspace.query("SELECT * FROM customers ORDER BY id")).tolist()
    sql = "SELECT *, predict('churn@production', *) AS churned FROM customers ORDER BY id"
    code, result = await api.post("queries", {"sql": sql, "page_size": 10})
    assert code == 200, result
    assert [c["name"] for c in result["columns"]] == ["id", "plan", "tenure", "usage", "churned"]
    assert [row[4] for row in result["rows"]] == want[:10]
    session = result["session_id"]
    for _ in range(400):
        code, described = await api.get(f"results/{session}")
        if described["status"] == "ready":
            break
        await asyncio.sleep(0.05)
    assert described["total_rows"] == 3000
    code, page = await api.post(f"results/{session}/page", {"offset": 2990, "limit": 10})
    assert code == 200 and [row[4] for row in page["rows"]] == want[2990:]


async def test_predict_errors_in_the_query_route(api, workspace):
    code, error = await api.post("queries", {"sql": "SELECT predict('nope', *) FROM customers"})
    assert (code, error["code"]) == (404, "not_found") and "nope" in error["message"]
    code, error = await api.post("queries", {"sql": "SELECT predict('churn', *) FROM "
                                                    "(SELECT plan, usage FROM customers)"})
    assert (code, error["code"]) == (422, "signature_mismatch") and "tenure" in error["message"]
    code, error = await api.post("queries", {
        "sql": "SELECT predict('churn', *) AS p,\n  nosuch FROM customers"})
    assert (code, error["detail"]["line"], error["detail"]["column"]) == (400, 2, 3)


async def test_post_scoring_writes_a_table_version(api, workspace):
    body = {"sql": "SELECT * FROM customers WHERE id < $n", "model": "churn@production",
            "into": "scored", "parameters": {"n": 100}}
    code, answer = await api.post("scoring", body)
    assert code == 201, answer
    assert (answer["rows"], answer["model"], answer["version"]) == (100, "churn", 1)
    assert answer["table"]["version"] == 1 and answer["sha256"] in answer["lineage"]
    code, again = await api.post("scoring", {**body, "parameters": {"n": 5}})
    assert (code, again["table"]["version"], again["rows"]) == (201, 2, 5)
    code, error = await api.post("scoring", {**body, "model": "nope"})
    assert code == 404
    code, error = await api.post("scoring", {**body, "sql": "SELECT id FROM customers"})
    assert (code, error["code"]) == (422, "signature_mismatch")
    code, error = await api.post("scoring", {**body, "sql": "SELEC 1"})
    assert (code, error["code"]) == (400, "query_error")
