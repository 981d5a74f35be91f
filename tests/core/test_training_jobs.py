"""Training runs in their own processes (ws.training): real workspaces, real worker processes,
real signals. Budgets are small and searches capped; nothing here asserts a time."""

from __future__ import annotations

import os
import signal
import time

import pandas as pd
import pytest

from mlworkbench.core.errors import (
    ColumnTypeError,
    ConflictError,
    InvalidRequestError,
    QueryError,
    SingleClassError,
    TargetMissingError,
)

#: A small binary problem made in SQL: two informative numbers, a category, a row id.
CHURN = """
    SELECT i AS customer_id, (i * 37 % 101) / 10.0 AS usage, (i * 53 % 97) / 10.0 AS tenure,
           ['basic', 'plus', 'pro'][i % 3 + 1] AS plan,
           CASE WHEN (i * 37 % 101) + (i * 53 % 97) > 100 THEN 'yes' ELSE 'no' END AS churned
    FROM range({rows}) t(i)
"""


@pytest.fixture
def iris(ws, root):
    from sklearn.datasets import load_iris

    frame = load_iris(as_frame=True).frame
    frame.columns = [c.replace(" (cm)", "").replace(" ", "_") for c in frame.columns]
    path = root / "data" / "iris.parquet"
    frame.to_parquet(path)
    ws.tables.save_query("iris", f"SELECT * FROM '{path}'")
    return frame


@pytest.fixture
def churn(ws):
    ws.tables.save_query("churn", CHURN.format(rows=300))
    return "churn"


def _wait_for_phase(ws, run_id, phases=("baseline", "search", "refit", "evaluate")):
    """Until the training process reports one of ``phases`` (or the run ended)."""
    for _ in range(2400):
        described = ws.training.describe(run_id)
        if described.status != "running" or (
            described.progress is not None and described.progress.phase in phases
        ):
            return described
        time.sleep(0.05)
    raise AssertionError(f"run {run_id} never reached {phases}")


def test_a_run_trains_in_its_own_process_and_keeps_its_result_lineage_and_pipeline(ws, iris):
    seen = []
    run_id = ws.training.start(sql="SELECT * FROM iris", target="target", budget_s=1,
                               max_trials=2, experiment="flowers")
    assert ws.training.describe(run_id).status == "running"  # start returned at once
    described = ws.training.wait(run_id, on_progress=seen.append)

    assert described.status == "finished", described.error
    assert (described.experiment, described.task, described.metric) == (
        "flowers", "multiclass", "balanced_accuracy")
    assert seen[-1].phase == "done" and {"baseline", "done"} <= {p.phase for p in seen}
    result = described.result
    assert result.leaderboard and result.best.score is not None
    assert {"accuracy", "balanced_accuracy"} <= set(result.metrics)
    assert "confusion_matrix" in result.charts  # Vega-Lite specs
    assert all("$schema" in spec for spec in result.charts.values())
    assert result.feature_report.features == ["sepal_length", "sepal_width", "petal_length",
                                              "petal_width"]
    assert described.best_score == result.best.score
    assert described.metrics["balanced_accuracy"] == result.metrics["balanced_accuracy"]
    assert described.params["best_candidate"] == result.best.candidate
    [table] = described.inputs
    assert (table.kind, table.name, table.version, table.row_count) == ("table", "iris", 1, 150)
    assert ws.experiments.get_run(run_id).pid != os.getpid()  # trained elsewhere
    # ... with the DuckDB memory limit of the process that started it (1GB here, not 768MB).
    limit = ws.query("SELECT current_setting('memory_limit') AS m")["m"].iloc[0]
    log = (ws.path / "experiments" / "jobs" / str(run_id) / "worker.log").read_text()
    assert f"DuckDB memory_limit {limit}\n" in log

    pipeline = ws.training.load_pipeline(run_id)
    predicted = pipeline.predict(iris.drop(columns="target").head(10))
    assert set(predicted) <= {0, 1, 2}
    assert (predicted == iris.target.head(10)).mean() >= 0.8
    assert ws.training.result(run_id)["leaderboard"][0]["id"] == result.best.id
    assert described.artifacts[0].name == "best" and described.artifacts[0].rank == 1

    listed = ws.training.list_runs(experiment="flowers")
    assert [r.run_id for r in listed.runs] == [run_id] and "flowers" in listed.experiments


def test_stop_keeps_the_best_model_found_and_ends_the_run_stopped(ws, churn):
    run_id = ws.training.start(sql="SELECT * FROM churn", target="churned", budget_s=120)
    _wait_for_phase(ws, run_id)
    with pytest.raises(ConflictError, match="still running"):
        ws.training.delete(run_id)
    asked = ws.training.stop(run_id)
    assert asked.stop_requested
    described = ws.training.wait(run_id)

    assert described.status == "stopped"
    assert described.result.stopped_by == "user"
    assert described.error.code == "stopped" and "Stopped" in described.error.message
    pipeline = ws.training.load_pipeline(run_id)
    rows = ws.query("SELECT * FROM churn LIMIT 5").drop(columns="churned")
    assert set(pipeline.predict(rows)) <= {"yes", "no"}
    assert ws.training.stop(run_id).status == "stopped"  # asking again is harmless
    jobs = ws.path / "experiments" / "jobs" / str(run_id)
    assert jobs.is_dir()
    ws.training.delete(run_id)
    assert not jobs.exists() and ws.training.list_runs().runs == []


