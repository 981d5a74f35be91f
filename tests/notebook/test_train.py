"""mlwb.train in a real IPython shell: the search runs in its own process, the cell shows its
progress, the result displays as HTML then Vega-Lite, an interrupt stops it keeping the best.

Training processes take seconds to start on a busy machine, so the tests share one run where
they only read it."""

from __future__ import annotations

import _thread
import threading
import time

import pytest
from IPython import get_ipython
from IPython.display import display
from IPython.testing.globalipapp import start_ipython
from IPython.utils.capture import capture_output

import mlworkbench as mlwb
import mlworkbench.notebook as notebook
from mlworkbench import notebook_training
from mlworkbench.notebook_training import TrainingFailedError
from mlworkbench.core.errors import InvalidRequestError, NotFoundError, TargetMissingError
from mlworkbench.core.training.jobs import TrainingJobs
from mlworkbench.training_view import VEGALITE, parse_budget

CUSTOMERS = """
SELECT i AS customer_id, (i * 37 % 100) / 10.0 AS tenure, i * 53 % 17 AS calls,
       ['basic', 'plus', 'pro'][1 + i % 3] AS plan,
       (i * 37 % 100) / 10.0 - (i * 53 % 17) / 2.0 + (i % 3) < 2 AS churned
FROM range(240) t(i)
"""


@pytest.fixture(scope="module")
def ws(tmp_path_factory):
    """One workspace for the module, with a 'customers' table, in the kernel's runner."""
    root = tmp_path_factory.mktemp("train")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("MLWORKBENCH_HOME", str(root / "ws"))
        patch.chdir(root)
        start_ipython() or get_ipython()  # display() needs a shell; started once per process
        notebook._runner = None
        workspace = notebook.runner().ws
        workspace.tables.save_query("customers", CUSTOMERS)
        yield workspace
        workspace.close()
        notebook._runner = None


@pytest.fixture(scope="module")
def trained(ws):
    """One run of 1 s, with what its cell showed."""
    with capture_output() as shown:
        run = mlwb.train("SELECT * FROM customers", target="churned", budget="1s",
                         experiment="churn")
    return run, shown.outputs


def test_the_cell_shows_progress_in_one_display_updated_in_place(trained):
    run, outputs = trained
    texts = [o.data["text/plain"] for o in outputs]
    assert texts[0].startswith(f"Training run {run.run_id}:")
    assert "Interrupt the kernel to stop" in texts[0]
    assert "<progress" in outputs[0].data["text/html"]
    assert all(o.update for o in outputs[1:]) and len(outputs) > 1
    assert "Done." in texts[-1]


def test_a_run_returns_its_leaderboard_metrics_charts_and_model(ws, trained):
    run, _ = trained
    assert run.status == "finished" and run.task == "binary" and run.metric == "roc_auc"
    board = run.leaderboard
    assert len(board) >= 2 and list(board.index[:2]) == [1, 2]
    assert {"model", "score", "score_std", "fit_time_s", "params"} <= set(board.columns)
    assert board["score"].iloc[0] == run.best["score"]
    assert 0 <= run.metrics["roc_auc"] <= 1
    assert {"confusion_matrix", "roc", "pr", "calibration"} <= set(run.charts)
    report = run.feature_report
    assert not report.loc["customer_id", "feature"] and report.loc["customer_id", "flags"]
    assert report.loc["tenure", "feature"]

    frame = ws.query("SELECT * FROM customers LIMIT 5")
    assert len(run.predict(frame)) == 5
    assert run.predict_proba(frame).shape == (5, 2)
    with pytest.raises(InvalidRequestError, match="lacks feature column"):
        run.predict(frame[["tenure"]])


def test_the_rich_display_is_html_then_one_vega_lite_spec_of_every_chart(trained):
    run, _ = trained
    with capture_output() as shown:
        display(run)
    html_out, charts_out = shown.outputs
    html = html_out.data["text/html"]
    assert f"Training run {run.run_id}: finished" in html
    assert "Held-out metrics" in html and "Leaderboard" in html and "roc_auc" in html
    assert VEGALITE not in html_out.data  # JupyterLab would show the HTML alone
    spec = charts_out.data[VEGALITE]
    assert spec["$schema"].endswith("vega-lite/v5.json")
    assert len(spec["concat"]) == len(run.charts)
    assert all("$schema" not in part for part in spec["concat"])
    assert "ROC curve" in charts_out.data["text/plain"]  # where Vega-Lite does not render
    assert set(run._repr_mimebundle_()) == {"text/plain", "text/html"}


