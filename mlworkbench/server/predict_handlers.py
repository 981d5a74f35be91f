"""REST predict (issue 7): ``POST /mlworkbench/api/models/{ref}/predict`` with ``ref`` one of
``name@alias``, ``name@<version>`` or ``name`` (its newest version). The body is one of MLflow's
scoring JSON forms or CSV; ``?probabilities=true`` (or the header ``X-Probabilities: true``)
adds class probabilities. The work is ``core.serving.service``; this only adapts it.

Small bodies for a model already loaded (a few rows: about a millisecond of work) are
answered on the event loop; the first request of a model (it loads) and larger bodies go
to the extension's thread pool so the server keeps answering meanwhile.
"""

from __future__ import annotations

import threading
from typing import Any

import tornado.web
from jupyter_server.auth.decorator import authorized

from mlworkbench.core.serving.service import wants_probabilities
from mlworkbench.server.base import Endpoint, WorkbenchHandler

_LOCK = threading.Lock()


class PredictHandler(WorkbenchHandler):
    endpoints = {
        "post": Endpoint(
            "Predict with a published model ('name@alias', 'name@<version>', or 'name' for "
            "its newest version). Body: MLflow scoring JSON (dataframe_split, "
            "dataframe_records, instances, inputs) or text/csv. Answers {predictions, model, "
            "version, request_id} plus probabilities, ignored_columns and ignored_params when "
            "they apply; 413 over predict_max_bytes, 422 naming missing or mistyped columns, "
            "404 listing the known models, 409 when the model file was altered",
            query={"probabilities": "true: also give each row's class probabilities"}),
    }

    @property
    def service(self) -> Any:
        """The server's PredictionService (made on the first prediction, with its log)."""
        settings = self.settings
        service = settings.get("mlworkbench_predictions")
        if service is None:
            with _LOCK:
                service = settings.get("mlworkbench_predictions")
                if service is None:
                    from mlworkbench.core.serving.predlog import PredictionLog
                    from mlworkbench.core.serving.service import MAX_BYTES, PredictionService

                    service = PredictionService(
                        self.workbench, log=PredictionLog(self.workbench),
                        max_bytes=settings.get("mlworkbench_predict_max_bytes", MAX_BYTES))
                    settings["mlworkbench_predictions"] = service
        return service

    @tornado.web.authenticated
    @authorized
    async def post(self, ref: str) -> None:
        service = self.service
        body = self.request.body or b""
        probabilities = wants_probabilities(self.get_query_argument("probabilities", None),
                                            self.request.headers.get("X-Probabilities"))
        args = (ref, body, self.request.headers.get("Content-Type", "application/json"))
        kwargs = {"probabilities": probabilities,
                  "request_id": self.request.headers.get("X-Request-Id")}
        if service.answers_inline(ref, body):
            response = service.predict(*args, **kwargs)
        else:
            response = await self.run_blocking(service.predict, *args, **kwargs)
        self.set_header("Content-Type", "application/json")
        self.finish(_json(response))


def _json(response: dict[str, Any]) -> str:
    import json

    return json.dumps(response, separators=(",", ":"), allow_nan=False)
