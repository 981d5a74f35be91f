"""Repeat a measurement after a warm-up and summarise it."""

from __future__ import annotations

import statistics
import time
from typing import Callable


def measure(fn: Callable[[], object], runs: int, warmup: int = 1) -> dict[str, float]:
    """Call ``fn`` ``warmup`` times unmeasured, then ``runs`` times; times in milliseconds."""
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return summarise(times)


def summarise(times: list[float]) -> dict[str, float]:
    ordered = sorted(times)
    return {
        "median_ms": statistics.median(ordered),
        "min_ms": ordered[0],
        "p90_ms": ordered[min(len(ordered) - 1, round(0.9 * (len(ordered) - 1)))],
        "runs": len(ordered),
    }
