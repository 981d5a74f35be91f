"""How good a fitted pipeline is on the held-out rows: metrics, charts, importance, slices.

``evaluate(...)`` predicts the held-out split once and derives everything from it. Charts are
standalone Vega-Lite v5 specs with their data inline, kept small whatever the split's size:
curves are thinned to a few hundred points, calibration is binned, scatter plots are sampled,
and permutation importance runs on a sample of rows.
"""

from __future__ import annotations

import time
import warnings
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from mlworkbench.core.data.charts import SCHEMA
from mlworkbench.core.training.metrics import Metric

MAX_POINTS = 1000
CURVE_POINTS = 200
MAX_CLASSES = 20
MAX_CURVES = 10
IMPORTANCE_ROWS = 2000
#: Rows permutation importance keeps however slow the model is to predict.
IMPORTANCE_MIN_ROWS = 200
#: Seconds permutation importance aims at by default (fewer rows when predicting is slow).
IMPORTANCE_SECONDS = 10.0
MAX_SLICES = 20
WIDTH = HEIGHT = 260


@dataclass
class Evaluation:
    """Metrics, charts, permutation importance and per-slice metrics of one model."""

    task: str
    rows: int
    metrics: dict[str, float | None]
    charts: dict[str, dict[str, Any]] = field(default_factory=dict)
    importance: list[dict[str, Any]] = field(default_factory=list)
    slices: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"task": self.task, "rows": self.rows, "metrics": self.metrics,
                "charts": self.charts, "importance": self.importance, "slices": self.slices}


def importance_seconds(budget_s: float) -> float:
    """The seconds permutation importance gets in a training run of ``budget_s`` seconds.

    >>> importance_seconds(60), importance_seconds(5), importance_seconds(3600)
    (4.8, 0.5, 10.0)
    """
    return round(min(IMPORTANCE_SECONDS, max(0.5, 0.08 * budget_s)), 3)


def evaluate(pipeline: Any, X: pd.DataFrame, y: pd.Series, *, task: str, metric: Metric,
             positive: Any = None, slice_by: str | None = None, importance: bool = True,
             random_state: int = 0, importance_s: float = IMPORTANCE_SECONDS) -> Evaluation:
    """Evaluate a fitted pipeline on held-out rows.

    Args:
        pipeline: A fitted pipeline taking the raw columns of ``X``.
        X: The held-out rows (extra columns are fine: they can be sliced by).
        y: Their target.
        task: ``binary``, ``multiclass`` or ``regression``.
        metric: The metric the search optimised (ranks permutation importance).
        positive: The positive class of a binary target.
        slice_by: A column of ``X`` to compute metrics per value (or per quantile bin) of.
        importance: Whether to compute permutation importance of the raw columns.
        random_state: Seed of the samples.
        importance_s: Seconds permutation importance aims at (it samples fewer rows for a
            model slow to predict).

    Returns:
        The evaluation; ``charts`` maps a chart's name to its Vega-Lite spec.
    """
    predictions = _Predictions(pipeline, X, y, task, positive)
    result = Evaluation(task=task, rows=len(y), metrics=predictions.metrics())
    rng = np.random.default_rng(random_state)
    if task == "regression":
        result.charts.update(_regression_charts(predictions, rng))
    else:
        result.charts.update(_classification_charts(predictions))
    if importance:
        result.importance = permutation_importance(pipeline, X, y, task=task, metric=metric,
                                                   positive=positive, random_state=random_state,
                                                   seconds=importance_s)
        if result.importance:
            result.charts["importance"] = _importance_chart(result.importance, metric)
    if slice_by is not None:
        result.slices = slice_metrics(predictions, X[slice_by], metric=metric)
    return result