def test_a_killed_training_process_leaves_a_failed_run_that_says_so(ws, churn):
    run_id = ws.training.start(sql="SELECT * FROM churn", target="churned", budget_s=120)
    _wait_for_phase(ws, run_id)
    os.kill(ws.experiments.get_run(run_id).pid, signal.SIGKILL)
    described = ws.training.wait(run_id)

    assert described.status == "failed"
    assert described.error.code == "process_died"
    assert "training process died" in described.error.message
    assert described.result is None
    with pytest.raises(ConflictError, match="no training result: The training process died"):
        ws.training.result(run_id)
    ws.training.delete(run_id)  # an ended run can go
    assert ws.training.list_runs().runs == []


def test_a_run_trains_on_the_table_version_it_started_with(ws, churn):
    run_id = ws.training.start(sql="SELECT * FROM churn WHERE plan <> 'pro'", target="churned",
                               budget_s=1, max_trials=1)
    ws.tables.save_query("churn", CHURN.format(rows=60), overwrite=True)  # while it trains
    described = ws.training.wait(run_id)

    assert described.status == "finished", described.error
    assert [(i.name, i.version, i.row_count) for i in described.inputs] == [("churn", 1, 300)]
    rows = described.result.rows
    assert rows["train"] + rows["holdout"] == 200  # 300 rows, a third 'pro'
    assert ws.query("SELECT count(*) AS n FROM churn").n.tolist() == [60]


def test_a_bad_request_is_refused_before_any_run_starts(ws, churn):
    sql = "SELECT * FROM churn"
    with pytest.raises(TargetMissingError, match="no column 'churn' .*Did you mean 'churned'"):
        ws.training.start(sql=sql, target="churn")
    with pytest.raises(InvalidRequestError, match="Metric 'r2' does not apply to binary") as e:
        ws.training.start(sql=sql, target="churned", metric="r2")
    assert e.value.field == "metric"
    with pytest.raises(InvalidRequestError, match="Unknown metric 'auc'"):
        ws.training.start(sql=sql, target="churned", metric="auc")
    with pytest.raises(InvalidRequestError, match="budget_s") as e:
        ws.training.start(sql=sql, target="churned", budget_s=-1)
    assert e.value.field == "budget_s"
    with pytest.raises(InvalidRequestError, match="no column 'plann'.*Did you mean 'plan'"):
        ws.training.start(sql=sql, target="churned", features=["usage", "plann"])
    with pytest.raises(InvalidRequestError, match="cannot also be a feature"):
        ws.training.start(sql=sql, target="churned", features=["usage", "churned"])
    with pytest.raises(InvalidRequestError, match="task"):
        ws.training.start(sql=sql, target="churned", task="ranking")
    with pytest.raises(QueryError) as e:
        ws.training.start(sql="SELECT *\nFROM churn\nWHERE usage >", target="churned")
    assert e.value.line == 3
    with pytest.raises(TargetMissingError, match="null in all 300 rows"):
        ws.training.start(sql="SELECT *, NULL::VARCHAR AS label FROM churn", target="label")
    with pytest.raises(SingleClassError, match="one value only"):
        ws.training.start(sql="SELECT usage, 'yes' AS churned FROM churn", target="churned")
    with pytest.raises(ColumnTypeError, match="'tags' holds .* cannot be features") as e:
        ws.training.start(sql="SELECT *, [plan, plan] AS tags FROM churn", target="churned",
                          features=["usage", "tags"])
    assert e.value.field == "features"
    assert ws.training.list_runs().runs == []


def test_data_only_the_whole_table_shows_to_be_unusable_fails_the_run_with_the_reason(ws, churn):
    sql = ("SELECT usage, tenure, CASE WHEN customer_id = 7 THEN 'maybe' ELSE churned END "
           "AS churned FROM churn")
    run_id = ws.training.start(sql=sql, target="churned", budget_s=1)
    described = ws.training.wait(run_id)

    assert described.status == "failed"
    assert described.error.code == "rare_class"
    assert "Class 'maybe' of the target 'churned' has only 1 row" in described.error.message
    assert described.error.detail["target"] == "churned"
    with pytest.raises(ConflictError, match="has only 1 row"):
        ws.training.result(run_id)


def test_job_folders_of_runs_that_no_longer_exist_are_swept(ws, churn):
    kept = ws.experiments.start_run(sql="SELECT * FROM churn")
    jobs = ws.path / "experiments" / "jobs"
    for name in (str(kept.id), "999"):
        (jobs / name).mkdir(parents=True)
        (jobs / name / "progress.json").write_text("{}")
        os.utime(jobs / name, (time.time() - 3600, time.time() - 3600))
    removed = ws.experiments.sweep()
    assert removed == [jobs / "999"] and (jobs / str(kept.id)).is_dir()


