"""Prediction requests in, predictions out, in the shapes MLflow's scoring server uses.

A body is JSON (``application/json``) or CSV with a header row (``text/csv``), UTF-8. A JSON body
is an object with exactly one of MLflow's input fields:

- ``{"dataframe_split": {"columns": [...], "data": [[...], ...], "index": [...]}}`` (``index``
  optional and not used);
- ``{"dataframe_records": [{"col": value, ...}, ...]}``;
- ``{"instances": [...]}``: a list of row objects, of rows given as lists (positional), or of
  single values (a model with one input column);
- ``{"inputs": ...}``: the same as ``instances``, or an object of columns
  (``{"col": [values], ...}``, or ``{"col": value, ...}`` for one row).

As in MLflow, a ``params`` object may come along: scikit-learn pipelines take no inference
parameters, so it is accepted and not used, and the response lists its keys under
``ignored_params`` (MLflow only logs a warning; saying so in the response tells the caller).
Other top-level keys are ignored too (as MLflow does) and reported the same way.

Rows given as lists carry no column names: they take the model's columns in signature order
(``columns``), which is what MLflow does for a model with a column signature.

The response is MLflow's ``{"predictions": [...]}``, one value per row. When asked for,
``probabilities`` adds one ``{class: probability}`` object per row, and ``ignored_columns``
lists input columns the model does not read (dropped, never an error).
"""

from __future__ import annotations

import io
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from mlworkbench.core.errors import BadRequestError, InvalidRequestError, UnsupportedError
from mlworkbench.core.serving.errors import PayloadTooLargeError

if TYPE_CHECKING:
    import pandas as pd

JSON = "application/json"
CSV = "text/csv"
FORMS = ("dataframe_split", "dataframe_records", "instances", "inputs")
PARAMS = "params"

#: Appended to every "not a form we read" message: what would have been accepted.
ACCEPTED = (
    "Send one of: {\"dataframe_split\": {\"columns\": [...], \"data\": [[...]]}}, "
    "{\"dataframe_records\": [{...}, ...]}, {\"instances\": [...]}, {\"inputs\": [...] or "
    "{column: [values]}} as application/json, or CSV with a header row as text/csv.")


@dataclass
class Payload:
    """A parsed request: the rows, the form they came in, and what was not used.

    Attributes:
        frame: One row per input row, one column per input column.
        form: ``dataframe_split``, ``dataframe_records``, ``instances``, ``inputs`` or ``csv``.
        params: MLflow's ``params`` object, as sent (not used by scikit-learn pipelines).
        ignored_keys: Top-level JSON keys that are neither an input field nor ``params``.
    """

    frame: pd.DataFrame
    form: str
    params: dict[str, Any] | None = None
    ignored_keys: list[str] = field(default_factory=list)

    @property
    def ignored_params(self) -> list[str]:
        """The names of the ``params`` sent, none of which a scikit-learn pipeline takes."""
        return sorted(self.params or {})


def parse_payload(body: bytes, content_type: str, *, max_bytes: int,
                  columns: Sequence[str] | None = None) -> pd.DataFrame:
    """The rows of a prediction request (see :func:`read_payload`).

    >>> parse_payload(b'{"dataframe_records": [{"a": 1, "b": "x"}]}', "application/json",
    ...               max_bytes=1000).to_dict("records")
    [{'a': 1, 'b': 'x'}]
    """
    return read_payload(body, content_type, max_bytes=max_bytes, columns=columns).frame


def read_payload(body: bytes, content_type: str, *, max_bytes: int,
                 columns: Sequence[str] | None = None) -> Payload:
    """Parse a prediction request body in one of MLflow's forms (see the module docstring).

    Args:
        body: The raw request body.
        content_type: The Content-Type header (``application/json`` or ``text/csv``, with an
            optional ``charset=utf-8``).
        max_bytes: Bodies longer than this are refused before they are parsed.
        columns: The model's input columns in signature order, for rows given as lists.

    Returns:
        The rows and what came with them.

    Raises:
        PayloadTooLargeError: ``body`` is over ``max_bytes`` (413).
        UnsupportedError: Another content type or charset (415).
        BadRequestError: Not valid JSON/CSV, or none (or more than one) of the input fields, or
            a field that is not shaped as its form requires (400). The message names what is
            wrong and lists the accepted forms.
        InvalidRequestError: Rows given as lists with a number of values other than the
            model's number of columns (422).
    """
    if len(body) > max_bytes:
        raise PayloadTooLargeError(len(body), max_bytes)
    mime = _mime(content_type)
    if mime == CSV:
        return Payload(_nonempty(_csv(body), "csv"), "csv")
    try:
        document = json.loads(body)
    except (UnicodeDecodeError, ValueError) as error:
        raise BadRequestError("body", f"The body is not valid JSON ({error}). {ACCEPTED}") \
            from None
    if not isinstance(document, dict):
        raise BadRequestError("body", f"The body is a JSON {_kind(document)}, not an object "
                                      f"with one input field. {ACCEPTED}")
    present = [key for key in document if key in FORMS]
    if len(present) != 1:
        found = ", ".join(f"'{k}'" for k in document) or "none"
        what = "none of" if not present else "more than one of"
        raise BadRequestError("body", f"The body has {what} the input fields "
                                      f"{', '.join(FORMS)} (its keys: {found}). {ACCEPTED}")
    form = present[0]
    params = document.get(PARAMS)
    if params is not None and not isinstance(params, dict):
        raise BadRequestError(PARAMS, f"'params' must be an object of parameter names and "
                                      f"values, not a JSON {_kind(params)}.")
    frame = _READERS[form](document[form], form, columns)
    ignored = [key for key in document if key not in (form, PARAMS)]
    return Payload(_nonempty(_plain_cells(frame, form), form), form, params, ignored)


