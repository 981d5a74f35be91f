"""Sample a process tree's resident memory in the background."""

from __future__ import annotations

import threading
from typing import Callable


class RssSampler:
    """``with RssSampler(server.rss) as s: ...`` then ``s.peak - s.baseline`` (bytes)."""

    def __init__(self, read: Callable[[], int], interval: float = 0.02) -> None:
        self.read = read
        self.interval = interval
        self.baseline = 0
        self.peak = 0
        self.window_peak = 0
        self.samples = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> RssSampler:
        self.baseline = self.peak = self.window_peak = self.read()
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self.read())

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            rss = self.read()
            self.peak, self.window_peak = max(self.peak, rss), max(self.window_peak, rss)
            self.samples += 1

    def mark(self) -> int:
        """The peak since the previous mark (or the start); starts a new window."""
        peak, self.window_peak = max(self.window_peak, self.read()), 0
        return peak

    @property
    def growth(self) -> int:
        return self.peak - self.baseline
