"""Is a compiled pipeline exactly its pipeline? Rows made from the fitted pipeline say.

Each column gets the values where a difference would show: for numbers the trees' split
thresholds exactly and one step either side, zero, extremes and missing; for strings every
category an encoder knows, an unseen one, the empty string and missing. Rows combine them
(every value of every column at least once, mixed across columns), and the compiled
``predict``/``predict_proba`` must give what the real pipeline gives on the same rows after the
signature check: equal predictions, probabilities within ``rtol=1e-9, atol=1e-12``. A few
single rows are checked too (one row is the common request).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from mlworkbench.core.serving.fastpath.transforms import _Numbers, _Tables

#: Threshold values tried per column at most (spread over the sorted thresholds).
MAX_THRESHOLDS = 60
TEXT = ["", "a", "some words here", "unseen-value 123", "Zürich"]


def differences(compiled: Any, pipeline: Any, signature: Any) -> str | None:
    """None when ``compiled`` answers as ``pipeline`` on the probe rows, else what differs."""
    import pandas as pd

    from mlworkbench.core.registry.signature import check_frame

    values = probe_values(compiled, signature)
    names = signature.names
    count = max(len(v) for v in values.values())
    columns = {n: [values[n][(r + 7 * j) % len(values[n])] for r in range(count)]
               for j, n in enumerate(names)}
    batches = [(columns, count)] + [({n: [columns[n][r]] for n in names}, 1)
                                    for r in range(min(3, count))]
    for cols, n in batches:
        records = [{name: cols[name][r] for name in names} for r in range(n)]
        frame = check_frame(signature, pd.DataFrame.from_records(records, columns=names)).frame
        expected, got = pipeline.predict(frame), compiled.predict(cols, n)
        if not _same(expected, got):
            bad = _first_difference(expected, got)
            return f"predict differs on row {records[bad]}: {expected[bad]!r} != {got[bad]!r}"
        if compiled.classify and hasattr(pipeline, "predict_proba"):
            p_expected, p_got = pipeline.predict_proba(frame), compiled.predict_proba(cols, n)
            if p_expected.shape != p_got.shape or not np.allclose(
                    p_expected, p_got, rtol=1e-9, atol=1e-12):
                return "predict_proba differs"
    return None


def probe_values(compiled: Any, signature: Any) -> dict[str, list]:
    """Per input column, the values rows are made of (see the module docstring)."""
    thresholds = _thresholds(compiled)
    out: dict[str, list] = {}
    categories: dict[str, list[str]] = {}
    for part in compiled.preprocessor.parts:
        if isinstance(part, _Tables):
            for name, (known, _, _) in zip(part.names, part.tables, strict=True):
                categories.setdefault(name, []).extend(known)
    for column in signature.columns:
        kind = compiled.types[column.name]
        if kind == "string":
            out[column.name] = [*dict.fromkeys(categories.get(column.name, [])), *TEXT, None]
            continue
        if kind == "boolean":
            out[column.name] = [True, False, None]
            continue
        cuts = thresholds.get(column.name, [])
        if len(cuts) > MAX_THRESHOLDS:
            cuts = [cuts[i] for i in np.linspace(0, len(cuts) - 1, MAX_THRESHOLDS).astype(int)]
        if kind == "integer":
            near = [f(t) for t in cuts for f in (math.floor, math.ceil)
                    if math.isfinite(t) and abs(t) < 2**52]
            out[column.name] = [*dict.fromkeys([0, 1, -1, 10**9, -10**9, *near]), None]
        else:
            near = [float(v) for t in cuts for v in (t, np.nextafter(t, np.inf),
                                                     np.nextafter(t, -np.inf))
                    if math.isfinite(t)]
            # forests refuse numbers beyond float32 (so does their fast path): 1e30 at most
            out[column.name] = [0.0, 1.5, -2.25, 1e30, -1e30, 1e-300, *near, None]
    return out


def _thresholds(compiled: Any) -> dict[str, list[float]]:
    """Input number column -> the sorted split thresholds of the trees on it."""
    nodes = getattr(compiled.model, "nodes", None)
    if nodes is None:
        return {}
    by_output: dict[int, str] = {}
    for part in compiled.preprocessor.parts:
        if isinstance(part, _Numbers):
            for i, name in enumerate(part.names):
                by_output[part.out.start + i] = name
    split = ~nodes.leaf
    if nodes.categorical is not None:
        split &= ~nodes.categorical
    out: dict[str, set] = {}
    for feature, threshold in zip(nodes.feature[split], nodes.threshold[split], strict=True):
        name = by_output.get(int(feature))
        if name is not None:
            out.setdefault(name, set()).add(float(threshold))
    return {k: sorted(v) for k, v in out.items()}


def _same(expected: Any, got: Any) -> bool:
    expected, got = np.asarray(expected), np.asarray(got)
    return expected.shape == got.shape and expected.dtype == got.dtype and bool(
        np.all((expected == got) | _both_nan(expected, got)))


def _both_nan(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    if a.dtype.kind == "f" and b.dtype.kind == "f":
        return np.isnan(a) & np.isnan(b)
    return np.zeros(a.shape, dtype=bool)


def _first_difference(expected: Any, got: Any) -> int:
    expected, got = np.asarray(expected), np.asarray(got)
    if expected.shape != got.shape:
        return 0
    return int(np.flatnonzero(expected != got)[0]) if (expected != got).any() else 0
