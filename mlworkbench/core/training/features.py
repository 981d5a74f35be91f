"""What each column of a training table is, and which ones should not be features.

``report_features(frame, target)`` looks at every column but the target once: its kind (numeric,
boolean, datetime, categorical with its cardinality, free text) and flags with a reason (id-like,
constant, mostly null, leaking the target, unsupported values). The default feature set is every
column without a flag; the user may still pick a flagged one (all but ``unsupported``).

The report is plain dataclasses with ``to_dict()`` so it travels as JSON to the panel.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import pandas as pd

#: Column kinds, as the panel shows them.
NUMERIC, BOOLEAN, DATETIME, CATEGORICAL, TEXT, UNSUPPORTED = (
    "numeric", "boolean", "datetime", "categorical", "text", "unsupported")

#: Categoricals with at most this many values are one-hot/ordinal encoded; above, string-encoded.
LOW_CARDINALITY = 40
MOSTLY_NULL = 0.9
#: A column that alone reaches this out-of-fold score (balanced accuracy or R^2) leaks the target.
LEAK_SCORE = 0.98
LEAK_SAMPLE = 5000
#: Rows the kinds, counts and flags are found on at most: a larger table is sampled (seeded).
REPORT_ROWS = 100_000
_KEY_NAME = re.compile(r"(^|_)(id|uuid|guid|key|pk)$|^(index|row_?num(ber)?|rowid)$|[a-z]Id$",
                       re.IGNORECASE)


@dataclass
class Flag:
    """Why a column is left out of the default features: ``code`` for programs, ``reason``
    for people."""

    code: str
    reason: str


@dataclass
class ColumnReport:
    """One column: its kind, a few counts and its flags."""

    name: str
    kind: str
    dtype: str
    distinct: int
    null_fraction: float
    flags: list[Flag] = field(default_factory=list)

    @property
    def included(self) -> bool:
        return not self.flags

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "included": self.included}


@dataclass
class FeatureReport:
    """Every column but the target, in table order, and the default feature set."""

    target: str
    rows: int
    columns: list[ColumnReport]

    @property
    def features(self) -> list[str]:
        """The default feature set: every column without a flag."""
        return [c.name for c in self.columns if c.included]

    def column(self, name: str) -> ColumnReport:
        return next(c for c in self.columns if c.name == name)

    def kinds(self) -> dict[str, str]:
        return {c.name: c.kind for c in self.columns}

    def to_dict(self) -> dict[str, Any]:
        return {"target": self.target, "rows": self.rows, "features": self.features,
                "columns": [c.to_dict() for c in self.columns]}


def report_features(frame: Any, target: str, *, random_state: int = 0) -> FeatureReport:
    """Detect each column's kind and flag the ones that should not be features.

    Args:
        frame: A pandas DataFrame or a pyarrow Table; above ``REPORT_ROWS`` rows, a seeded
            sample of that many is looked at (``rows``, the counts and null fractions are the
            sample's).
        target: The target column; rows where it is null are ignored for the leak check.
        random_state: Seed of the samples and folds of the leak check.

    Returns:
        The report; ``report.features`` is the default feature set.

    >>> import pandas as pd
    >>> df = pd.DataFrame({"id": range(6), "x": [1, 2, 1, 2, 1, 2], "y": [0, 1, 0, 1, 1, 0]})
    >>> [(c.name, [f.code for f in c.flags]) for c in report_features(df, "y").columns]
    [('id', ['id_like']), ('x', [])]
    """
    frame = as_pandas(frame)
    if len(frame) > REPORT_ROWS:
        frame = frame.sample(REPORT_ROWS, random_state=random_state)
    rows = len(frame)
    y = frame[target] if target in frame.columns else None
    columns = []
    for name in frame.columns:
        if name == target:
            continue
        columns.append(_column_report(str(name), frame[name], rows))
    if y is not None and y.notna().any():
        _flag_leaks(frame, y, columns, random_state)
    return FeatureReport(target=target, rows=rows, columns=columns)


def as_pandas(frame: Any) -> pd.DataFrame:
    """A pandas DataFrame from a DataFrame or anything with ``to_pandas()`` (Arrow, DuckDB)."""
    if isinstance(frame, pd.DataFrame):
        return frame
    if hasattr(frame, "to_pandas"):
        return frame.to_pandas()
    if hasattr(frame, "df"):  # a DuckDB relation
        return frame.df()
    raise TypeError(f"Expected a pandas DataFrame or an Arrow table, got {type(frame).__name__}.")


def value_problem(series: pd.Series) -> str | None:
    """Why a column's values cannot be trained on (unhashable or mixed Python types), or None.

    Only object columns can hold such values; typed columns (numbers, strings, dates) are fine.
    """
    if series.dtype != object:
        return None
    values = series.dropna()
    if values.empty:
        return None
    sample = values.iloc[:: max(1, len(values) // 2000)]
    types = {type(v) for v in sample}
    unhashable = [t for t in types if t.__hash__ is None or issubclass(t, np.ndarray)]
    if unhashable:
        return (f"holds {unhashable[0].__name__} values, which cannot be features; "
                "select its parts in SQL (e.g. list_extract, struct fields) or leave it out")
    kinds = {_type_family(t) for t in types}
    if len(kinds) > 1:
        names = ", ".join(sorted(kinds))
        return (f"mixes value types ({names}); cast it to one type in SQL "
                "(e.g. CAST(col AS VARCHAR)) or leave it out")
    return None


def _type_family(t: type) -> str:
    if issubclass(t, (bool, np.bool_)):
        return "bool"
    if issubclass(t, (int, float, np.number)):
        return "number"
    if issubclass(t, str):
        return "str"
    if issubclass(t, (pd.Timestamp, np.datetime64)) or t.__name__ in ("datetime", "date"):
        return "datetime"
    return t.__name__


def column_kind(series: pd.Series) -> str:
    """The kind of one column: numeric, boolean, datetime, categorical, text or unsupported."""
    if value_problem(series):
        return UNSUPPORTED
    dtype = series.dtype
    if pd.api.types.is_bool_dtype(dtype):
        return BOOLEAN
    if pd.api.types.is_datetime64_any_dtype(dtype) or isinstance(dtype, pd.PeriodDtype):
        return DATETIME
    if pd.api.types.is_timedelta64_dtype(dtype):
        return NUMERIC
    if isinstance(dtype, pd.CategoricalDtype):
        return CATEGORICAL
    if pd.api.types.is_numeric_dtype(dtype):
        values = series.dropna()
        if values.nunique() == 2 and set(values.unique()) <= {0, 1}:
            return BOOLEAN
        return NUMERIC
    values = series.dropna()
    if values.empty:
        return CATEGORICAL
    if isinstance(values.iloc[0], (bool, np.bool_)):
        return BOOLEAN
    if not isinstance(values.iloc[0], str):
        return DATETIME if _type_family(type(values.iloc[0])) == "datetime" else CATEGORICAL
    strings = values.astype(str)
    sample = strings.iloc[:: max(1, len(strings) // 1000)]
    if _looks_like_dates(sample):
        return DATETIME
    words = sample.str.count(r"\s+") + 1
    if words.mean() >= 4 and strings.nunique() > LOW_CARDINALITY:
        return TEXT
    return CATEGORICAL


def _looks_like_dates(sample: pd.Series) -> bool:
    if not sample.str.match(r"^\d{4}-\d{1,2}-\d{1,2}|^\d{1,2}/\d{1,2}/\d{2,4}").mean() > 0.95:
        return False
    parsed = pd.to_datetime(sample, errors="coerce", format="mixed")
    return bool(parsed.notna().mean() > 0.95)


def _column_report(name: str, series: pd.Series, rows: int) -> ColumnReport:
    kind = column_kind(series)
    nulls = int(series.isna().sum())
    problem = value_problem(series)
    distinct = 0 if problem else int(series.nunique(dropna=True))
    report = ColumnReport(name=name, kind=kind, dtype=str(series.dtype), distinct=distinct,
                          null_fraction=round(nulls / rows, 4) if rows else 0.0)
    flags = report.flags
    if problem:
        flags.append(Flag("unsupported", f"Column '{name}' {problem}."))
        return report
    non_null = rows - nulls
    if non_null == 0:
        flags.append(Flag("mostly_null", "Every row is null."))
        return report
    if nulls / rows > MOSTLY_NULL:
        flags.append(Flag("mostly_null", f"{nulls / rows:.0%} of its rows are null."))
    if distinct == 1:
        flags.append(Flag("constant", f"Every non-null row holds the same value "
                                      f"({_show(series.dropna().iloc[0])})."))
    elif not flags and _id_like(name, series, kind, distinct, non_null):
        flags.append(Flag("id_like", _id_reason(name, distinct, non_null)))
    return report


def _id_like(name: str, series: pd.Series, kind: str, distinct: int, non_null: int) -> bool:
    unique = distinct == non_null and non_null > 1
    if _KEY_NAME.search(name) and distinct >= 0.9 * non_null and kind != DATETIME:
        return True
    if not unique:
        return False
    if kind == CATEGORICAL:  # a string unique per row is a key, not a category
        return True
    if kind == NUMERIC and pd.api.types.is_integer_dtype(series.dtype):
        values = series.dropna()
        # Integers unique per row that run in order (1, 2, 3, ...) are a row number.
        return bool(values.is_monotonic_increasing or values.is_monotonic_decreasing)
    return False


def _id_reason(name: str, distinct: int, non_null: int) -> str:
    why = ("a key-like name and " if _KEY_NAME.search(name) else "")
    if distinct == non_null:
        return f"It has {why}a different value in every row, like an id: it cannot generalise."
    return (f"It has {why}{distinct:,} distinct values in {non_null:,} rows, like an id: "
            "it cannot generalise.")


def _show(value: Any) -> str:
    text = repr(value.item() if hasattr(value, "item") else value)
    return text if len(text) <= 40 else text[:37] + "..."


def _flag_leaks(frame: pd.DataFrame, y: pd.Series, columns: list[ColumnReport],
                random_state: int) -> None:
    """Flag columns equal to the target, or that alone predict it almost perfectly out of fold."""
    from mlworkbench.core.training.task import infer_task  # noqa: PLC0415 (cycle)

    y = y[y.notna()]
    if len(y) > LEAK_SAMPLE:
        y = y.sample(LEAK_SAMPLE, random_state=random_state)
    frame = frame.loc[y.index]
    try:
        if y.nunique() < 2:  # every column would "predict" a constant: validation says why
            return
        classify = infer_task(y) != "regression"
    except Exception:  # noqa: BLE001 (an unusable target is reported by validation, not here)
        return
    target_text = y.astype(str).to_numpy()
    folds = np.random.default_rng(random_state).integers(0, 2, len(y))
    for column in columns:
        if column.flags or column.kind == UNSUPPORTED:
            continue
        x = frame[column.name]
        present = x.notna().to_numpy()
        if present.sum() < 10:
            continue
        if (x[present].astype(str).to_numpy() == target_text[present]).all():
            column.flags.append(Flag("leak", "It is equal to the target wherever it is set."))
            continue
        score = _single_column_score(x, y, column.kind, classify, folds)
        if score is not None and score >= LEAK_SCORE:
            what = "balanced accuracy" if classify else "R²"
            column.flags.append(Flag(
                "leak", f"Alone it predicts the target with {what} {score:.3f} on held-out "
                        "rows: it is probably derived from the target or known only after it."))


def _single_column_score(x: pd.Series, y: pd.Series, kind: str, classify: bool,
                         folds: np.ndarray) -> float | None:
    """Out-of-fold score of predicting ``y`` from ``x`` alone (two folds)."""
    from sklearn.metrics import balanced_accuracy_score, r2_score
    from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

    y_values = y.astype(str).to_numpy() if classify else y.to_numpy(dtype=float)
    predicted = np.empty(len(y), dtype=object if classify else float)
    for fold in (0, 1):
        train, test = folds != fold, folds == fold
        if train.sum() < 5 or test.sum() < 5:
            return None
        if kind in (NUMERIC, BOOLEAN, DATETIME):
            values = _as_number(x).reshape(-1, 1)
            tree = (DecisionTreeClassifier if classify else DecisionTreeRegressor)(
                max_depth=4, min_samples_leaf=5, random_state=0)
            tree.fit(values[train], y_values[train])
            predicted[test] = tree.predict(values[test])
        else:  # out-of-fold category -> majority class (or mean): a target encoding
            keys = x.astype(str).where(x.notna(), "\0null").to_numpy()
            table = pd.DataFrame({"k": keys[train], "y": y_values[train]})
            if classify:
                winners = table.groupby(["k", "y"]).size().groupby(level=0).idxmax()
                mapping = pd.Series([pair[1] for pair in winners], index=winners.index)
                fallback = pd.Series(y_values[train]).value_counts().index[0]
            else:
                mapping = table.groupby("k")["y"].mean()
                fallback = float(np.mean(y_values[train]))
            predicted[test] = pd.Series(keys[test]).map(mapping).fillna(fallback).to_numpy()
    if classify:
        return float(balanced_accuracy_score(y_values, predicted.astype(str)))
    return float(r2_score(y_values, predicted.astype(float)))


def _as_number(x: pd.Series) -> np.ndarray:
    if pd.api.types.is_timedelta64_dtype(x.dtype):
        return x.dt.total_seconds().to_numpy(dtype=float)
    if pd.api.types.is_numeric_dtype(x.dtype) or pd.api.types.is_bool_dtype(x.dtype):
        return pd.to_numeric(x, errors="coerce").astype(float).to_numpy()
    stamps = pd.to_datetime(x, errors="coerce", format="mixed", utc=True)
    return (stamps - pd.Timestamp(0, tz="UTC")).dt.total_seconds().to_numpy(dtype=float)
