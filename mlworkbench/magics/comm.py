"""Paging a ``%%sql`` result from the notebook's grid through a kernel comm.

The grid in a cell's output opens one comm per request on the target ``mlworkbench.results``:

    {"method": "page", "session_id": "...", "request": <FetchPageRequest>}
    {"method": "describe", "session_id": "..."}

and the kernel answers with exactly one message, then closes the comm:

    {"ok": true, "page": <QueryPage>}        or {"ok": true, "describe": <DescribeResult>}
    {"ok": false, "message": "...", "code": "...", "detail": {...}}

Registering the target imports nothing heavy; DuckDB, pydantic and the core load on the first
request. A page is a LIMIT or top-N query over the kept result, answered on the shell thread.
"""

from __future__ import annotations

import json
import logging
from typing import Any

TARGET = "mlworkbench.results"
GONE = "This result is no longer in the kernel: run the cell again."

log = logging.getLogger(__name__)


def register_comm_target(ipython: Any = None) -> bool:
    """Answer the grid's page and describe requests in this kernel.

    Args:
        ipython: The running shell (unused: the comm manager is the kernel's, not the shell's).

    Returns:
        False when there is no comm machinery (a plain terminal IPython without ``comm``).
    """
    try:
        import comm
    except ImportError:
        return False
    comm.get_comm_manager().register_target(TARGET, open_request)
    return True


def open_request(channel: Any, message: dict) -> None:
    """The comm target: answer the request in the ``comm_open`` message, then close.

    Args:
        channel: The kernel side of the comm.
        message: The ``comm_open`` message; its ``content.data`` is the request.
    """
    try:
        reply = answer(message.get("content", {}).get("data") or {})
    except KeyboardInterrupt:
        reply = failure("The request was cancelled by a kernel interrupt.", "cancelled")
    try:
        channel.send(reply)
    finally:
        channel.close()


def answer(data: dict) -> dict:
    """The reply to one request (never raises: a failure is an ``ok: false`` reply).

    Args:
        data: ``method``, ``session_id`` and, for ``page``, ``request``.

    Returns:
        The reply as JSON-ready data.
    """
    try:
        return _dispatch(data)
    except Exception as error:  # the frontend must never be left waiting
        from mlworkbench.core.errors import WorkbenchError

        if isinstance(error, WorkbenchError):
            return failure(error.message, error.code, error.detail)
        log.exception("mlworkbench: the result request failed")
        return failure(f"Internal error: {error}", "internal_error", {"type": type(error).__name__})


def failure(message: str, code: str, detail: dict | None = None) -> dict:
    """An ``ok: false`` reply."""
    return {"ok": False, "message": message, "code": code, "detail": _json_safe(detail or {})}


def _dispatch(data: dict) -> dict:
    if not isinstance(data, dict):
        return failure("The request must be a JSON object.", "invalid_request")
    method = data.get("method")
    if method not in ("page", "describe"):
        return failure(
            f"Unknown method {method!r}: use 'page' or 'describe'.", "invalid_request",
            {"field": "method"},
        )
    session_id = data.get("session_id")
    if not isinstance(session_id, str) or not session_id:
        return failure(
            "The request has no 'session_id': it names the result to page.", "invalid_request",
            {"field": "session_id"},
        )
    results = _results()
    if results is None:
        return failure(GONE, "not_found", {"kind": "result", "name": session_id})

    from mlworkbench.core.errors import NotFoundError

    try:
        if method == "describe":
            return {"ok": True, "describe": results.describe(session_id).model_dump(mode="json")}
        request = _request(data.get("request"))
        if isinstance(request, dict):
            return request  # a validation failure
        page = results.page(session_id, request)
    except NotFoundError as error:
        if error.kind == "result":
            return failure(GONE, error.code, error.detail)
        raise
    head = page.model_dump(mode="json", exclude={"rows"})
    # Cells are JSON-safe by construction; pydantic's union serializer is slow per cell.
    head["rows"] = page.rows
    return {"ok": True, "page": head}


def _results() -> Any:
    """The kernel's result sessions, or None when no SQL has run in this kernel (after a
    restart): then no result can be here, and the workspace need not be opened to say so."""
    from mlworkbench import notebook

    runner = notebook._runner
    if runner is None or runner._ws is None:
        return None
    return runner.ws.results


def _request(raw: Any) -> Any:
    """The FetchPageRequest, or a failure reply naming the bad field."""
    from pydantic import ValidationError

    from mlworkbench.schemas import FetchPageRequest

    try:
        return FetchPageRequest.model_validate({} if raw is None else raw)
    except ValidationError as error:
        errors = error.errors(include_url=False, include_context=False, include_input=False)
        first = errors[0]
        field = ".".join(str(p) for p in ("request", *first["loc"]))
        return failure(f"Invalid '{field}': {first['msg']}", "invalid_request",
                       {"field": field, "errors": errors})


def _json_safe(value: Any) -> Any:
    return json.loads(json.dumps(value, default=str))
