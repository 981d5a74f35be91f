"""Background tasks: slow work (a Label Studio push or pull) run on a thread, with progress that
a client polls and a cancel flag the work checks between batches.

The REST layer starts a task and answers with its id at once; ``GET /tasks/{id}`` reads
:meth:`Tasks.describe`. Finished tasks are kept for ``keep_seconds`` so a client that polls late
still sees the outcome.
"""

from __future__ import annotations

import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Callable

from mlworkbench.core.errors import NotFoundError, QueryCancelledError, WorkbenchError
from mlworkbench.schemas import ErrorResponse
from mlworkbench.schemas.studio import DescribeTask


@dataclass
class Progress:
    """What a running task reports: ``done`` of ``total`` (None when unknown) and a message.
    Work calls :meth:`update` and :meth:`check` (raises ``QueryCancelledError`` once
    cancelled: work stops at the next batch boundary)."""

    kind: str
    done: int = 0
    total: int | None = None
    message: str = ""
    cancel_event: threading.Event = field(default_factory=threading.Event)
    listener: Callable[[Progress], None] | None = None  # e.g. the CLI's progress bar

    def update(self, done: int | None = None, total: int | None = None, message: str | None = None):
        if done is not None:
            self.done = done
        if total is not None:
            self.total = total
        if message is not None:
            self.message = message
        if self.listener is not None:
            self.listener(self)
        self.check()

    def check(self) -> None:
        if self.cancel_event.is_set():
            raise QueryCancelledError(f"{self.kind.capitalize()} was cancelled.")

    @property
    def cancelled(self) -> bool:
        return self.cancel_event.is_set()


@dataclass
class _Task:
    id: str
    progress: Progress
    started_at: float
    finished_at: float | None = None
    result: Any = None
    error: WorkbenchError | None = None


class Tasks:
    """The running and recently finished background tasks of one process."""

    def __init__(self, workers: int = 2, keep_seconds: float = 3600.0) -> None:
        self._executor = ThreadPoolExecutor(workers, thread_name_prefix="mlworkbench-task")
        self._tasks: dict[str, _Task] = {}
        self._lock = threading.Lock()
        self._keep = keep_seconds

    def start(self, kind: str, fn: Callable[[Progress], Any]) -> str:
        """Run ``fn(progress)`` on a worker thread; return the task id at once."""
        progress = Progress(kind)
        task = _Task(uuid.uuid4().hex, progress, time.time())
        with self._lock:
            self._forget_old()
            self._tasks[task.id] = task
        self._executor.submit(self._run, task, fn)
        return task.id

    def _run(self, task: _Task, fn: Callable[[Progress], Any]) -> None:
        try:
            task.result = fn(task.progress)
        except WorkbenchError as e:
            task.error = e
        except Exception as e:  # noqa: BLE001 - reported to the client, not lost in a thread
            task.error = WorkbenchError(f"{task.progress.kind.capitalize()} failed: {e}",
                                        type=type(e).__name__)
        finally:
            task.finished_at = time.time()

    def get(self, task_id: str) -> _Task:
        with self._lock:
            task = self._tasks.get(task_id)
        if task is None:
            raise NotFoundError("task", task_id)
        return task

    def describe(self, task_id: str) -> DescribeTask:
        """The task's progress, and its result or error once finished (instant: counters)."""
        task = self.get(task_id)
        progress, error = task.progress, task.error
        return DescribeTask(
            task_id=task.id, kind=progress.kind, done=progress.done, total=progress.total,
            message=progress.message, finished=task.finished_at is not None,
            cancelled=progress.cancelled,
            error=None if error is None else ErrorResponse(
                message=error.message, code=error.code, detail=error.detail),
            result=task.result if isinstance(task.result, dict) else None,
        )

    def cancel(self, task_id: str) -> bool:
        """Ask the task to stop; False when it had already finished."""
        task = self.get(task_id)
        task.progress.cancel_event.set()
        return task.finished_at is None

    def wait(self, task_id: str, timeout: float | None = None) -> _Task:
        """Block until the task finished (for tests and the CLI)."""
        deadline = None if timeout is None else time.monotonic() + timeout
        task = self.get(task_id)
        while task.finished_at is None:
            if deadline is not None and time.monotonic() > deadline:
                break
            time.sleep(0.05)
        return task

    def _forget_old(self) -> None:
        now = time.time()
        for task_id in [t.id for t in self._tasks.values()
                        if t.finished_at is not None and now - t.finished_at > self._keep]:
            del self._tasks[task_id]

    def shutdown(self) -> None:
        with self._lock:
            for task in self._tasks.values():
                task.progress.cancel_event.set()
        self._executor.shutdown(wait=False, cancel_futures=True)
