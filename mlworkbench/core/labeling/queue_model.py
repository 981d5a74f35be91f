"""The model behind the active-learning queue: a quick scikit-learn classifier fitted on the
current labels, or a fitted estimator the user passes in.

The built-in model reads the label set's source columns: long or wordy strings through TF-IDF,
numbers scaled, short strings one-hot encoded, all into a logistic regression (one-vs-rest for
multi-label sets). Columns it cannot use (dates, nested values, image paths, identifiers) are
named, so an empty feature list is an error that says which columns were there.
"""

from __future__ import annotations

import hashlib
import re
import warnings
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from mlworkbench.core.errors import ConflictError, InvalidRequestError

if TYPE_CHECKING:
    import pandas

NUMERIC_TYPE = re.compile(
    r"^(U?(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT)|FLOAT|DOUBLE|REAL|DECIMAL.*|BOOLEAN)$"
)
IMAGE_VALUE = re.compile(r"\.(?:png|jpe?g|gif|bmp|webp|tiff?)(?:\?.*)?$", re.IGNORECASE)
TEXT_MEAN_LENGTH = 25  # a string column this long on average reads as text, not a category
IDENTIFIER_MIN_ROWS = 20  # below this, "every value differs" says nothing
MAX_CATEGORIES = 50
MISSING = "(missing)"


@dataclass
class FeaturePlan:
    """Which source columns the built-in model reads, and how; and the ones it leaves out."""

    text: list[str] = field(default_factory=list)
    numeric: list[str] = field(default_factory=list)
    categorical: list[str] = field(default_factory=list)
    ignored: dict[str, str] = field(default_factory=dict)  # column -> why

    @property
    def features(self) -> list[str]:
        return self.text + self.numeric + self.categorical


@dataclass
class QueueModel:
    """A fitted model the queue can score batches with."""

    kind: str  # text | tabular | custom
    version: str
    classes: list[str]
    multi: bool
    features: list[str]
    ignored: list[str]
    estimator: Any
    plan: FeaturePlan | None = None  # None for a custom model: it gets every source column

    def probabilities(self, frame: pandas.DataFrame) -> np.ndarray:
        """``(items, classes)`` probabilities of a batch of source rows.

        Raises:
            InvalidRequestError: A custom model failed on the rows, or answered in a shape
                that does not match its classes.
        """
        if self.plan is not None:
            return np.asarray(self.estimator.predict_proba(prepare(frame, self.plan)))
        try:
            answer = self.estimator.predict_proba(frame)
        except Exception as error:  # the user's model: any failure is theirs to see
            raise InvalidRequestError(
                "model", f"The model failed on the label set's items: {type(error).__name__}: "
                f"{error}", columns=list(frame.columns)
            ) from error
        return _as_matrix(answer, len(self.classes))


def _as_matrix(answer: Any, classes: int) -> np.ndarray:
    if isinstance(answer, list):  # multi-output: one (items, 2) array per label
        answer = np.column_stack([np.asarray(a)[:, -1] for a in answer])
    matrix = np.asarray(answer, dtype=float)
    if matrix.ndim != 2 or matrix.shape[1] != classes:
        raise InvalidRequestError(
            "model", f"The model's predict_proba gave shape {matrix.shape}; expected "
            f"(items, {classes}), one column per label."
        )
    return matrix


def plan_features(
    frame: pandas.DataFrame, types: dict[str, str], *, key: str, text_hint: set[str] = frozenset()
) -> FeaturePlan:
    """Decide how each source column is read, judging strings by the labeled rows.

    Args:
        frame: The labeled rows (source columns).
        types: DuckDB type per column.
        key: The item key column (never a feature).
        text_hint: Columns the label set shows as text.

    Returns:
        The plan.
    """
    plan = FeaturePlan()
    for column, kind in types.items():
        if column == key:
            continue
        if NUMERIC_TYPE.match(kind):
            if frame[column].notna().any():
                plan.numeric.append(column)
            else:
                plan.ignored[column] = "no values on the labeled items"
        elif kind == "VARCHAR":
            reason = _string_kind(frame[column], column in text_hint)
            if reason in ("text", "categorical"):
                getattr(plan, reason).append(column)
            else:
                plan.ignored[column] = reason
        else:
            plan.ignored[column] = f"{kind} columns are not read"
    return plan


def _string_kind(values: pandas.Series, hinted: bool) -> str:
    present = values.dropna().astype(str)
    if present.empty:
        return "no values on the labeled items"
    if present.str.contains(IMAGE_VALUE).mean() >= 0.8:
        return "image paths or URLs"
    wordy = present.str.contains(r"\w", regex=True)
    if hinted or present.str.len().mean() >= TEXT_MEAN_LENGTH:
        return "text" if wordy.any() else "no words to read"
    distinct = present.nunique() / len(present)
    if present.str.contains(r"\s").mean() >= 0.5 and distinct > 0.5:
        return "text"
    if len(present) >= IDENTIFIER_MIN_ROWS and distinct == 1.0:
        return "every value differs (an identifier?)"
    return "categorical"


def prepare(frame: pandas.DataFrame, plan: FeaturePlan) -> pandas.DataFrame:
    """The feature columns in the types the pipeline expects (nulls filled)."""
    import pandas

    out = {}
    for column in plan.text:
        out[column] = frame[column].astype(object).where(frame[column].notna(), "").astype(str)
    for column in plan.numeric:
        out[column] = pandas.to_numeric(frame[column], errors="coerce").astype(float)
    for column in plan.categorical:
        values = frame[column].astype(object).where(frame[column].notna(), MISSING)
        out[column] = values.astype(str).astype(object)
    return pandas.DataFrame(out, index=frame.index)


