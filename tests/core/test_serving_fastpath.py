"""The compiled row fast path answers exactly as the real pipeline, or is not used.

Small real pipelines of every model family and task, built by the training's own
``build_pipeline`` on columns of every kind (numbers with missing values, booleans, categories
with unseen values and None, high-cardinality strings, free text), are compiled and compared
with scikit-learn on held-out rows and edge values. Nothing here asserts a time."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from mlworkbench.core.registry.signature import Signature, SignatureColumn, check_frame
from mlworkbench.core.serving.fastpath import compile_pipeline
from mlworkbench.core.serving.fastpath.request import plain_columns
from mlworkbench.core.training.pipelines import build_pipeline, candidate

WORDS = ("alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi "
         "rho sigma tau upsilon phi chi psi omega red green blue cyan magenta yellow black "
         "white north south east west").split()
ENCODINGS = {"x": "number", "n": "number", "flag": "number", "plan": "category",
             "city": "strings", "note": "text"}
SIGNATURE = Signature([SignatureColumn("x", "float"), SignatureColumn("n", "integer"),
                       SignatureColumn("flag", "boolean"), SignatureColumn("plan", "string"),
                       SignatureColumn("city", "string"), SignatureColumn("note", "string")])
PARAMS = {"linear": {}, "hist_gradient_boosting": {"max_iter": 15},
          "random_forest": {"n_estimators": 8}, "extra_trees": {"n_estimators": 8}}


def rows(count: int, seed: int) -> list[dict]:
    rng = np.random.default_rng(seed)
    out = []
    for i in range(count):
        x = None if i % 11 == 0 else float(np.round(rng.normal(0, 3), 3))
        out.append({"x": x, "n": int(rng.integers(0, 50)), "flag": bool(i % 3 == 0),
                    "plan": None if i % 13 == 0 else ["basic", "plus", "pro", "max"][i % 4],
                    "city": f"city-{int(rng.integers(0, 60))}",
                    "note": " ".join(rng.choice(WORDS, int(rng.integers(2, 6))))})
    return out


def target(row: dict, task: str):
    score = (row["x"] or 0.0) + row["n"] / 10 + (2 if row["plan"] == "pro" else 0)
    if task == "regression":
        return score
    if task == "binary":
        return "yes" if score > 3 else "no"
    return ["low", "mid", "high"][int(score > 2) + int(score > 5)]


def frame(records: list[dict]) -> pd.DataFrame:
    return check_frame(SIGNATURE, pd.DataFrame.from_records(
        records, columns=SIGNATURE.names)).frame


def columns(records: list[dict]) -> dict[str, list]:
    return {name: [r[name] for r in records] for name in SIGNATURE.names}


def fitted(family: str, task: str):
    train = rows(300, 1)
    pipeline = build_pipeline(candidate(task, family), task, ENCODINGS, PARAMS[family])
    return pipeline.fit(frame(train), [target(r, task) for r in train])


EDGES = [
    {"x": None, "n": 0, "flag": None, "plan": None, "city": None, "note": None},
    {"x": 1e30, "n": -10**9, "flag": True, "plan": "never-seen", "city": "nowhere",
     "note": ""},
    {"x": -0.0, "n": 10**9, "flag": False, "plan": "pro", "city": "city-3",
     "note": "unseen words only"},
]


@pytest.mark.parametrize("task", ["binary", "multiclass", "regression"])
@pytest.mark.parametrize("family", ["linear", "hist_gradient_boosting", "random_forest",
                                    "extra_trees"])
def test_compiled_pipelines_answer_as_scikit_learn(family, task):
    pipeline = fitted(family, task)
    compiled, reason = compile_pipeline(pipeline, SIGNATURE)
    assert reason is None and compiled is not None
    held_out = rows(80, 2) + EDGES
    expected = pipeline.predict(frame(held_out))
    got = compiled.predict(columns(held_out), len(held_out))
    if task == "regression":
        np.testing.assert_array_equal(got, expected)
        assert compiled.predict_proba(columns(held_out), len(held_out)) is None
    else:
        assert got.tolist() == expected.tolist()
        np.testing.assert_allclose(compiled.predict_proba(columns(held_out), len(held_out)),
                                   pipeline.predict_proba(frame(held_out)),
                                   rtol=1e-9, atol=1e-12)
    for row in EDGES:  # one row at a time, the usual request
        assert compiled.predict(columns([row]), 1).tolist() == \
            pipeline.predict(frame([row])).tolist()


def test_a_pipeline_it_does_not_know_is_left_to_scikit_learn():
    from sklearn.tree import DecisionTreeClassifier
    from sklearn.pipeline import Pipeline

    pipeline = fitted("linear", "binary")
    knn = Pipeline([pipeline.steps[0], ("model", DecisionTreeClassifier(max_depth=3))])
    train = rows(300, 1)
    knn.fit(frame(train), [target(r, "binary") for r in train])
    compiled, reason = compile_pipeline(knn, SIGNATURE)
    assert compiled is None and "DecisionTreeClassifier" in reason


def test_dates_are_left_to_scikit_learn():
    signature = Signature([SignatureColumn("x", "float"), SignatureColumn("day", "datetime")])
    train = pd.DataFrame({"x": np.arange(50.0), "day": pd.date_range("2024-01-01",
                                                                     periods=50)})
    pipeline = build_pipeline(candidate("regression", "random_forest"), "regression",
                              {"x": "number", "day": "date"}, {"n_estimators": 3})
    pipeline.fit(train, np.arange(50.0))
    compiled, reason = compile_pipeline(pipeline, signature)
    assert compiled is None and "day" in reason


def test_a_compiled_pipeline_that_differs_is_not_used(monkeypatch):
    from mlworkbench.core.serving.fastpath import trees

    pipeline = fitted("random_forest", "binary")
    real = trees.Forest.predict
    monkeypatch.setattr(trees.Forest, "predict",
                        lambda self, X: real(self, X)[::-1].copy())  # rows swapped
    compiled, reason = compile_pipeline(pipeline, SIGNATURE)
    assert compiled is None and "differs" in reason


TYPES = {"x": "float", "n": "integer", "plan": "string"}


@pytest.mark.parametrize("document", [
    {"dataframe_records": [{"x": 1.5, "n": 2, "plan": "pro"}]},
    {"dataframe_split": {"columns": ["plan", "x", "n"], "data": [["pro", 1.5, 2]]}},
    {"instances": [[1.5, 2, "pro"]]},
    {"inputs": {"x": [1.5], "n": [2], "plan": ["pro"]}},
])
def test_regular_bodies_are_read_without_pandas(document):
    import json

    cols, records = plain_columns(json.dumps(document).encode(), "application/json", TYPES)
    assert cols == {"x": [1.5], "n": [2], "plan": ["pro"]} and len(records) == 1


@pytest.mark.parametrize("document, content_type", [
    ({"dataframe_records": [{"x": 1.5, "n": 2, "plan": "pro", "extra": 1}]}, "application/json"),
    ({"dataframe_records": [{"x": 1.5, "n": 2}]}, "application/json"),
    ({"dataframe_records": [{"x": "1.5", "n": 2, "plan": "pro"}]}, "application/json"),
    ({"dataframe_records": [{"x": 1.5, "n": 2.0, "plan": "pro"}]}, "application/json"),
    ({"dataframe_records": [{"x": True, "n": 2, "plan": "pro"}]}, "application/json"),
    ({"dataframe_records": [{"x": 1.5, "n": 2, "plan": 3}]}, "application/json"),
    ({"dataframe_records": [[1.5, 2, "pro"]]}, "application/json"),
    ({"dataframe_records": [{"x": 1.5, "n": 2, "plan": "pro"}], "params": {}},
     "application/json"),
    ({"dataframe_records": [{"x": 1.5, "n": 2, "plan": "pro"}]}, "text/csv"),
    ({"dataframe_records": []}, "application/json"),
])
def test_irregular_bodies_take_the_full_path(document, content_type):
    import json

    assert plain_columns(json.dumps(document).encode(), content_type, TYPES) is None


@pytest.mark.parametrize("family, task", [("hist_gradient_boosting", "multiclass"),
                                          ("random_forest", "binary"),
                                          ("extra_trees", "regression")])
@pytest.mark.parametrize("all_nodes", [0, 10**9])
def test_both_tree_walks_answer_as_scikit_learn(family, task, all_nodes, monkeypatch):
    from mlworkbench.core.serving.fastpath import trees

    monkeypatch.setattr(trees, "ALL_NODES", all_nodes)  # level by level, or all nodes at once
    pipeline = fitted(family, task)
    compiled, reason = compile_pipeline(pipeline, SIGNATURE)
    assert reason is None
    held_out = rows(40, 3) + EDGES
    assert compiled.predict(columns(held_out), len(held_out)).tolist() == \
        pipeline.predict(frame(held_out)).tolist()
