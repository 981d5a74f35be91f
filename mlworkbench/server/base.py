"""The base handler: models in, models out, errors mapped once, slow work off the event loop."""

from __future__ import annotations

import asyncio
import functools
import json
from dataclasses import dataclass
from typing import Any, Callable, TypeVar

import tornado.web
from jupyter_server.base.handlers import APIHandler
from jupyter_server.extension.handler import ExtensionHandlerMixin
from pydantic import BaseModel, ValidationError

from mlworkbench.core.errors import InvalidRequestError, WorkbenchError
from mlworkbench.core.tasks import Tasks
from mlworkbench.schemas import ErrorResponse

M = TypeVar("M", bound=BaseModel)
T = TypeVar("T")


@dataclass(frozen=True)
class Endpoint:
    """What one verb of a route takes and answers; read by the OpenAPI generator."""

    summary: str
    request: type[BaseModel] | None = None
    response: type[BaseModel] | None = None
    status: int = 200
    query: dict[str, str] | None = None  # query parameter -> description
    content_type: str = "application/json"
    query_model: type[BaseModel] | None = None  # query parameters validated by this model
    upload: bool = False  # the request body is a raw file (application/octet-stream)


def _dump(model: BaseModel) -> str:
    """The model as JSON. Rows of cells (JSON-safe by construction in core) are written by the
    json module: pydantic's union serializer costs ~1 us per cell, 20 ms for a 1,000 x 20 page."""
    rows = getattr(model, "rows", None)
    if not isinstance(rows, list) or not rows:
        return model.model_dump_json()
    head = model.model_dump_json(exclude={"rows"})
    return f'{head[:-1]},"rows":{json.dumps(rows, allow_nan=False, separators=(",", ":"))}}}'


class WorkbenchHandler(ExtensionHandlerMixin, APIHandler):
    """Every mlworkbench route derives from this. Verbs stay a few lines: read the request
    model, call core off the event loop, write the response model."""

    auth_resource = "mlworkbench"
    endpoints: dict[str, Endpoint] = {}

    @property
    def workbench(self) -> Any:
        return self.settings["mlworkbench_workspace"]

    @property
    def tasks(self) -> Tasks:
        """The server's background tasks (made once, in ``MLWorkbench.initialize_settings``)."""
        return self.settings["mlworkbench_tasks"]

    def read_model(self, model: type[M]) -> M:
        """Parse the JSON body into ``model``; a bad body is a 4xx naming the field."""
        body = self.request.body or b"{}"
        try:
            data = json.loads(body)
        except json.JSONDecodeError as e:
            raise InvalidRequestError("body", f"The request body is not valid JSON: {e}") from e
        return self._validate(model, data)

    def read_query(self, model: type[M]) -> M:
        """Build ``model`` from the query parameters (the last value of each); a bad value is a
        4xx naming the parameter. Parameters the model does not name are ignored: JupyterLab's
        ServerConnection appends a cache-busting timestamp to every GET."""
        data = {
            name: self.get_query_argument(name)
            for name in self.request.query_arguments
            if name in model.model_fields
        }
        return self._validate(model, data)

    @staticmethod
    def _validate(model: type[M], data: Any) -> M:
        try:
            return model.model_validate(data)
        except ValidationError as e:
            errors = e.errors(include_url=False, include_context=False, include_input=False)
            first = errors[0]
            field = ".".join(str(p) for p in first["loc"]) or "body"
            raise InvalidRequestError(
                field, f"Invalid '{field}': {first['msg']}", errors=errors
            ) from e

    def write_model(self, model: BaseModel, status: int = 200) -> None:
        self.set_status(status)
        self.set_header("Content-Type", "application/json")
        self.finish(_dump(model))

    def write_no_content(self) -> None:
        """Answer 204: the thing asked for is done and there is nothing to say."""
        self.set_status(204)
        self.finish()

    async def run_blocking(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run ``fn`` in the extension's thread pool so the server keeps answering."""
        executor = self.settings["mlworkbench_executor"]
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(executor, functools.partial(fn, *args, **kwargs))

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        exc = kwargs.get("exc_info", (None, None, None))[1]
        if isinstance(exc, WorkbenchError):
            self.set_status(exc.status)
            body = ErrorResponse(message=exc.message, code=exc.code, detail=exc.detail)
        elif isinstance(exc, tornado.web.HTTPError):
            message = exc.log_message or self._reason
            body = ErrorResponse(message=message, code="http_error", detail={})
        else:
            body = ErrorResponse(
                message=f"Internal error: {exc}" if exc else self._reason,
                code="internal_error",
                detail={"type": type(exc).__name__} if exc else {},
            )
        self.set_header("Content-Type", "application/json")
        self.finish(body.model_dump_json())

    def log_exception(self, typ: Any, value: Any, tb: Any) -> None:
        # An expected error is the user's to fix, not a server fault: no traceback in the log.
        if isinstance(value, WorkbenchError):
            self.log.info("mlworkbench %s %s: %s", self.request.method, self.request.uri, value)
            return
        super().log_exception(typ, value, tb)

