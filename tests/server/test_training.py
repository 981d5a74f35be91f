"""The training REST routes on a real jupyter-server with auth on, as the panel calls them: the
training itself runs in real worker processes. Nothing here asserts a time."""

from __future__ import annotations

import asyncio

import pytest

CHURN = """
    SELECT i AS customer_id, (i * 37 % 101) / 10.0 AS usage, (i * 53 % 97) / 10.0 AS tenure,
           ['basic', 'plus', 'pro'][i % 3 + 1] AS plan,
           CASE WHEN (i * 37 % 101) + (i * 53 % 97) > 100 THEN 'yes' ELSE 'no' END AS churned
    FROM range(300) t(i)
"""
SQL = "SELECT * FROM churn"


@pytest.fixture
def churn(jp_serverapp):
    workspace = jp_serverapp.web_app.settings["mlworkbench_workspace"]
    workspace.tables.save_query("churn", CHURN)
    return workspace


async def poll(api, run_id, until=lambda run: run["status"] != "running"):
    """GET the run until ``until`` holds (the server keeps answering while a run trains)."""
    for _ in range(2400):
        code, run = await api.get(f"training/runs/{run_id}")
        assert code == 200, run
        if until(run) or run["status"] != "running":
            return run
        await asyncio.sleep(0.05)
    raise AssertionError(f"run {run_id} never got there")


async def test_preview_describes_the_columns_the_task_and_the_metrics(api, churn):
    code, preview = await api.post("training/preview", {"sql": SQL, "target": "churned"})

    assert code == 200, preview
    assert (preview["rows"], preview["sampled"], preview["task"]) == (300, False, "binary")
    assert preview["default_metric"] == "roc_auc"
    by_task = preview["metrics_by_task"]
    assert [m["name"] for m in by_task["regression"]] == ["r2", "mae", "rmse"]
    assert {"name": "log_loss", "label": "Log loss", "greater_is_better": False} in \
        by_task["multiclass"]
    assert by_task["binary"] == preview["metrics"]
    assert preview["default_metric_by_task"] == {
        "binary": "roc_auc", "multiclass": "balanced_accuracy", "regression": "r2"}
    assert preview["features"] == ["usage", "tenure", "plan"]
    by_name = {c["name"]: c for c in preview["columns"]}
    assert by_name["customer_id"]["flags"][0]["code"] == "id_like"
    assert by_name["customer_id"]["flags"][0]["reason"]
    assert "churned" in preview["all_columns"] and "churned" not in by_name


async def test_preview_refuses_a_bad_query_or_target_with_what_to_fix(api, churn):
    code, error = await api.post("training/preview", {"sql": SQL, "target": "churnd"})
    assert (code, error["code"]) == (422, "target_missing")
    assert "Did you mean 'churned'" in error["message"]

    code, error = await api.post("training/preview", {"sql": "SELECT *\nFROM churn\nWHERE"})
    assert (code, error["code"]) == (400, "query_error")
    assert error["detail"]["line"] >= 3


async def test_a_run_starts_at_once_trains_elsewhere_and_is_listed_and_compared(api, churn):
    body = {"sql": SQL, "target": "churned", "budget_s": 1, "max_trials": 1,
            "experiment": "churn"}
    code, started = await api.post("training/runs", body)
    assert code == 202, started
    assert started["status"] == "running" and started["experiment"] == "churn"
    run = await poll(api, started["run_id"])

    assert run["status"] == "finished", run["error"]
    result = run["result"]
    assert result["leaderboard"] and result["best"]["score"] is not None
    assert {"roc_auc", "accuracy"} <= set(result["metrics"])
    assert result["charts"] and all("$schema" in c for c in result["charts"].values())
    assert [(i["name"], i["version"]) for i in run["inputs"]] == [("churn", 1)]
    assert run["progress"]["phase"] == "done" and run["best_score"] == result["best"]["score"]

    assert result["refit_all"] is False and result["rows"]["refit"] == result["rows"]["train"]
    code, second = await api.post("training/runs", {**body, "random_state": 3,
                                                    "refit_all": True})
    refitted = await poll(api, second["run_id"])
    assert refitted["status"] == "finished" and refitted["params"]["refit_all"] is True
    assert refitted["result"]["refit_all"] is True and refitted["result"]["rows"]["refit"] == 300
    assert "refitted on all 300 rows" in refitted["result"]["message"]
    code, listed = await api.get("training/runs", experiment="churn")
    assert code == 200
    assert [r["run_id"] for r in listed["runs"]] == [second["run_id"], run["run_id"]]
    assert listed["runs"][1]["metric"] == "roc_auc" and listed["experiments"] == ["churn"]

    code, compared = await api.get("training/compare", runs=f"{run['run_id']},{second['run_id']}")
    assert code == 200, compared
    assert [r["run"] for r in compared["rows"]] == [run["run_id"], second["run_id"]]
    assert {"params.random_state", "params.refit_all"} <= set(compared["differing"])
    assert compared["inputs"][str(run["run_id"])][0]["name"] == "churn"


async def test_stop_keeps_the_best_and_a_running_run_cannot_be_deleted(api, churn):
    code, started = await api.post("training/runs", {"sql": SQL, "target": "churned",
                                                     "budget_s": 120})
    run_id = started["run_id"]
    await poll(api, run_id, lambda run: (run["progress"] or {}).get("phase") == "search"
               or (run["progress"] or {}).get("trials_done", 0) > 0)
    code, error = await api.delete(f"training/runs/{run_id}")
    assert (code, error["code"]) == (409, "conflict")
    assert "still running" in error["message"]

    code, asked = await api.post(f"training/runs/{run_id}/stop")
    assert code == 200 and asked["stop_requested"]
    run = await poll(api, run_id)
    assert run["status"] == "stopped"
    assert run["result"]["stopped_by"] == "user" and run["artifacts"][0]["name"] == "best"
    assert run["error"]["code"] == "stopped"

    code, _ = await api.delete(f"training/runs/{run_id}")
    assert code == 204
    code, error = await api.get(f"training/runs/{run_id}")
    assert (code, error["code"]) == (404, "not_found")


async def test_bad_training_requests_are_refused_with_the_field_to_fix(api, churn):
    cases = [
        ({"target": "churned", "budget_s": -1}, 422, "budget_s"),
        ({"target": "churned", "metric": "r2"}, 422, "metric"),
        ({"target": "churned", "features": ["usage", "plann"]}, 422, "features"),
        ({"target": "churned", "task": "ranking"}, 422, "task"),
        ({"target": "nope"}, 422, "target"),
        ({"target": "churned", "surprise": 1}, 422, "surprise"),
    ]
    for body, status, field in cases:
        code, error = await api.post("training/runs", {"sql": SQL, **body})
        assert (code, error["detail"].get("field")) == (status, field), (body, error)
        assert error["message"]
    code, error = await api.post("training/runs", {"sql": "SELEC 1", "target": "x"})
    assert (code, error["code"]) == (400, "query_error")
    code, listed = await api.get("training/runs")
    assert listed["runs"] == []  # nothing was started

    code, error = await api.get("training/runs/12345")
    assert (code, error["code"]) == (404, "not_found")
    code, error = await api.get("training/runs/abc")
    assert code == 404
    code, error = await api.get("training/compare", runs="1,x")
    assert (code, error["detail"]["field"]) == (422, "runs")
    code, error = await api.post("training/runs/12345/stop")
    assert code == 404
