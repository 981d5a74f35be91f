"""Pipelines on raw mixed columns, and the search: budget, Stop, progress, the baselines."""

from __future__ import annotations

import json
import warnings

import numpy as np
import pandas as pd
import pytest
import skops.io
from sklearn.datasets import load_breast_cancer, load_diabetes, load_wine
from threadpoolctl import threadpool_limits

from mlworkbench.core.training import search as search_module
from mlworkbench.core.training import train
from mlworkbench.core.training.features import report_features
from mlworkbench.core.training.pipelines import (
    TRUSTED_TYPES,
    DistinctValues,
    build_pipeline,
    candidate,
    candidates,
    encodings,
    sample_params,
)

from .test_training_features import customers


def test_every_candidate_pipeline_takes_raw_mixed_columns_with_nulls_and_saves_with_skops():
    df = customers(240).drop(columns=["tags"])
    df.loc[::7, "spend"] = np.nan
    df.loc[::5, "plan"] = None
    df.loc[::6, "notes"] = None
    df.loc[::9, "signed_up"] = pd.NaT
    report = report_features(df, "churned")
    chosen = ["spend", "plan", "city", "notes", "signed_up", "last_seen", "active"]
    encoded = encodings(report, chosen)
    assert encoded == {"spend": "number", "plan": "category", "city": "strings",
                       "notes": "text", "signed_up": "date", "last_seen": "date",
                       "active": "number"}
    train_rows, new_rows = df.iloc[:200], df.iloc[200:].copy()
    new_rows["plan"] = "enterprise"  # a category never seen in training
    for task, target in (("binary", "churned"), ("regression", "spend")):
        y = train_rows[target]
        features = {k: v for k, v in encoded.items() if k != target}
        keep = y.notna()
        for cand in candidates(task):
            params = {} if cand.name == "hist_gradient_boosting" else sample_params(
                cand, 1, np.random.default_rng(0))[0]
            pipeline = build_pipeline(cand, task, features, params, n_jobs=1)
            with threadpool_limits(1), warnings.catch_warnings():
                warnings.simplefilter("ignore")  # the unseen category
                pipeline.fit(train_rows[keep], y[keep])
                predicted = pipeline.predict(new_rows)  # all columns, extra ones too
            assert len(predicted) == 40, (cand.name, params)
            assert pd.notna(predicted).all()
            # The model file loads with the listed types only, and predicts the same.
            blob = skops.io.dumps(pipeline)
            assert set(skops.io.get_untrusted_types(data=blob)) <= set(TRUSTED_TYPES)
            loaded = skops.io.loads(blob, trusted=TRUSTED_TYPES)
            with threadpool_limits(1), warnings.catch_warnings():
                warnings.simplefilter("ignore")
                assert (loaded.predict(new_rows) == predicted).all()


@pytest.fixture(scope="module")
def cancer():
    return load_breast_cancer(as_frame=True).frame


def test_a_budget_too_small_for_a_search_still_returns_the_baseline_and_says_so(cancer):
    seen = []
    result = train(cancer, "target", budget_s=0, folds=3, n_jobs=1, progress=seen.append)
    assert result.budget_exhausted and result.search.baseline_only
    assert [t.candidate for t in result.search.trials] == ["dummy", "hist_gradient_boosting"]
    assert result.best.candidate == "hist_gradient_boosting" and result.best.baseline
    assert "budget of 0 s was spent on the baselines" in result.message
    assert "returning the baseline Histogram gradient boosting" in result.message
    assert result.pipeline.predict(cancer.head(3)).shape == (3,)
    dummy, baseline = result.search.trials
    again = result.refit(baseline)
    assert again is not result.pipeline
    assert (again.predict_proba(cancer) == result.pipeline.predict_proba(cancer)).all()
    assert set(result.refit(dummy).predict(cancer)) == {1}  # the majority class
    assert [p.phase for p in seen] == ["baseline", "baseline", "baseline", "refit", "evaluate",
                                       "done"]
    payload = result.to_dict()
    assert payload["budget_exhausted"] is True and payload["message"] == result.message


