"""Task inference and the errors that say what to fix before anything is fitted."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from mlworkbench.core.errors import (
    ColumnTypeError,
    InvalidRequestError,
    RareClassError,
    SingleClassError,
    TargetMissingError,
    TooFewRowsError,
    TrainingDataError,
)
from mlworkbench.core.training import train
from mlworkbench.core.training.features import report_features
from mlworkbench.core.training.task import infer_task, validate


def frame(n: int = 40, **columns) -> pd.DataFrame:
    rng = np.random.default_rng(0)
    base = {"x": rng.normal(size=n), "y": np.arange(n) % 2}
    return pd.DataFrame({**base, **columns})


@pytest.mark.parametrize("values,task", [
    (["yes", "no", "yes", "no"], "binary"),
    ([True, False, True, None], "binary"),
    ([0, 1, 1, 0, 1], "binary"),
    ([0, 1, 2, 1, 0, 2, 1, 2], "multiclass"),
    (["a", "b", "c", "a"], "multiclass"),
    ([1.0, 2.0, 3.0, 1.0, 2.0, 3.0, 2.0], "multiclass"),
    ([0.5, 1.25, 3.0, 4.5], "regression"),
    (list(range(100)), "regression"),
])
def test_the_task_is_inferred_from_the_target_values(values, task):
    assert infer_task(pd.Series(values)) == task


def test_an_inferred_task_can_be_overridden_and_a_wrong_override_is_explained():
    df = frame(y=[0, 1, 2, 3] * 10)
    assert validate(df, "y", ["x"]).task == "multiclass"
    assert validate(df, "y", ["x"], task="regression").task == "regression"
    with pytest.raises(InvalidRequestError, match="task='multiclass'") as raised:
        validate(df, "y", ["x"], task="binary")
    assert raised.value.detail["field"] == "task"
    with pytest.raises(InvalidRequestError, match="numeric target"):
        validate(frame(y=["a", "b"] * 20), "y", ["x"], task="regression")


def test_a_missing_target_suggests_the_closest_column():
    with pytest.raises(TargetMissingError, match="Did you mean 'label'") as raised:
        validate(frame(label=[0, 1] * 20), "labl", ["x"])
    assert raised.value.status == 422 and raised.value.code == "target_missing"


def test_an_all_null_target_says_to_label_rows():
    with pytest.raises(TargetMissingError, match="null in all 40 rows"):
        validate(frame(y=[None] * 40), "y", ["x"])


def test_one_class_only_is_refused_with_the_class():
    with pytest.raises(SingleClassError, match=r"one class only \('churned'") as raised:
        validate(frame(y=["churned"] * 39 + [None]), "y", ["x"])
    assert raised.value.detail["value"] == "churned"


def test_one_class_only_flags_no_leaks_and_train_says_one_class_not_no_features():
    df = frame(y=["churned"] * 39 + [None], plan=["a", "b"] * 20)
    report = report_features(df, "y")
    assert [c.name for c in report.columns if c.flags] == []
    assert report.features == ["x", "plan"]
    calls = []
    with pytest.raises(SingleClassError, match=r"one class only \('churned'"):
        train(df, "y", progress=calls.append)
    assert calls == []


def test_a_class_with_one_row_is_named():
    with pytest.raises(RareClassError) as raised:
        validate(frame(y=["a", "b"] * 19 + ["a", "rare"]), "y", ["x"])
    error = raised.value
    assert error.value == "rare" and error.rows == 1 and error.status == 422
    assert "Class 'rare'" in error.message and "WHERE y <> 'rare'" in error.message


def test_fewer_rows_than_folds_says_how_many_and_what_to_change():
    with pytest.raises(TooFewRowsError, match="fewer than the 5 cross-validation folds") as raised:
        validate(frame(6, y=[0, 1] * 3), "y", ["x"], folds=5)
    assert raised.value.detail == {"field": "folds", "rows": 6, "folds": 5}
    assert validate(frame(6, y=[0, 1] * 3), "y", ["x"], folds=2).holdout_rows == 2


def test_unhashable_and_mixed_columns_are_named():
    df = frame(tags=[[1, 2]] * 40, mixed=[1, "two"] * 20)
    with pytest.raises(ColumnTypeError, match="'tags' holds list values") as raised:
        validate(df, "y", ["x", "tags"])
    assert raised.value.column == "tags" and raised.value.detail["field"] == "features"
    with pytest.raises(ColumnTypeError, match=r"'mixed' mixes value types \(number, str\)"):
        validate(df, "y", ["mixed"])
    with pytest.raises(ColumnTypeError, match="The target 'mixed'") as raised:
        validate(df, "mixed", ["x"])
    assert raised.value.detail["field"] == "target"


def test_unknown_features_and_the_target_as_a_feature_are_refused():
    with pytest.raises(InvalidRequestError, match="no column 'nope'"):
        validate(frame(), "y", ["x", "nope"])
    with pytest.raises(InvalidRequestError, match="cannot also be a feature"):
        validate(frame(), "y", ["x", "y"])
    with pytest.raises(InvalidRequestError, match="No feature columns"):
        validate(frame(), "y", [])


def test_train_refuses_bad_input_before_fitting_anything():
    calls = []
    with pytest.raises(RareClassError):
        train(frame(y=["a", "b"] * 19 + ["a", "rare"]), "y", progress=calls.append)
    with pytest.raises(InvalidRequestError, match="Metric 'r2' does not apply"):
        train(frame(), "y", metric="r2", progress=calls.append)
    with pytest.raises(TrainingDataError):
        train(frame(y=[None] * 40), "y", progress=calls.append)
    assert calls == []
