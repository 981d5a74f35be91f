"""A published model's input signature, and the check every prediction request goes through.

A signature is the ordered list of the columns the model's pipeline reads, each with a logical
type (``integer``, ``float``, ``boolean``, ``string``, ``datetime``, ``date``) and whether the
training data held nulls in it. It is inferred from the training run's feature report (the
pandas dtype DuckDB handed the training process for each feature).

:func:`check_frame` turns what a caller sent into what the pipeline was trained on: columns in
the signature's order, safe coercions only (an integer where a float is expected; the text "3"
where a number is expected, when every value of the column parses; 0/1 or "true"/"false" where
a boolean is expected; ISO text where a datetime is expected), extra columns dropped and
reported. Anything else is a :class:`SignatureError` (422) naming every missing column and
every mistyped one with the type expected and the type found. Nulls are accepted in every
column (the pipelines impute them or split on them); ``nullable`` says whether training saw
any.

Imports pandas only when a frame is checked.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from mlworkbench.core.errors import InvalidRequestError

if TYPE_CHECKING:
    import pandas as pd

LOGICAL_TYPES = ("integer", "float", "boolean", "string", "datetime", "date")
NUMERIC_TYPES = ("integer", "float")
_TRUE = {"true", "t", "yes", "1"}
_FALSE = {"false", "f", "no", "0"}


class SignatureError(InvalidRequestError):
    """The input does not fit the model's signature. ``missing`` lists the absent columns,
    ``mistyped`` one ``{"column", "expected", "got", "example"}`` per column of the wrong type."""

    code = "signature_mismatch"

    def __init__(self, model: str, missing: list[str], mistyped: list[dict[str, Any]]) -> None:
        parts = []
        if missing:
            parts.append("missing column" + ("s " if len(missing) > 1 else " ")
                         + ", ".join(f"'{m}'" for m in missing))
        for wrong in mistyped:
            example = f" (e.g. {wrong['example']!r})" if wrong.get("example") is not None else ""
            parts.append(f"column '{wrong['column']}' should be {wrong['expected']} but is "
                         f"{wrong['got']}{example}")
        super().__init__("inputs", f"The input does not match the signature of {model}: "
                                   + "; ".join(parts) + ".",
                         missing=missing, mistyped=mistyped)
        self.missing = missing
        self.mistyped = mistyped


@dataclass(frozen=True)
class SignatureColumn:
    """One input column: ``name``, logical ``type``, and ``nullable`` (training saw nulls)."""

    name: str
    type: str
    nullable: bool = True


@dataclass(frozen=True)
class Signature:
    """The ordered input columns of a model."""

    columns: list[SignatureColumn] = field(default_factory=list)

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]

    def to_dict(self) -> dict[str, Any]:
        """``{"columns": [{"name", "type", "nullable"}, ...]}``, as stored and served."""
        return {"columns": [asdict(c) for c in self.columns]}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Signature:
        return cls([SignatureColumn(c["name"], c["type"], bool(c.get("nullable", True)))
                    for c in data.get("columns", [])])


@dataclass
class CheckedFrame:
    """A frame ready for the pipeline: ``frame`` holds the signature's columns in its order;
    ``extra_columns`` were dropped; ``coerced`` were converted to their signature type."""

    frame: pd.DataFrame
    extra_columns: list[str] = field(default_factory=list)
    coerced: list[str] = field(default_factory=list)


def logical_type(dtype: str, kind: str | None = None) -> str:
    """The logical type of a pandas dtype (its ``str``); ``kind`` is the feature report's kind
    of the column, which tells Python date objects from other objects.

    >>> logical_type("int32"), logical_type("Float64"), logical_type("datetime64[us]")
    ('integer', 'float', 'datetime')
    >>> logical_type("str"), logical_type("object", "datetime"), logical_type("bool")
    ('string', 'date', 'boolean')
    """
    name = dtype.lower()
    if name.startswith(("int", "uint")):
        return "integer"
    if name.startswith(("float", "decimal", "timedelta")):
        return "float"
    if name in ("bool", "boolean"):
        return "boolean"
    if name.startswith("datetime64"):
        return "datetime"
    if name == "object" and kind == "datetime":
        return "date"
    return "string"


def infer_signature(feature_report: dict[str, Any], features: list[str]) -> Signature:
    """The signature of a model trained on ``features``, from the run's feature report
    (``TrainResult.feature_report.to_dict()``: per column ``name``, ``dtype``, ``kind``,
    ``null_fraction``).

    >>> report = {"columns": [{"name": "x", "dtype": "int64", "kind": "numeric",
    ...                        "null_fraction": 0.0},
    ...                       {"name": "c", "dtype": "str", "kind": "categorical",
    ...                        "null_fraction": 0.25}]}
    >>> [(c.name, c.type, c.nullable) for c in infer_signature(report, ["c", "x"]).columns]
    [('c', 'string', True), ('x', 'integer', False)]
    """
    by_name = {c["name"]: c for c in feature_report.get("columns", [])}
    columns = []
    for name in features:
        column = by_name.get(name, {})
        columns.append(SignatureColumn(
            name, logical_type(str(column.get("dtype", "object")), column.get("kind")),
            bool(column.get("null_fraction", 1.0) > 0)))
    return Signature(columns)


def check_frame(signature: Signature, frame: Any, *, model: str = "the model") -> CheckedFrame:
    """Fit ``frame`` to ``signature`` (see the module's docstring for the coercions).

    Args:
        signature: The model's signature.
        frame: A pandas DataFrame (a dict of columns or a list of row dicts is made one).
        model: How messages name the model ("model 'churn' version 2").

    Returns:
        The checked frame and what was dropped and coerced.

    Raises:
        SignatureError: Columns are missing or hold values of another type (all are listed).
    """
    import pandas as pd

    if not isinstance(frame, pd.DataFrame):
        frame = pd.DataFrame(frame)
    present = set(frame.columns)
    missing = [c.name for c in signature.columns if c.name not in present]
    expected = set(signature.names)
    extra = [str(c) for c in frame.columns if c not in expected]
    mistyped: list[dict[str, Any]] = []
    coerced: list[str] = []
    out: dict[str, Any] = {}
    for column in signature.columns:
        if column.name not in present:
            continue
        series = frame[column.name]
        if isinstance(series, pd.DataFrame):  # the name twice
            mistyped.append({"column": column.name, "expected": column.type,
                             "got": "a repeated column", "example": None})
            continue
        fitted, problem = _fit(series, column.type)
        if problem is not None:
            mistyped.append({"column": column.name, "expected": column.type, **problem})
            continue
        if fitted is not series and series.notna().any():  # all-null columns are only typed
            coerced.append(column.name)
        out[column.name] = fitted
    if missing or mistyped:
        raise SignatureError(model, missing, mistyped)
    checked = pd.DataFrame(out, index=frame.index)[signature.names]
    return CheckedFrame(checked, extra, coerced)


def got_type(series: pd.Series) -> str:
    """The logical type of a column as sent (its values', for a column of Python objects)."""
    import pandas as pd

    if series.dtype != object:
        return logical_type(str(series.dtype))
    values = series.dropna()
    if values.empty:
        return "null"
    first = values.iloc[0]
    if isinstance(first, bool):
        return "boolean"
    if isinstance(first, int):
        return "integer"
    if isinstance(first, float):
        return "float"
    if isinstance(first, pd.Timestamp):
        return "datetime"
    import datetime as dt

    if isinstance(first, dt.datetime):
        return "datetime"
    if isinstance(first, dt.date):
        return "date"
    return "string"


def _fit(series: pd.Series, expected: str) -> tuple[pd.Series, dict[str, Any] | None]:
    """``series`` as ``expected`` (the same object when it already is), or why it cannot be."""
    import pandas as pd

    got = got_type(series)
    if got == "null":  # every value missing: fine for any type, typed as the pipeline expects
        if expected in NUMERIC_TYPES:
            return series.astype("float64"), None
        if expected in ("datetime", "date"):
            return pd.to_datetime(series), None
        return series, None
    # pandas holds DuckDB's dates as datetimes: the two are alike
    if got == expected or {got, expected} <= {"datetime", "date"}:
        if series.dtype == object and got in NUMERIC_TYPES:
            return pd.to_numeric(series), None  # Python numbers in an object column
        return series, None
    values = series.dropna()
    if expected in NUMERIC_TYPES:
        if got in NUMERIC_TYPES:
            if expected == "float":
                return series.astype("float64"), None
            numbers = pd.to_numeric(series)
            if (numbers.dropna() % 1 != 0).any():
                return series, _why(got, values[(values % 1 != 0)])
            return _whole(numbers), None
        if got == "string":
            numbers = pd.to_numeric(series.map(_stripped), errors="coerce")
            bad = series.notna() & numbers.isna()
            if bad.any():
                return series, _why(got, series[bad])
            if expected == "integer":
                if (numbers.dropna() % 1 != 0).any():
                    return series, _why(got, series[numbers % 1 != 0])
                return _whole(numbers), None
            return numbers.astype("float64"), None
        return series, _why(got, values)
    if expected == "boolean":
        if got in NUMERIC_TYPES:
            numbers = pd.to_numeric(series)
            if not numbers.dropna().isin([0, 1]).all():
                return series, _why(got, values[~values.isin([0, 1])])
            return numbers.map(lambda v: v if pd.isna(v) else bool(v)), None
        if got == "string":
            words = series.map(lambda v: v if pd.isna(v) else str(v).strip().lower())
            bad = words.notna() & ~words.isin(_TRUE | _FALSE)
            if bad.any():
                return series, _why(got, series[bad])
            return words.map(lambda v: v if pd.isna(v) else v in _TRUE), None
        return series, _why(got, values)
    if expected in ("datetime", "date"):
        if got in ("datetime", "date", "string"):
            parsed = pd.to_datetime(series, errors="coerce", format="mixed")
            bad = series.notna() & parsed.isna()
            if bad.any():
                return series, _why(got, series[bad])
            return (parsed.dt.normalize() if expected == "date" else parsed), None
        return series, _why(got, values)
    return series, _why(got, values)  # expected string: numbers and dates are not coerced


def _stripped(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def _whole(numbers: pd.Series) -> pd.Series:
    """Whole numbers as int64 (float64 when some are missing: NaN has no integer)."""
    return numbers.astype("float64") if numbers.isna().any() else numbers.astype("int64")


def _why(got: str, bad: pd.Series) -> dict[str, Any]:
    example = bad.iloc[0] if len(bad) else None
    if hasattr(example, "item"):
        example = example.item()
    elif example is not None and not isinstance(example, (str, int, float, bool)):
        example = str(example)
    return {"got": got, "example": example}
