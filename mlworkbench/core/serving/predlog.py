"""The prediction log: every REST prediction, appended in batches off the request path.

Each entry (request id, model name and version, time, latency, inputs and outputs as JSON, the
HTTP status and the error message of a refused request) goes into an in-memory queue; one
background thread writes what has gathered as one Parquet *part file* every ``batch_rows``
entries or ``flush_seconds`` seconds, and at :meth:`PredictionLog.close`.

Why part files and not a versioned workspace table: a table version is a whole new Parquet file
(``workspace/tables.py``), so appending N rows to a log of M would rewrite M + N rows every
flush. A log is append-only: each flush writes only its own rows, to a temp name (``.partial``,
which the reader's ``*.parquet`` glob does not see), fsyncs and renames it into
``<workspace>/prediction_log/``. A crash loses at most the entries not flushed yet and never
leaves a half-written part visible; several processes (the server, ``mlworkbench serve``) log
to the same folder without a lock, as each part file has a unique name.

The folder is registered once as a source named ``prediction_log`` (a Parquet folder), so it is
queryable in SQL like any other name: ``SELECT model, avg(latency_ms) FROM prediction_log GROUP
BY ALL`` in the panel, ``ws.sql`` or notebooks. Refused requests are logged too, with ``status``
(4xx) and ``error`` set and no outputs: a log that shows only successes hides the callers that
keep sending bad rows.
"""

from __future__ import annotations

import logging
import os
import queue
import threading
import time
import uuid
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from mlworkbench.core.errors import ConflictError, WorkbenchError

if TYPE_CHECKING:
    from mlworkbench.core.workspace.workspace import Workspace

LOG_NAME = "prediction_log"
FOLDER = "prediction_log"
BATCH_ROWS = 1000
FLUSH_SECONDS = 2.0

log = logging.getLogger(__name__)


@dataclass
class LogEntry:
    """One prediction request as logged.

    Attributes:
        request_id: The request's id (also returned to the caller).
        model: The model name (as asked for when it was not found).
        version: The version that answered (None when none did).
        ref: The reference the caller used (``churn@production``).
        time: When the request arrived (UTC).
        latency_ms: Time to answer in the service (parse, check, predict, format).
        status: The HTTP status answered (200, or the error's 4xx).
        rows: Number of input rows (0 when the body was refused unread).
        inputs: The input rows as JSON records (None when not parsed).
        outputs: The response's predictions (and probabilities) as JSON (None on error).
        error: The error message of a refused request.
    """

    request_id: str
    model: str
    version: int | None
    ref: str
    time: datetime
    latency_ms: float
    status: int
    rows: int
    inputs: str | None
    outputs: str | None
    error: str | None = None


def _schema():
    import pyarrow as pa

    return pa.schema([
        ("request_id", pa.string()), ("model", pa.string()), ("version", pa.int64()),
        ("ref", pa.string()), ("time", pa.timestamp("us", tz="UTC")),
        ("latency_ms", pa.float64()), ("status", pa.int32()), ("rows", pa.int64()),
        ("inputs", pa.string()), ("outputs", pa.string()), ("error", pa.string()),
    ])


class PredictionLog:
    """Appends :class:`LogEntry` rows to ``<workspace>/prediction_log/`` from a background thread.

    Args:
        workspace: The open workspace (where the parts go; its catalog gets the source).
        batch_rows: Write a part when this many entries are waiting.
        flush_seconds: Write a part at least this often while entries are waiting.
    """

    def __init__(self, workspace: Workspace, *, batch_rows: int = BATCH_ROWS,
                 flush_seconds: float = FLUSH_SECONDS) -> None:
        self._ws = workspace
        self.folder = workspace.path / FOLDER
        self._batch_rows = batch_rows
        self._flush_seconds = flush_seconds
        self._queue: queue.SimpleQueue[LogEntry | None] = queue.SimpleQueue()
        self._flushed = threading.Condition()
        self._pending = 0  # entries appended and not yet written (or dropped)
        self._registered = False
        self._closed = False
        self._thread = threading.Thread(target=self._run, name="mlworkbench-predlog",
                                        daemon=True)
        self._thread.start()

    def append(self, entry: LogEntry) -> None:
        """Queue ``entry``; returns at once (the write happens on the log's thread)."""
        if self._closed:
            return
        with self._flushed:
            self._pending += 1
        self._queue.put(entry)

    def flush(self, timeout: float = 10.0) -> bool:
        """Write what is queued now and wait until it is on disk.

        Returns:
            True when everything appended before the call is written.
        """
        self._queue.put(None)  # wakes the thread: write what you hold
        deadline = time.monotonic() + timeout
        with self._flushed:
            while self._pending:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._flushed.wait(left)
        return True

    def close(self, timeout: float = 10.0) -> None:
        """Write what is queued and stop the thread (the server's shutdown)."""
        if self._closed:
            return
        self.flush(timeout)
        self._closed = True
        self._queue.put(None)
        self._thread.join(timeout)

    def _run(self) -> None:
        batch: list[LogEntry] = []
        started = time.monotonic()
        while True:
            wait = max(0.0, self._flush_seconds - (time.monotonic() - started)) if batch else None
            try:
                item = self._queue.get(timeout=wait)
            except queue.Empty:
                item = None
            if item is not None:
                if not batch:
                    started = time.monotonic()
                batch.append(item)
                if len(batch) < self._batch_rows:
                    continue
            if batch:
                self._write_safely(batch)
                batch = []
            elif self._closed:
                return
            if self._closed and item is None:
                return

    def _write_safely(self, batch: list[LogEntry]) -> None:
        try:
            self.write_part(batch)
        except Exception:  # a full disk must not kill the thread, nor fail predictions
            log.exception("mlworkbench: %d prediction log entries could not be written",
                          len(batch))
        finally:
            with self._flushed:
                self._pending -= len(batch)
                self._flushed.notify_all()

    def write_part(self, batch: list[LogEntry]) -> Path:
        """Write ``batch`` as one new part file (temp name, fsync, rename) and make sure the
        ``prediction_log`` source exists.

        Returns:
            The part file.
        """
        import pyarrow as pa
        import pyarrow.parquet as pq

        self.folder.mkdir(parents=True, exist_ok=True)
        table = pa.Table.from_pylist([asdict(e) for e in batch], schema=_schema())
        stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%f")
        name = f"part-{stamp}-{os.getpid()}-{uuid.uuid4().hex[:8]}.parquet"
        tmp = self.folder / f".{name}.partial"
        pq.write_table(table, tmp)
        with open(tmp, "rb") as handle:
            os.fsync(handle.fileno())
        path = self.folder / name
        os.replace(tmp, path)
        _fsync_dir(self.folder)
        self._register()
        return path

    def _register(self) -> None:
        if self._registered:
            return
        from mlworkbench.core.data.sources import SourceKind, SourceLocation

        location = SourceLocation(str(self.folder), SourceKind.parquet, is_folder=True)
        try:
            self._ws.catalog.register_location(location, LOG_NAME, FOLDER)
        except ConflictError:
            pass  # registered before (this or another process), or a user's table has the name
        except WorkbenchError as error:
            log.warning("mlworkbench: prediction_log is not queryable: %s", error.message)
            return
        self._registered = True


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
