"""The metrics a search can optimise, by task, with their scikit-learn scorers.

Scores are reported in their natural units (a log loss or an RMSE is positive, lower is better);
``Metric.better`` compares two of them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from mlworkbench.core.errors import InvalidRequestError


@dataclass(frozen=True)
class Metric:
    """One metric: its name, the task kinds it applies to, and whether higher is better."""

    name: str
    label: str
    tasks: tuple[str, ...]
    greater_is_better: bool = True

    def scorer(self, task: str, positive: Any = None) -> Any:
        """The scikit-learn scorer of this metric (its values are negated for losses)."""
        from sklearn import metrics

        if self.name == "f1":
            if task == "binary":
                return metrics.make_scorer(metrics.f1_score, pos_label=positive)
            return metrics.get_scorer("f1_macro")
        if self.name == "roc_auc":
            return metrics.get_scorer("roc_auc" if task == "binary" else "roc_auc_ovr")
        names = {"log_loss": "neg_log_loss", "mae": "neg_mean_absolute_error",
                 "rmse": "neg_root_mean_squared_error"}
        return metrics.get_scorer(names.get(self.name, self.name))

    def natural(self, scorer_value: float) -> float:
        """A scorer's value in the metric's own units."""
        return float(scorer_value if self.greater_is_better else -scorer_value)

    def better(self, a: float | None, b: float | None) -> bool:
        """Whether score ``a`` is strictly better than ``b`` (None is worst)."""
        if a is None or np.isnan(a):
            return False
        if b is None or np.isnan(b):
            return True
        return a > b if self.greater_is_better else a < b


_CLASSIFY = ("binary", "multiclass")
METRICS = {m.name: m for m in [
    Metric("roc_auc", "ROC AUC", _CLASSIFY),
    Metric("accuracy", "Accuracy", _CLASSIFY),
    Metric("balanced_accuracy", "Balanced accuracy", _CLASSIFY),
    Metric("f1", "F1", _CLASSIFY),
    Metric("log_loss", "Log loss", _CLASSIFY, greater_is_better=False),
    Metric("r2", "R²", ("regression",)),
    Metric("mae", "Mean absolute error", ("regression",), greater_is_better=False),
    Metric("rmse", "Root mean squared error", ("regression",), greater_is_better=False),
]}
DEFAULT_METRIC = {"binary": "roc_auc", "multiclass": "balanced_accuracy", "regression": "r2"}


def resolve_metric(metric: str | None, task: str) -> Metric:
    """The metric called ``metric`` (the task's default when None).

    Raises:
        InvalidRequestError: An unknown metric, or one that does not fit the task.
    """
    name = metric or DEFAULT_METRIC[task]
    known = [m.name for m in METRICS.values() if task in m.tasks]
    if name not in METRICS or task not in METRICS[name].tasks:
        raise InvalidRequestError("metric", f"Metric '{name}' does not apply to {task} "
                                            f"targets; use one of {', '.join(known)}.")
    return METRICS[name]


_POSITIVE_NAMES = ("1", "true", "yes", "y", "positive", "pos")


def positive_class(y: pd.Series) -> Any:
    """The class a binary target's F1, precision and PR curve are about.

    ``True``/``1``/"yes"-like values when present, else the rarer class.

    >>> positive_class(pd.Series(["no", "yes", "no"]))
    'yes'
    >>> positive_class(pd.Series(["stay", "churn", "stay"]))
    'churn'
    """
    counts = y.value_counts()
    for value in counts.index:
        if str(value).strip().lower() in _POSITIVE_NAMES:
            return value.item() if hasattr(value, "item") else value
    rare = counts.index[-1]
    return rare.item() if hasattr(rare, "item") else rare