def _pipeline(plan: FeaturePlan, multi: bool) -> Any:
    from sklearn.compose import ColumnTransformer
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.impute import SimpleImputer
    from sklearn.linear_model import LogisticRegression
    from sklearn.multiclass import OneVsRestClassifier
    from sklearn.pipeline import Pipeline, make_pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    parts: list[tuple[str, Any, Any]] = [
        (f"text:{c}", TfidfVectorizer(sublinear_tf=True), c) for c in plan.text
    ]
    if plan.numeric:
        numbers = make_pipeline(SimpleImputer(strategy="median"), StandardScaler())
        parts.append(("numeric", numbers, plan.numeric))
    if plan.categorical:
        onehot = OneHotEncoder(handle_unknown="infrequent_if_exist", max_categories=MAX_CATEGORIES)
        parts.append(("categorical", onehot, plan.categorical))
    classifier = LogisticRegression(max_iter=2000, class_weight="balanced")
    if multi:
        classifier = OneVsRestClassifier(classifier)
    return Pipeline([("features", ColumnTransformer(parts)), ("classifier", classifier)])


def _version(kind: str, keys: list[str], targets: list[Any]) -> str:
    digest = hashlib.sha1()
    for key, target in sorted(zip(keys, map(str, targets))):
        digest.update(f"{key}\t{target}\n".encode())
    return f"queue-{kind}-{len(keys)}labels-{digest.hexdigest()[:8]}"


def fit_queue_model(
    name: str,
    frame: pandas.DataFrame,
    targets: list[Any],
    keys: list[str],
    types: dict[str, str],
    *,
    key: str,
    multi: bool,
    text_hint: set[str] = frozenset(),
) -> QueueModel:
    """Fit the built-in model on the labeled rows.

    Args:
        name: The label set (for messages).
        frame: The labeled items' source columns.
        targets: Their labels (a label, or a list of labels when ``multi``).
        keys: Their item keys (for the model version).
        types: DuckDB type per source column.
        key: The item key column.
        multi: Multi-label set.
        text_hint: Columns the label set shows as text.

    Returns:
        The fitted model.

    Raises:
        ConflictError: Fewer than 2 distinct labels so far (409).
        InvalidRequestError: No source column is usable as a feature (422).
    """
    distinct = sorted({x for t in targets for x in t} if multi else set(targets))
    if len(distinct) < 2:
        have = f"only '{distinct[0]}'" if distinct else "no labels"
        raise ConflictError(
            f"Label set '{name}' has {have} on {len(targets)} item(s): the queue model needs at "
            "least 2 different labels. Label a few items of another kind first, or pass a "
            "fitted model (refresh_queue(model=...)).",
            name=name, labeled=len(targets), labels=distinct,
        )
    plan = plan_features(frame, types, key=key, text_hint=text_hint)
    if not plan.features:
        reasons = "; ".join(f"'{c}': {why}" for c, why in plan.ignored.items()) or "none"
        raise InvalidRequestError(
            "features", f"Label set '{name}' has no column the queue model can read (columns "
            f"besides the key '{key}': {reasons}). Add numeric, category or text columns to "
            "its query, or pass a fitted model with predict_proba (refresh_queue(model=...)).",
            columns=sorted(plan.ignored), ignored=plan.ignored,
        )
    estimator = _pipeline(plan, multi)
    if multi:
        from sklearn.preprocessing import MultiLabelBinarizer

        binarizer = MultiLabelBinarizer(classes=distinct)
        y = binarizer.fit_transform(targets)
    else:
        y = np.asarray(targets, dtype=object)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a label on every item (one-vs-rest) is not news here
        estimator.fit(prepare(frame, plan), y)
    classes = distinct if multi else [str(c) for c in estimator.classes_]
    kind = "text" if plan.text else "tabular"
    return QueueModel(
        kind=kind,
        version=_version(kind, keys, targets),
        classes=classes,
        multi=multi,
        features=plan.features,
        ignored=sorted(plan.ignored),
        estimator=estimator,
        plan=plan,
    )


def custom_queue_model(
    model: Any, *, choices: list[str], multi: bool, columns: list[str]
) -> QueueModel:
    """Wrap a fitted estimator the user passed in.

    Its classes are its ``classes_`` (when they are labels) or else the label set's choices, in
    order. It is given every source column but the key, as a pandas DataFrame.

    Raises:
        InvalidRequestError: It has no ``predict_proba``, or its classes cannot be told.
    """
    if not callable(getattr(model, "predict_proba", None)):
        raise InvalidRequestError(
            "model", f"A {type(model).__name__} has no predict_proba: pass a fitted classifier "
            "that gives probabilities (e.g. a scikit-learn LogisticRegression or Pipeline)."
        )
    known = getattr(model, "classes_", None)
    classes = [str(c) for c in known] if known is not None and np.ndim(known) == 1 else []
    if not classes or (multi and not set(classes) <= set(choices)):
        classes = list(choices)
    version = getattr(model, "model_version", None)
    if not version:
        import joblib

        version = f"custom-{type(model).__name__}-{joblib.hash(model)[:8]}"
    return QueueModel(
        kind="custom",
        version=str(version),
        classes=classes,
        multi=multi,
        features=columns,
        ignored=[],
        estimator=model,
    )
