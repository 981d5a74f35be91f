"""Finding the CSV lines DuckDB cannot read, and saying which and why.

The reader runs with DuckDB's ``store_rejects`` (see :func:`reader_options`), which skips a bad
line and keeps its number, byte position, text and error in a temp table; the import then
either fails naming the first one, or, with ``ignore_errors``, reports them. A line rejected
for its encoding is located exactly by decoding the file in Python (DuckDB's byte position
points at the field, not the byte).
"""

from __future__ import annotations

import codecs
from pathlib import Path

import duckdb

from mlworkbench.core.data.identifiers import literal, quote
from mlworkbench.core.errors import InvalidRequestError
from mlworkbench.schemas import CsvEncoding, ImportFileRequest, ImportMode, RejectedRow

MAX_REJECTS = 1000  # lines remembered when ignore_errors skips them
SHOWN_REJECTS = 20


def reader_options(table: str) -> list[str]:
    """read_csv options that keep the lines it cannot read in the temp table ``table``."""
    return [
        "store_rejects = true",
        f"rejects_table = {literal(table)}",
        f"rejects_scan = {literal(table + '_scan')}",
        f"rejects_limit = {MAX_REJECTS}",
    ]


def check_rejects(
    cursor: duckdb.DuckDBPyConnection, table: str, path: Path, request: ImportFileRequest
) -> tuple[int, list[RejectedRow]]:
    """The lines DuckDB could not read, kept in ``table`` by a scan with :func:`reader_options`
    on the same cursor.

    Returns:
        How many lines were skipped (counted up to ``MAX_REJECTS``) and the first few, when
        ``request.ignore_errors`` says to skip them.

    Raises:
        InvalidRequestError: A line could not be read and ``ignore_errors`` is false; the
            message names the line (a bad encoding: the byte offset) and the fix.
    """
    count = int(cursor.execute(f"SELECT count(*) FROM {quote(table)}").fetchone()[0])
    if not count:
        return 0, []
    rows = cursor.execute(
        f"SELECT line, byte_position, error_type, csv_line, error_message FROM {quote(table)} "
        f"ORDER BY line LIMIT {SHOWN_REJECTS}"
    ).fetchall()
    rejected = [
        RejectedRow(line=r[0], byte_offset=r[1], error=f"{r[2]}: {r[4]}", text=r[3]) for r in rows
    ]
    if request.ignore_errors:
        return count, rejected
    line, _, error_type, text, message = rows[0]
    more = f" ({count} lines in all{'+' if count >= MAX_REJECTS else ''})" if count > 1 else ""
    if error_type == "INVALID ENCODING":
        raise _encoding_error(path, request, line)
    raise InvalidRequestError(
        "file",
        f"Line {line} of '{request.filename}' cannot be read: {message}{more}. The line: "
        f"{text!r}. Fix the file, or import it{_as_table(request)} with ignore_errors=true "
        "to skip such lines.",
        filename=request.filename,
        line=line,
        rejected=[r.model_dump() for r in rejected],
    )


def _encoding_error(path: Path, request: ImportFileRequest, line: int) -> InvalidRequestError:
    found = first_undecodable(path, request.encoding.value)
    offset = None
    if found is not None:
        offset, line, byte = found
        where = f"byte 0x{byte:02X} at offset {offset} (line {line})"
    else:
        where = f"line {line}"
    others = [e.value for e in CsvEncoding if e is not request.encoding]
    return InvalidRequestError(
        "encoding",
        f"'{request.filename}' is not {request.encoding.value} text: {where} cannot be "
        f"decoded. If the file was saved in another encoding, import it{_as_table(request)} "
        f"with encoding={' or encoding='.join(others)}; or pass ignore_errors=true to skip "
        "such lines.",
        filename=request.filename,
        line=line,
        byte_offset=offset,
        encodings=[e.value for e in CsvEncoding],
    )


def _as_table(request: ImportFileRequest) -> str:
    """' as a table' when the fix (a CSV option) needs mode=table."""
    return " as a table (mode=table)" if request.mode is ImportMode.source else ""


def first_undecodable(path: Path, encoding: str = "utf-8") -> tuple[int, int, int] | None:
    """Where a file stops being valid text, read in 1 MiB chunks.

    Returns:
        (byte offset, 1-based line, the byte) of the first byte that cannot be decoded, or None.
    """
    decoder = codecs.getincrementaldecoder(encoding)()
    offset, line = 0, 1
    with open(path, "rb") as f:
        while True:
            chunk = f.read(1 << 20)
            try:
                decoder.decode(chunk, final=not chunk)
            except UnicodeDecodeError as error:
                pending = len(error.object) - len(chunk)  # bytes carried from the last chunk
                data = error.object
                return (
                    offset - pending + error.start,
                    line + data[: error.start].count(b"\n"),
                    data[error.start],
                )
            if not chunk:
                return None
            offset += len(chunk)
            line += chunk.count(b"\n")

