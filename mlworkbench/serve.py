"""``mlworkbench serve``: every published model of a workspace behind one port, outside Jupyter.

A small tornado application over the same core call as the server extension
(``core.serving.service.PredictionService``), so answers, errors and the prediction log are
the same; it starts in about a second and adds no Jupyter machinery to a request.

Routes:

- ``POST /mlworkbench/api/models/{ref}/predict`` (the server extension's path, so a snippet
  works against either by changing the host) and its short form ``POST /models/{ref}/predict``;
  ``ref`` is ``name@alias``, ``name@<version>`` or ``name`` (newest version).
- ``GET /health`` and ``GET /ping``: 200 ``{"status": "ok"}``, **without** the token, as
  MLflow's scoring server and SageMaker probes expect (load balancers call them without
  credentials); they say nothing about the models.
- ``GET /version``: the mlworkbench version and the models served (names, versions, aliases);
  needs the token, like the predict routes.

The token is required on every other route: ``Authorization: token <t>`` (Jupyter's form),
``Authorization: Bearer <t>`` or ``?token=<t>``. No token is 401, a wrong one 403. When none is
given (``--token`` or ``$MLWORKBENCH_SERVE_TOKEN``) one is generated and printed at start.
"""

from __future__ import annotations

import asyncio
import gc
import hmac
import json
import logging
import secrets
import signal
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import tornado.httpserver
import tornado.netutil
import tornado.web

from mlworkbench import __version__
from mlworkbench.core.errors import WorkbenchError
from mlworkbench.core.serving.predlog import PredictionLog
from mlworkbench.core.serving.service import PredictionService, wants_probabilities

_REF = r"(?P<ref>[^/]+)"


class _Base(tornado.web.RequestHandler):
    """JSON errors in the extension's shape ``{"message", "code", "detail"}``; token check."""

    public = False

    def initialize(self, app: ServeApp) -> None:
        self.app = app

    def prepare(self) -> None:
        if self.public:
            return
        given = self._token()
        if given is None:
            self.set_header("WWW-Authenticate", 'Bearer realm="mlworkbench"')
            raise _Refused(401, "not_authenticated",
                           "This server needs its token: send 'Authorization: token <token>' "
                           "(printed by mlworkbench serve at start).")
        if not hmac.compare_digest(given.encode(), self.app.token.encode()):
            raise _Refused(403, "forbidden", "The token is not this server's.")

    def _token(self) -> str | None:
        header = self.request.headers.get("Authorization", "")
        scheme, _, value = header.partition(" ")
        if scheme.lower() in ("token", "bearer") and value.strip():
            return value.strip()
        return self.get_query_argument("token", None)

    def write_json(self, data: Any, status: int = 200) -> None:
        self.set_status(status)
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps(data, separators=(",", ":"), allow_nan=False))

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        exc = kwargs.get("exc_info", (None, None, None))[1]
        if isinstance(exc, _Refused):
            self.write_json({"message": exc.message, "code": exc.code, "detail": {}},
                            exc.status)
        elif isinstance(exc, WorkbenchError):
            self.write_json({"message": exc.message, "code": exc.code, "detail": exc.detail},
                            exc.status)
        elif isinstance(exc, tornado.web.HTTPError):
            self.write_json({"message": exc.log_message or self._reason, "code": "http_error",
                             "detail": {}}, status_code)
        else:
            self.write_json({"message": f"Internal error: {exc}" if exc else self._reason,
                             "code": "internal_error",
                             "detail": {"type": type(exc).__name__} if exc else {}},
                            status_code)

    def log_exception(self, typ: Any, value: Any, tb: Any) -> None:
        if isinstance(value, (WorkbenchError, _Refused)):
            return  # the caller's to fix: answered, not a server fault
        super().log_exception(typ, value, tb)


class _Refused(Exception):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


