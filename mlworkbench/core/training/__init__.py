"""Training: from a table and a target to the best scikit-learn pipeline found in a time budget.

``train(frame, target)`` reports on the columns (``features``), checks the data and infers the
task (``task``), keeps a held-out split aside, searches candidate pipelines (``pipelines``,
``search``), refits the best on the training split and evaluates it on the held-out rows
(``evaluation``). The REST route, the magic and the CLI call ``train`` and render
``TrainResult.to_dict()``.

Importing this package imports neither scikit-learn nor skrub; ``train`` does.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from mlworkbench.core.training.result import TrainResult

if TYPE_CHECKING:
    from mlworkbench.core.training.trials import Progress

__all__ = ["TrainResult", "train"]

#: Rows with a target above which 3 folds are used instead of 5.
MANY_ROWS = 20_000


def train(frame: Any, target: str, *, task: str | None = None, features: list[str] | None = None,
          metric: str | None = None, budget_s: float = 60,
          should_stop: Callable[[], bool] | None = None,
          progress: Callable[[Progress], None] | None = None, random_state: int = 0,
          folds: int | None = None, slice_by: str | None = None, n_jobs: int | None = None,
          max_trials: int | None = None, refit_all: bool = False) -> TrainResult:
    """Train the best pipeline for ``target`` that a search finds within ``budget_s`` seconds.

    Args:
        frame: A pandas DataFrame or an Arrow table; rows with a null target are left out.
        target: The column to predict.
        task: ``binary``, ``multiclass`` or ``regression`` (inferred when None).
        features: The feature columns (default: every column the feature report does not flag).
        metric: What the search optimises (default: ROC AUC for binary, balanced accuracy for
            multiclass, R² for regression). See ``metrics.METRICS``.
        budget_s: Seconds for the whole run: the search keeps time for the refit and the
            evaluation. The baselines always run (a slow one on some folds only) and the best
            model is always refitted, so the run may take longer than a tiny budget.
        should_stop: Checked between trials; returning True ends the search keeping the best.
        progress: Called with a ``search.Progress`` after each trial and at each phase.
        random_state: Seed of the split, the search and the models.
        folds: Cross-validation folds (default 5, or 3 above 20,000 rows).
        slice_by: A column to report held-out metrics per value of.
        n_jobs: Fits run at once (default: the usable cores).
        max_trials: Stop the search after this many trials besides the baselines.
        refit_all: After the held-out evaluation, refit the best pipeline on every row
            (training and held-out) and return that as ``pipeline``; the metrics stay those of
            the held-out evaluation (of ``evaluated``). The search keeps time for it; above
            100,000 rows, when the time left is too short the refit takes as many rows as it
            allows, or none (``pipeline`` is then ``evaluated``), and the message says so
            (see ``refit``).

    Returns:
        The result: best pipeline, leaderboard, held-out metrics and charts, feature report.

    Raises:
        TrainingDataError: Data that cannot be trained on (a subclass says why).
        InvalidRequestError: An unknown task, metric, feature or slice column.
    """
    import numpy as np
    import pandas as pd
    from sklearn.model_selection import train_test_split
    from threadpoolctl import threadpool_limits

    from mlworkbench.core.errors import InvalidRequestError
    from mlworkbench.core.training.evaluation import evaluate, importance_seconds
    from mlworkbench.core.training.features import as_pandas, report_features
    from mlworkbench.core.training.metrics import positive_class, resolve_metric
    from mlworkbench.core.training.pipelines import encodings
    from mlworkbench.core.training.refit import refit
    from mlworkbench.core.training.search import search, usable_cores
    from mlworkbench.core.training.task import validate

    started = time.monotonic()
    if not budget_s >= 0:
        raise InvalidRequestError("budget_s", f"The budget must be a number of seconds >= 0, "
                                              f"not {budget_s!r}.")
    frame = as_pandas(frame)
    report = report_features(frame, target, random_state=random_state)
    chosen = list(features) if features is not None else report.features
    if folds is None:
        known = int(frame[target].notna().sum()) if target in frame.columns else 0
        folds = 3 if known > MANY_ROWS else 5
    checked = validate(frame, target, chosen, task=task, folds=folds)
    if slice_by is not None and slice_by not in frame.columns:
        raise InvalidRequestError("slice_by", f"The data has no column '{slice_by}' to slice "
                                              "by; pick one of its columns.")
    chosen_metric = resolve_metric(metric, checked.task)
    features_s = time.monotonic() - started

    rows = frame[frame[target].notna()]
    y = rows[target]
    if checked.task == "regression":
        y = y.astype(float)
    stratify = y if checked.task != "regression" else None
    train_at, holdout_at = train_test_split(np.arange(len(rows)), test_size=checked.holdout_rows,
                                            stratify=stratify, random_state=random_state)
    train_rows, holdout_rows = rows.iloc[train_at], rows.iloc[holdout_at]
    y_train, y_holdout = y.iloc[train_at], y.iloc[holdout_at]
    positive = positive_class(y) if checked.task == "binary" else None
    encoded = encodings(report, chosen)
    # The budget covers the feature report before the search and the evaluation after it:
    # the search keeps permutation importance's allowance, and half as much again for the
    # held-out predictions and charts.
    importance_s = importance_seconds(budget_s)

    with threadpool_limits(1):  # parallel fits, not parallel threads within a fit: see search
        found = search(train_rows[chosen], y_train, task=checked.task, encodings=encoded,
                       metric=chosen_metric, budget_s=budget_s, folds=folds, positive=positive,
                       should_stop=should_stop, progress=progress, random_state=random_state,
                       n_jobs=n_jobs, max_trials=max_trials, started=started,
                       reserve_s=1.5 * importance_s,
                       refits=1 + len(rows) / len(train_rows) if refit_all else 1,
                       predict_rows=len(holdout_rows))
        if progress is not None:
            progress(_phase("evaluate", found, started))
        evaluation_start = time.monotonic()
        evaluation = evaluate(found.pipeline, holdout_rows, y_holdout, task=checked.task,
                              metric=chosen_metric, positive=positive, slice_by=slice_by,
                              random_state=random_state, importance_s=importance_s)
    evaluation_s = time.monotonic() - evaluation_start
    refitted, refit_all_s, refit_rows, refit_sample = None, 0.0, found.refitted_rows, None
    if refit_all:
        if progress is not None:
            progress(_phase("refit", found, started))
        refit_start = time.monotonic()
        done = refit(found, rows[chosen], y, task=checked.task, encodings=encoded,
                     random_state=random_state, n_jobs=n_jobs or usable_cores(),
                     seconds_left=started + budget_s - refit_start)
        refitted, refit_rows = done.pipeline, done.rows
        if done.sample is not None:  # positions in ``rows``: as positions in all_rows()'s order
            order = np.empty(len(rows), dtype=np.int64)
            order[np.concatenate([train_at, holdout_at])] = np.arange(len(rows))
            refit_sample = np.sort(order[done.sample])
        refit_all_s = time.monotonic() - refit_start
        found.message += done.message
    classes = sorted(pd.unique(y), key=str) if checked.task != "regression" else []
    result = TrainResult(
        task=checked.task, target=target, features=chosen, feature_report=report, search=found,
        evaluation=evaluation, positive_class=positive, classes=classes,
        rows={"train": len(train_rows), "holdout": len(holdout_rows),
              "refit": refit_rows,
              "dropped_null_target": checked.dropped_null_target},
        timings={"features_s": round(features_s, 3), "search_s": round(found.search_s, 3),
                 "refit_s": round(found.refit_s, 3), "evaluation_s": round(evaluation_s, 3),
                 "refit_all_s": round(refit_all_s, 3),
                 "total_s": round(time.monotonic() - started, 3)},
        random_state=random_state, encodings=encoded, holdout=holdout_rows,
        holdout_target=y_holdout, train_rows=train_rows[chosen], train_target=y_train,
        refit_all=refit_all, refitted=refitted, refit_sample=refit_sample)
    if progress is not None:
        progress(_phase("done", found, started))
    return result


def _phase(phase: str, found: Any, started: float) -> Progress:
    from mlworkbench.core.training.trials import PROGRESS_LEADERBOARD, Progress

    board = found.leaderboard[:PROGRESS_LEADERBOARD]
    return Progress(phase=phase, trials_done=sum(t.folds_done > 0 for t in found.trials),
                    best_score=found.best.score, best_candidate=found.best.candidate,
                    metric=found.metric.name, elapsed_s=round(time.monotonic() - started, 3),
                    time_left_s=0.0, leaderboard=[t.to_dict() for t in board])
