"""One scikit-learn ``Pipeline`` per candidate model, taking the raw columns of the table.

Every pipeline starts from the raw columns, so the published model needs no preprocessing of
its own. Columns are encoded by the kind the feature report found: numbers and booleans pass
through as floats; categoricals of at most 40 values are one-hot encoded for linear models and
ordinal encoded for trees (a histogram gradient boosting splits them as categories);
categoricals with more values get their out-of-fold mean target (scikit-learn's
``TargetEncoder``) and are string encoded (skrub's ``StringEncoder``: character n-gram TF-IDF
reduced by SVD); free text is TF-IDF on words reduced by SVD (``StringEncoder`` again). Both
string encoders encode each distinct value once and are fitted on a sample of at most
``ENCODER_FIT_VALUES`` values (``DistinctValues``), so a million rows cost their distinct values.
Datetimes, and strings holding dates, become date parts (skrub's ``ToDatetime`` and
``DatetimeEncoder``). Linear models then get imputation and scaling; trees take missing values
as they are.

skrub's ``TableVectorizer`` would detect the kinds and dispatch the same encoders, but it applies
every transformer one column at a time (about 20 ms a column for each transform here), which made
preprocessing most of the cost of a small fit; the report already knows the kinds, so a
``ColumnTransformer`` encodes numbers and categories in one vectorised step each.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.stats import loguniform
from sklearn.base import BaseEstimator, TransformerMixin

from mlworkbench.core.training.features import (
    BOOLEAN,
    CATEGORICAL,
    DATETIME,
    LOW_CARDINALITY,
    NUMERIC,
    TEXT,
    FeatureReport,
)
from mlworkbench.core.training.string_encoding import encode_strings

#: Components kept of each text column's TF-IDF matrix.
TEXT_COMPONENTS = 30
#: Distinct values a string or text encoder is fitted on at most (a seeded sample of them):
#: fitting TF-IDF and SVD costs more than applying them, and a sample this size finds the same
#: vocabulary and directions.
ENCODER_FIT_VALUES = 20_000


#: Types beyond skops' defaults that a fitted pipeline of this module holds: what a model file
#: may be loaded with (``skops.io.load(path, trusted=TRUSTED_TYPES)``), and no more.
TRUSTED_TYPES = [
    "mlworkbench.core.training.pipelines.DistinctValues",
    "mlworkbench.core.training.pipelines.as_floats",
    "mlworkbench.core.training.pipelines.as_strings",
    "numpy.dtype",
    # A boosting with categorical columns checks its input with partial(check_array, ...): the
    # partial may only wrap check_array, the one function listed here.
    "functools.partial",
    "sklearn.utils.validation.check_array",
    "sklearn.ensemble._hist_gradient_boosting.predictor.TreePredictor",
    "sklearn.model_selection._split.KFold",  # the TargetEncoder's folds (scikit-learn >= 1.9)
    "sklearn.tree._tree.Tree",
    "skrub._datetime_encoder.DatetimeEncoder",
    "skrub._string_encoder.StringEncoder",
    "skrub._to_datetime.ToDatetime",
    "skrub._to_str.ToStr",
]


@dataclass(frozen=True)
class Candidate:
    """A model family: its name, what it needs, and its hyper-parameter space."""

    name: str
    label: str
    linear: bool
    #: Parameter name -> list of values or a scipy distribution (names without ``model__``).
    space: dict[str, Any]
    #: Parameters of the default configuration, tried first.
    defaults: dict[str, Any]

    def estimator(self, task: str, params: dict[str, Any], *, random_state: int,
                  n_jobs: int | None, categorical: list[int] | None = None) -> Any:
        """The unfitted model of this family for ``task`` with ``params`` applied.

        ``categorical``: the input columns holding category codes (``categorical_columns``),
        which a histogram gradient boosting splits on as categories rather than numbers."""
        from sklearn import ensemble, linear_model

        classify = task != "regression"
        kwargs = {**self.defaults, **params}
        if self.name == "linear":
            if classify:
                return linear_model.LogisticRegression(max_iter=2000, **kwargs)
            return linear_model.Ridge(random_state=random_state, **kwargs)
        if self.name in ("random_forest", "extra_trees"):
            kind = {"random_forest": "RandomForest", "extra_trees": "ExtraTrees"}[self.name]
            cls = getattr(ensemble, kind + ("Classifier" if classify else "Regressor"))
            return cls(random_state=random_state, n_jobs=n_jobs, **kwargs)
        if self.name == "hist_gradient_boosting":
            cls = (ensemble.HistGradientBoostingClassifier if classify
                   else ensemble.HistGradientBoostingRegressor)
            return cls(random_state=random_state, categorical_features=categorical or None,
                       **kwargs)
        raise ValueError(f"Unknown candidate {self.name!r}")


def candidates(task: str) -> list[Candidate]:
    """The model families searched for ``task``, cheapest first.

    >>> [c.name for c in candidates("binary")]
    ['linear', 'hist_gradient_boosting', 'random_forest', 'extra_trees']
    """
    classify = task != "regression"
    if classify:
        linear = Candidate("linear", "Logistic regression", True,
                           {"C": loguniform(1e-3, 1e2)}, {"C": 1.0})
    else:
        linear = Candidate("linear", "Ridge regression", True,
                           {"alpha": loguniform(1e-3, 1e3)}, {"alpha": 1.0})
    forest_space = {
        "n_estimators": [50, 100, 200],
        "max_features": ["sqrt", 0.3, 0.6, 1.0],
        "min_samples_leaf": [1, 2, 4, 8],
        **({"class_weight": [None, "balanced"]} if classify else {}),
    }
    forest_defaults = {"n_estimators": 100}
    boosting = Candidate(
        "hist_gradient_boosting", "Histogram gradient boosting", False,
        {
            "learning_rate": loguniform(0.02, 0.3),
            "max_leaf_nodes": [15, 31, 63, 127],
            "min_samples_leaf": [5, 10, 20, 50],
            "l2_regularization": [0.0, 0.01, 0.1, 1.0, 10.0],
            "max_features": [0.5, 0.8, 1.0],
            "max_iter": [100, 200, 400],
            # Bounds the cost of large configurations; the default keeps sklearn's "auto".
            "early_stopping": [True],
        },
        {},
    )
    return [
        linear,
        boosting,
        Candidate("random_forest", "Random forest", False, forest_space, forest_defaults),
        Candidate("extra_trees", "Extra trees", False, forest_space, forest_defaults),
    ]


def candidate(task: str, name: str) -> Candidate:
    """The candidate called ``name`` for ``task``."""
    for c in candidates(task):
        if c.name == name:
            return c
    raise ValueError(f"Unknown candidate {name!r}; known: "
                     f"{', '.join(c.name for c in candidates(task))}")


def sample_params(cand: Candidate, count: int, rng: np.random.Generator) -> list[dict[str, Any]]:
    """``count`` random configurations of ``cand`` (plain Python values, JSON-safe)."""
    from sklearn.model_selection import ParameterSampler

    seed = int(rng.integers(0, 2**31 - 1))
    sampled = ParameterSampler(cand.space, n_iter=count, random_state=seed)
    return [{k: _plain(v) for k, v in params.items()} for params in sampled]


def _plain(value: Any) -> Any:
    if isinstance(value, (np.floating, float)):
        return float(f"{float(value):.4g}")
    if isinstance(value, np.integer):
        return int(value)
    return value


def build_pipeline(cand: Candidate, task: str, encodings: dict[str, str],
                   params: dict[str, Any] | None = None, *, random_state: int = 0,
                   n_jobs: int | None = None) -> Any:
    """An unfitted pipeline from the raw feature columns to ``cand``'s model.

    Args:
        cand: The model family.
        task: ``binary``, ``multiclass`` or ``regression``.
        encodings: Feature column -> encoding, from ``encodings()``.
        params: The model's hyper-parameters (defaults when None).
        random_state: Seed of the model and the encoders.
        n_jobs: Cores the model may use (forests).

    Returns:
        A ``sklearn.pipeline.Pipeline`` with steps ``encode``, [``impute``, ``scale``,]
        ``model``; it takes a table with (at least) the feature columns.
    """
    from sklearn.pipeline import Pipeline

    steps = build_preprocessor(cand.linear, encodings, random_state=random_state).steps
    model = cand.estimator(task, params or {}, random_state=random_state, n_jobs=n_jobs,
                           categorical=categorical_columns(cand.linear, encodings))
    return Pipeline([*steps, ("model", model)])


def encodings(report: FeatureReport, features: list[str]) -> dict[str, str]:
    """How each feature is encoded, from its kind in the feature report: ``number`` (numbers,
    booleans), ``category`` (at most 40 values), ``strings`` (more values), ``text``, ``date``.
    """
    out = {}
    for name in features:
        column = next((c for c in report.columns if c.name == name), None)
        kind = column.kind if column else NUMERIC
        if kind in (NUMERIC, BOOLEAN):
            out[name] = "number"
        elif kind == CATEGORICAL:
            out[name] = "category" if column.distinct <= LOW_CARDINALITY else "strings"
        else:
            out[name] = {TEXT: "text", DATETIME: "date"}.get(kind, "category")
    return out


def categorical_columns(linear: bool, encodings: dict[str, str]) -> list[int]:
    """The columns of ``build_preprocessor``'s output holding low-cardinality category codes
    (trees only: linear models get them one-hot encoded).

    >>> categorical_columns(False, {"a": "number", "b": "category", "c": "text"})
    [1]
    """
    if linear:
        return []
    numbers = sum(e == "number" for e in encodings.values())
    return list(range(numbers, numbers + sum(e == "category" for e in encodings.values())))


def build_preprocessor(linear: bool, encodings: dict[str, str], *,
                       random_state: int = 0) -> Any:
    """The pipeline's steps before the model, from the raw columns to a numeric matrix.

    The same for every tree model, and for every linear one, which lets a search fit them once
    per fold. Columns are grouped by the kind the feature report found: numbers and booleans
    are one block, low-cardinality categoricals another (one vectorised encoder each); dates,
    text and high-cardinality strings go through skrub's single-column encoders.

    Returns:
        An unfitted ``Pipeline`` taking raw columns and returning a numeric matrix.
    """
    import skrub
    from sklearn.compose import ColumnTransformer
    from sklearn.impute import SimpleImputer
    from sklearn.pipeline import Pipeline, make_pipeline
    from sklearn.preprocessing import (
        FunctionTransformer,
        OneHotEncoder,
        OrdinalEncoder,
        StandardScaler,
    )

    by_kind: dict[str, list[str]] = {}
    for name, encoding in encodings.items():
        by_kind.setdefault(encoding, []).append(name)
    parts: list[tuple[str, Any, Any]] = []
    numbers = by_kind.get("number", [])
    if numbers:
        parts.append(("numbers", FunctionTransformer(as_floats, feature_names_out="one-to-one"),
                      numbers))
    low = by_kind.get("category", [])
    if low:
        if linear:
            encoder = OneHotEncoder(handle_unknown="ignore", drop="if_binary",
                                    sparse_output=False, dtype="float32")
        else:
            encoder = OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=-1,
                                     dtype="float32")
        parts.append(("categories", make_pipeline(
            FunctionTransformer(as_strings, feature_names_out="one-to-one"), encoder), low))
    strings = by_kind.get("strings", [])
    if strings:
        # Many values, often repeated (cities, products): each value's mean target, fitted
        # out of fold (scikit-learn's TargetEncoder cross-fits), beside its spelling below.
        parts.append(("strings:target", make_pipeline(
            FunctionTransformer(as_strings, feature_names_out="one-to-one"),
            _target_encoder(random_state)), strings))
    for name in strings:
        parts.append((f"strings:{name}", make_pipeline(
            FunctionTransformer(as_strings), DistinctValues(
                skrub.StringEncoder(random_state=random_state), random_state=random_state)),
            name))
    for name in by_kind.get("text", []):
        parts.append((f"text:{name}", make_pipeline(
            FunctionTransformer(as_strings), DistinctValues(
                skrub.StringEncoder(n_components=TEXT_COMPONENTS, vectorizer="tfidf",
                                    analyzer="word", ngram_range=(1, 2),
                                    random_state=random_state),
                random_state=random_state)), name))
    for name in by_kind.get("date", []):
        parts.append((f"dates:{name}", make_pipeline(
            skrub.ToDatetime(), skrub.DatetimeEncoder(add_weekday=True)), name))
    columns = ColumnTransformer(parts, remainder="drop", sparse_threshold=0.0)
    steps: list[tuple[str, Any]] = [("encode", columns)]
    if linear:
        steps += [("impute", SimpleImputer(strategy="median", add_indicator=True)),
                  ("scale", StandardScaler())]
    return Pipeline(steps)


def as_floats(frame: Any) -> np.ndarray:
    """Numeric, boolean and duration columns as a float matrix, missing values as NaN."""
    import pandas as pd

    if all(isinstance(t, np.dtype) and t.kind in "biuf" for t in frame.dtypes):
        return frame.to_numpy(dtype=float)  # plain NumPy columns: one conversion
    columns = []
    for name in frame.columns:
        column = frame[name]
        if pd.api.types.is_timedelta64_dtype(column.dtype):
            column = column.dt.total_seconds()
        elif column.dtype == object:
            column = pd.to_numeric(column.map(_bool_or_value), errors="coerce")
        columns.append(column.astype("Float64").to_numpy(dtype=float, na_value=np.nan))
    return np.column_stack(columns) if columns else np.empty((len(frame), 0))


def _bool_or_value(value: Any) -> Any:
    return float(value) if isinstance(value, (bool, np.bool_)) else value


def as_strings(data: Any) -> Any:
    """Category values as Python strings (one column or a table), missing values as NaN, so
    that numbers, booleans and strings of one column encode alike."""
    import pandas as pd

    if isinstance(data, pd.DataFrame):
        return pd.DataFrame({name: as_strings(data[name]) for name in data.columns},
                            index=data.index)
    values = data.astype(object).where(data.notna(), np.nan)
    if pd.api.types.infer_dtype(values, skipna=True) == "string":  # strings already (one C pass)
        return values
    return values.map(lambda v: v if isinstance(v, float) and np.isnan(v) else str(v)).astype(
        object)


class DistinctValues(TransformerMixin, BaseEstimator):
    """Applies a one-column string encoder to each distinct value once, then to the rows.

    Fitting sees at most ``ENCODER_FIT_VALUES`` distinct values (a seeded sample), so a column
    of a million rows costs its distinct values, not its rows: 400 cities in 1M rows are
    encoded 400 times, and free text (mostly distinct) is fitted on a sample.
    """

    def __init__(self, encoder: Any, *, max_fit_values: int = ENCODER_FIT_VALUES,
                 random_state: int = 0):
        self.encoder = encoder
        self.max_fit_values = max_fit_values
        self.random_state = random_state

    def fit(self, X: Any, y: Any = None) -> DistinctValues:
        import pandas as pd
        from sklearn.base import clone

        column = _column(X)
        values = pd.Series(pd.unique(column), name=column.name, dtype=object)
        if len(values) > self.max_fit_values:
            rng = np.random.default_rng(self.random_state)
            values = values.iloc[np.sort(rng.choice(len(values), self.max_fit_values,
                                                    replace=False))]
        self.encoder_ = clone(self.encoder).fit(values)
        return self

    def transform(self, X: Any) -> np.ndarray:
        import pandas as pd

        column = _column(X)
        codes, uniques = pd.factorize(column, use_na_sentinel=False)
        encoded = encode_strings(self.encoder_, pd.Series(uniques, name=column.name,
                                                          dtype=object))
        return encoded[codes]

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        return np.asarray(self.encoder_.get_feature_names_out(), dtype=object)


def _target_encoder(random_state: int) -> Any:
    """scikit-learn's TargetEncoder cross-fitting on seeded shuffled folds (1.9 takes them as
    ``cv``; earlier versions as ``random_state``)."""
    import inspect

    from sklearn.model_selection import KFold
    from sklearn.preprocessing import TargetEncoder

    if inspect.signature(TargetEncoder).parameters["random_state"].default == "deprecated":
        return TargetEncoder(cv=KFold(5, shuffle=True, random_state=random_state))
    return TargetEncoder(random_state=random_state)


def _column(X: Any) -> Any:
    """The one column a ``DistinctValues`` gets, as a Series (from a table or an array)."""
    import pandas as pd

    return X.iloc[:, 0] if isinstance(X, pd.DataFrame) else pd.Series(X)
