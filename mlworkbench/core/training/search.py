"""A model search within a time budget: baselines first, then successive halving.

``search(...)`` cross-validates two baselines on the whole training split (a dummy and a default
histogram gradient boosting), so even a budget too small for anything else returns a model and
says so. It then runs brackets of successive halving until the budget is spent: many random
configurations of every candidate on a small sample of rows, the best third promoted to three
times the rows, up to the whole training split; only full-size scores enter the leaderboard,
so a bracket starts only when it is expected to finish: else a shorter one (the best family's
configurations on the largest rungs only, down to one full-size trial), else none. The time
the best so far needs after the search (its refit) is kept whatever a trial is.
A training split over ``MAX_CV_ROWS`` rows is searched on a stratified sample of that many
(the baselines too), and the best configuration is refitted on every row. From
``PROBE_FROM_ROWS`` rows, the budget decides the sample too: the default boosting is timed on
one fold of growing samples, and the trials use the largest whose baseline fits a share of
the budget; the refit takes every training row up to ``REFIT_FLOOR_ROWS`` whatever the budget
(a model fitted on a few thousand rows of a 100k-row table scores below a default boosting on all
of them, which no user should be handed to save seconds), and above that as many rows as the
time left allows, so a small budget on a large table still ends near its time; the message says
what was sampled.

The folds of a trial are fitted in parallel in ``n_jobs`` worker processes (joblib's loky;
in this process for tables under ``PROCESS_ROWS`` rows until a fold takes more than
``PROCESS_SECONDS``), each fit single-threaded: small fits hold the GIL too much for threads
to help, and OpenMP's busy-waiting threads slow a fit down tens of times on a machine busy
with other work. Every tree
model shares one preprocessing (and every linear model another), so each fold's preprocessing is
fitted once and its output kept for later trials (up to ``CACHE_BYTES``).
A trial starts only when the budget leaves time for it (estimated from earlier fits; for a
full-size trial, time for its refit on all rows too) and ``should_stop()`` is false; a trial
past the budget (or a baseline past it for over ``BASELINE_SECONDS``) is ranked on the folds it
fitted; Stop is also checked between waves of a trial's folds (``n_jobs``
fits at a time). Running fits are never interrupted, so Stop takes effect within one fit's time.
"""

from __future__ import annotations

import math
import os
import time
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from joblib import delayed

from mlworkbench.core.training.costs import ETA, CostEstimates
from mlworkbench.core.training.metrics import Metric
from mlworkbench.core.training.pipelines import (
    Candidate,
    build_pipeline,
    build_preprocessor,
    candidate,
    candidates,
    categorical_columns,
    sample_params,
)
from mlworkbench.core.training.trials import (
    PROGRESS_LEADERBOARD,
    Progress,
    SearchResult,
    Trial,
    ranked,
)

__all__ = ["Progress", "SearchResult", "Trial", "rung_sizes", "sample_positions", "search",
           "usable_cores"]

MIN_RUNG_ROWS = 1000
MAX_RUNGS = 4
#: Training rows from which folds are fitted in worker processes rather than in this one.
PROCESS_ROWS = 5000
#: Seconds of one fold fit from which fits move to worker processes whatever the rows.
PROCESS_SECONDS = 1.0
#: Seconds a baseline trial may take past the budget before its other folds are left out.
BASELINE_SECONDS = 5.0
#: Preprocessed folds kept in memory for reuse by later trials.
CACHE_BYTES = 1 << 30
#: Training rows trials are cross-validated on at most: a larger split is sampled (stratified)
#: for the search, which ranks configurations as well at a fraction of the time, and the best
#: is refitted on every row.
MAX_CV_ROWS = 100_000
#: Training rows the best is always refitted on (all of them below this), even when the budget
#: is spent: a refit on up to this many rows takes seconds, and a smaller one costs much score.
REFIT_FLOOR_ROWS = 100_000
#: From this many rows to cross-validate, the default boosting is first timed on one fold of
#: growing samples (the halving rungs), and trials are cross-validated on the largest sample
#: whose baseline takes at most ``BASELINE_SHARE`` of the time left.
PROBE_FROM_ROWS = 20_000
BASELINE_SHARE = 0.4