def test_should_stop_ends_the_search_between_trials_keeping_the_best(cancer):
    reports = []

    def progress(p):
        reports.append(p)

    def should_stop():
        return len([p for p in reports if p.phase == "search"]) >= 1  # one searched trial

    result = train(cancer, "target", budget_s=300, folds=3, n_jobs=1, progress=progress,
                   should_stop=should_stop)
    assert result.stopped and result.search.stopped_by == "user"
    assert [t.candidate for t in result.search.trials] == ["dummy", "hist_gradient_boosting",
                                                           "linear"]
    scores = {t.candidate: t.score for t in result.search.trials}
    assert result.best.score == max(scores.values())
    assert result.message.startswith("Stopped after 1 trials besides the baselines")
    elapsed = [p.elapsed_s for p in reports]
    assert elapsed == sorted(elapsed)
    assert reports[-1].phase == "done" and reports[-1].best_score == result.best.score
    assert all(p.time_left_s <= 300 for p in reports)
    # The leaderboard so far: empty until a trial is scored on all rows, then best first.
    assert reports[0].leaderboard == []  # the dummy baseline is still running
    searched = next(p for p in reports if p.phase == "search")
    board = searched.leaderboard
    assert [t["candidate"] for t in board] == sorted(
        ["dummy", "hist_gradient_boosting", "linear"], key=lambda c: -scores[c])
    assert [t["score"] for t in board] == sorted(scores.values(), reverse=True)
    assert board[0]["score"] == searched.best_score
    assert reports[-1].leaderboard == [t.to_dict() for t in result.search.leaderboard]
    assert reports[-1].to_dict()["leaderboard"] == reports[-1].leaderboard


def test_stop_during_the_baseline_keeps_the_folds_already_fitted(cancer):
    result = train(cancer, "target", budget_s=300, folds=3, n_jobs=1, should_stop=lambda: True)
    dummy, baseline = result.search.trials
    assert baseline.status == "partial" and baseline.folds_done == 1  # one wave of one fit
    assert baseline.error == "stopped by the user after 1 of 3 folds"
    assert result.best is baseline and result.stopped
    assert result.message.startswith("Stopped after 0 trials besides the baselines; kept the "
                                     "best found: Histogram gradient boosting")


def test_a_slow_baseline_past_the_budget_is_ranked_on_the_folds_it_fitted(cancer, monkeypatch):
    # Any baseline counts as slow here: past the budget (0 s), its other folds are left out.
    monkeypatch.setattr(search_module, "BASELINE_SECONDS", 0.0)
    result = train(cancer, "target", budget_s=0, folds=3, n_jobs=1)
    dummy, baseline = result.search.trials
    assert dummy.status == "ok" and dummy.folds_done == 3  # no preprocessing, no waves
    assert baseline.status == "partial" and baseline.folds_done == 1
    assert baseline.error == "the budget ran out after 1 of 3 folds"
    assert result.best is baseline and result.budget_exhausted