def test_runs_are_listed_and_reopened(ws, trained):
    run, _ = trained
    listed = mlwb.runs()
    assert listed.loc[run.run_id, "status"] == "finished"
    assert listed.loc[run.run_id, "experiment"] == "churn"
    assert listed.loc[run.run_id, "metrics.roc_auc"] == run.metrics["roc_auc"]
    assert mlwb.runs("churn").index.tolist() == [run.run_id]
    again = mlwb.training_run(run.run_id)
    assert again.metrics == run.metrics and again.leaderboard.equals(run.leaderboard)
    rows = ws.query("SELECT * FROM customers LIMIT 3")
    assert list(again.predict(rows)) == list(run.predict(rows))
    with pytest.raises(NotFoundError):
        mlwb.training_run(9999)


def test_a_dataframe_is_saved_as_a_workspace_table_once(ws):
    frame = ws.query("SELECT tenure, calls, plan, churned FROM customers")
    sql = notebook_training.source_sql(ws, frame)
    assert sql.startswith('SELECT * FROM "frame_')
    assert notebook_training.source_sql(ws, frame.copy()) == sql
    table = sql.removeprefix("SELECT * FROM ").strip('"')
    assert len(ws.tables.describe(table).versions) == 1
    assert ws.query(sql).equals(frame)
    named = notebook_training.source_sql(ws, mlwb.sql("SELECT * FROM customers"), table="c2")
    assert named == 'SELECT * FROM "c2"' and len(ws.query(named)) == 240


def test_interrupting_the_kernel_stops_the_search_and_keeps_the_best(ws, monkeypatch):
    first_trial = threading.Event()
    update = notebook_training._LiveProgress.update

    def noted(self, progress):
        update(self, progress)
        if progress.trials_done >= 1:
            first_trial.set()

    monkeypatch.setattr(notebook_training._LiveProgress, "update", noted)

    def interrupt():
        if first_trial.wait(300):
            _thread.interrupt_main()  # what the kernel's stop button does

    threading.Thread(target=interrupt, daemon=True).start()
    with capture_output() as shown:
        run = mlwb.train("SELECT * FROM customers", target="churned", budget="10m")
    assert run.status == "stopped", run.error
    assert len(run.leaderboard) >= 1 and run.metrics
    assert len(run.predict(ws.query("SELECT * FROM customers LIMIT 4"))) == 4
    assert "Stopped: kept the best model found." in shown.outputs[-1].data["text/plain"]


def test_a_run_in_the_background_leaves_the_kernel_free_and_stops_on_request(ws):
    with capture_output() as shown:
        run = mlwb.train("SELECT * FROM customers", target="churned", budget="10m",
                         wait=False)
        assert run.status == "running"
        with pytest.raises(InvalidRequestError, match=r"run\.wait\(\) waits"):
            run.pipeline  # noqa: B018
        assert len(ws.query("SELECT * FROM customers")) == 240  # the kernel is free meanwhile
        deadline = time.monotonic() + 300  # a guard against hanging, not a timing
        while run.progress is None or run.progress.trials_done < 1:
            assert run.status == "running", run.error
            assert time.monotonic() < deadline, "no trial was reported"
            time.sleep(0.2)
        assert run.stop().wait() is run
        run._follower.join(60)
    assert run.status == "stopped" and len(run.leaderboard) >= 1
    assert len(run.predict(ws.query("SELECT * FROM customers LIMIT 3"))) == 3
    texts = [o.data["text/plain"] for o in shown.outputs]
    assert "Training in the background" in texts[0]
    assert "Stopped: kept the best model found." in texts[-1]