def search(X: pd.DataFrame, y: pd.Series, *, task: str, encodings: dict[str, str], metric: Metric,
           budget_s: float = 60, folds: int = 5, positive: Any = None,
           should_stop: Callable[[], bool] | None = None,
           progress: Callable[[Progress], None] | None = None, random_state: int = 0,
           n_jobs: int | None = None, max_trials: int | None = None,
           started: float | None = None, reserve_s: float = 0.0,
           refits: float = 1.0, predict_rows: int = 0) -> SearchResult:
    """Search pipelines for the best cross-validated ``metric`` within ``budget_s`` seconds.

    Args:
        X: The training rows, raw feature columns.
        y: Their target (no nulls).
        task: ``binary``, ``multiclass`` or ``regression``.
        encodings: Feature column -> encoding, from ``pipelines.encodings()``.
        metric: What to optimise.
        budget_s: Seconds for the search; the baselines and the final refit always run.
        folds: Cross-validation folds.
        positive: The positive class of a binary target (for F1).
        should_stop: Checked before each trial and between waves of its folds (``n_jobs`` fits
            run together); when it returns True the search ends, keeping the best found.
            The first wave of the baselines always runs, so there is a model to return.
        progress: Called with a ``Progress`` after each trial.
        random_state: Seed of the splits, the sampled configurations and the models.
        n_jobs: Fits run at once (default: the cores this process may use).
        max_trials: Stop after this many trials besides the baselines (None: the budget decides).
        started: When the budget started (``time.monotonic()``; default: now), so that the work
            done before the search (the feature report) counts.
        reserve_s: Seconds of the budget kept for the work after the search (evaluation); the
            final refit's own time is estimated and kept too.
        refits: Refits on the whole training split to keep time for: 1, or more when the best
            is refitted again after the evaluation (on the held-out rows too).
        predict_rows: Rows the evaluation predicts after the search: time to preprocess them
            is kept too.

    Returns:
        The trials, the best, its refitted pipeline and a message for the user.
    """
    runner = _Runner(X, y, task=task, encodings=encodings, metric=metric, budget_s=budget_s,
                     folds=folds, positive=positive, should_stop=should_stop, progress=progress,
                     random_state=random_state, n_jobs=n_jobs or usable_cores(),
                     max_trials=max_trials, started=started, reserve_s=reserve_s,
                     refits=refits, predict_rows=predict_rows)
    return runner.run()


