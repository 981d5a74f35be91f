"""Reading a small prediction request without pandas, when it is entirely regular.

``plain_columns(body, content_type, types)`` gives ``(columns, rows)`` for a JSON body in one
of MLflow's forms (``dataframe_records``, ``dataframe_split``, ``instances``/``inputs`` as row
objects or lists, ``inputs`` as an object of columns) holding exactly the model's columns with
plain values of their signature type, at most ``MAX_ROWS`` rows, and no other top-level key.
Anything else gives None, and the request takes the full path (``payload.read_payload`` and the
signature check), which answers irregular bodies, with their 4xx, exactly as before.
"""

from __future__ import annotations

import json
import math
from typing import Any

#: Rows read this way at most (a larger body takes the full path).
MAX_ROWS = 64
_SAFE_INT = 2**53


def _integer(v: Any) -> bool:
    return v is None or (type(v) is int and -_SAFE_INT < v < _SAFE_INT)


def _float(v: Any) -> bool:
    return v is None or (type(v) is float and math.isfinite(v)) or (
        type(v) is int and -_SAFE_INT < v < _SAFE_INT)


def _boolean(v: Any) -> bool:
    return v is None or type(v) is bool


def _string(v: Any) -> bool:
    return v is None or type(v) is str


CHECKS = {"integer": _integer, "float": _float, "boolean": _boolean, "string": _string}


def plain_columns(body: bytes, content_type: str, types: dict[str, str]
                  ) -> tuple[dict[str, list], list[dict[str, Any]]] | None:
    """The columns and rows of a regular request (see the module docstring), else None.

    Args:
        body: The request body.
        content_type: Its Content-Type.
        types: The model's columns in signature order -> their signature type.

    Returns:
        ``({column: [values]}, [row objects in the order sent])`` or None.
    """
    mime, _, rest = (content_type or "").partition(";")
    if mime.strip().lower() != "application/json" or (
            rest and rest.replace(" ", "").lower() not in ("charset=utf-8", "charset=utf8")):
        return None
    try:
        document = json.loads(body)
    except (UnicodeDecodeError, ValueError):
        return None
    if type(document) is not dict or len(document) != 1:
        return None
    (form, value), = document.items()
    rows = _rows(form, value, list(types))
    if rows is None or not 0 < len(rows) <= MAX_ROWS:
        return None
    columns: dict[str, list] = {}
    for name, kind in types.items():
        values = [row[name] for row in rows]
        check = CHECKS.get(kind)
        if check is None or not all(map(check, values)):
            return None
        columns[name] = values
    return columns, rows


def _rows(form: str, value: Any, names: list[str]) -> list[dict[str, Any]] | None:
    wanted = set(names)
    if form in ("dataframe_records", "instances", "inputs") and type(value) is list:
        if value and all(type(r) is dict and r.keys() == wanted for r in value):
            return value
        if form != "dataframe_records" and value and all(
                type(r) is list and len(r) == len(names) for r in value):
            return [dict(zip(names, r, strict=True)) for r in value]
        return None
    if form == "dataframe_split" and type(value) is dict and value.keys() <= {
            "columns", "data", "index"}:
        given, data = value.get("columns"), value.get("data")
        if type(given) is not list or len(given) != len(names) or set(given) != wanted \
                or type(data) is not list:
            return None
        if not all(type(r) is list and len(r) == len(given) for r in data):
            return None
        return [dict(zip(given, r, strict=True)) for r in data]
    if form == "inputs" and type(value) is dict and value.keys() == wanted:
        lists = [v for v in value.values() if type(v) is list]
        if len(lists) != len(value) or len({len(v) for v in lists}) != 1:
            return None
        keys = list(value)
        return [dict(zip(keys, cells, strict=True)) for cells in zip(*lists, strict=True)]
    return None
