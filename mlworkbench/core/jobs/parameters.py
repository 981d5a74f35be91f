"""A notebook's parameters: what its ``parameters`` cell declares (read by papermill's own
inspection) and user values parsed by the declared type, so strings need no quotes.

The type is the annotation when there is one (``since: str = ...``, ``n: int = 5``), else the
type of the default's literal (``n = 5`` is an int), else ``any``. Values from a shell arrive as
text and are parsed by that type: ``-p since 2026-01-01`` stays a str when the default is a str,
``-p n 5`` becomes 5, ``-p flags "[1, 2]"`` a list, ``-p day 2026-01-01`` a date when the
declared type is ``date``.
"""

from __future__ import annotations

import ast
import datetime as dt
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mlworkbench.core.jobs.errors import JobParameterError

_TYPES = {"str": "str", "int": "int", "float": "float", "bool": "bool", "list": "list",
          "dict": "dict", "date": "date", "datetime": "datetime", "none": "any", "nonetype": "any",
          "any": "any"}
_DATE_CALL = re.compile(r"^(?:datetime\.)?(date|datetime)\s*\(")
_TRUE, _FALSE = {"true", "yes", "y", "1", "on"}, {"false", "no", "n", "0", "off"}
_EXPECTED = {"int": "a whole number", "float": "a number", "bool": "true or false",
             "list": "a list like [1, 2]", "dict": "a mapping like {\"a\": 1}",
             "date": "a date like 2026-01-01", "datetime": "a date and time like 2026-01-01T06:00",
             "str": "text"}


@dataclass(frozen=True)
class NotebookParameter:
    """One name of the ``parameters`` cell.

    Attributes:
        name: The variable.
        type: str, int, float, bool, list, dict, date, datetime or any.
        default: The default as written in the cell (Python source).
        help: The comment after the assignment.
    """

    name: str
    type: str
    default: str
    help: str


def inspect(path: str | Path, kernel: str | None = None) -> list[NotebookParameter]:
    """The parameters the notebook's ``parameters``-tagged cell declares (none: empty), read by
    papermill's translator for the notebook's language (what ``papermill --help-notebook``
    shows).

    Args:
        path: The notebook.
        kernel: The kernel it will run on (default: its own, else python3).

    Raises:
        NotFoundError: No such notebook.
        InvalidRequestError: The file is not a notebook.
    """
    import nbformat
    from papermill.translators import papermill_translators

    from mlworkbench.core.errors import InvalidRequestError, NotFoundError

    if not Path(path).is_file():
        raise NotFoundError("notebook", str(path), f"No notebook at '{path}'.")
    try:
        nb = nbformat.read(str(path), as_version=4)
    except Exception as e:  # noqa: BLE001 (nbformat raises many kinds)
        raise InvalidRequestError("notebook", f"'{path}' is not a notebook that can be read: "
                                              f"{e}") from None
    cell = next((c for c in nb.cells if "parameters" in c.get("metadata", {}).get("tags", [])),
                None)
    if cell is None:
        return []
    spec = nb.metadata.get("kernelspec", {})
    language = spec.get("language") or nb.metadata.get("language_info", {}).get("name", "python")
    translator = papermill_translators.find_translator(kernel or spec.get("name") or "python3",
                                                      language)
    try:
        found = translator.inspect(cell)
    except NotImplementedError:
        return []
    return [NotebookParameter(name=p.name, type=_type(p.inferred_type_name, p.default),
                              default=p.default, help=p.help) for p in found]


def parse(declared: list[NotebookParameter], values: dict[str, Any]) -> dict[str, Any]:
    """``values`` (text from a shell or Python objects) parsed by the declared types.

    Returns:
        JSON-ready values by name: dates and datetimes as ISO text (``revive`` turns them back).

    Raises:
        JobParameterError: A name the notebook does not declare, or a value of the wrong type
            (the message names the parameter and what was expected).
    """
    by_name = {p.name: p for p in declared}
    parsed = {}
    for name, value in values.items():
        if name not in by_name:
            known = ", ".join(by_name) or "none"
            raise JobParameterError(name, f"The notebook has no parameter '{name}' (its "
                                          f"parameters: {known}).", known=list(by_name))
        parsed[name] = _value(by_name[name], value)
    return parsed


def revive(declared: list[NotebookParameter], values: dict[str, Any]) -> dict[str, Any]:
    """Stored values with dates and datetimes made Python objects again."""
    kinds = {p.name: p.type for p in declared}
    out = dict(values)
    for name, value in values.items():
        if kinds.get(name) == "date" and isinstance(value, str):
            out[name] = dt.date.fromisoformat(value)
        elif kinds.get(name) == "datetime" and isinstance(value, str):
            out[name] = dt.datetime.fromisoformat(value)
    return out


def _type(annotation: str, default: str) -> str:
    if annotation and annotation != "None":
        return _TYPES.get(annotation.strip().split("[")[0].lower(), "any")
    match = _DATE_CALL.match(default)
    if match:
        return match.group(1)
    try:
        value = ast.literal_eval(default)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return "any"
    return _TYPES.get(type(value).__name__.lower(), "any")


def _value(param: NotebookParameter, value: Any) -> Any:
    kind = param.type
    try:
        result = _convert(kind, value)
    except (ValueError, TypeError, SyntaxError):
        result = None
    if result is None and value is not None:
        raise JobParameterError(
            param.name, f"Parameter '{param.name}' expects {_EXPECTED.get(kind, kind)} "
                        f"(default {param.default}); got {value!r}.", expected=kind, got=str(value))
    return result


def _convert(kind: str, value: Any) -> Any:
    text = value.strip() if isinstance(value, str) else None
    if kind == "any":
        if text is None:
            return _jsonable(value)
        try:
            return json.loads(text)
        except ValueError:
            return value
    if kind == "str":
        return value if isinstance(value, str) else None
    if kind == "bool":
        if isinstance(value, bool):
            return value
        return True if text and text.lower() in _TRUE else False if text and \
            text.lower() in _FALSE else None
    if kind == "int":
        if isinstance(value, bool):
            return None
        return value if isinstance(value, int) else int(text) if text is not None else None
    if kind == "float":
        if isinstance(value, bool):
            return None
        return float(value) if isinstance(value, (int, float)) else float(text)
    if kind in ("list", "dict"):
        want = list if kind == "list" else dict
        if text is not None:
            try:
                value = json.loads(text)
            except ValueError:
                value = ast.literal_eval(text)
        if isinstance(value, tuple) and want is list:
            value = list(value)
        return _jsonable(value) if isinstance(value, want) else None
    if kind == "datetime":
        if isinstance(value, dt.datetime):
            return value.isoformat()
        return dt.datetime.fromisoformat(text).isoformat()
    if kind == "date":
        if isinstance(value, dt.datetime):
            return None
        if isinstance(value, dt.date):
            return value.isoformat()
        return dt.date.fromisoformat(text).isoformat()
    return value


def _jsonable(value: Any) -> Any:
    json.dumps(value)  # TypeError for what cannot travel to the notebook
    return value