def usable_cores() -> int:
    """Cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def sample_positions(y: pd.Series, rows: int, *, task: str, random_state: int) -> np.ndarray:
    """Positions of a seeded sample of ``rows`` of ``y``'s rows, in order (stratified by class
    unless ``task`` is regression or a class is too rare to stratify)."""
    from sklearn.model_selection import train_test_split

    stratify = y.to_numpy() if task != "regression" else None
    try:
        chosen, _ = train_test_split(np.arange(len(y)), train_size=rows, stratify=stratify,
                                     random_state=random_state)
    except ValueError:  # a class too rare to stratify
        chosen, _ = train_test_split(np.arange(len(y)), train_size=rows,
                                     random_state=random_state)
    return np.sort(chosen)


def rung_sizes(rows: int) -> list[int]:
    """Training rows per halving rung, smallest first, the last being all of them.

    >>> rung_sizes(500), rung_sizes(10_000), rung_sizes(1_000_000)
    ([500], [1111, 3333, 10000], [37037, 111111, 333333, 1000000])
    """
    sizes = [rows]
    while len(sizes) < MAX_RUNGS and sizes[0] // ETA >= MIN_RUNG_ROWS:
        sizes.insert(0, sizes[0] // ETA)
    return sizes


class _Runner(CostEstimates):
    def __init__(self, X, y, *, task, encodings, metric, budget_s, folds, positive, should_stop,
                 progress, random_state, n_jobs, max_trials, started=None, reserve_s=0.0,
                 refits=1.0, predict_rows=0):
        self.X, self.y, self.task, self.encodings = X, y, task, encodings
        # Rows trials are cross-validated on at most; the best is refitted on all of them.
        self.cv_rows = min(len(X), MAX_CV_ROWS)
        self.metric, self.budget_s, self.folds = metric, float(budget_s), folds
        self.scorer = metric.scorer(task, positive)
        self.should_stop = should_stop or (lambda: False)
        self.progress = progress
        self.random_state, self.n_jobs, self.max_trials = random_state, max(1, n_jobs), max_trials
        self.rng = np.random.default_rng(random_state)
        self.trials: list[Trial] = []
        self.stopped_by: str | None = None
        self.seen: set[tuple[str, str, int]] = set()
        self.fit_seconds: dict[tuple[str, int], list[float]] = {}
        self.start = time.monotonic()
        # The budget runs from ``started``; the search must end in time for the refit (see
        # _refit_seconds) and for what comes after it (``reserve_s``).
        self.deadline = (started if started is not None else self.start) + self.budget_s - max(
            0.0, reserve_s)
        self.phase = "baseline"
        self.parallel: Any = None
        self.samples: dict[int, tuple[pd.DataFrame, pd.Series, list]] = {}
        self.prepared: dict[tuple[int, bool], list[tuple[np.ndarray, np.ndarray]]] = {}
        self.cached_bytes = 0
        self.prep_seconds: dict[tuple[int, bool], float] = {}
        self.probe_seconds: dict[int, float] = {}  # rows -> preprocessing and fit, alone
        self.baseline_s = 0.0
        self.refits, self.predict_rows = refits, predict_rows

    # -- the plan ---------------------------------------------------------------------------
    def run(self) -> SearchResult:
        from contextlib import ExitStack

        with ExitStack() as self.contexts:
            # Worker processes cost seconds to start (each imports scikit-learn and skrub):
            # small tables start in this process, and move to workers only when a fold
            # turns out to take more than PROCESS_SECONDS (see _fitted).
            self._use_workers(False)  # the probes of _choose_cv_rows run in this process
            self._report()
            self._choose_cv_rows()
            self._use_workers(self.cv_rows >= PROCESS_ROWS)
            full = self.cv_rows
            for name in ("dummy", "hist_gradient_boosting"):
                self._trial(name, {}, full, baseline=True)
                if self.stopped_by:
                    break
            self.baseline_s = time.monotonic() - self.start
            self.phase = "search"
            bracket = 0
            while not self.stopped_by:
                self._bracket(bracket)
                bracket += 1
        search_s = time.monotonic() - self.start
        best = self._best(self._ranked())
        self.phase = "refit"
        self._report()
        refit_start = time.monotonic()
        refit_rows = self._refit_rows(best)
        X, y = self._subset(refit_rows)
        pipeline = self._pipeline(best.candidate, best.params, n_jobs=self.n_jobs)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            pipeline.fit(X, y)
        refit_s = time.monotonic() - refit_start
        result = SearchResult(metric=self.metric, trials=self.trials, best=best,
                              pipeline=pipeline, folds=self.folds, budget_s=self.budget_s,
                              stopped_by=self.stopped_by or "completed", search_s=search_s,
                              refit_s=refit_s, message="", baseline_s=self.baseline_s,
                              workers=self.parallel.n_jobs, rows=len(self.X),
                              refit_rows=refit_rows)
        result.message = result.describe()
        return result

    def _choose_cv_rows(self) -> None:
        """Shrink ``cv_rows`` to what the budget affords: time the default boosting on one
        fold of each halving rung in turn (in this process), and stop at the largest whose
        cross-validation is expected to take at most ``BASELINE_SHARE`` of the time left.
        Estimates from a small sample overstate the cost per row (fixed costs), so the full
        size is taken as soon as even they afford it."""
        if self.cv_rows < PROBE_FROM_ROWS:
            return
        name, full = "hist_gradient_boosting", self.cv_rows
        sizes = rung_sizes(full)
        for i, (rows, bigger) in enumerate(zip(sizes, sizes[1:])):
            if not self._probe(rows) or self.should_stop():
                self.cv_rows = rows
                return
            allowed = BASELINE_SHARE * (self.deadline - time.monotonic())
            if self._cv_seconds(name, full) <= allowed:
                return
            # One size measured overstates the cost per row most: time a second one if one
            # fold of it fits (then the estimates separate fixed costs from costs per row).
            waves = math.ceil(self.folds / self.parallel.n_jobs)
            needed = self._cv_seconds(name, bigger) / (waves if i == 0 else 1)
            if needed > allowed:
                self.cv_rows = rows
                return

    def _probe(self, rows: int) -> bool:
        """Time the default boosting's preprocessing and fit on one fold of ``rows`` rows
        (recorded for the estimates; not a trial). False if it failed."""
        X, y, splits = self._sample(rows)
        a, b = splits[0]
        prep = build_preprocessor(False, self.encodings, random_state=self.random_state)
        encoded = _encode(prep, X.iloc[a], y.iloc[a], X.iloc[b])
        if isinstance(encoded, str):
            return False
        self.prep_seconds.setdefault((rows, False), encoded[2])
        name = "hist_gradient_boosting"
        _, seconds, error = _fit_score(self._model(name, {}), encoded[0], y.iloc[a],
                                       encoded[1], y.iloc[b], self.scorer)
        self.fit_seconds.setdefault((name, rows), []).append(seconds)
        self.probe_seconds[rows] = encoded[2] + seconds
        return error is None

    def _refit_rows(self, best: Trial) -> int:
        """Rows to refit the best on: all the training rows up to ``REFIT_FLOOR_ROWS``, and
        above that (at least that many, and the rows it was cross-validated on) as many as the
        time left before the deadline allows, keeping time for a second refit (``refits``) and
        the held-out predictions."""
        full = len(self.X)
        floor = max(self.cv_rows, min(full, REFIT_FLOOR_ROWS))
        one = self._refit_seconds(best.candidate, best.params)
        if one <= 0 or floor >= full:
            return full
        left = (self.deadline - time.monotonic() - one * (self.refits - 1)
                - self._prep_seconds(best.candidate, self.predict_rows, cached=False))
        return max(floor, min(full, int(full * left / one)))

    def _bracket(self, number: int) -> None:
        plan = self._plan_bracket()
        if plan is None:  # nothing more would reach the leaderboard
            self.stopped_by = self.stopped_by or "budget"
            return
        sizes, families, count = plan
        # A shortened bracket has no time to spare: its configurations must fit it at full size.
        short = len(sizes) < len(rung_sizes(self.cv_rows)) or count < len(candidates(self.task))
        left = self.deadline - time.monotonic()
        configs = []
        for i in range(count):
            family = families[(i + number) % len(families)]
            params = self._new_params(family, first=number == 0 and i < len(families),
                                      fits=(sizes[-1], left) if short else None)
            if params is not None:
                configs.append((family.name, params))
        if not configs:
            self.stopped_by = "budget" if short else "completed"
            return
        sign = 1 if self.metric.greater_is_better else -1
        for rung, rows in enumerate(sizes):
            trials = []
            for name, params in configs:
                trial = self._trial(name, params, rows)
                if trial is not None:
                    trials.append(trial)
                if self.stopped_by:
                    return
            if rung == 0 and not trials:  # the budget left has no room for the cheapest fits
                self.stopped_by = "budget"
                return
            scored = [t for t in trials if t.score is not None]
            if rung == len(sizes) - 1 or not scored:
                return
            scored.sort(key=lambda t: -sign * t.score)
            configs = [(t.candidate, t.params) for t in scored[: max(1, len(scored) // ETA)]]
            if not self._affordable(sizes[-1], [name for name, _ in configs]):
                self.stopped_by = self.stopped_by or "budget"
                return

    def _plan_bracket(self) -> tuple[list[int], list[Candidate], int] | None:
        """The rungs, families and first-rung configurations of the next bracket: every rung
        and family when the whole bracket is expected to fit the time left; else the fewest
        rungs (and ETA times fewer configurations each) of the best one's family that fit,
        down to one full-size trial; None when not even that fits. Trials on small rungs
        count only if one of them reaches the full size, so a bracket is not started that
        could not finish."""
        sizes, families = rung_sizes(self.cv_rows), candidates(self.task)
        left = self.deadline - time.monotonic()
        count = max(len(families), ETA ** (len(sizes) - 1))
        if self._bracket_seconds(sizes, [f.name for f in families], count) <= left:
            return sizes, families, count
        board = self._ranked()
        best = board[0].candidate if board else "dummy"
        if best != "dummy":
            families = [candidate(self.task, best)]
        for start in range(1, len(sizes)):
            count = ETA ** (len(sizes) - 1 - start)
            if self._bracket_seconds(sizes[start:], [f.name for f in families], count) <= left:
                return sizes[start:], families, count
        return None

    def _new_params(self, family: Candidate, *, first: bool,
                    fits: tuple[int, float] | None = None) -> dict[str, Any] | None:
        """A configuration not tried yet: the family's default first (the boosting's is a
        baseline), else a random one; with ``fits`` (rows, seconds), one whose trial on that
        many rows is expected to take at most that long (None if 20 draws find none)."""
        if first and family.name != "hist_gradient_boosting":
            return {}
        for _ in range(20):
            params = sample_params(family, 1, self.rng)[0]
            if (family.name, repr(sorted(params.items())), self.cv_rows) in self.seen:
                continue
            if fits is None or self._trial_seconds(family.name, fits[0], params) <= fits[1]:
                return params
        return None

    # -- one trial ---------------------------------------------------------------------------
    def _trial(self, name: str, params: dict[str, Any], rows: int, *,
               baseline: bool = False) -> Trial | None:
        key = (name, repr(sorted(params.items())), rows)
        if key in self.seen:
            return None
        if not baseline and not self._may_start(name, rows, params):
            return None
        self.seen.add(key)
        label = "Dummy (predicts the prior)" if name == "dummy" else candidate(
            self.task, name).label
        trial = Trial(id=len(self.trials), candidate=name, label=label, params=params,
                      rows=rows, baseline=baseline)
        self.trials.append(trial)
        X, y, splits = self._sample(rows)
        model = self._model(name, params)
        if name == "dummy":  # it ignores the features: no preprocessing, no worker
            folds = [_fit_score(model, np.zeros((len(a), 1)), y.iloc[a], np.zeros((len(b), 1)),
                                y.iloc[b], self.scorer) for a, b in splits]
        else:
            linear = candidate(self.task, name).linear
            prepared = self._prepare(rows, linear, X, y, splits)
            jobs = []
            for (a, b), encoded in zip(splits, prepared):
                if isinstance(encoded, str):
                    trial.error = encoded
                else:
                    jobs.append(delayed(_fit_score)(model, encoded[0], y.iloc[a], encoded[1],
                                                    y.iloc[b], self.scorer))
            folds, done, trial_start = [], 0, time.monotonic()
            while done < len(jobs):  # Stop is honoured between waves of fits
                if done and self.should_stop():
                    self.stopped_by = "user"
                    trial.error = trial.error or (
                        f"stopped by the user after {done} of {len(splits)} folds")
                    break
                if done and self._overdue(baseline, trial_start):
                    # Past the budget (a slow baseline, or fits slower than estimated): the
                    # trial is ranked on the folds it fitted, like one stopped by the user.
                    self.stopped_by = self.stopped_by or "budget"
                    trial.error = trial.error or (
                        f"the budget ran out after {done} of {len(splits)} folds")
                    break
                wave = self.parallel.n_jobs
                folds += self._fitted(self.parallel(jobs[done:done + wave]))
                done += wave
        scores = []
        for value, seconds, error in folds:
            trial.fit_time_s = round(trial.fit_time_s + seconds, 4)
            self.fit_seconds.setdefault((name, rows), []).append(seconds)
            if error:
                trial.error = error
            else:
                scores.append(self.metric.natural(value))
        trial.folds_done = len(scores)
        if scores:
            trial.score = round(float(np.mean(scores)), 6)
            trial.score_std = round(float(np.std(scores)), 6)
        if trial.error and len(scores) < len(splits):
            trial.status = "failed" if not scores else "partial"
        self._report()
        return trial

    def _overdue(self, baseline: bool, trial_start: float) -> bool:
        """Whether a trial's remaining folds should be left out for the budget: past the
        deadline, and for a baseline only once it has taken ``BASELINE_SECONDS`` (baselines of
        cheap fits are cross-validated in full whatever the budget)."""
        now = time.monotonic()
        return now >= self.deadline and (not baseline or now - trial_start > BASELINE_SECONDS)

    def _use_workers(self, workers: bool) -> None:
        from joblib import Parallel

        n_jobs = self.n_jobs if workers else 1
        if self.parallel is None or self.parallel.n_jobs != n_jobs:
            self.parallel = self.contexts.enter_context(Parallel(n_jobs=n_jobs, backend="loky"))

    def _fitted(self, folds: list[tuple]) -> list[tuple]:
        """Fold results, moving the fits to worker processes once folds prove slow."""
        if self.parallel.n_jobs == 1 < self.n_jobs and any(
                seconds > PROCESS_SECONDS for _, seconds, _ in folds):
            self._use_workers(True)
        return folds

    def _may_start(self, name: str, rows: int, params: dict[str, Any]) -> bool:
        """Whether the user lets the search go on and the budget leaves time for a trial."""
        if self.max_trials is not None and sum(not t.baseline for t in self.trials) >= (
                self.max_trials):
            self.stopped_by = "completed"
            return False
        if self.should_stop():
            self.stopped_by = "user"
            return False
        left = self.deadline - time.monotonic()
        if left <= 0:
            self.stopped_by = "budget"
            return False
        return self._trial_seconds(name, rows, params) <= left

    # -- data and pipelines ------------------------------------------------------------------
    def _subset(self, rows: int) -> tuple[pd.DataFrame, pd.Series]:
        """``rows`` training rows (stratified for classes; all of them when they are fewer)."""
        if rows >= len(self.X):
            return self.X, self.y
        chosen = sample_positions(self.y, rows, task=self.task, random_state=self.random_state)
        return self.X.iloc[chosen], self.y.iloc[chosen]

    def _sample(self, rows: int) -> tuple[pd.DataFrame, pd.Series, list]:
        """``rows`` training rows (stratified for classes) and their folds."""
        if rows not in self.samples:
            from sklearn.model_selection import KFold, StratifiedKFold

            X, y = self._subset(rows)
            splitter = (KFold if self.task == "regression" else StratifiedKFold)(
                self.folds, shuffle=True, random_state=self.random_state)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # a class with fewer rows than folds
                self.samples[rows] = (X, y, list(splitter.split(X, y)))
        return self.samples[rows]

    def _prepare(self, rows: int, linear: bool, X: pd.DataFrame, y: pd.Series,
                 splits: list) -> list:
        """Each fold's preprocessed (train, test) arrays, or an error string per fold."""
        key = (rows, linear)
        if key in self.prepared:
            return self.prepared[key]
        prep = build_preprocessor(linear, self.encodings, random_state=self.random_state)
        encoded = self.parallel(delayed(_encode)(prep, X.iloc[a], y.iloc[a], X.iloc[b])
                                for a, b in splits)
        prepared = [e if isinstance(e, str) else e[:2] for e in encoded]
        seconds = [e[2] for e in encoded if not isinstance(e, str)]
        if seconds:
            self.prep_seconds[key] = float(np.median(seconds))
        size = sum(p[0].nbytes + p[1].nbytes for p in prepared if not isinstance(p, str))
        if self.cached_bytes + size <= CACHE_BYTES:
            self.prepared[key] = prepared
            self.cached_bytes += size
        return prepared

    def _model(self, name: str, params: dict[str, Any]) -> Any:
        if name == "dummy":
            from sklearn.dummy import DummyClassifier, DummyRegressor

            return DummyRegressor() if self.task == "regression" else DummyClassifier()
        family = candidate(self.task, name)
        return family.estimator(self.task, params, random_state=self.random_state, n_jobs=1,
                                categorical=categorical_columns(family.linear, self.encodings))

    def _pipeline(self, name: str, params: dict[str, Any], *, n_jobs: int) -> Any:
        if name == "dummy":
            from sklearn.pipeline import Pipeline

            return Pipeline([("model", self._model(name, params))])
        return build_pipeline(candidate(self.task, name), self.task, self.encodings, params,
                              random_state=self.random_state, n_jobs=n_jobs)

    # -- reporting ---------------------------------------------------------------------------
    def _ranked(self) -> list[Trial]:
        """The leaderboard so far: trials scored on ``cv_rows`` rows, best first."""
        return ranked(self.trials, self.metric, self.cv_rows)

    def _best(self, board: list[Trial]) -> Trial:
        """The leaderboard's first, else the first trial (a baseline that scored nothing)."""
        return board[0] if board else self.trials[0]

    def _report(self) -> None:
        if self.progress is None:
            return
        board = self._ranked()
        best = self._best(board) if self.trials else None
        now = time.monotonic()
        self.progress(Progress(
            phase=self.phase, trials_done=len(self.trials),
            best_score=best.score if best else None,
            best_candidate=best.candidate if best else None, metric=self.metric.name,
            elapsed_s=round(now - self.start, 3),
            time_left_s=round(max(0.0, self.deadline - now), 3) if self.phase in (
                "baseline", "search") else 0.0,
            leaderboard=[t.to_dict() for t in board[:PROGRESS_LEADERBOARD]]))


