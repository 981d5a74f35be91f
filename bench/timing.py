"""Repeat measurements after a warm-up, interleaving the engines, and summarise them."""

from __future__ import annotations

import gc
import statistics
import time
from typing import Any, Callable

Sampler = Callable[[], float]  # runs once, returns the milliseconds it measured


def timed(fn: Callable[[], object]) -> Sampler:
    """A sampler that times the whole call of ``fn``."""

    def run() -> float:
        started = time.perf_counter()
        fn()
        return (time.perf_counter() - started) * 1000

    return run


def rounds(samplers: dict[str, Callable[[], Any]], count: int, warmup: int = 1) -> dict[str, list]:
    """Warm every sampler up, then run each once per round, ``count`` rounds; the raw samples.

    On a shared machine, load that comes and goes then falls on every engine alike rather than on
    whichever ran last. The order turns by one place each round, so no engine always runs right
    after another (whose leftovers, a cache or garbage, it would then always meet); garbage is
    collected before each round, outside the timing.
    """
    names = list(samplers)
    for _ in range(warmup):
        for sample in samplers.values():
            sample()
    times: dict[str, list] = {name: [] for name in names}
    for index in range(count):
        gc.collect()
        turn = index % len(names)
        for name in names[turn:] + names[:turn]:
            times[name].append(samplers[name]())
    return times


def interleaved(samplers: dict[str, Sampler], runs: int, warmup: int = 1) -> dict[str, dict]:
    """:func:`rounds`, each engine's times summarised."""
    return {name: summarise(values) for name, values in rounds(samplers, runs, warmup).items()}


def summarise(times: list[float]) -> dict[str, float]:
    ordered = sorted(times)
    return {
        "median_ms": statistics.median(ordered),
        "min_ms": ordered[0],
        "p90_ms": ordered[min(len(ordered) - 1, round(0.9 * (len(ordered) - 1)))],
        "runs": len(ordered),
    }