def format_predictions(predictions: Any, *, probabilities: Any = None,
                       classes: Sequence[Any] | None = None,
                       extra_columns: Sequence[str] = (),
                       ignored_params: Sequence[str] = ()) -> dict[str, Any]:
    """MLflow's response: ``{"predictions": [...]}``, one JSON value per row.

    Args:
        predictions: One prediction per row (array, Series or list).
        probabilities: Optional rows x classes probabilities (``predict_proba``); with
            ``classes``, added as ``"probabilities": [{class: p, ...}, ...]``.
        classes: The class of each probability column.
        extra_columns: Input columns the model does not read; listed as ``ignored_columns``.
        ignored_params: ``params`` keys not used; listed as ``ignored_params``.

    Returns:
        A JSON-ready dict; missing values (NaN) are ``null``.

    >>> format_predictions([1.5, float("nan")])
    {'predictions': [1.5, None]}
    >>> format_predictions(["no"], probabilities=[[0.25, 0.75]], classes=["yes", "no"])
    {'predictions': ['no'], 'probabilities': [{'yes': 0.25, 'no': 0.75}]}
    """
    response: dict[str, Any] = {"predictions": [_json_value(v) for v in _values(predictions)]}
    if probabilities is not None and classes is not None:
        keys = [str(c) for c in classes]
        response["probabilities"] = [
            {k: _json_value(p) for k, p in zip(keys, _values(row), strict=True)}
            for row in _values(probabilities)]
    if extra_columns:
        response["ignored_columns"] = list(extra_columns)
    if ignored_params:
        response["ignored_params"] = list(ignored_params)
    return response


def _mime(content_type: str) -> str:
    mime, *parameters = [part.strip() for part in (content_type or "").split(";")]
    mime = mime.lower()
    if mime not in (JSON, CSV):
        raise UnsupportedError(
            f"Content-Type '{content_type or '(none)'}' is not read here: send "
            f"'Content-Type: {JSON}' (MLflow's JSON input fields) or '{CSV}' (a header row, "
            f"then one line per row).", content_type=content_type or None)
    for parameter in parameters:
        key, _, value = parameter.partition("=")
        if key.strip().lower() == "charset" and value.strip().strip('"').lower() not in (
                "utf-8", "utf8"):
            raise UnsupportedError(f"The body must be UTF-8, not {value.strip()}.",
                                   content_type=content_type)
    return mime


def _csv(body: bytes) -> pd.DataFrame:
    import pandas as pd

    try:
        return pd.read_csv(io.BytesIO(body), encoding="utf-8")
    except pd.errors.EmptyDataError:
        raise BadRequestError("body", "The CSV body is empty: send a header row naming the "
                                      "columns, then one line per row.") from None
    except (ValueError, UnicodeDecodeError, pd.errors.ParserError) as error:
        raise BadRequestError("body", f"The body is not CSV with a header row: {error}. "
                                      f"{ACCEPTED}") from None


def _split(value: Any, form: str, columns: Sequence[str] | None) -> pd.DataFrame:
    import pandas as pd

    if not isinstance(value, dict):
        raise BadRequestError(form, f"'{form}' must be an object with 'columns' and 'data' "
                                    f"(and optionally 'index'), not a JSON {_kind(value)}.")
    unknown = sorted(set(value) - {"columns", "data", "index"})
    if unknown:
        raise BadRequestError(form, f"'{form}' has keys {unknown}; it takes 'columns', 'data' "
                                    "and 'index' only.")
    if "data" not in value:
        raise BadRequestError(form, f"'{form}' has no 'data': give the rows as a list of lists.")
    rows = value["data"]
    if "columns" not in value:
        return _positional(rows, form, columns)
    names = value["columns"]
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        raise BadRequestError(form, f"'{form}.columns' must be a list of column names.")
    duplicated = sorted({n for n in names if names.count(n) > 1})
    if duplicated:
        raise BadRequestError(form, f"'{form}.columns' names {duplicated} more than once.")
    _check_rows(rows, len(names), f"{form}.data", f"'{form}.columns' names {len(names)}")
    return pd.DataFrame(rows, columns=names) if rows else pd.DataFrame(columns=names)


def _records(value: Any, form: str, columns: Sequence[str] | None) -> pd.DataFrame:
    import pandas as pd

    _check_items(value, dict, form, "row objects", "an object of column names and values")
    return pd.DataFrame.from_records(value)