class _Predictions:
    """One pass of predictions on the held-out rows."""

    def __init__(self, pipeline: Any, X: pd.DataFrame, y: pd.Series, task: str, positive: Any):
        self.task, self.positive = task, positive
        self.y = y.to_numpy()
        self.classes = list(getattr(pipeline, "classes_", [])) if task != "regression" else []
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            if self.classes and hasattr(pipeline, "predict_proba"):
                # One pass over the rows (preprocessing text is costly): the predicted class
                # is the most probable one, as the classifiers here predict it.
                self.proba = pipeline.predict_proba(X)
                self.pred = np.asarray(pipeline.classes_)[self.proba.argmax(axis=1)]
            else:
                self.pred, self.proba = np.asarray(pipeline.predict(X)), None

    def subset(self, mask: np.ndarray) -> _Predictions:
        part = object.__new__(_Predictions)
        part.task, part.positive, part.classes = self.task, self.positive, self.classes
        part.y, part.pred = self.y[mask], self.pred[mask]
        part.proba = None if self.proba is None else self.proba[mask]
        return part

    def positive_scores(self) -> np.ndarray:
        return self.proba[:, self.classes.index(self.positive)]

    def metrics(self) -> dict[str, float | None]:
        """The metrics table (None where a metric is undefined, e.g. AUC of one class)."""
        from sklearn import metrics as m

        y, pred = self.y, self.pred
        if self.task == "regression":
            return {"r2": _safe(m.r2_score, y, pred), "mae": _safe(m.mean_absolute_error, y, pred),
                    "rmse": _safe(m.root_mean_squared_error, y, pred), "rows": len(y)}
        binary = self.task == "binary"
        average = {"pos_label": self.positive, "average": "binary"} if binary else {
            "average": "macro"}
        out = {
            "accuracy": _safe(m.accuracy_score, y, pred),
            "balanced_accuracy": _safe(m.balanced_accuracy_score, y, pred),
            "f1": _safe(m.f1_score, y, pred, zero_division=0, **average),
            "precision": _safe(m.precision_score, y, pred, zero_division=0, **average),
            "recall": _safe(m.recall_score, y, pred, zero_division=0, **average),
            "roc_auc": None, "log_loss": None, "rows": len(y),
        }
        if self.proba is not None and len(np.unique(y)) > 1:
            if binary:
                out["roc_auc"] = _safe(m.roc_auc_score, y == self.positive,
                                       self.positive_scores())
            elif len(np.unique(y)) == len(self.classes):
                out["roc_auc"] = _safe(m.roc_auc_score, y, self.proba, multi_class="ovr",
                                       labels=self.classes)
            out["log_loss"] = _safe(m.log_loss, y, self.proba, labels=self.classes)
        return out


def _safe(function: Any, *args: Any, **kwargs: Any) -> float | None:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            value = float(function(*args, **kwargs))
    except ValueError:
        return None
    return round(value, 6) if np.isfinite(value) else None


# -- classification ------------------------------------------------------------------------------
def _classification_charts(p: _Predictions) -> dict[str, dict[str, Any]]:
    charts = {"confusion_matrix": _confusion_chart(p)}
    if p.proba is None:
        return charts
    roc, pr = _curves(p)
    charts["roc"] = _line_chart("ROC curve", roc, "fpr", "tpr", "False positive rate",
                                "True positive rate", diagonal=True)
    charts["pr"] = _line_chart("Precision-recall curve", pr, "recall", "precision", "Recall",
                               "Precision")
    charts["calibration"] = _calibration_chart(p)
    return charts


def _confusion_chart(p: _Predictions) -> dict[str, Any]:
    counts = pd.Series(p.y).value_counts()
    keep = set(counts.index[: MAX_CLASSES - 1]) if len(counts) > MAX_CLASSES else set(counts.index)

    def name(values: np.ndarray) -> np.ndarray:
        return np.array([str(v) if v in keep else "(other)" for v in values], dtype=object)

    table = pd.DataFrame({"actual": name(p.y), "predicted": name(p.pred)})
    grouped = table.groupby(["actual", "predicted"]).size().rename("count").reset_index()
    totals = grouped.groupby("actual")["count"].transform("sum")
    grouped["share"] = (grouped["count"] / totals).round(4)
    values = grouped.to_dict("records")
    for row in values:
        row["count"] = int(row["count"])
    encoding = {"x": {"field": "predicted", "type": "nominal", "title": "Predicted"},
                "y": {"field": "actual", "type": "nominal", "title": "Actual"}}
    return _spec("Confusion matrix (held-out rows)", values, {
        "encoding": encoding,
        "layer": [
            {"mark": "rect", "encoding": {
                "color": {"field": "share", "type": "quantitative", "title": "share of actual"},
                "tooltip": [{"field": "actual"}, {"field": "predicted"},
                            {"field": "count", "type": "quantitative", "format": ","},
                            {"field": "share", "type": "quantitative", "format": ".1%"}]}},
            {"mark": {"type": "text"}, "encoding": {
                "text": {"field": "count", "type": "quantitative", "format": ","}}},
        ]})


