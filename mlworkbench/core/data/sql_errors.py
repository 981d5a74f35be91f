"""Turn DuckDB's exceptions into WorkbenchErrors with a line and column the user can use.

DuckDB 2.0 gives an error's position only as text: a ``LINE n: <snippet>`` line and a caret line
under it. The snippet may be cut with ``...`` on either side, and the caret is placed by display
width (a tab counts 0, a CJK character 2), so the column is found by walking the snippet's
widths, then locating the snippet in the executed text. The position is then moved from the
executed text (one statement, possibly wrapped in ``SELECT * FROM (...)``) to the whole text the
user sent.
"""

from __future__ import annotations

import re
import unicodedata

import duckdb

from mlworkbench.core.errors import (
    LimitError,
    QueryCancelledError,
    QueryError,
    UnsupportedError,
    WorkbenchError,
)

_LINE = re.compile(r"^LINE (\d+): (.*)$")
# How DuckDB names a missing extension, most specific first.
_EXTENSION = [
    re.compile(r'Extension "([A-Za-z0-9_]+)" is an existing extension'),
    re.compile(r"\bINSTALL ([A-Za-z0-9_]+)"),
    re.compile(r"exists in the ([A-Za-z0-9_]+) extension"),
    re.compile(r"""download extension ['"]([A-Za-z0-9_]+)"""),
]
BUILT_IN_EXTENSIONS = "parquet, json, icu"


def _width(char: str) -> int:
    """Display width as DuckDB's caret placement counts it."""
    if char < " " or unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me"):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def locate(message: str, text: str) -> int | None:
    """The character offset in ``text`` that DuckDB's error message points at.

    Args:
        message: ``str()`` of a DuckDB exception.
        text: The exact text DuckDB was given.

    Returns:
        A 0-based offset into ``text``, or None when the message carries no position.
    """
    lines = message.split("\n")
    for i, line in enumerate(lines[:-1]):
        match = _LINE.match(line)
        caret_line = lines[i + 1]
        if not match or "^" not in caret_line:
            continue
        number, snippet = int(match.group(1)), match.group(2)
        target = caret_line.index("^") - (len(line) - len(snippet))
        width, index = 0, len(snippet)
        for k, char in enumerate(snippet):
            if width >= target:
                index = k
                break
            width += _width(char)
        cut_left = snippet.startswith("...")
        body = snippet[3:] if cut_left else snippet
        index -= 3 if cut_left else 0
        if snippet.endswith("...") and len(body) >= 3:
            body = body[:-3]
        source_lines = text.split("\n")
        if not 1 <= number <= len(source_lines):
            return None
        source_line = source_lines[number - 1]
        base = source_line.find(body) if body else 0
        if base < 0:
            base = 0
        column = min(max(base + max(index, 0), 0), len(source_line))
        return sum(len(s) + 1 for s in source_lines[: number - 1]) + column
    return None


def line_column(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of a character offset.

    >>> line_column("select 1;\\nselect x", 17)
    (2, 8)
    """
    before = text[:offset]
    line = before.count("\n") + 1
    return line, offset - (before.rfind("\n") + 1) + 1


def without_context(message: str) -> str:
    """DuckDB's message without the ``LINE n:`` snippet (line and column travel as data)."""
    return re.split(r"\n\s*\nLINE \d+: ", message, maxsplit=1)[0].strip()


def needed_extension(message: str) -> str | None:
    """The DuckDB extension an error says is missing, if it says so."""
    for pattern in _EXTENSION:
        match = pattern.search(message)
        if match:
            return match.group(1)
    return None


def translate(
    error: Exception,
    *,
    sql: str,
    executed: str | None = None,
    prefix: int = 0,
    start: int = 0,
    length: int | None = None,
    positioned: bool = True,
) -> WorkbenchError:
    """The WorkbenchError for a DuckDB exception raised while running part of ``sql``.

    Args:
        error: What DuckDB raised.
        sql: The whole text the user sent (or the filter expression, for a filter).
        executed: The text DuckDB actually ran; ``sql`` when None.
        prefix: How many characters of ``executed`` precede the user's statement (a wrapper).
        start: Where that statement starts in ``sql``.
        length: The statement's length, so a position in a wrapper's tail is not reported.
        positioned: False when the message's position cannot be trusted (relations API).

    Returns:
        QueryCancelledError for an interrupt, UnsupportedError for a missing extension,
        LimitError when out of memory, else QueryError with line and column in ``sql``.
    """
    if isinstance(error, WorkbenchError):
        return error
    message = str(error)
    if isinstance(error, duckdb.InterruptException):
        return QueryCancelledError("The query was cancelled.")
    extension = needed_extension(message)
    if extension:
        return UnsupportedError(
            f"This needs the DuckDB extension '{extension}', which is not installed and cannot "
            f"be downloaded here. Only the built-in extensions work: {BUILT_IN_EXTENSIONS}.",
            extension=extension,
        )
    if isinstance(error, duckdb.OutOfMemoryException):
        return LimitError(
            f"{without_context(message)} Raise the workspace memory_limit, or narrow the query.",
        )
    executed = sql if executed is None else executed
    offset = locate(message, executed) if positioned else None
    line = column = None
    if offset is not None and offset >= prefix:
        inner = offset - prefix
        limit = len(sql) - start if length is None else length
        if inner <= limit:
            line, column = line_column(sql, start + inner)
    return QueryError(without_context(message), sql=sql, line=line, column=column)