def _instances(value: Any, form: str, columns: Sequence[str] | None) -> pd.DataFrame:
    import pandas as pd

    if isinstance(value, dict) and form == "inputs":
        return _columns_object(value, form)
    if not isinstance(value, list):
        allowed = "a list, or an object of columns" if form == "inputs" else "a list"
        raise BadRequestError(form, f"'{form}' must be {allowed}, not a JSON {_kind(value)}.")
    if not value:
        return pd.DataFrame()
    if all(isinstance(item, dict) for item in value):
        return _records(value, form, columns)
    if all(isinstance(item, list) for item in value):
        return _positional(value, form, columns)
    if not any(isinstance(item, (dict, list)) for item in value):
        if columns is not None and len(columns) == 1:
            return pd.DataFrame({columns[0]: value})
        raise BadRequestError(form, f"'{form}' is a list of single values, which fits only a "
                                    "model with one input column; give rows as objects "
                                    "({\"column\": value, ...}) instead.")
    raise BadRequestError(form, f"'{form}' mixes row objects, lists and single values; give "
                                "every row the same way.")


def _columns_object(value: dict[str, Any], form: str) -> pd.DataFrame:
    import pandas as pd

    lists = [isinstance(v, list) for v in value.values()]
    if all(lists):
        lengths = {len(v) for v in value.values()}
        if len(lengths) > 1:
            sizes = ", ".join(f"'{k}': {len(v)}" for k, v in value.items())
            raise BadRequestError(form, f"The columns of '{form}' have different lengths "
                                        f"({sizes}); give every column one value per row.")
        return pd.DataFrame(value)
    if not any(lists):
        return pd.DataFrame([value])  # one row of scalars, as MLflow reads it
    raise BadRequestError(form, f"'{form}' mixes columns given as lists with single values; "
                                "give every column as a list (one value per row).")


def _positional(rows: Any, form: str, columns: Sequence[str] | None) -> pd.DataFrame:
    import pandas as pd

    if columns is None:
        raise BadRequestError(form, f"'{form}' gives rows as lists without column names; name "
                                    "the columns (dataframe_split with 'columns', or rows as "
                                    "objects).")
    names = list(columns)
    _check_rows(rows, None, form, "")
    for i, row in enumerate(rows):
        if len(row) != len(names):  # the model's width, not the sender's: 422
            raise InvalidRequestError(
                form, f"Row {i} of '{form}' has {len(row)} values but the model takes "
                      f"{len(names)} columns, in this order: {', '.join(names)}.",
                expected=names)
    return pd.DataFrame(rows, columns=names) if rows else pd.DataFrame(columns=names)


def _check_rows(rows: Any, width: int | None, where: str, because: str) -> None:
    """``rows`` is a list of lists, each of ``width`` values (any width when None)."""
    _check_items(rows, list, where, "rows (lists)", "a list of values")
    for i, row in enumerate(rows):
        if width is not None and len(row) != width:
            raise BadRequestError(where, f"Row {i} of '{where}' has {len(row)} values but "
                                         f"{because}.")


def _check_items(items: Any, kind: type, where: str, plural: str, single: str) -> None:
    """``items`` is a JSON array whose every item is a ``kind``."""
    if not isinstance(items, list):
        raise BadRequestError(where, f"'{where}' must be a list of {plural}, not a JSON "
                                     f"{_kind(items)}.")
    for i, item in enumerate(items):
        if not isinstance(item, kind):
            raise BadRequestError(where, f"Item {i} of '{where}' is a JSON {_kind(item)}; "
                                         f"each item must be {single}.")


def _plain_cells(frame: pd.DataFrame, form: str) -> pd.DataFrame:
    """Refuse cells that hold JSON objects or lists: a model column holds one value."""
    for name in frame.columns:
        column = frame[name]
        if column.dtype != object:
            continue
        for i, value in enumerate(column):
            if isinstance(value, (dict, list)):
                raise BadRequestError(form, f"Column '{name}' holds a JSON {_kind(value)} in "
                                            f"row {i}; each value must be a number, text, "
                                            "true/false or null.", column=str(name), row=i)
    return frame


def _nonempty(frame: pd.DataFrame, form: str) -> pd.DataFrame:
    if len(frame) == 0:
        raise BadRequestError(form, f"The '{form}' input has no rows: send at least one.")
    return frame


def _kind(value: Any) -> str:
    return {dict: "object", list: "array", str: "string", bool: "boolean", int: "number",
            float: "number", type(None): "null"}.get(type(value), type(value).__name__)


def _values(data: Any) -> list[Any]:
    if hasattr(data, "tolist"):
        return data.tolist()
    return list(data)


def _json_value(value: Any) -> Any:
    if hasattr(value, "item"):  # a NumPy scalar
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    import pandas as pd

    if pd.isna(value):
        return None
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


_READERS = {"dataframe_split": _split, "dataframe_records": _records,
            "instances": _instances, "inputs": _instances}