def _one_vs_rest(p: _Predictions) -> list[tuple[str, np.ndarray, np.ndarray]]:
    """(class, is-class, score) per curve: the positive class of a binary target, else the
    most frequent classes one against the rest."""
    if p.task == "binary":
        return [(str(p.positive), p.y == p.positive, p.positive_scores())]
    frequent = pd.Series(p.y).value_counts().index[:MAX_CURVES]
    return [(str(c), p.y == c, p.proba[:, p.classes.index(c)]) for c in frequent
            if c in p.classes]


def _curves(p: _Predictions) -> tuple[list[dict], list[dict]]:
    from sklearn.metrics import precision_recall_curve, roc_curve

    roc, pr = [], []
    for label, truth, score in _one_vs_rest(p):
        if truth.all() or not truth.any():
            continue
        fpr, tpr, _ = roc_curve(truth, score)
        roc += [{"class": label, "fpr": round(float(a), 5), "tpr": round(float(b), 5)}
                for a, b in _thin(fpr, tpr)]
        precision, recall, _ = precision_recall_curve(truth, score)
        pr += [{"class": label, "recall": round(float(a), 5), "precision": round(float(b), 5)}
               for a, b in _thin(recall, precision)]
    return roc, pr


def _thin(a: np.ndarray, b: np.ndarray, points: int = CURVE_POINTS) -> list[tuple[float, float]]:
    """At most ``points`` points of a curve, evenly spaced along it, ends kept."""
    if len(a) <= points:
        return list(zip(a, b))
    index = np.unique(np.linspace(0, len(a) - 1, points).round().astype(int))
    return list(zip(a[index], b[index]))


def _calibration_chart(p: _Predictions) -> dict[str, Any]:
    if p.task == "binary":
        truth, confidence = p.y == p.positive, p.positive_scores()
        title, x_title = f"Calibration (class {p.positive})", "Mean predicted probability"
    else:  # the top label's probability against how often it is right
        top = p.proba.argmax(axis=1)
        truth = np.asarray(p.classes, dtype=object)[top] == p.y
        confidence = p.proba[np.arange(len(top)), top]
        title, x_title = "Calibration (top class)", "Mean confidence"
    bins = pd.qcut(confidence, 10, duplicates="drop", labels=False)
    frame = pd.DataFrame({"bin": bins, "predicted": confidence, "observed": truth.astype(float)})
    grouped = frame.groupby("bin").agg(predicted=("predicted", "mean"),
                                       observed=("observed", "mean"),
                                       rows=("observed", "size")).reset_index(drop=True)
    values = [{"predicted": round(float(r.predicted), 5), "observed": round(float(r.observed), 5),
               "rows": int(r.rows)} for r in grouped.itertuples()]
    return _spec(title, values, {"layer": [
        _diagonal(),
        {"mark": {"type": "line", "point": True, "tooltip": True}, "encoding": {
            "x": {"field": "predicted", "type": "quantitative", "title": x_title,
                  "scale": {"domain": [0, 1]}},
            "y": {"field": "observed", "type": "quantitative", "title": "Observed frequency",
                  "scale": {"domain": [0, 1]}}}},
    ]})


# -- regression ----------------------------------------------------------------------------------
def _regression_charts(p: _Predictions, rng: np.random.Generator) -> dict[str, dict[str, Any]]:
    index = np.arange(len(p.y))
    if len(index) > MAX_POINTS:
        index = np.sort(rng.choice(index, MAX_POINTS, replace=False))
    actual = p.y[index].astype(float)
    predicted = p.pred[index].astype(float)
    values = [{"actual": round(float(a), 6), "predicted": round(float(b), 6),
               "residual": round(float(a - b), 6)} for a, b in zip(actual, predicted)]
    sampled = f" ({len(index):,} of {len(p.y):,} rows)" if len(index) < len(p.y) else ""
    low, high = float(min(actual.min(), predicted.min())), float(max(actual.max(),
                                                                     predicted.max()))
    points = {"mark": {"type": "circle", "opacity": 0.5, "tooltip": True}}
    vs = _spec("Predicted vs actual" + sampled, values, {"layer": [
        {**points, "encoding": {
            "x": {"field": "actual", "type": "quantitative", "title": "Actual"},
            "y": {"field": "predicted", "type": "quantitative", "title": "Predicted"}}},
        {"data": {"values": [{"actual": low, "predicted": low},
                             {"actual": high, "predicted": high}]},
         "mark": {"type": "line", "strokeDash": [4, 4], "color": "gray"},
         "encoding": {"x": {"field": "actual", "type": "quantitative"},
                      "y": {"field": "predicted", "type": "quantitative"}}},
    ]})
    residuals = _spec("Residuals" + sampled, values, {"layer": [
        {**points, "encoding": {
            "x": {"field": "predicted", "type": "quantitative", "title": "Predicted"},
            "y": {"field": "residual", "type": "quantitative", "title": "Actual - predicted"}}},
        {"mark": {"type": "rule", "strokeDash": [4, 4], "color": "gray"},
         "encoding": {"y": {"datum": 0}}},
    ]})
    return {"predicted_vs_actual": vs, "residuals": residuals}


