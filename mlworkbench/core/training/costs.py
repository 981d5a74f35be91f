"""What a search expects things to cost: seconds of a fold fit, a fold's preprocessing, a trial,
the refit, from the fits timed so far (the search's ``_Runner`` mixes ``CostEstimates`` in).

Estimates scale measured seconds by rows (a fixed cost and a cost per row once two sizes were
timed, see ``_scaled``) and by a configuration's size (trees, iterations, see ``_size``).
"""

from __future__ import annotations

import math
import time
from typing import Any

import numpy as np

from mlworkbench.core.training.pipelines import candidate, candidates
from mlworkbench.core.training.trials import ranked

#: Rows kept on each rung of successive halving: the best 1 / ETA of the configurations move up.
ETA = 3


class CostEstimates:
    """Expected seconds, from the runner's ``fit_seconds``, ``prep_seconds`` and
    ``probe_seconds`` (what was timed),
    ``trials``, ``metric``, ``folds``, ``parallel``, ``cv_rows``, ``refits``, ``predict_rows``,
    ``prepared``, ``deadline``, ``task`` and ``X``."""

    def _trial_seconds(self, name: str, rows: int, params: dict[str, Any] | None = None) -> float:
        """Expected seconds of a trial on ``rows`` rows: its folds' preprocessing (unless
        cached) and fits, in waves of ``n_jobs``, and the time the search must still keep after
        it: the refit of the best so far (it is refitted whatever the trial finds), or of this
        trial's configuration for a full-size trial that may become the best, if longer."""
        after = self._best_after_seconds()
        if rows == self.cv_rows:
            after = max(after, self._after_seconds(name, params))
        return self._cv_seconds(name, rows, params) + after

    def _best_after_seconds(self) -> float:
        """Expected seconds after the search for the best so far (0 before any full-size
        trial scored)."""
        board = ranked(self.trials, self.metric, self.cv_rows)
        return self._after_seconds(board[0].candidate, board[0].params) if board else 0.0

    def _bracket_seconds(self, sizes: list[int], names: list[str], configs: int) -> float:
        """Expected seconds of a bracket of successive halving of ``configs`` configurations
        of the families ``names`` (at their mean cost) over the rungs ``sizes`` (``ETA`` times
        fewer configurations on each), and the time to keep after it."""
        seconds = 0.0
        for rows in sizes:
            seconds += configs * float(np.mean([self._cv_seconds(n, rows) for n in names]))
            configs = max(1, configs // ETA)
        last = sizes[-1]
        return seconds + max([self._best_after_seconds()] + [
            self._trial_seconds(n, last) - self._cv_seconds(n, last) for n in names])

    def _cv_seconds(self, name: str, rows: int, params: dict[str, Any] | None = None) -> float:
        """Expected seconds of cross-validating on ``rows`` rows: the folds' preprocessing
        (unless cached) and fits, in waves of ``n_jobs``."""
        waves = math.ceil(self.folds / self.parallel.n_jobs)
        return (self._fold_seconds(name, rows, params) + self._prep_seconds(name, rows)) * waves

    def _after_seconds(self, name: str, params: dict[str, Any] | None = None) -> float:
        """Expected seconds after the search if this configuration is the best: its refit(s)
        and preprocessing the held-out rows to predict them."""
        return (self._refit_seconds(name, params) * self.refits
                + self._prep_seconds(name, self.predict_rows, cached=False))

    def _refit_seconds(self, name: str, params: dict[str, Any] | None = None) -> float:
        """Expected seconds of refitting a configuration on the whole training split: its
        preprocessing and a fold fit, scaled from a fold's rows to all of them."""
        if name == "dummy":
            return 0.0
        full = len(self.X)
        scale = self.folds / max(1, self.folds - 1)
        seconds = (self._fold_seconds(name, full, params)
                   + self._prep_seconds(name, full, cached=False)) * scale
        if name == "hist_gradient_boosting" and len(self.probe_seconds) > 1:
            # The budget probes ran in this process alone, as the refit does; the trials' folds
            # ran in worker processes side by side (slower on a busy machine), and a cost per
            # row through one timing of each kind overstated a refit twice over.
            alone = _scaled(list(self.probe_seconds.items()), full) * scale * _size(
                name, params) / _size(name, {})
            seconds = min(seconds, alone)
        return seconds

    def _prep_seconds(self, name: str, rows: int, *, cached: bool = True) -> float:
        """Expected seconds of one fold's preprocessing, 0 when it is done already (unless
        ``cached`` is False)."""
        if name == "dummy" or rows <= 0:
            return 0.0
        linear = candidate(self.task, name).linear
        if cached and (rows, linear) in self.prepared:
            return 0.0
        known = [(r, s) for (r, lin), s in self.prep_seconds.items() if lin == linear]
        known = known or list((r, s) for (r, _), s in self.prep_seconds.items())
        return _scaled(known, rows)

    def _affordable(self, rows: int, names: list[str] | None = None) -> bool:
        """Whether the time left could cross-validate one of ``names`` (default: any
        candidate) on ``rows`` rows: lower rungs are worth running only then."""
        left = self.deadline - time.monotonic()
        names = names or [c.name for c in candidates(self.task)]
        return any(self._trial_seconds(n, rows) < left for n in names)

    def _fold_seconds(self, name: str, rows: int, params: dict[str, Any] | None = None) -> float:
        """Expected seconds of one fold fit, from the closest earlier fits of the family,
        scaled by rows and by the configuration's size (trees, iterations)."""
        known = [(r, np.median(s)) for (n, r), s in self.fit_seconds.items() if n == name]
        if not known:
            known = [(r, np.median(s)) for (n, r), s in self.fit_seconds.items()
                     if n == "hist_gradient_boosting"]
        return _scaled(known, rows) * _size(name, params) / self._median_size(name)

    def _median_size(self, name: str) -> float:
        sizes = [_size(t.candidate, t.params) for t in self.trials if t.candidate == name]
        return float(np.median(sizes)) if sizes else _size(name, {})


def _scaled(known: list[tuple[int, float]], rows: int) -> float:
    """Expected seconds on ``rows`` rows from (rows, seconds) measured: a fixed cost and a
    cost per row through the two sizes closest to ``rows``, else in proportion to the closest.

    >>> _scaled([(1000, 2.0)], 3000), _scaled([(1000, 2.0), (3000, 3.0)], 9000)
    (6.0, 6.0)
    """
    if not known:
        return 0.0
    closest = sorted(known, key=lambda k: abs(math.log(k[0] / rows)))
    r, seconds = closest[0]
    if len(closest) > 1 and closest[1][0] != r:
        (r1, s1), (r2, s2) = sorted(closest[:2])
        per_row = (s2 - s1) / (r2 - r1)
        if per_row > 0:  # else noise (a busy machine): in proportion, the safe side
            return float(max(s2 - per_row * r2, 0.0) + per_row * rows)
        r, seconds = r2, s2
    return float(seconds * rows / r)


def _size(name: str, params: dict[str, Any] | None) -> float:
    """A configuration's relative fitting cost: trees times the share of features each split
    looks at for forests, iterations for boosting (1 for anything else)."""
    params = params or {}
    if name in ("random_forest", "extra_trees"):
        share = params.get("max_features", "sqrt")
        share = 0.2 if share == "sqrt" else float(share)
        leaf = max(1, params.get("min_samples_leaf", 1))
        return params.get("n_estimators", 100) * share / leaf ** 0.5
    if name == "hist_gradient_boosting":
        return float(params.get("max_iter", 100))
    return 1.0
