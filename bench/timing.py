"""Repeat measurements after a warm-up, interleaving the engines, and summarise them."""

from __future__ import annotations

import statistics
import time
from typing import Callable

Sampler = Callable[[], float]  # runs once, returns the milliseconds it measured


def timed(fn: Callable[[], object]) -> Sampler:
    """A sampler that times the whole call of ``fn``."""

    def run() -> float:
        started = time.perf_counter()
        fn()
        return (time.perf_counter() - started) * 1000

    return run


def interleaved(samplers: dict[str, Sampler], runs: int, warmup: int = 1) -> dict[str, dict]:
    """Warm every sampler up, then run them in turn ``runs`` times: on a shared machine, load
    that comes and goes then falls on every engine alike rather than on whichever ran last."""
    for _ in range(warmup):
        for sample in samplers.values():
            sample()
    times: dict[str, list[float]] = {name: [] for name in samplers}
    for _ in range(runs):
        for name, sample in samplers.items():
            times[name].append(sample())
    return {name: summarise(values) for name, values in times.items()}


def summarise(times: list[float]) -> dict[str, float]:
    ordered = sorted(times)
    return {
        "median_ms": statistics.median(ordered),
        "min_ms": ordered[0],
        "p90_ms": ordered[min(len(ordered) - 1, round(0.9 * (len(ordered) - 1)))],
        "runs": len(ordered),
    }
