"""The learning task (binary, multiclass, regression) and the checks that data can be trained on.

``infer_task(y)`` guesses the task from the target's values; ``validate(...)`` refuses data that
cannot be trained on with an error that says what to change (all 422, ``TrainingDataError``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from mlworkbench.core.errors import (
    ColumnTypeError,
    InvalidRequestError,
    RareClassError,
    SingleClassError,
    TargetMissingError,
    TooFewRowsError,
)
from mlworkbench.core.training.features import value_problem

TASKS = ("binary", "multiclass", "regression")
#: A numeric target with whole values and at most this many of them is a set of classes.
MAX_NUMERIC_CLASSES = 20
HOLDOUT_FRACTION = 0.2
#: Held-out rows at most: more measure the metrics no better, and cost predictions; the rest
#: of a large table trains.
MAX_HOLDOUT_ROWS = 50_000


def infer_task(y: pd.Series) -> str:
    """The task a target calls for.

    Text, booleans and categories are classes; numbers are regression unless they are whole
    and few (at most 20 distinct values, and fewer than half the rows), then classes.

    >>> infer_task(pd.Series(["yes", "no", "yes"]))
    'binary'
    >>> infer_task(pd.Series([0, 1, 2, 1, 0, 2, 1]))
    'multiclass'
    >>> infer_task(pd.Series([0.5, 1.25, 3.0]))
    'regression'
    """
    values = y.dropna()
    distinct = values.nunique()
    if distinct == 2:
        return "binary"
    numeric = pd.api.types.is_numeric_dtype(values.dtype) and not pd.api.types.is_bool_dtype(
        values.dtype)
    if numeric:
        whole = bool(np.all(np.mod(values.to_numpy(dtype=float), 1) == 0))
        if whole and distinct <= MAX_NUMERIC_CLASSES and distinct < max(3, len(values) / 2):
            return "multiclass"
        return "regression"
    return "binary" if distinct <= 2 else "multiclass"


@dataclass
class Checked:
    """What ``validate`` found: the task, the rows with a target, and the folds to use."""

    task: str
    rows: int
    dropped_null_target: int
    folds: int
    holdout_rows: int


def validate(frame: pd.DataFrame, target: str, features: list[str], *, task: str | None = None,
             folds: int = 5) -> Checked:
    """Check that ``frame`` can be trained on and resolve the task.

    Args:
        frame: The whole table, target included.
        target: The target column.
        features: The feature columns the user chose (or the default set).
        task: ``binary``, ``multiclass`` or ``regression`` to override the inferred task.
        folds: Cross-validation folds the search will use.

    Returns:
        The task and the row counts.

    Raises:
        TargetMissingError: The target is not a column, or is null in every row.
        ColumnTypeError: The target or a feature holds unhashable or mixed-type values.
        InvalidRequestError: An unknown task or feature, or a task the target cannot have.
        SingleClassError: A classification target with one value only.
        RareClassError: A class with one row (it cannot be both trained on and tested).
        TooFewRowsError: Fewer training rows than folds.
    """
    if target not in frame.columns:
        close = _closest(target, [str(c) for c in frame.columns])
        hint = f" Did you mean '{close}'?" if close else ""
        raise TargetMissingError(target, f"The data has no column '{target}' to use as the "
                                         f"target.{hint} Pick one of its columns.",
                                 columns=[str(c) for c in frame.columns][:50])
    y = frame[target]
    known = int(y.notna().sum())
    if known == 0:
        raise TargetMissingError(target, f"The target '{target}' is null in all {len(y):,} rows; "
                                         "pick a column with values, or label some rows first.")
    problem = value_problem(y)
    if problem:
        raise ColumnTypeError(target, f"The target '{target}' {problem}.", field="target")
    _check_features(frame, target, features)
    if task is not None and task not in TASKS:
        raise InvalidRequestError("task", f"Unknown task '{task}'; use one of "
                                          f"{', '.join(TASKS)} (or leave it out to infer it).")
    y = y.dropna()
    task = task or infer_task(y)
    if task == "regression":
        if not pd.api.types.is_numeric_dtype(y.dtype) or pd.api.types.is_bool_dtype(y.dtype):
            raise InvalidRequestError(
                "task", f"Regression needs a numeric target, but '{target}' holds "
                        f"{y.dtype} values; use task='binary' or 'multiclass', or cast it in SQL.")
        classes = 0
    else:
        classes = _check_classes(y, target, task)
    holdout = max(min(math.ceil(known * HOLDOUT_FRACTION), MAX_HOLDOUT_ROWS), classes, 1)
    train_rows = known - holdout
    if train_rows < folds:
        raise TooFewRowsError(
            known, folds,
            f"Only {known:,} rows have a target: after holding out {holdout:,} for the test, "
            f"{train_rows:,} are left to train on, fewer than the {folds} cross-validation folds. "
            f"Add rows (label more), or use fewer folds (at least 2).")
    return Checked(task=task, rows=known, dropped_null_target=len(frame) - known, folds=folds,
                   holdout_rows=holdout)


def _check_features(frame: pd.DataFrame, target: str, features: list[str]) -> None:
    if not features:
        raise InvalidRequestError("features", "No feature columns are left to train on: pick "
                                              "at least one column besides the target.")
    missing = [f for f in features if f not in frame.columns]
    if missing:
        raise InvalidRequestError("features", f"The data has no column '{missing[0]}'; "
                                              "pick feature columns from the data.",
                                  missing=missing)
    if target in features:
        raise InvalidRequestError("features", f"The target '{target}' cannot also be a "
                                              "feature; remove it from the features.")
    for name in features:
        problem = value_problem(frame[name])
        if problem:
            raise ColumnTypeError(name, f"Column '{name}' {problem}.")


def _check_classes(y: pd.Series, target: str, task: str) -> int:
    counts = y.value_counts()
    if len(counts) == 1:
        value = _plain(counts.index[0])
        raise SingleClassError(
            target, value, f"The target '{target}' has one class only ({value!r} in all "
                           f"{int(counts.iloc[0]):,} rows with a target): a classifier needs at "
                           "least two. Add rows of another class, or pick another target.")
    if task == "binary" and len(counts) > 2:
        raise InvalidRequestError("task", f"task='binary' needs two classes, but '{target}' "
                                          f"has {len(counts)}; use task='multiclass'.")
    rare = counts[counts < 2]
    if len(rare):
        value = _plain(rare.index[0])
        others = f" (and {len(rare) - 1} more)" if len(rare) > 1 else ""
        raise RareClassError(
            target, value, int(rare.iloc[0]),
            f"Class {value!r}{others} of the target '{target}' has only 1 row: each class needs "
            f"at least 2, one to train on and one to test. Label more rows of it, or leave it "
            f"out (e.g. WHERE {target} <> {_sql_literal(value)}).")
    return len(counts)


def _plain(value: Any) -> Any:
    return value.item() if hasattr(value, "item") else value


def _sql_literal(value: Any) -> str:
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    return str(value)


def _closest(name: str, options: list[str]) -> str | None:
    import difflib

    found = difflib.get_close_matches(name, options, n=1, cutoff=0.6)
    if not found:
        lowered = {o.lower(): o for o in options}
        return lowered.get(name.lower())
    return found[0]
