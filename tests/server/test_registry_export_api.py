"""Exporting a version as an MLflow model directory and removing an alias over REST, on a real
jupyter-server with auth on, as the panel calls them."""

from __future__ import annotations

import pytest

from tests.server.conftest import with_churn_run

mlflow = pytest.importorskip("mlflow")


@pytest.fixture
def jp_server_config(jp_server_config, workspace_templates):
    return with_churn_run(jp_server_config, workspace_templates)


async def test_export_a_version_then_load_it_with_mlflow(api, jp_root_dir, churn_run_id,
                                                         jp_fetch, monkeypatch):
    code, _ = await api.post("models", {"run_id": churn_run_id, "name": "churn"})
    assert code == 201

    code, exported = await api.post("models/churn/versions/1/export")
    assert code == 201, exported
    assert exported == {**exported, "name": "churn", "version": 1,
                        "path": "mlflow-models/churn-v1"}
    folder = jp_root_dir / "mlflow-models" / "churn-v1"
    assert exported["files"] == sorted(p.name for p in folder.iterdir())
    assert {"MLmodel", "model.skops", "requirements.txt", "README.md"} <= set(exported["files"])
    assert "input_example.json" not in exported["files"]  # no rows given: none invented
    assert exported["mlflow_uri_hint"].endswith(
        f"mlflow models serve -m {folder} --env-manager local")

    monkeypatch.setenv("MLFLOW_ALLOW_PICKLE_DESERIALIZATION", "true")
    model = mlflow.pyfunc.load_model(str(folder))
    import pandas as pd

    rows = pd.DataFrame({"usage": [9.5, 0.5], "tenure": [90, 3], "plan": ["pro", "basic"]})
    assert len(model.predict(rows)) == 2

    code, error = await api.post("models/churn/versions/1/export")
    assert (code, error["code"]) == (409, "conflict") and "overwrite" in error["message"]
    code, again = await api.post("models/churn/versions/1/export", {"overwrite": True})
    assert code == 201 and again["files"] == exported["files"]
    code, custom = await api.post("models/churn/versions/v1/export", {"path": "deploy/churn"})
    assert code == 201 and custom["path"] == "deploy/churn"

    code, error = await api.post("models/churn/versions/1/export", {"path": "../outside"})
    assert (code, error["code"], error["detail"]["field"]) == (400, "bad_request", "path")
    assert "outside the Jupyter root" in error["message"]
    code, error = await api.post("models/churn/versions/1/export", {"path": "/tmp/anywhere"})
    assert code == 400
    code, error = await api.post("models/nope/versions/1/export")
    assert code == 404 and "churn" in error["message"]
    code, error = await api.post("models/churn/versions/7/export")
    assert code == 404 and error["detail"]["known"] == [1]
    code, error = await api.post("models/churn/versions/production/export")
    assert code == 422 and error["detail"]["field"] == "version"
    code, error = await api.post("models/churn/versions/1/export", {"paht": "x"})
    assert code == 422 and "paht" in error["message"]

    response = await jp_fetch("mlworkbench", "api", "models", "churn", "versions", "1",
                              "export", method="POST", body="{}",
                              headers={"Authorization": ""}, raise_error=False)
    assert response.code == 403
    assert not (jp_root_dir / "outside").exists()


async def test_remove_an_alias_over_rest(api, churn_run_id, jp_fetch):
    await api.post("models", {"run_id": churn_run_id, "name": "churn"})
    code, _ = await api.call("PUT", "models/churn/aliases/production", {"version": 1})
    assert code == 200

    response = await jp_fetch("mlworkbench", "api", "models", "churn", "aliases", "production",
                              method="DELETE", headers={"Authorization": ""},
                              raise_error=False)
    assert response.code == 403
    code, _ = await api.delete("models/churn/aliases/production")
    assert code == 204
    code, described = await api.get("models/churn")
    assert described["aliases"] == []
    removal = described["alias_history"][0]
    assert (removal["action"], removal["from_version"], removal["to_version"]) == (
        "remove", 1, 1)
    assert removal["actor"]
    code, error = await api.delete("models/churn/aliases/production")
    assert code == 404 and "Aliases: none" in error["message"]
    code, error = await api.post("models/churn@production/predict",
                                 {"dataframe_records": [{"usage": 1.0}]})
    assert code == 404
