"""Held-out evaluation: metrics, Vega-Lite charts with small data, importance, slices."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import load_breast_cancer, load_wine
from threadpoolctl import threadpool_limits

from mlworkbench.core.training.evaluation import evaluate
from mlworkbench.core.training.metrics import METRICS
from mlworkbench.core.training.pipelines import build_pipeline, candidate


def fitted(task: str, X: pd.DataFrame, y: pd.Series, encodings: dict[str, str],
           name: str = "linear"):
    pipeline = build_pipeline(candidate(task, name), task, encodings, n_jobs=1)
    with threadpool_limits(1):
        return pipeline.fit(X, y)


def check_vega_lite(spec: dict) -> int:
    """Assert a spec has the shape of a Vega-Lite v5 spec whose encodings name fields its data
    has; return the number of data rows."""
    assert spec["$schema"] == "https://vega.github.io/schema/vega-lite/v5.json"
    json.dumps(spec)
    values = spec["data"]["values"]
    assert isinstance(values, list) and values, spec.get("title")
    layers = spec.get("layer") or [spec]
    assert "mark" in spec or "layer" in spec
    for layer in layers:
        assert "mark" in layer
        rows = layer.get("data", spec["data"])["values"]
        encoding = {**spec.get("encoding", {}), **layer.get("encoding", {})}
        for channel, definition in encoding.items():
            for item in definition if isinstance(definition, list) else [definition]:
                if "field" in item:
                    assert item["field"] in rows[0], (spec["title"], channel, item["field"])
    return len(values)


def split(frame: pd.DataFrame, target: str, holdout: float = 0.3):
    shuffled = frame.sample(frac=1.0, random_state=0)
    cut = int(len(shuffled) * (1 - holdout))
    train, test = shuffled.iloc[:cut], shuffled.iloc[cut:]
    return train.drop(columns=[target]), train[target], test, test[target]


def test_binary_evaluation_has_metrics_charts_and_importance():
    frame = load_breast_cancer(as_frame=True).frame
    X, y, test, y_test = split(frame, "target")
    pipeline = fitted("binary", X, y, {c: "number" for c in X.columns})
    result = evaluate(pipeline, test, y_test, task="binary", metric=METRICS["roc_auc"],
                      positive=1)
    metrics = result.metrics
    assert set(metrics) == {"accuracy", "balanced_accuracy", "f1", "precision", "recall",
                            "roc_auc", "log_loss", "rows"}
    assert metrics["rows"] == len(test) and metrics["roc_auc"] > 0.95
    assert 0.9 < metrics["accuracy"] <= 1 and metrics["log_loss"] > 0
    assert set(result.charts) == {"confusion_matrix", "roc", "pr", "calibration", "importance"}
    for spec in result.charts.values():
        check_vega_lite(spec)
    cells = result.charts["confusion_matrix"]["data"]["values"]
    assert sum(c["count"] for c in cells) == len(test)
    roc = result.charts["roc"]["data"]["values"]
    assert roc[0]["fpr"] == 0 and roc[-1]["tpr"] == 1
    assert len(result.importance) == 30 and result.importance[0]["importance"] > 0
    json.dumps(result.to_dict())


def test_multiclass_evaluation_and_slices_of_a_chosen_column():
    frame = load_wine(as_frame=True).frame
    frame["region"] = np.where(frame["alcohol"] > 13, "north", None)
    X, y, test, y_test = split(frame.drop(columns=["region"]), "target")
    test = test.join(frame["region"])
    pipeline = fitted("multiclass", X, y, {c: "number" for c in X.columns})
    metric = METRICS["balanced_accuracy"]
    result = evaluate(pipeline, test, y_test, task="multiclass", metric=metric,
                      slice_by="region", importance=False)
    assert result.metrics["accuracy"] > 0.85 and result.metrics["roc_auc"] > 0.9
    assert set(result.charts) == {"confusion_matrix", "roc", "pr", "calibration"}
    assert {r["class"] for r in result.charts["roc"]["data"]["values"]} == {"0", "1", "2"}
    for spec in result.charts.values():
        check_vega_lite(spec)
    slices = result.slices
    assert slices["column"] == "region" and slices["metric"] == "balanced_accuracy"
    by_name = {r["slice"]: r for r in slices["rows"]}
    assert set(by_name) == {"north", "(null)"}
    assert sum(r["rows"] for r in slices["rows"]) == len(test)
    assert by_name["north"]["rows"] == int((test["region"] == "north").sum())
    assert check_vega_lite(slices["chart"]) == 2


def test_charts_stay_small_for_a_large_holdout_and_numeric_slices_are_quantile_bins():
    rng = np.random.default_rng(0)
    n = 24_000
    frame = pd.DataFrame({"a": rng.normal(size=n), "b": rng.normal(size=n),
                          "shop": rng.choice([f"s{i}" for i in range(50)], n)})
    frame["price"] = 3 * frame["a"] - frame["b"] + rng.normal(0, 0.5, n)
    frame["sold"] = np.where(frame["price"] + rng.normal(0, 1, n) > 0, "yes", "no")
    X, y, test, y_test = split(frame, "price", holdout=0.5)
    pipeline = fitted("regression", X[["a", "b"]], y, {"a": "number", "b": "number"})
    result = evaluate(pipeline, test, y_test, task="regression", metric=METRICS["r2"],
                      slice_by="a")
    assert result.metrics["r2"] > 0.9 and result.metrics["rows"] == 12_000
    assert set(result.charts) == {"predicted_vs_actual", "residuals", "importance"}
    for name in ("predicted_vs_actual", "residuals"):
        assert check_vega_lite(result.charts[name]) == 1000
    assert [r["feature"] for r in result.importance] == ["a", "b"]
    assert len(result.slices["rows"]) == 5
    assert all(2200 < r["rows"] < 2600 for r in result.slices["rows"])

    X, y, test, y_test = split(frame.drop(columns=["price"]), "sold", holdout=0.5)
    pipeline = fitted("binary", X, y, {"a": "number", "b": "number", "shop": "strings"})
    result = evaluate(pipeline, test, y_test, task="binary", metric=METRICS["f1"],
                      positive="yes", slice_by="shop")
    for name in ("roc", "pr"):
        assert check_vega_lite(result.charts[name]) <= 200
    assert check_vega_lite(result.charts["calibration"]) == 10
    assert len(result.slices["rows"]) == 20  # 19 shops and the rest as "(other)"
    assert "(other)" in {r["slice"] for r in result.slices["rows"]}
    assert len(json.dumps(result.to_dict())) < 200_000


def test_a_slice_with_one_class_has_no_auc_rather_than_an_error():
    frame = load_breast_cancer(as_frame=True).frame
    X, y, test, y_test = split(frame, "target")
    pipeline = fitted("binary", X, y, {c: "number" for c in X.columns})
    test = test.assign(group=np.where(y_test == 1, "all ones", "mixed"))
    test.loc[test.index[y_test.to_numpy() == 1][:5], "group"] = "mixed"
    result = evaluate(pipeline, test, y_test, task="binary", metric=METRICS["roc_auc"],
                      positive=1, slice_by="group", importance=False)
    rows = {r["slice"]: r for r in result.slices["rows"]}
    assert rows["all ones"]["roc_auc"] is None and rows["mixed"]["roc_auc"] is not None
    assert [v["slice"] for v in result.slices["chart"]["data"]["values"]] == ["mixed"]


@pytest.mark.parametrize("metric", ["accuracy", "f1", "log_loss"])
def test_other_metrics_rank_the_importance(metric):
    frame = load_breast_cancer(as_frame=True).frame[["mean radius", "mean texture", "target"]]
    frame["noise"] = np.random.default_rng(0).normal(size=len(frame))
    X, y, test, y_test = split(frame, "target")
    pipeline = fitted("binary", X, y, {c: "number" for c in X.columns})
    result = evaluate(pipeline, test, y_test, task="binary", metric=METRICS[metric], positive=1)
    assert result.importance[0]["feature"] == "mean radius"
    assert result.importance[-1]["feature"] in ("noise", "mean texture")


def test_importance_samples_fewer_rows_for_a_slow_model_and_still_ranks_every_feature(
        monkeypatch):
    import sklearn.inspection

    from mlworkbench.core.training.evaluation import IMPORTANCE_MIN_ROWS

    frame = load_breast_cancer(as_frame=True).frame
    frame = pd.concat([frame] * 3, ignore_index=True)  # 512 held-out rows, over the fewest
    X, y, test, y_test = split(frame, "target")
    pipeline = fitted("binary", X, y, {c: "number" for c in X.columns})
    permute, calls = sklearn.inspection.permutation_importance, []

    def recorded(estimator, X, y, **kwargs):  # the real one, recording what it is given
        calls.append((len(X), kwargs["n_repeats"]))
        return permute(estimator, X, y, **kwargs)

    monkeypatch.setattr(sklearn.inspection, "permutation_importance", recorded)
    result = evaluate(pipeline, test, y_test, task="binary", metric=METRICS["roc_auc"],
                      positive=1, importance_s=0.0)  # no time at all: the fewest rows
    assert len(test) > IMPORTANCE_MIN_ROWS
    assert calls == [(IMPORTANCE_MIN_ROWS, 1)]  # and one repeat: too slow even there
    assert len(result.importance) == 30
    assert {r["feature"] for r in result.importance} == set(X.columns)
    assert result.importance[0]["importance"] > 0
    # With time to spare, every held-out row and three repeats.
    calls.clear()
    evaluate(pipeline, test, y_test, task="binary", metric=METRICS["roc_auc"], positive=1,
             importance_s=3600)
    assert calls == [(len(test), 3)]
