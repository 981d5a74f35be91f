"""The models a prediction service answers with, resolved once and kept while nothing moved.

``registry.load(ref)`` reads the metadata database on every call (which version does
``churn@production`` name now?). :class:`Models` keeps each reference's loaded model and
re-resolves it only when the database may have changed: SQLite's ``PRAGMA data_version``,
which moves whenever any connection of any process commits (an alias promoted or rolled back
here or in another process, a new version published), costs microseconds; other databases
re-resolve after ``TTL`` seconds. The model file is ``stat``-ed on every use, so a file altered
on disk is loaded again, and refused, as before.

Each model version also gets its compiled row fast path (``compile.py``), made once
(compiling and verifying takes a second or more): in the calling thread when that is a worker
thread (a model's first request goes to one, as it loads the file), else (the event loop, when
an alias moved to a version not compiled yet) in a background thread, requests taking
scikit-learn's path until it is ready. A background compile while the server is under load
competes with requests for the interpreter, hence the first way where it can be.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Any

from mlworkbench.core.serving.fastpath.compile import CompiledPipeline, compile_pipeline

#: Seconds a resolved reference is trusted when the database has no change counter.
TTL = 1.0


@dataclass
class _Resolved:
    model: Any  # LoadedModel
    stamp: int | None
    at: float


class Models:
    """Loaded models by reference, and their compiled fast paths, for one workspace."""

    def __init__(self, workspace: Any, *, fast: bool = True) -> None:
        self._ws = workspace
        self.fast = fast
        self._resolved: dict[str, _Resolved] = {}
        self._compiled: dict[tuple, tuple[CompiledPipeline | None, str | None]] = {}
        self._compiling: set[tuple] = set()
        self._lock = threading.Lock()

    def load(self, ref: str) -> Any:
        """``registry.load(ref)``, from the last answer while nothing can have changed."""
        stamp = self._stamp()
        hit = self._resolved.get(ref)
        if hit is not None and self._fresh(hit, stamp) and self._file_unchanged(hit.model):
            return hit.model
        model = self._ws.registry.load(ref)
        self._resolved[ref] = _Resolved(model, stamp, time.monotonic())
        return model

    def compiled(self, model: Any, *, wait: bool | None = None) -> CompiledPipeline | None:
        """The verified fast path of ``model`` (a LoadedModel), or None (none, or not yet).

        Args:
            wait: Compile now in this thread when not done yet (default: unless this is the
                main thread, where a background compile starts and None is answered).
        """
        if not self.fast:
            return None
        key = (model.name, model.version, model.sha256)
        done = self._compiled.get(key)
        if done is not None:
            return done[0]
        if wait is None:
            wait = threading.current_thread() is not threading.main_thread()
        if wait:
            return self._compile(key, model)
        with self._lock:
            if key in self._compiling:
                return None
            self._compiling.add(key)
        threading.Thread(target=self._compile, args=(key, model), daemon=True,
                         name="mlworkbench-compile").start()
        return None

    def reason(self, model: Any) -> str | None:
        """Why ``model`` has no fast path (None: it has one, or it is not compiled yet)."""
        done = self._compiled.get((model.name, model.version, model.sha256))
        return done[1] if done is not None else None

    def _compile(self, key: tuple, model: Any) -> CompiledPipeline | None:
        try:
            result = compile_pipeline(model.pipeline, model.signature)
            self._compiled[key] = result
            return result[0]
        finally:
            with self._lock:
                self._compiling.discard(key)

    def _stamp(self) -> int | None:
        return self._ws.store.data_version()

    @staticmethod
    def _fresh(hit: _Resolved, stamp: int | None) -> bool:
        if stamp is not None:
            return hit.stamp == stamp
        return time.monotonic() - hit.at < TTL

    def _file_unchanged(self, model: Any) -> bool:
        return self._ws.registry.model_cache.unchanged(model.name, model.version, model.sha256)