class PredictHandler(_Base):
    async def post(self, ref: str) -> None:
        service = self.app.service
        body = self.request.body or b""
        args = (ref, body, self.request.headers.get("Content-Type", "application/json"))
        kwargs = {"probabilities": wants_probabilities(
                      self.get_query_argument("probabilities", None),
                      self.request.headers.get("X-Probabilities")),
                  "request_id": self.request.headers.get("X-Request-Id")}
        if service.answers_inline(ref, body):
            response = service.predict(*args, **kwargs)
        else:
            loop = asyncio.get_running_loop()
            response = await loop.run_in_executor(
                self.app.executor, lambda: service.predict(*args, **kwargs))
        self.write_json(response)


class HealthHandler(_Base):
    public = True

    def get(self) -> None:
        self.write_json({"status": "ok"})


class VersionHandler(_Base):
    def get(self) -> None:
        models = self.app.workspace.registry.list_models()
        self.write_json({"mlworkbench": __version__,
                         "models": json.loads(models.model_dump_json())["models"]})


class ServeApp:
    """The standalone server: a workspace, its prediction service and log, a token.

    Args:
        workspace: The open workspace whose models are served.
        token: The token callers send (generated when None).
        max_bytes: Largest request body (413 over it).
        threads: Threads for large bodies.
    """

    def __init__(self, workspace: Any, *, token: str | None = None,
                 max_bytes: int | None = None, threads: int = 4) -> None:
        self.workspace = workspace
        self.token = token or secrets.token_urlsafe(24)
        self.log = PredictionLog(workspace)
        options = {} if max_bytes is None else {"max_bytes": max_bytes}
        self.service = PredictionService(workspace, log=self.log, **options)
        self.executor = ThreadPoolExecutor(threads, thread_name_prefix="mlworkbench-serve")

    def application(self) -> tornado.web.Application:
        init = {"app": self}
        return tornado.web.Application([
            (rf"/mlworkbench/api/models/{_REF}/predict", PredictHandler, init),
            (rf"/models/{_REF}/predict", PredictHandler, init),
            (r"/health", HealthHandler, init),
            (r"/ping", HealthHandler, init),
            (r"/version", VersionHandler, init),
        ], log_function=_quiet)

    def close(self) -> None:
        """Write the queued log entries and stop the threads."""
        self.log.close()
        self.executor.shutdown(wait=False, cancel_futures=True)


def _quiet(handler: tornado.web.RequestHandler) -> None:
    """Log failures only: a line per answered prediction costs more than the prediction."""
    if handler.get_status() >= 500:
        logging.getLogger("tornado.access").warning(
            "%d %s %s", handler.get_status(), handler.request.method, handler.request.uri)


def serve(workspace: Any, *, host: str = "127.0.0.1", port: int = 5000,
          token: str | None = None, max_bytes: int | None = None,
          echo: Any = print) -> None:
    """Serve until SIGINT/SIGTERM, then write the prediction log and return.

    Args:
        workspace: The open workspace.
        host: Interface to listen on (loopback by default).
        port: Port (0: any free port; the one taken is printed).
        token: The token (None: generated and printed).
        max_bytes: Largest request body.
        echo: Where the start-up lines go.
    """
    app = ServeApp(workspace, token=token, max_bytes=max_bytes)

    async def main() -> None:
        server = tornado.httpserver.HTTPServer(
            app.application(), max_body_size=app.service.max_bytes + 1024 * 1024)
        sockets = tornado.netutil.bind_sockets(port, host)
        server.add_sockets(sockets)
        taken = sockets[0].getsockname()[1]
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        # What start-up loaded lives as long as the server: out of the collector's way, so
        # its full collections (the slowest requests' pauses) scan only what requests make.
        gc.freeze()
        echo(f"mlworkbench serve: http://{host}:{taken}/mlworkbench/api/models/<name>@<alias>"
             f"/predict")
        echo(f"token: {app.token}" + ("" if token else " (generated; pass --token to choose)"))
        await stop.wait()
        server.stop()

    try:
        asyncio.run(main())
    finally:
        app.close()

