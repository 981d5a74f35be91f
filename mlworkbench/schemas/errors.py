"""The one error shape every REST route answers with."""

from typing import Any

from mlworkbench.schemas._base import Model


class ErrorResponse(Model):
    """What went wrong and what to do about it.

    ``code`` is a stable machine-readable name (``query_error``, ``not_found``, ``conflict``,
    ``invalid_request``, ``unsupported``, ``cancelled``); ``detail`` carries the error's data,
    e.g. ``{"line": 2, "column": 14, "sql": "..."}`` for a SQL error.
    """

    message: str
    code: str
    detail: dict[str, Any] = {}
