"""One prediction request: model reference and body in, MLflow's response out, logged.

``PredictionService.predict("churn@production", body, "application/json")`` loads the version
(cached by the registry while its file is unchanged; the file's hash is checked when it is read),
parses the body in MLflow's scoring forms or CSV (``payload.read_payload``), checks it against
the signature (422 naming every missing or mistyped column; extra columns dropped and reported),
predicts (and gives class probabilities when asked), and answers::

    {"predictions": [...], "model": "churn", "version": 3, "request_id": "...",
     "probabilities": [{class: p}, ...], "ignored_columns": [...], "ignored_params": [...]}

The last three only when they apply. A reference is ``name@alias``, ``name@<version>`` or a bare
``name``, which means the newest version (as ``models:/churn/latest`` does in MLflow; callers
that want a stable answer name an alias). Every call, answered or refused, becomes one entry in
the prediction log (``predlog.py``), queued without waiting for the write.

Both the Jupyter server extension and ``mlworkbench serve`` call this; neither holds logic.

A small regular JSON body (exactly the model's columns, plain values of their types) for a
model whose compiled fast path was verified exact (``fastpath/``) skips pandas and
scikit-learn's per-call checks: the same answer and log entry in a fraction of the time. Any
other body takes the full path below, which gives the 4xx of irregular ones.
"""

from __future__ import annotations

import json
import logging
import threading
import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from mlworkbench.core.errors import WorkbenchError
from mlworkbench.core.serving.fastpath.models import Models
from mlworkbench.core.serving.fastpath.request import plain_columns
from mlworkbench.core.serving.errors import PayloadTooLargeError
from mlworkbench.core.serving.payload import format_predictions, read_payload
from mlworkbench.core.serving.predlog import LogEntry, PredictionLog

if TYPE_CHECKING:
    from mlworkbench.core.workspace.workspace import Workspace

LOG = logging.getLogger(__name__)
_TRUE = ("1", "true", "yes")


def wants_probabilities(query_value: str | None, header_value: str | None) -> bool:
    """Whether a predict request asks for class probabilities: ``?probabilities=true`` or the
    header ``X-Probabilities: true`` (the Jupyter route and ``mlworkbench serve`` alike)."""
    return any((v or "").strip().lower() in _TRUE for v in (query_value, header_value))


#: Default largest request body (``MLWorkbench.predict_max_bytes``, ``serve --max-bytes``).
MAX_BYTES = 10 * 1024 * 1024
#: Bodies up to this size are answered on the event loop: a few rows predict in about a
#: millisecond, less than a hop to a thread pool and back costs under load. Larger ones go to
#: the pool so the server keeps answering meanwhile (see ``is_small``).
INLINE_BYTES = 16 * 1024


@dataclass
class Prediction:
    """What :meth:`PredictionService.predict` answers: the JSON body and its log entry."""

    body: dict[str, Any]
    entry: LogEntry