def test_a_boosting_model_with_native_categories_loads_without_naming_types(ws):
    """Such a model keeps partial(check_array, ...): the best of a search often is one."""
    from sklearn.ensemble import HistGradientBoostingClassifier

    from mlworkbench.core.experiments import UntrustedTypesError

    frame = pd.DataFrame({"plan": pd.Categorical(["a", "b", "c"] * 20), "n": range(60)})
    model = HistGradientBoostingClassifier(max_iter=3, categorical_features="from_dtype")
    model.fit(frame, [0, 1] * 30)
    with ws.experiments.start_run() as run:
        saved = run.log_artifact(model, "hgb")
        run.log_artifact(_Sneaky(), "sneaky")
    assert "functools.partial" in saved.untrusted_types and saved.needs_trust == []
    assert (run.load_artifact("hgb").predict(frame) == model.predict(frame)).all()
    with pytest.raises(UntrustedTypesError, match="sklearn.utils._testing"):
        run.load_artifact("sneaky")  # a partial is trusted, not what it wraps


class _Sneaky:
    """Holds a partial of a scikit-learn function that runs code it is given."""

    def __init__(self):
        import functools

        from sklearn.utils import _testing

        self.call = functools.partial(_testing.assert_run_python_script_without_output, "1")


def test_preview_reports_columns_task_and_metrics_on_a_sample_of_a_big_query(ws):
    ws.tables.save_query("big", CHURN.format(rows=50_000))
    preview = ws.training.preview(sql="SELECT * FROM big", target="churned", sample_rows=1000)

    assert (preview.rows, preview.sampled, preview.sample_rows) == (50_000, True, 1000)
    assert "sample of 1,000 of the 50,000 rows" in preview.note
    assert preview.task == "binary" and preview.default_metric == "roc_auc"
    assert "r2" not in {m.name for m in preview.metrics}
    flags = {c.name: [f.code for f in c.flags] for c in preview.columns}
    assert flags["customer_id"] == ["id_like"] and flags["usage"] == []
    assert preview.features == ["usage", "tenure", "plan"]
    assert preview.all_columns == ["customer_id", "usage", "tenure", "plan", "churned"]
    assert preview.problem is None and preview.target_distinct == 2

    columns_only = ws.training.preview(sql="SELECT * FROM big LIMIT 50")
    assert columns_only.task is None and not columns_only.sampled
    single = ws.training.preview(sql="SELECT usage, 1 AS y FROM big", target="y")
    assert "one value only" in single.problem


def test_preview_infers_the_task_from_the_labeled_rows_of_a_sparse_target(ws):
    ws.tables.save_query("sparse", """
        SELECT i AS n, i % 7 AS x, CASE WHEN i % 50 = 0 THEN (i // 50) % 10 END AS digit
        FROM range(50000) t(i)""")
    preview = ws.training.preview(sql="SELECT * FROM sparse", target="digit", sample_rows=1000)

    assert preview.sampled and preview.target_distinct == 10
    assert preview.task == "multiclass"  # from 1,000 labeled rows, not ~20 of a row sample


def test_ctrl_c_while_waiting_stops_the_run_and_waits_for_its_best_model(ws, churn):
    run_id = ws.training.start(sql="SELECT * FROM churn", target="churned", budget_s=120)
    interrupted = []

    def on_progress(progress):
        if progress.phase in ("baseline", "search") and not interrupted:
            interrupted.append(progress.phase)
            raise KeyboardInterrupt

    described = ws.training.wait(run_id, on_progress=on_progress)
    assert interrupted and described.status == "stopped"
    assert described.result.stopped_by == "user"


def test_runs_compare_side_by_side_with_their_lineage(ws, churn):
    first = ws.training.start(sql="SELECT * FROM churn", target="churned", budget_s=0,
                              max_trials=0, random_state=1)
    second = ws.training.start(sql="SELECT * FROM churn", target="churned", budget_s=0,
                               max_trials=0, random_state=2)
    for run_id in (first, second):
        assert ws.training.wait(run_id).status == "finished"
    compared = ws.training.compare(f"{first}, {second}")

    frame = pd.DataFrame(compared.rows, columns=compared.columns)
    assert frame.run.tolist() == [first, second]
    assert "params.random_state" in compared.differing
    assert "metrics.roc_auc" in compared.columns
    assert [i.version for i in compared.inputs[str(first)]] == [1]
    with pytest.raises(InvalidRequestError, match="numbers separated by commas"):
        ws.training.compare("1,x")


def test_the_trial_schema_has_the_fields_of_the_engines_trial():
    """``TrialSummary`` (schemas: no core imports) spells out ``trials.Trial``; a field added
    to one only would refuse every progress report (the schemas forbid unknown fields)."""
    from dataclasses import MISSING, fields

    from mlworkbench.core.training.trials import Trial
    from mlworkbench.schemas.training import TrialSummary

    engine = {f.name: None if f.default is MISSING else f.default for f in fields(Trial)}
    schema = {name: None if f.is_required() else f.default
              for name, f in TrialSummary.model_fields.items()}
    assert schema == engine