def test_the_search_keeps_time_for_the_refit_of_a_full_size_trial(cancer):
    runner = search_module._Runner(
        cancer.drop(columns="target"), cancer["target"], task="binary",
        encodings={c: "number" for c in cancer.columns if c != "target"},
        metric=search_module.Metric("roc_auc", "ROC AUC", ("binary",)), budget_s=10, folds=3,
        positive=1, should_stop=None, progress=None, random_state=0, n_jobs=1, max_trials=None)
    runner.parallel = type("P", (), {"n_jobs": 1})()
    full = len(runner.X)
    runner.fit_seconds[("hist_gradient_boosting", full)] = [20.0]  # a fold fit: 20 s
    # 3 folds (60 s) fit in 70 s, not with the refit on all rows (20 s x 3/2 = 30 s) too.
    runner.deadline = search_module.time.monotonic() + 70
    assert not runner._may_start("hist_gradient_boosting", full, {})
    assert runner._may_start("hist_gradient_boosting", full // 3, {})  # cannot become best
    runner.deadline += 30
    assert runner._may_start("hist_gradient_boosting", full, {})


def test_boosting_splits_low_cardinality_categories_as_categories():
    encoded = {"x": "number", "plan": "category", "region": "category", "notes": "text"}
    boosting = build_pipeline(candidate("binary", "hist_gradient_boosting"), "binary", encoded)
    assert boosting.named_steps["model"].categorical_features == [1, 2]
    forest = build_pipeline(candidate("binary", "random_forest"), "binary", encoded)
    assert "categorical_features" not in forest.named_steps["model"].get_params()


def test_a_string_encoder_sees_each_distinct_value_once_and_fits_on_a_sample():
    from sklearn.base import BaseEstimator, TransformerMixin

    seen = {"fit": [], "transform": []}

    class Lengths(TransformerMixin, BaseEstimator):  # records what the wrapper hands it
        def fit(self, values, y=None):
            seen["fit"].append(list(values))
            return self

        def transform(self, values):
            seen["transform"].append(list(values))
            return np.asarray([[len(str(v))] for v in values], dtype=float)

    encoder = DistinctValues(Lengths(), max_fit_values=3, random_state=0)
    column = pd.Series(["aa", "b", "aa", None, "cccc", "b", "dd", "aa"], name="city")
    out = encoder.fit_transform(column.to_frame())
    [fitted] = seen["fit"]
    assert len(fitted) == 3 and {v for v in fitted if isinstance(v, str)} <= {"aa", "b", "cccc",
                                                                             "dd"}
    assert len(seen["transform"][0]) == 5  # aa, b, None, cccc, dd: once each
    assert out[:, 0].tolist() == [2, 1, 2, 3, 4, 1, 2, 2]  # None -> NaN -> "nan"
    assert (encoder.transform(column.head(2).to_frame()) == out[:2]).all()


def test_the_search_beats_the_dummy_on_breast_cancer_with_parallel_fits(cancer, monkeypatch):
    # Start in this process, and move to worker processes after the first (slow) fold.
    monkeypatch.setattr(search_module, "PROCESS_SECONDS", 0.0)
    # max_trials ends it; the budget only has to outlast a busy machine's worker start.
    result = train(cancer, "target", budget_s=600, folds=3, n_jobs=2, max_trials=2)
    assert result.search.workers == 2
    board = result.leaderboard
    assert board[0] is result.best and len(board) == 4
    assert {t.candidate for t in board} >= {"dummy", "hist_gradient_boosting", "linear"}
    dummy = next(t for t in board if t.candidate == "dummy")
    assert dummy.score == pytest.approx(0.5)
    assert result.best.score > 0.95
    assert result.metrics["roc_auc"] > 0.95 and result.metrics["accuracy"] > 0.9
    assert result.search.stopped_by == "completed"
    assert result.rows == {"train": 455, "holdout": 114, "refit": 455, "dropped_null_target": 0}
    payload = json.loads(json.dumps(result.to_dict()))
    assert payload["task"] == "binary" and payload["metric"] == "roc_auc"
    assert payload["positive_class"] == 1 and payload["classes"] == [0, 1]
    assert [e["candidate"] for e in payload["leaderboard"]] == [t.candidate for t in board]
    assert {"confusion_matrix", "roc", "pr", "calibration", "importance"} <= set(
        payload["charts"])
    assert set(payload["timings"]) == {"features_s", "search_s", "refit_s", "evaluation_s",
                                       "refit_all_s", "total_s"}


def test_regression_rows_with_a_null_target_are_left_out(cancer):
    df = load_diabetes(as_frame=True).frame
    df.loc[:9, "target"] = np.nan
    result = train(df, "target", budget_s=0, folds=3, n_jobs=1, metric="mae")
    assert result.task == "regression" and result.rows["dropped_null_target"] == 10
    assert result.rows["train"] + result.rows["holdout"] == len(df) - 10
    dummy, baseline = result.search.trials
    assert result.best is baseline and baseline.score < dummy.score  # MAE: lower is better
    assert set(result.metrics) == {"r2", "mae", "rmse", "rows"}


def test_folds_missing_a_rare_class_still_rank_models_by_the_folds_that_scored():
    wine = load_wine(as_frame=True).frame
    rare = pd.concat([wine[wine.target != 2], wine[wine.target == 2].head(2)])
    result = train(rare, "target", budget_s=0, folds=3, n_jobs=1, metric="roc_auc")
    dummy, baseline = result.search.trials
    assert dummy.status == baseline.status == "partial"  # a fold without class 2 fails
    assert "Number of classes" in baseline.error and baseline.folds_done >= 1
    assert result.best is baseline and baseline.score > dummy.score


def test_train_on_a_raw_mixed_table_leaves_flagged_columns_out_and_slices_by_any_column():
    df = customers(300)
    df.loc[::4, "spend"] = np.nan
    result = train(df, "churned", budget_s=0, folds=3, n_jobs=1, slice_by="country")
    assert result.features == ["spend", "plan", "city", "notes", "signed_up", "last_seen",
                               "active"]  # no id, constant, null, leaking or list column
    assert result.task == "binary" and result.positive_class == "yes"
    assert result.metrics["roc_auc"] > 0.6
    assert [r["slice"] for r in result.evaluation.slices["rows"]] == ["NO"]
    by_plan = result.slices("plan")
    assert sorted(r["slice"] for r in by_plan["rows"]) == ["basic", "pro", "team"]
    payload = json.loads(json.dumps(result.to_dict()))
    flagged = {c["name"]: c["flags"][0]["code"] for c in payload["feature_report"]["columns"]
               if c["flags"]}
    assert flagged == {"customer_id": "id_like", "row": "id_like", "country": "constant",
                       "fax": "mostly_null", "churn_flag": "leak", "cancel_reason": "leak",
                       "tags": "unsupported"}
    assert {i["feature"] for i in payload["importance"]} == set(result.features)


def test_a_large_training_split_is_searched_on_a_sample_and_the_best_refitted_on_all_rows(
        cancer, monkeypatch):
    # A split over MAX_CV_ROWS is cross-validated on a stratified sample of that many rows.
    monkeypatch.setattr(search_module, "MAX_CV_ROWS", 300)
    seen = []
    result = train(cancer, "target", budget_s=300, folds=3, n_jobs=1, max_trials=2,
                   progress=seen.append)
    train_rows = result.rows["train"]
    assert train_rows > 300
    assert {t.rows for t in result.search.trials} == {300}
    assert len(result.search.leaderboard) == 4  # dummy, the default boosting, two searched
    assert [p.leaderboard for p in seen if p.phase == "search"][-1][0]["rows"] == 300
    assert result.search.sampled and result.search.cv_rows == 300
    # The best is refitted on every training row: as refit() fits it (on train_rows)...
    on_all = result.refit(result.best)
    assert (on_all.predict_proba(cancer) == result.pipeline.predict_proba(cancer)).all()
    # ... which the sample alone does not give.
    X, y = result.train_rows, result.train_target
    on_sample = result.refit(result.best).fit(X.iloc[:300], y.iloc[:300])
    assert (on_sample.predict_proba(cancer) != result.pipeline.predict_proba(cancer)).any()
    assert ("cross-validated on a sample of 300 of the " f"{train_rows:,} training rows; the "
            "chosen one was then refitted on all of them.") in result.message
    payload = result.search.to_dict()
    assert payload["rows"] == train_rows and payload["cv_rows"] == 300 and payload["sampled"]
    # Under the cap nothing changes: all rows, and the message says so.
    monkeypatch.setattr(search_module, "MAX_CV_ROWS", 100_000)
    small = train(cancer, "target", budget_s=0, folds=3, n_jobs=1)
    assert not small.search.sampled and "sample" not in small.message


def test_refit_all_refits_the_best_on_every_row_and_keeps_the_held_out_metrics():
    from sklearn.datasets import load_diabetes as diabetes
    from mlworkbench.core.training.result import fit_trial

    frame = diabetes(as_frame=True).frame
    held_out = train(frame, "target", budget_s=0, folds=3, n_jobs=1)
    result = train(frame, "target", budget_s=0, folds=3, n_jobs=1, refit_all=True)

    assert result.refit_all and result.rows["refit"] == len(frame) == 442
    assert held_out.rows["refit"] == result.rows["train"] < 442
    # The metrics are those of the model fitted on the training split, as without refit_all.
    assert result.metrics == held_out.metrics
    assert (result.evaluated.predict(frame) == held_out.pipeline.predict(frame)).all()
    # The kept model is the best configuration fitted on every row (train + held-out).
    X = frame.drop(columns="target")
    on_all = fit_trial(result.best, X, frame["target"], task="regression",
                       encodings=result.encodings, random_state=0)
    assert (result.pipeline.predict(frame) == on_all.predict(frame)).all()
    assert (result.pipeline.predict(frame) != result.evaluated.predict(frame)).any()
    # Runners-up are refitted on the same rows: the dummy predicts the mean of every target.
    dummy = result.refit(result.search.trials[0])
    assert dummy.predict(frame.iloc[:1])[0] == pytest.approx(frame["target"].mean())
    assert held_out.refit(held_out.search.trials[0]).predict(frame.iloc[:1])[0] == \
        pytest.approx(held_out.train_target.mean())
    assert ("The saved model was then refitted on all 442 rows (training and held-out); its "
            "metrics are the held-out ones of the model fitted on the "
            f"{result.rows['train']} training rows.") in result.message
    payload = result.to_dict()
    assert payload["refit_all"] is True and payload["rows"]["refit"] == 442
    assert held_out.to_dict()["refit_all"] is False


def test_a_budget_too_small_for_the_baseline_on_all_rows_samples_it_and_says_so():
    rng = np.random.default_rng(0)
    frame = pd.DataFrame(rng.normal(size=(30_000, 4)), columns=["a", "b", "c", "d"])
    frame["y"] = (frame["a"] + frame["b"] * frame["c"] + rng.normal(size=30_000) > 0).astype(int)

    result = train(frame, "y", budget_s=0, folds=3, n_jobs=1)

    # The default boosting is timed on the smallest rung, and the budget affords no more.
    assert search_module.rung_sizes(24_000) == [2666, 8000, 24_000]
    # The refit takes every training row all the same (up to REFIT_FLOOR_ROWS): a model fitted on
    # 2,666 of 24,000 rows would be handed over to save a second or two.
    assert result.search.cv_rows == 2666 and result.rows["refit"] == 24_000
    assert [(t.candidate, t.rows) for t in result.search.trials] == [
        ("dummy", 2666), ("hist_gradient_boosting", 2666)]
    assert result.best.candidate == "hist_gradient_boosting" and result.best.score > 0.6
    assert "budget of 0 s was spent on the baselines" in result.message
    assert ("cross-validated on a sample of 2,666 of the 24,000 training rows; the chosen one "
            "was then refitted on all of them.") in result.message
    assert result.search.to_dict()["refit_rows"] == 24_000
    assert result.metrics["roc_auc"] > 0.6  # a model, evaluated on the held-out rows

    # A budget that affords it cross-validates and refits on every training row.
    roomy = train(frame, "y", budget_s=600, folds=3, n_jobs=1, max_trials=0)
    assert roomy.search.cv_rows == 24_000 and roomy.rows["refit"] == 24_000
    assert "sample" not in roomy.message


def _runner(rows: int):
    """A search's runner over ``rows`` rows of one number column, for its cost model."""
    from types import SimpleNamespace

    from mlworkbench.core.training.metrics import resolve_metric

    X = pd.DataFrame({"a": np.arange(float(rows))})
    runner = search_module._Runner(
        X, pd.Series(np.arange(rows) % 2), task="binary", encodings={"a": "number"},
        metric=resolve_metric(None, "binary"), budget_s=0, folds=3, positive=1,
        should_stop=None, progress=None, random_state=0, n_jobs=2, max_trials=None)
    runner.parallel = SimpleNamespace(n_jobs=2)
    return runner


def test_a_bracket_starts_only_if_it_can_finish_else_a_shorter_one_of_the_best_family():
    from mlworkbench.core.training.trials import Trial

    runner = _runner(10_000)
    runner.parallel.n_jobs = 1
    runner._cv_seconds = lambda name, rows, params=None: rows / 1000  # 1 s per 1,000 rows
    runner._after_seconds = lambda name, params=None: 2.0  # a refit and the predictions
    runner.trials = [Trial(0, "hist_gradient_boosting", "boosting", {}, 10_000, True, 0.8)]
    assert search_module.rung_sizes(10_000) == [1111, 3333, 10_000]

    def plan(seconds_left):
        runner.deadline = search_module.time.monotonic() + seconds_left
        found = runner._plan_bracket()
        return found and (found[0], [f.name for f in found[1]], found[2])

    # The whole bracket: 9 configurations on 1,111 rows, 3 on 3,333, 1 on 10,000: 30 s + 2 s.
    assert plan(40) == ([1111, 3333, 10_000],
                        ["linear", "hist_gradient_boosting", "random_forest", "extra_trees"], 9)
    # Shorter: the best family's configurations on the largest rungs only.
    assert plan(25) == ([3333, 10_000], ["hist_gradient_boosting"], 3)
    assert plan(13) == ([10_000], ["hist_gradient_boosting"], 1)
    assert plan(11) is None  # not even one full-size trial (10 s) and the best's refit (2 s)


def test_the_refit_is_expected_to_cost_what_the_probes_in_this_process_took():
    runner = _runner(30_000)
    # Probes of the boosting alone in this process: 0.5 s fixed and 0.5 ms a row.
    runner.probe_seconds = {1000: 1.0, 3000: 2.0}
    runner.fit_seconds = {("hist_gradient_boosting", 1000): [0.8],
                          ("hist_gradient_boosting", 9000): [10.0]}  # folds in busy workers
    runner.prep_seconds = {(1000, False): 0.2, (9000, False): 3.0}
    # A refit on all 30,000 rows: 15.5 s for a fold's share, times 3/2 for all of them.
    assert runner._refit_seconds("hist_gradient_boosting") == pytest.approx(23.25)
    # Without probes, the worker timings are all there is.
    runner.probe_seconds = {}
    assert runner._refit_seconds("hist_gradient_boosting") > 50
