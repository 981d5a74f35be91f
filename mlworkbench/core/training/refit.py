"""Refitting the best pipeline on every row after the evaluation (``train(refit_all=True)``),
within the time the budget has left.

The search keeps time for this refit, but its estimate can be wrong (a machine that got busier,
a configuration slower on more rows). Up to ``REFIT_FLOOR_ROWS`` rows the refit takes every row
whatever the time (seconds, and a model on fewer rows costs score); above that it takes as many
rows as the time left affords at the speed the search's own refit had, and none when that is
no more than the evaluated model was fitted on: the evaluated model is then kept. The run's
message says which.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from mlworkbench.core.training import search
from mlworkbench.core.training.trials import SearchResult


@dataclass
class Refit:
    """What ``refit`` did: the refitted pipeline (None: the evaluated one is kept), the
    rows it was fitted on, the positions of those rows when they are a sample (None: all),
    and the sentence for the run's message."""

    pipeline: Any
    rows: int
    sample: Any
    message: str


def affordable_rows(total: int, fitted_rows: int, fitted_s: float, seconds_left: float) -> int:
    """Rows a refit may take: all of ``total`` up to ``REFIT_FLOOR_ROWS``; above that as many
    as ``seconds_left`` affords at the speed of a fit of ``fitted_rows`` rows that took
    ``fitted_s`` seconds (in proportion to rows: fixed costs make that the safe side).

    >>> affordable_rows(500_000, 100_000, 10.0, 30.0), affordable_rows(50_000, 10, 60.0, 0.0)
    (300000, 50000)
    """
    floor = min(total, search.REFIT_FLOOR_ROWS)
    if total <= floor or fitted_s <= 0 or fitted_rows <= 0:
        return total
    return max(floor, min(total, int(fitted_rows * max(0.0, seconds_left) / fitted_s)))


def refit(found: SearchResult, X: pd.DataFrame, y: pd.Series, *, task: str,
          encodings: dict[str, str], random_state: int, n_jobs: int,
          seconds_left: float) -> Refit:
    """Refit the best of ``found`` on every row (``X``, ``y``: training and held-out) or on
    as many as ``seconds_left`` allows (see the module).

    Returns:
        The refit, or the decision to keep the evaluated model, with the message's sentence.
    """
    from mlworkbench.core.training.result import fit_trial

    total, evaluated = len(X), found.refitted_rows
    rows = affordable_rows(total, evaluated, found.refit_s, seconds_left)
    if rows < total and rows <= evaluated:
        needed = found.refit_s * total / max(1, evaluated)
        return Refit(None, evaluated, None, (
            f" The budget left no time to refit it on all {total:,} rows (training and "
            f"held-out: about {needed:.0f} s, {max(0.0, seconds_left):.0f} s left), so the "
            f"saved model is the evaluated one, fitted on {evaluated:,} training rows; give a "
            f"larger budget to refit on every row."))
    sample = None
    if rows < total:
        sample = search.sample_positions(y, rows, task=task, random_state=random_state)
        X, y = X.iloc[sample], y.iloc[sample]
    pipeline = fit_trial(found.best, X, y, task=task, encodings=encodings,
                         random_state=random_state, n_jobs=n_jobs)
    which = (f"all {total:,} rows" if sample is None else
             f"{rows:,} of the {total:,} rows, as many as the budget left time for")
    return Refit(pipeline, rows, sample, (
        f" The saved model was then refitted on {which} (training and held-out); its metrics "
        f"are the held-out ones of the model fitted on the {evaluated:,} training rows."))
