"""What a label set looks like in Label Studio: the generated label config and the task data.

text   -> ``<Text>`` of the shown column
image  -> ``<Image>`` of the shown column (URLs as they are; local files inlined as data URIs)
record -> ``<HyperText>`` card: a table of the shown columns (values escaped)
Choices: ``choice="single-radio"`` or ``"multiple"``. The item key travels in the task data as
``mlwb_key`` so a task can always be traced back to its item, whoever imported it.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import math
import re
from decimal import Decimal
from pathlib import Path
from typing import Any
from xml.sax.saxutils import quoteattr

from mlworkbench.core.errors import ForbiddenPathError
from mlworkbench.core.labeling.images import data_url, is_remote, local_path

KEY_FIELD = "mlwb_key"
CARD_FIELD = "mlwb_card"
FROM_NAME = "label"
TO_NAME = "item"
MAX_INLINE_IMAGE = 5 << 20  # larger local images are sent as their path, with a note


def field_names(columns: list[str]) -> dict[str, str]:
    """Column -> task data field: Label Studio's ``$variables`` take letters, digits and '_'."""
    names: dict[str, str] = {}
    used = {KEY_FIELD, CARD_FIELD}
    for column in columns:
        base = re.sub(r"\W", "_", column) or "col"
        if base[0].isdigit():
            base = f"c_{base}"
        name, n = base, 2
        while name in used:
            name, n = f"{base}_{n}", n + 1
        used.add(name)
        names[column] = name
    return names


def label_config(kind: str, show: list[str], choices: list[str], multi: bool) -> str:
    """The Label Studio label config (XML) for a label set."""
    fields = field_names(show)
    if kind == "image":
        shown = f'  <Image name="{TO_NAME}" value="${fields[show[0]]}"/>'
    elif kind == "text":
        shown = f'  <Text name="{TO_NAME}" value="${fields[show[0]]}"/>'
    else:
        shown = f'  <HyperText name="{TO_NAME}" value="${CARD_FIELD}"/>'
    options = "\n".join(f"    <Choice value={quoteattr(c)}/>" for c in choices)
    mode = "multiple" if multi else "single-radio"
    return (
        "<View>\n"
        f"{shown}\n"
        f'  <Choices name="{FROM_NAME}" toName="{TO_NAME}" choice="{mode}" showInline="true">\n'
        f"{options}\n"
        "  </Choices>\n"
        "</View>"
    )


def json_value(value: Any) -> Any:
    """A DuckDB value as something JSON carries (dates as ISO text, NaN as null)."""
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return None if math.isnan(value) or math.isinf(value) else value
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat()
    if isinstance(value, (bytes, bytearray)):
        return base64.b64encode(value).decode()
    if isinstance(value, (list, tuple)):
        return [json_value(v) for v in value]
    if isinstance(value, dict):
        return {str(k): json_value(v) for k, v in value.items()}
    return str(value)


def image_source(value: Any, root: Path) -> Any:
    """An image column's value as Label Studio can show it: URLs and data URIs as they are, a
    local file under ``root`` inlined as a data URI (Label Studio cannot read our disk)."""
    if not isinstance(value, str) or is_remote(value) or value.startswith(("data:", "/data/")):
        return value
    try:
        path = local_path(value, root)
        if not path.is_file():
            return value
        return data_url(path, MAX_INLINE_IMAGE) or value
    except (ForbiddenPathError, OSError, ValueError):
        return value


def card(values: dict[str, Any]) -> str:
    """The record card: an HTML table of the shown columns, every value escaped."""
    rows = "".join(
        f"<tr><th style='text-align:left;padding-right:1em'>{html.escape(str(k))}</th>"
        f"<td>{html.escape('' if v is None else str(v))}</td></tr>"
        for k, v in values.items()
    )
    return f"<table>{rows}</table>"


class TaskBuilder:
    """Turns rows (item key + shown columns) into Label Studio task data."""

    def __init__(self, kind: str, show: list[str], root: Path) -> None:
        self.kind = kind
        self.show = show
        self.fields = field_names(show)
        self.root = root

    def data(self, key: str, row: dict[str, Any]) -> dict[str, Any]:
        data: dict[str, Any] = {KEY_FIELD: key}
        for column in self.show:
            data[self.fields[column]] = json_value(row.get(column))
        if self.kind == "image":
            first = self.fields[self.show[0]]
            data[first] = image_source(data[first], self.root)
        elif self.kind == "record":
            data[CARD_FIELD] = card({c: data[self.fields[c]] for c in self.show})
        return data


def choice_result(labels: list[str]) -> list[dict[str, Any]]:
    """A Label Studio result (annotation or prediction) choosing ``labels``."""
    return [
        {
            "from_name": FROM_NAME,
            "to_name": TO_NAME,
            "type": "choices",
            "value": {"choices": list(labels)},
        }
    ]


def result_labels(result: list[dict[str, Any]] | None) -> list[str] | None:
    """The labels chosen in an annotation's result (None when it chose nothing). Choices of
    another control (a config edited in Label Studio) are read too when ours is absent."""
    ours, other = [], []
    for region in result or []:
        if region.get("type") != "choices":
            continue
        values = (region.get("value") or {}).get("choices") or []
        (ours if region.get("from_name") == FROM_NAME else other).extend(str(v) for v in values)
    labels = ours or other
    return labels or None
