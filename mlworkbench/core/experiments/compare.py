"""Runs side by side: one row per run, its parameters and metrics as columns; runs ordered by
one of them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from mlworkbench.core.errors import InvalidRequestError
from mlworkbench.core.experiments.records import RunComparison, RunRecord

RUN_COLUMNS = ("run", "experiment", "status", "started_at", "duration_s", "task", "target")


def flatten(values: Mapping[str, Any], prefix: str) -> dict[str, Any]:
    """Nested objects as dotted columns.

    >>> flatten({"C": 1, "search": {"folds": 5}}, "params")
    {'params.C': 1, 'params.search.folds': 5}
    """
    out: dict[str, Any] = {}
    for key, value in values.items():
        name = f"{prefix}.{key}"
        if isinstance(value, Mapping) and value:
            out.update(flatten(value, name))
        else:
            out[name] = value
    return out


def compare_runs(records: list[RunRecord]) -> RunComparison:
    """The comparison of ``records``, in their order.

    Args:
        records: The runs.

    Returns:
        Columns: the run's fields, then ``params.*`` and ``metrics.*`` sorted by name (a run
        without one holds None); ``differing`` names the parameters that are not the same in
        every run.
    """
    rows, params, metrics = [], {}, {}
    for record in records:
        p, m = flatten(record.params, "params"), flatten(record.metrics, "metrics")
        params.update(dict.fromkeys(p))
        metrics.update(dict.fromkeys(m))
        base = {
            "run": record.id,
            "experiment": record.experiment,
            "status": record.status,
            "started_at": record.started_at,
            "duration_s": record.duration_s,
            "task": record.task,
            "target": record.target,
        }
        rows.append({**base, **p, **m})
    columns = [*RUN_COLUMNS, *sorted(params), *sorted(metrics)]
    rows = [{c: row.get(c) for c in columns} for row in rows]
    differing = [c for c in sorted(params) if len({repr(row[c]) for row in rows}) > 1]
    return RunComparison(columns=columns, rows=rows, differing=differing)


def order_runs(records: list[RunRecord], order_by: str) -> list[RunRecord]:
    """``records`` ordered by a field, a metric or a parameter (see ``list_runs``).

    Raises:
        InvalidRequestError: ``order_by`` names none of them.
    """
    descending = order_by.startswith("-")
    key = order_by.removeprefix("-")
    section, _, name = key.partition(".")
    if section in ("metrics", "params") and name:
        values = [flatten(getattr(r, section), section).get(key) for r in records]
    elif key in ("started_at", "duration_s", "id"):
        values = [getattr(r, key) for r in records]
    else:
        raise InvalidRequestError(
            "order_by",
            "order_by is 'started_at', 'duration_s', 'metrics.<name>' or 'params.<name>' "
            "('-' first for descending).",
        )
    present = [(v, r) for v, r in zip(values, records) if v is not None]
    numbers = all(isinstance(v, (int, float)) for v, _ in present)
    present.sort(key=lambda pair: pair[0] if numbers else str(pair[0]), reverse=descending)
    return [r for _, r in present] + [r for v, r in zip(values, records) if v is None]
