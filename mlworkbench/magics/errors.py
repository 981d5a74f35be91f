"""Errors a SQL cell shows as one short line instead of a traceback."""

from __future__ import annotations


class CellError(Exception):
    """A failed ``%sql`` cell; IPython prints :meth:`_render_traceback_` instead of a traceback.

    Args:
        kind: What failed, shown first (``QueryError``, ``UsageError``, ...).
        message: What happened and what to do.
        line: 1-based line in the cell, when known.
        column: 1-based column in the cell, when known.
    """

    def __init__(
        self, kind: str, message: str, *, line: int | None = None, column: int | None = None
    ) -> None:
        self.kind = kind
        self.message = message
        self.line = line
        self.column = column
        super().__init__(self.text())

    def text(self) -> str:
        """``Kind: message (line L, column C)``."""
        where = f" (line {self.line}, column {self.column})" if self.line else ""
        # DuckDB splits "does not exist!" and "Did you mean" over lines: keep one line.
        message = " ".join(part.strip() for part in self.message.splitlines() if part.strip())
        return f"{self.kind}: {message}{where}"

    def _render_traceback_(self) -> list[str]:
        # IPython calls this instead of formatting a traceback: users see the one line.
        return [self.text()]


def from_workbench(error: Exception) -> CellError:
    """The CellError for a core ``WorkbenchError`` (position kept)."""
    return CellError(
        type(error).__name__,
        getattr(error, "message", str(error)),
        line=getattr(error, "line", None),
        column=getattr(error, "column", None),
    )