def _encode(prep: Any, X_train: pd.DataFrame, y_train: pd.Series,
            X_test: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, float] | str:
    """Fit a fold's preprocessing (in a worker): both sides as float32 arrays, and seconds."""
    start = time.monotonic()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            train = np.asarray(prep.fit_transform(X_train, y_train), dtype=np.float32)
            test = np.asarray(prep.transform(X_test), dtype=np.float32)
        return train, test, time.monotonic() - start
    except Exception as error:  # noqa: BLE001 (reported on the trial)
        return f"preprocessing failed: {type(error).__name__}: {error}"[:500]


def _fit_score(model: Any, X_train: np.ndarray, y_train: pd.Series, X_test: np.ndarray,
               y_test: pd.Series, scorer: Any) -> tuple[float | None, float, str | None]:
    """Fit one fold and score it (in a worker, whose thread pools joblib limits to one)."""
    start = time.monotonic()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            model.fit(X_train, y_train)
            value = float(scorer(model, X_test, y_test))
        if not np.isfinite(value):
            return None, time.monotonic() - start, "the score is not a number"
        return value, time.monotonic() - start, None
    except Exception as error:  # noqa: BLE001 (one bad configuration must not end the search)
        return None, time.monotonic() - start, f"{type(error).__name__}: {error}"[:500]
