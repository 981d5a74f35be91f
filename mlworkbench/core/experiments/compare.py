"""Runs side by side: one row per run, its parameters and metrics as columns."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

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
