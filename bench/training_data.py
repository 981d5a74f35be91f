"""Part h's datasets: scikit-learn's bundled ones and generated mixed tables, with one split.

Everything is local: the bundled datasets ship inside scikit-learn, and the mixed tables are
generated from a seeded NumPy generator (the same rows on every run and machine).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

#: The bundled datasets (small) and the generated ones (rows), in the report's order.
SMALL = ("breast_cancer", "digits", "wine", "diabetes")
LARGE = {"mixed_100k": 100_000, "mixed_1m": 1_000_000}
#: The metric each task is scored with, by ours and by FLAML (both know these by name).
METRIC = {"binary": "roc_auc", "multiclass": "accuracy", "regression": "r2"}
TEST_FRACTION = 0.25

_WORDS = ("the a this that it was is very quite really product service order delivery box "
          "item price store app support staff team time day week month again still just "
          "also then but and or with for from into about after before during").split()
_GOOD = "great excellent love perfect fast friendly recommend happy smooth reliable".split()
_BAD = "broken late refund awful slow rude never disappointed missing cancel".split()


@dataclass
class Dataset:
    name: str
    task: str
    target: str
    train: pd.DataFrame  # features and target
    test: pd.DataFrame

    @property
    def metric(self) -> str:
        return METRIC[self.task]


def load(name: str, random_state: int = 0) -> Dataset:
    """The dataset called ``name`` split into train and test (25 %, stratified for classes)."""
    from sklearn.model_selection import train_test_split

    if name in LARGE:
        frame, task = mixed(LARGE[name], random_state), "binary"
    else:
        frame, task = bundled(name)
    stratify = frame["target"] if task != "regression" else None
    train, test = train_test_split(frame, test_size=TEST_FRACTION, stratify=stratify,
                                   random_state=random_state)
    return Dataset(name, task, "target", train.reset_index(drop=True),
                   test.reset_index(drop=True))


def bundled(name: str) -> tuple[pd.DataFrame, str]:
    """One of scikit-learn's bundled datasets as a frame with a ``target`` column."""
    from sklearn import datasets

    loader = getattr(datasets, f"load_{name}")
    data = loader(as_frame=True)
    frame = data.frame.rename(columns={data.target.name: "target"}) if data.frame is not None \
        else data.data.assign(target=data.target)
    frame.columns = [str(c).replace(" ", "_") for c in frame.columns]
    task = {"breast_cancer": "binary", "diabetes": "regression"}.get(name, "multiclass")
    return frame, task


def mixed(rows: int, seed: int = 0) -> pd.DataFrame:
    """A binary problem over numbers, categories and short free text, with interactions,
    missing values and noise (a gradient boosting reaches a test ROC AUC around 0.77).

    Columns: six numbers (``num_0`` .. ``num_5``, two with gaps), ``income`` (skewed), ``age``,
    ``plan`` (4 values), ``region`` (12, with gaps), ``city`` (400: high cardinality), ``review``
    (5-12 words of which a few carry sentiment) and ``target`` (0/1).

    >>> frame = mixed(1000)
    >>> frame.shape, round(float(frame["target"].mean()), 2)
    ((1000, 13), 0.39)
    """
    rng = np.random.default_rng(seed)
    num = rng.normal(size=(rows, 6))
    income = np.exp(rng.normal(10.5, 0.7, rows))
    age = rng.integers(18, 85, rows)
    plans = np.array(["basic", "plus", "pro", "enterprise"])
    plan = rng.choice(4, rows, p=[0.5, 0.25, 0.15, 0.1])
    region = rng.choice(12, rows, p=_zipf(12, 1.0))
    city = rng.choice(400, rows, p=_zipf(400, 1.1))
    city_effect = rng.normal(0, 0.8, 400)
    region_effect = rng.normal(0, 0.5, 12)
    length = rng.integers(5, 13, rows)
    vocabulary = np.array(_WORDS + _GOOD + _BAD)
    weights = np.r_[np.full(len(_WORDS), 1.0), np.full(len(_GOOD), 0.12),
                    np.full(len(_BAD), 0.12)]
    words = rng.choice(len(vocabulary), size=(rows, 12), p=weights / weights.sum())
    used = np.arange(12) < length[:, None]
    good = ((words >= len(_WORDS)) & (words < len(_WORDS) + len(_GOOD)) & used).sum(1)
    bad = ((words >= len(_WORDS) + len(_GOOD)) & used).sum(1)
    review = [" ".join(vocabulary[w[:k]]) for w, k in zip(words, length)]

    logit = (1.1 * np.sin(1.5 * num[:, 0]) + 0.7 * num[:, 1] * num[:, 2]
             + 0.6 * (num[:, 3] > 0.8) - 0.4 * np.abs(num[:, 4])
             + 0.5 * (np.log(income) - 10.5) + 0.5 * (plan >= 2) * (age > 50)
             - 0.3 * (plan == 0) + region_effect[region] + city_effect[city]
             + 0.9 * (good - bad) - 0.4)
    target = (rng.random(rows) < 1 / (1 + np.exp(-logit))).astype(np.int64)

    frame = pd.DataFrame({f"num_{i}": num[:, i] for i in range(6)})
    frame["income"] = income.round(2)
    frame["age"] = age
    frame["plan"] = plans[plan]
    frame["region"] = pd.Series([f"region_{r:02d}" for r in region], dtype=object)
    frame["city"] = [f"city_{c:03d}" for c in city]
    frame["review"] = review
    frame.loc[rng.random(rows) < 0.05, "num_1"] = np.nan
    frame.loc[rng.random(rows) < 0.08, "num_5"] = np.nan
    frame.loc[rng.random(rows) < 0.04, "region"] = None
    frame["target"] = target
    return frame


def _zipf(n: int, power: float) -> np.ndarray:
    p = 1 / np.arange(1, n + 1) ** power
    return p / p.sum()