class PredictionService:
    """Predictions of a workspace's published models.

    Args:
        workspace: The open workspace (its registry loads the models).
        max_bytes: Bodies over this are refused (413) before they are parsed.
        log: Where entries go; None logs nothing.
        fast: Use the compiled row fast path of models that have one.
    """

    def __init__(self, workspace: Workspace, *, max_bytes: int = MAX_BYTES,
                 log: PredictionLog | None = None, fast: bool = True) -> None:
        self._ws = workspace
        self.max_bytes = max_bytes
        self.log = log
        self.models = Models(workspace, fast=fast)
        self._warm: set[str] = set()

    def prepare(self, ref: str) -> str | None:
        """Load ``ref`` and compile its fast path now; why it has none (None: it has one)."""
        model = self.models.load(ref)
        self.models.compiled(model, wait=True)
        return self.models.reason(model)

    @staticmethod
    def is_small(body: bytes) -> bool:
        """Whether a body is few rows (predicted with one OpenMP thread)."""
        return len(body) <= INLINE_BYTES

    def answers_inline(self, ref: str, body: bytes) -> bool:
        """Whether a request can be answered without leaving the event loop: a small body for
        a reference answered before (its model loaded: the first request reads and hashes the
        file, which may take a second, so it goes to a thread)."""
        return len(body) <= INLINE_BYTES and ref in self._warm

    def predict(self, ref: str, body: bytes, content_type: str, *,
                probabilities: bool = False, request_id: str | None = None) -> dict[str, Any]:
        """Predict the rows of ``body`` with model ``ref`` and log the request.

        Args:
            ref: ``name``, ``name@alias`` or ``name@<version>``.
            body: The request body (MLflow JSON forms, or CSV with a header row).
            content_type: Its Content-Type.
            probabilities: Also give each row's class probabilities (classifiers).
            request_id: The caller's id for the request (default: a new UUID).

        Returns:
            The response body (see the module docstring).

        Raises:
            PayloadTooLargeError: ``body`` is over ``max_bytes`` (413), before anything else.
            NotFoundError: No such model, alias or version (404; the message lists them).
            ModelTamperedError: The model file changed since it was published (409).
            BadRequestError, UnsupportedError: The body is in none of the accepted forms (400,
                415).
            SignatureError: Missing or mistyped columns (422).
        """
        request_id = request_id or uuid.uuid4().hex
        started = time.perf_counter()
        arrived = datetime.now(timezone.utc)
        entry = LogEntry(request_id=request_id, model=ref.partition("@")[0], version=None,
                         ref=ref, time=arrived, latency_ms=0.0, status=200, rows=0,
                         inputs=None, outputs=None)
        try:
            response = self._predict(ref, body, content_type, probabilities, entry)
        except WorkbenchError as error:
            entry.status, entry.error = error.status, error.message
            raise
        except Exception as error:  # a pipeline that breaks on these rows: logged, then 500
            entry.status, entry.error = 500, f"{type(error).__name__}: {error}"
            raise
        finally:
            entry.latency_ms = (time.perf_counter() - started) * 1000.0
            if self.log is not None:
                self.log.append(entry)
        self._warm.add(ref)
        response["request_id"] = request_id
        return response

    def _predict(self, ref: str, body: bytes, content_type: str, probabilities: bool,
                 entry: LogEntry) -> dict[str, Any]:
        if len(body) > self.max_bytes:
            raise PayloadTooLargeError(len(body), self.max_bytes)
        model = self.models.load(ref)
        entry.model, entry.version = model.name, model.version
        compiled = self.models.compiled(model)
        if compiled is not None:
            try:
                response = _fast(compiled, model, body, content_type, probabilities, entry)
            except Exception:  # noqa: BLE001 - never worse than the full path
                LOG.exception("The fast path failed on %s; answering by the full path", ref)
                response = None
            if response is not None:
                return response
        payload = read_payload(body, content_type, max_bytes=self.max_bytes,
                               columns=model.signature.names)
        entry.rows = len(payload.frame)
        entry.inputs = payload.frame.to_json(orient="records", date_format="iso")
        checked = model.check(payload.frame)
        if self.is_small(body):
            _one_openmp_thread()
        predictions = model.predict(checked)
        proba = model.predict_proba(checked) if probabilities else None
        response = format_predictions(
            predictions, probabilities=proba, classes=model.classes,
            extra_columns=checked.extra_columns,
            ignored_params=[*payload.ignored_params, *payload.ignored_keys])
        outputs = {k: v for k, v in response.items()
                   if k in ("predictions", "probabilities")}
        entry.outputs = json.dumps(outputs, separators=(",", ":"))
        response["model"], response["version"] = model.name, model.version
        return response


def _fast(compiled: Any, model: Any, body: bytes, content_type: str, probabilities: bool,
          entry: LogEntry) -> dict[str, Any] | None:
    """The answer by the compiled fast path, or None when the body is not regular."""
    if len(body) > INLINE_BYTES:
        return None
    parsed = plain_columns(body, content_type, compiled.types)
    if parsed is None:
        return None
    columns, rows = parsed
    n = len(rows)
    predictions = compiled.predict(columns, n)
    proba = compiled.predict_proba(columns, n) if probabilities and model.task != \
        "regression" else None
    response = format_predictions(predictions, probabilities=proba, classes=model.classes)
    entry.rows = n
    entry.inputs = json.dumps(rows, separators=(",", ":"))
    entry.outputs = json.dumps(response, separators=(",", ":"))
    response["model"], response["version"] = model.name, model.version
    return response


_THREAD = threading.local()


def _one_openmp_thread() -> None:
    """Predict a few rows with one OpenMP thread in this thread (an OpenMP limit is per thread,
    so the pool's threads keep theirs for big bodies). A single-row predict of a boosting model
    with the default threads waits on the others: 900 ms a row on a busy 2-core machine
    against 8 ms with one (measured while writing this)."""
    if getattr(_THREAD, "limited", False):
        return
    from threadpoolctl import threadpool_limits

    threadpool_limits(1, user_api="openmp")
    _THREAD.limited = True
