"""The serving errors the core's error classes do not already cover."""

from __future__ import annotations

from mlworkbench.core.errors import WorkbenchError


class PayloadTooLargeError(WorkbenchError):
    """A request body over the configured size; refused before it is parsed."""

    status = 413
    code = "payload_too_large"

    def __init__(self, size: int, limit: int) -> None:
        super().__init__(
            f"The request body is {size:,} bytes, over the limit of {limit:,} bytes. Send the "
            "rows in several smaller requests.",
            size=size, limit=limit)
        self.size = size
        self.limit = limit
