"""What ``train()`` returns: the best pipeline, the leaderboard, the evaluation and the report.

Imports nothing heavy, so ``mlworkbench.core.training`` stays cheap to import.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

    from mlworkbench.core.training.evaluation import Evaluation
    from mlworkbench.core.training.features import FeatureReport
    from mlworkbench.core.training.trials import SearchResult, Trial


@dataclass
class TrainResult:
    """One training run: the best fitted pipeline and everything that explains it."""

    task: str
    target: str
    features: list[str]
    feature_report: FeatureReport
    search: SearchResult
    evaluation: Evaluation
    positive_class: Any
    classes: list[Any]
    rows: dict[str, int]
    timings: dict[str, float]
    random_state: int
    #: Feature -> encoding (``pipelines.encodings``): what the pipelines expect of each column.
    encodings: dict[str, str]
    #: The held-out rows (all columns) and their target, for slicing after the fact.
    holdout: pd.DataFrame = field(repr=False)
    holdout_target: pd.Series = field(repr=False)
    #: The training rows (feature columns) and their target, to refit any leaderboard entry.
    train_rows: pd.DataFrame = field(repr=False)
    train_target: pd.Series = field(repr=False)
    #: Whether the best pipeline was refitted on every row (train + held-out) after the
    #: evaluation (``train(refit_all=True)``): ``pipeline`` is that refit, ``evaluated`` the
    #: model the held-out metrics are of.
    refit_all: bool = False
    refitted: Any = field(default=None, repr=False)
    #: Positions in ``all_rows()`` of the rows ``refitted`` was fitted on when the time left
    #: allowed only a sample of them (None: every row).
    refit_sample: Any = field(default=None, repr=False)

    @property
    def pipeline(self) -> Any:
        """The model to keep: the best pipeline refitted on the whole training split, or on
        every row with ``refit_all``; it takes raw columns."""
        return self.refitted if self.refitted is not None else self.search.pipeline

    @property
    def evaluated(self) -> Any:
        """The best pipeline fitted on the training split: the one the held-out rows scored."""
        return self.search.pipeline

    @property
    def best(self) -> Trial:
        return self.search.best

    @property
    def leaderboard(self) -> list[Trial]:
        return self.search.leaderboard

    @property
    def metrics(self) -> dict[str, float | None]:
        """Held-out metrics of the best pipeline."""
        return self.evaluation.metrics

    @property
    def message(self) -> str:
        return self.search.message

    @property
    def budget_exhausted(self) -> bool:
        return self.search.budget_exhausted

    @property
    def stopped(self) -> bool:
        """Whether the user stopped the search."""
        return self.search.stopped_by == "user"

    def refit(self, trial: Trial) -> Any:
        """The pipeline of any trial (a leaderboard entry) fitted on the rows the best one
        was: the whole training split, or every row (or the sample of them the time left
        allowed) with ``refit_all``; the best's own is ``pipeline``."""
        X, y = self.train_rows, self.train_target
        if self.refit_all and self.refitted is not None:
            X, y = self.all_rows()
            if self.refit_sample is not None:
                X, y = X.iloc[self.refit_sample], y.iloc[self.refit_sample]
        return fit_trial(trial, X, y, task=self.task, encodings=self.encodings,
                         random_state=self.random_state)

    def all_rows(self) -> tuple[pd.DataFrame, pd.Series]:
        """Every row with a target, training and held-out (feature columns), and the target."""
        import pandas as pd

        X = pd.concat([self.train_rows, self.holdout[self.train_rows.columns]])
        return X, pd.concat([self.train_target, self.holdout_target])

    def slices(self, column: str) -> dict[str, Any]:
        """Held-out metrics of the best pipeline per value (or quantile bin) of ``column``.

        Raises:
            InvalidRequestError: ``column`` is not a column of the data.
        """
        from mlworkbench.core.errors import InvalidRequestError
        from mlworkbench.core.training.evaluation import _Predictions, slice_metrics

        if column not in self.holdout.columns:
            raise InvalidRequestError("slice_by", f"The data has no column '{column}' to slice "
                                                  "by; pick one of its columns.")
        predictions = _Predictions(self.evaluated, self.holdout, self.holdout_target, self.task,
                                   self.positive_class)
        return slice_metrics(predictions, self.holdout[column], metric=self.search.metric)

    def to_dict(self) -> dict[str, Any]:
        """Everything but the fitted pipeline and the data, JSON-safe."""
        search = self.search.to_dict()
        return {
            "task": self.task,
            "target": self.target,
            "features": self.features,
            "metric": search["metric"],
            "greater_is_better": search["greater_is_better"],
            "positive_class": _plain(self.positive_class),
            "classes": [_plain(c) for c in self.classes],
            "message": search["message"],
            "budget_exhausted": search["budget_exhausted"],
            "baseline_only": search["baseline_only"],
            "stopped_by": search["stopped_by"],
            "best": search["best"],
            "leaderboard": search["leaderboard"],
            "trials": search["trials"],
            "folds": search["folds"],
            "budget_s": search["budget_s"],
            "metrics": self.evaluation.metrics,
            "charts": self.evaluation.charts,
            "importance": self.evaluation.importance,
            "slices": self.evaluation.slices,
            "feature_report": self.feature_report.to_dict(),
            "encodings": self.encodings,
            "rows": self.rows,
            "refit_all": self.refit_all,
            "timings": self.timings,
            "random_state": self.random_state,
        }


def fit_trial(trial: Trial, X: pd.DataFrame, y: pd.Series, *, task: str,
              encodings: dict[str, str], random_state: int, n_jobs: int | None = None,
              threads: int = 1) -> Any:
    """A new pipeline of ``trial``'s configuration fitted on ``X``, ``y`` (its BLAS/OpenMP
    pools limited to ``threads``)."""
    import warnings

    from sklearn.pipeline import Pipeline
    from threadpoolctl import threadpool_limits

    from mlworkbench.core.training.pipelines import build_pipeline, candidate

    if trial.candidate == "dummy":
        from sklearn.dummy import DummyClassifier, DummyRegressor

        model = DummyRegressor() if task == "regression" else DummyClassifier()
        pipeline = Pipeline([("model", model)])
    else:
        pipeline = build_pipeline(candidate(task, trial.candidate), task, encodings,
                                  trial.params, random_state=random_state, n_jobs=n_jobs)
    with threadpool_limits(threads), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return pipeline.fit(X, y)


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if hasattr(value, "item"):
        return value.item()
    return str(value)