def test_wait_returns_when_the_following_thread_sees_the_end_without_reading_the_run(
        ws, monkeypatch):
    """wait() blocks on the thread that follows the run (and updates the cell): the waiting
    thread reads nothing itself, and the cell shows the end before wait() returns."""
    readers = []
    wait_for = TrainingJobs.wait

    def noted(self, *args, **kwargs):
        readers.append(threading.current_thread())
        return wait_for(self, *args, **kwargs)

    monkeypatch.setattr(TrainingJobs, "wait", noted)
    with capture_output() as shown:
        run = mlwb.train("SELECT * FROM customers", target="churned", budget=1, wait=False)
        follower = run._follower
        during = len(shown.outputs)
        assert run.wait() is run
        shown_when_returned = [o.data["text/plain"] for o in shown.outputs]
    assert run.status == "finished" and len(run.leaderboard) >= 1
    assert readers and set(readers) == {follower}  # no second loop in the waiting thread
    assert len(shown_when_returned) > during and "Done." in shown_when_returned[-1]
    assert run.wait() is run  # an ended run returns at once


def test_wait_with_a_timeout_leaves_the_run_going_and_a_reopened_run_waits_too(ws):
    run = mlwb.train("SELECT * FROM customers", target="churned", budget="10m", wait=False,
                     show_progress=False)
    with pytest.raises(TimeoutError, match=f"Run {run.run_id} is still running after 0.2 s"):
        run.wait(timeout=0.2)
    assert run.status == "running" and run._follower.is_alive()
    reopened = mlwb.training_run(run.run_id)  # no thread follows it yet: wait() starts one
    with pytest.raises(TimeoutError, match="wait again, or stop it"):
        reopened.wait(timeout=0.2)
    assert reopened.status == "running"
    assert reopened.stop().wait().status == "stopped"
    assert run.wait(timeout=300).status == "stopped" and len(run.leaderboard) >= 1


def test_refit_all_keeps_a_model_fitted_on_every_row_and_the_run_says_so(ws):
    run = mlwb.train("SELECT * FROM customers", target="churned", budget=1, refit_all=True,
                     experiment="refit", show_progress=False)
    assert run.status == "finished", run.error
    assert ws.training.describe(run.run_id).params["refit_all"] is True
    result = run.to_dict()
    assert result["refit_all"] is True and result["rows"]["refit"] == 240
    assert result["rows"]["train"] + result["rows"]["holdout"] == 240
    assert "refitted on all 240 rows" in run.message
    assert 0 <= run.metrics["roc_auc"] <= 1  # held out: scored by the model before the refit
    assert len(run.predict(ws.query("SELECT * FROM customers LIMIT 3"))) == 3


def test_bad_input_is_a_clear_error_and_starts_no_run(ws):
    before = len(mlwb.runs())
    with pytest.raises(InvalidRequestError, match="'5 parsecs' is not a duration"):
        mlwb.train("customers", target="churned", budget="5 parsecs")
    with pytest.raises(InvalidRequestError, match="Name the column to predict"):
        mlwb.train("customers")
    with pytest.raises(InvalidRequestError, match="DataFrame"):
        mlwb.train(42, target="churned")
    with pytest.raises(InvalidRequestError, match="budget"):
        mlwb.train("customers", target="churned", budget="48h")
    with pytest.raises(TargetMissingError, match="Did you mean 'churned'"):
        mlwb.train("customers", target="churnd", budget=1)
    assert len(mlwb.runs()) == before


def test_a_run_that_fails_on_its_data_raises_with_the_reason(ws):
    one_row_class = ("SELECT tenure, calls, CASE WHEN customer_id = 0 THEN 'rare' "
                     "ELSE churned::VARCHAR END AS churned FROM customers")
    with capture_output(), pytest.raises(TrainingFailedError, match="only 1 row") as failed:
        mlwb.train(one_row_class, target="churned", budget=1)
    run = failed.value.run
    assert run.status == "failed" and "rare" in run.error
    assert mlwb.runs().loc[run.run_id, "status"] == "failed"


@pytest.mark.parametrize(("text", "seconds"), [("60s", 60), ("2m", 120), ("1h", 3600),
                                               ("1m30s", 90), ("90", 90), (2.5, 2.5)])
def test_budgets_read_as_people_write_them(text, seconds):
    assert parse_budget(text) == seconds