# -- importance and slices -----------------------------------------------------------------------
def permutation_importance(pipeline: Any, X: pd.DataFrame, y: pd.Series, *, task: str,
                           metric: Metric, positive: Any = None, random_state: int = 0,
                           rows: int = IMPORTANCE_ROWS, repeats: int = 3,
                           seconds: float | None = None) -> list[dict[str, Any]]:
    """How much ``metric`` drops when each raw feature column is shuffled, most important first.

    Runs on at most ``rows`` held-out rows; with ``seconds``, on fewer (down to
    ``IMPORTANCE_MIN_ROWS``) when scoring them once, times the features and repeats, would take
    longer (a 10-class boosting of 1,000 trees over 64 columns: a minute at 2,000 rows on a
    busy machine). The drop is in the metric's own units (positive: the model relies on the
    column).
    """
    from sklearn.inspection import permutation_importance as permute

    features = features_of(pipeline, X)
    if not features:
        return []
    if len(X) > rows:
        sample = X.sample(rows, random_state=random_state).index
        X, y = X.loc[sample], y.loc[sample]
    X, scorer = X[features], metric.scorer(task, positive)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            if seconds is not None:
                X, y, repeats = _within(seconds, pipeline, X, y, scorer, repeats, random_state)
            found = permute(pipeline, X, y, scoring=scorer, n_repeats=repeats,
                            random_state=random_state, n_jobs=1)
    except ValueError:  # the metric is undefined on these rows (a class missing from them)
        return []
    out = [{"feature": name, "importance": round(float(mean), 6), "std": round(float(std), 6)}
           for name, mean, std in zip(features, found.importances_mean, found.importances_std)]
    return sorted(out, key=lambda r: -r["importance"])


def _within(seconds: float, pipeline: Any, X: pd.DataFrame, y: pd.Series, scorer: Any,
            repeats: int, random_state: int) -> tuple[pd.DataFrame, pd.Series, int]:
    """The rows and repeats of a permutation importance taking about ``seconds``: it scores
    the rows once per feature and repeat, so scoring them once is timed, and fewer rows are
    kept (down to ``IMPORTANCE_MIN_ROWS``; one repeat when even those are too slow)."""
    if len(X) <= IMPORTANCE_MIN_ROWS:
        return X, y, repeats
    start = time.monotonic()
    scorer(pipeline, X, y)
    once = time.monotonic() - start
    calls = X.shape[1] * repeats
    if once * calls <= seconds:
        return X, y, repeats
    keep = max(IMPORTANCE_MIN_ROWS, int(len(X) * seconds / (once * calls)))
    if keep < len(X):
        sample = X.sample(keep, random_state=random_state).index
        X, y = X.loc[sample], y.loc[sample]
        # Scoring has a fixed cost (preprocessing every column) that fewer rows keep: time
        # the kept rows once, and repeat less when even they are slow (at least once).
        start = time.monotonic()
        scorer(pipeline, X, y)
        once = time.monotonic() - start
    repeats = max(1, min(repeats, int(seconds / max(once * X.shape[1], 1e-9))))
    return X, y, repeats


def features_of(pipeline: Any, X: pd.DataFrame) -> list[str]:
    """The raw columns a fitted pipeline reads (none for a dummy)."""
    encode = getattr(pipeline, "named_steps", {}).get("encode")
    if encode is None:
        return []
    names: list[str] = []
    for name, _, columns in encode.transformers_:
        if name == "remainder":
            continue
        names += [columns] if isinstance(columns, str) else list(columns)
    return [n for n in X.columns if n in set(names)]


