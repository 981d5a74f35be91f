"""What a search records: its trials, its progress reports and its result."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from mlworkbench.core.training.metrics import Metric

#: Trials a progress report lists (the best so far).
PROGRESS_LEADERBOARD = 10


@dataclass
class Trial:
    """One configuration cross-validated on ``rows`` training rows."""

    id: int
    candidate: str
    label: str
    params: dict[str, Any]
    rows: int
    baseline: bool = False
    score: float | None = None
    score_std: float | None = None
    folds_done: int = 0
    fit_time_s: float = 0.0
    status: str = "ok"  # ok | partial (some folds failed or were stopped: see error) | failed
    error: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Progress:
    """What a progress callback receives, after each trial and at each phase."""

    phase: str  # baseline | search | refit | evaluate | done
    trials_done: int
    best_score: float | None
    best_candidate: str | None
    metric: str
    elapsed_s: float
    time_left_s: float
    #: The best trials scored on all rows so far (at most ``PROGRESS_LEADERBOARD``), best first,
    #: as ``Trial.to_dict()``.
    leaderboard: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class SearchResult:
    """The trials, the best one, and its pipeline refitted on the whole training split."""

    metric: Metric
    trials: list[Trial]
    best: Trial
    pipeline: Any
    folds: int
    budget_s: float
    stopped_by: str  # budget | user | completed
    search_s: float
    refit_s: float
    message: str
    #: Rows of the training split (the refit's); trials saw at most ``search.MAX_CV_ROWS``.
    rows: int
    baseline_s: float = 0.0
    #: Rows the best was refitted on: all of ``rows``, or fewer when the budget left no time
    #: for all (never fewer than ``cv_rows``). None: all.
    refit_rows: int | None = None
    #: Processes the folds were fitted in at the end (1: this one).
    workers: int = 1

    @property
    def cv_rows(self) -> int:
        """Rows the leaderboard's trials were cross-validated on."""
        return max(t.rows for t in self.trials)

    @property
    def refitted_rows(self) -> int:
        """Rows the best pipeline was refitted on."""
        return self.rows if self.refit_rows is None else self.refit_rows

    @property
    def sampled(self) -> bool:
        """Whether the search cross-validated a sample of a larger training split."""
        return self.cv_rows < self.rows

    @property
    def baseline_only(self) -> bool:
        """Whether no searched configuration reached the whole training split."""
        return all(t.baseline for t in self.leaderboard)

    @property
    def budget_exhausted(self) -> bool:
        return self.stopped_by == "budget"

    @property
    def leaderboard(self) -> list[Trial]:
        """Full-size trials with a score, best first.

        A ``partial`` trial is scored on the folds that did not fail; folds fail for the data
        (a class missing from a fold breaks ROC AUC or log loss) alike for every candidate,
        so the scores still compare."""
        return ranked(self.trials, self.metric, self.cv_rows)

    def to_dict(self) -> dict[str, Any]:
        return {
            "metric": self.metric.name,
            "greater_is_better": self.metric.greater_is_better,
            "best": self.best.to_dict(),
            "leaderboard": [t.to_dict() for t in self.leaderboard],
            "trials": [t.to_dict() for t in self.trials],
            "folds": self.folds,
            "budget_s": self.budget_s,
            "stopped_by": self.stopped_by,
            "budget_exhausted": self.budget_exhausted,
            "baseline_only": self.baseline_only,
            "message": self.message,
            "search_s": round(self.search_s, 3),
            "baseline_s": round(self.baseline_s, 3),
            "workers": self.workers,
            "refit_s": round(self.refit_s, 3),
            "rows": self.rows,
            "refit_rows": self.refitted_rows,
            "cv_rows": self.cv_rows,
            "sampled": self.sampled,
        }

    def describe(self) -> str:
        """The sentence for the user: what was found, and why the search ended (and, for a
        large training split, that the search cross-validated a sample of it)."""
        message = self._describe()
        if self.sampled:
            refit = "all of them" if self.refitted_rows >= self.rows else (
                f"{self.refitted_rows:,} of them, as many as the budget left time for")
            message += (f" To fit the budget, models were cross-validated on a sample of "
                        f"{self.cv_rows:,} of the {self.rows:,} training rows; the chosen one "
                        f"was then refitted on {refit}.")
        return message

    def _describe(self) -> str:
        best, metric = self.best, self.metric
        on = "on the sample" if self.sampled else "on all rows"
        score = f"{metric.label} {best.score:.4g}" if best.score is not None else "no score"
        tried = sum(not t.baseline for t in self.trials)
        if self.stopped_by == "user":
            return (f"Stopped after {tried} trials besides the baselines; kept the best found: "
                    f"{best.label} ({score}).")
        if self.baseline_only and self.stopped_by == "budget":
            return (f"The budget of {self.budget_s:g} s was spent on the baselines, before any "
                    f"other model could be cross-validated {on}: returning the baseline "
                    f"{best.label} ({score}). Give a larger budget to search (the baselines alone "
                    f"took {self.baseline_s:.0f} s).")
        ended = "the budget was spent" if self.stopped_by == "budget" else "the search ended"
        return (f"Best of {len(self.leaderboard)} models cross-validated {on} "
                f"({tried} trials in {self.search_s:.0f} s, then {ended}): {best.label} "
                f"({score}).")


def ranked(trials: list[Trial], metric: Metric, rows: int) -> list[Trial]:
    """The trials cross-validated on ``rows`` rows that have a score, best first (ties: the
    earlier): the leaderboard, during the search and after it."""
    done = [t for t in trials if t.rows == rows and t.score is not None]
    sign = 1 if metric.greater_is_better else -1
    return sorted(done, key=lambda t: (-sign * t.score, t.id))
