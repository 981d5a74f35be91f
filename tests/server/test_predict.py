"""REST predict on a real jupyter-server with auth on: a real training run published, called
as a client would (MLflow JSON forms, CSV), with the 4xx answers of bad input."""

from __future__ import annotations

import json

import pytest

from tests.server.conftest import with_churn_run

ROW = {"usage": 9.5, "tenure": 90, "plan": "pro"}


@pytest.fixture
def jp_server_config(jp_server_config, workspace_templates):
    jp_server_config["MLWorkbench"]["predict_max_bytes"] = 4000
    return with_churn_run(jp_server_config, workspace_templates)


@pytest.fixture
def workspace(jp_serverapp):
    return jp_serverapp.web_app.settings["mlworkbench_workspace"]


async def predict(jp_fetch, ref, body, content_type="application/json", **params):
    response = await jp_fetch("mlworkbench", "api", "models", ref, "predict", method="POST",
                              body=body if isinstance(body, (str, bytes)) else json.dumps(body),
                              headers={"Content-Type": content_type}, params=params,
                              raise_error=False, request_timeout=300)
    return response.code, json.loads(response.body)


async def test_predict_over_rest_and_its_refusals(jp_fetch, jp_serverapp, workspace,
                                                  churn_run_id):
    run_id = churn_run_id
    workspace.registry.publish(run_id, "churn")
    workspace.registry.set_alias("churn", "production", 1)

    code, answer = await predict(jp_fetch, "churn@production",
                                 {"dataframe_split": {"columns": [*ROW, "extra"],
                                                      "data": [[*ROW.values(), 1]]}},
                                 probabilities="true")
    assert code == 200, answer
    assert (answer["model"], answer["version"], answer["ignored_columns"]) == (
        "churn", 1, ["extra"])
    assert len(answer["predictions"]) == 1 and set(answer["probabilities"][0]) == {"no", "yes"}
    code, answer = await predict(jp_fetch, "churn", "usage,tenure,plan\n1.0,3,basic\n2,4,plus\n",
                                 "text/csv")
    assert code == 200 and len(answer["predictions"]) == 2 and "probabilities" not in answer

    code, error = await predict(jp_fetch, "churn@1", {"dataframe_records": [{"usage": "high"}]})
    assert code == 422 and "tenure" in error["message"] and error["code"]
    code, error = await predict(jp_fetch, "nope@production", {"inputs": ROW})
    assert code == 404 and "churn" in error["message"]
    code, error = await predict(jp_fetch, "churn@staging", {"inputs": ROW})
    assert code == 404 and "production" in error["message"]
    code, error = await predict(jp_fetch, "churn", {"rows": [ROW]})
    assert code == 400 and "dataframe_split" in error["message"]
    code, error = await predict(jp_fetch, "churn", {"inputs": [ROW] * 100})
    assert (code, error["code"]) == (413, "payload_too_large")

    version = workspace.registry.publish(run_id, "altered")
    (workspace.path / version.path).write_bytes(b"changed on disk")
    code, error = await predict(jp_fetch, "altered", {"inputs": ROW})
    assert code == 409 and "sha256" in error["message"]

    # the log is written off the request path: flush the server's to read it
    assert jp_serverapp.web_app.settings["mlworkbench_predictions"].log.flush()
    logged = workspace.query("SELECT status, count(*) AS n FROM prediction_log "
                             "GROUP BY status ORDER BY status")
    assert dict(zip(logged["status"], logged["n"])) == {200: 2, 400: 1, 404: 2, 409: 1,
                                                        413: 1, 422: 1}


async def test_stopping_the_server_writes_the_queued_prediction_log(jp_fetch, jp_serverapp,
                                                                    workspace):
    import duckdb

    code, _ = await predict(jp_fetch, "nobody", {"inputs": ROW})  # refused: logged all the same
    assert code == 404
    (extension,) = jp_serverapp.extension_manager.extension_apps["mlworkbench"]
    await extension.stop_extension()  # no flush first: stopping must write the queue
    parts = workspace.path / "prediction_log" / "*.parquet"
    rows = duckdb.sql(f"SELECT model, status FROM read_parquet('{parts}')").fetchall()
    assert rows == [("nobody", 404)]