def _importance_chart(importance: list[dict[str, Any]], metric: Metric) -> dict[str, Any]:
    values = [{**r, "low": r["importance"] - r["std"], "high": r["importance"] + r["std"]}
              for r in importance[:30]]
    y = {"field": "feature", "type": "nominal", "sort": "-x", "title": None}
    return _spec(f"Permutation importance (drop in {metric.label})", values, {
        "height": max(60, 18 * len(values)),
        "layer": [
            {"mark": {"type": "bar", "tooltip": True}, "encoding": {
                "y": y, "x": {"field": "importance", "type": "quantitative",
                              "title": f"Drop in {metric.label}"}}},
            {"mark": {"type": "rule"}, "encoding": {
                "y": y, "x": {"field": "low", "type": "quantitative"}, "x2": {"field": "high"}}},
        ]})


def slice_metrics(predictions: _Predictions, column: pd.Series, *, metric: Metric,
                  max_slices: int = MAX_SLICES) -> dict[str, Any]:
    """The metrics table per value of ``column`` (per quantile bin when it is continuous)."""
    groups = _slices(column.reset_index(drop=True), max_slices)
    rows = []
    for label in groups.cat.categories if hasattr(groups, "cat") else groups.unique():
        mask = (groups == label).to_numpy()
        if mask.any():
            rows.append({"slice": str(label), **predictions.subset(mask).metrics()})
    values = [{"slice": r["slice"], "value": r.get(metric.name), "rows": r["rows"]}
              for r in rows if r.get(metric.name) is not None]
    chart = _spec(f"{metric.label} per {column.name}", values, {
        "mark": {"type": "bar", "tooltip": True},
        "height": max(60, 18 * len(values)),
        "encoding": {
            "y": {"field": "slice", "type": "nominal", "sort": None, "title": str(column.name)},
            "x": {"field": "value", "type": "quantitative", "title": metric.label},
            "tooltip": [{"field": "slice"}, {"field": "value", "type": "quantitative"},
                        {"field": "rows", "type": "quantitative", "format": ","}]}})
    return {"column": str(column.name), "metric": metric.name, "rows": rows, "chart": chart}


def _slices(column: pd.Series, max_slices: int) -> pd.Series:
    if pd.api.types.is_datetime64_any_dtype(column.dtype) or (
            pd.api.types.is_numeric_dtype(column.dtype)
            and not pd.api.types.is_bool_dtype(column.dtype)
            and column.nunique() > max_slices):
        bins = pd.qcut(column, 5, duplicates="drop")
        labels = bins.astype(str).where(bins.notna(), "(null)")
        order = [str(c) for c in bins.cat.categories] + ["(null)"]
        return pd.Series(pd.Categorical(labels, categories=order))
    text = column.astype(str).where(column.notna(), "(null)")
    top = text.value_counts().index[: max_slices - 1]
    if text.nunique() > max_slices:
        text = text.where(text.isin(top), "(other)")
    return text


# -- specs ---------------------------------------------------------------------------------------
def _spec(title: str, values: list[dict[str, Any]], body: dict[str, Any]) -> dict[str, Any]:
    return {"$schema": SCHEMA, "title": title, "data": {"values": values}, "width": WIDTH,
            "height": HEIGHT, **body}


def _diagonal() -> dict[str, Any]:
    return {"data": {"values": [{"x": 0, "y": 0}, {"x": 1, "y": 1}]},
            "mark": {"type": "line", "strokeDash": [4, 4], "color": "gray"},
            "encoding": {"x": {"field": "x", "type": "quantitative"},
                         "y": {"field": "y", "type": "quantitative"}}}


def _line_chart(title: str, values: list[dict], x: str, y: str, x_title: str, y_title: str,
                *, diagonal: bool = False) -> dict[str, Any]:
    line = {"mark": {"type": "line", "tooltip": True}, "encoding": {
        "x": {"field": x, "type": "quantitative", "title": x_title, "scale": {"domain": [0, 1]}},
        "y": {"field": y, "type": "quantitative", "title": y_title, "scale": {"domain": [0, 1]}},
        "color": {"field": "class", "type": "nominal", "title": "class"},
        "order": {"field": x, "type": "quantitative"}}}
    return _spec(title, values, {"layer": [_diagonal(), line] if diagonal else [line]})
