"""Importing an uploaded file (CSV, Parquet, JSON, Excel) as a workspace table or a source.

An upload is streamed to a temp file in ``<workspace>/uploads`` (never held in memory), then:

- ``mode=table`` (the default): read by DuckDB (Excel: openpyxl) straight into a new version of
  a workspace table, through the crash-safe write of :meth:`Tables.save_file`; the upload is
  removed afterwards, the data now living in versioned Parquet.
- ``mode=source``: checked, renamed to ``uploads/<stem>-<token>.<ext>`` and registered as a source
  (an Excel sheet is converted to Parquet first: DuckDB reads no .xlsx here).

A failed import leaves neither a table version nor a file behind. CSV lines that DuckDB cannot
read (ragged rows, bad encoding, values that do not fit the sniffed type) are found with its
``store_rejects`` option, so the error names the line; ``ignore_errors`` skips them instead.
"""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import duckdb

from mlworkbench.core.data import csv_rejects, excel
from mlworkbench.core.data.catalog import Catalog
from mlworkbench.core.data.engine import Engine
from mlworkbench.core.data.identifiers import literal, safe_name
from mlworkbench.core.data.sources import SourceLocation
from mlworkbench.core.data.sql_errors import translate
from mlworkbench.core.errors import BadRequestError, ConflictError, InvalidRequestError
from mlworkbench.core.workspace.names import check_name, owner
from mlworkbench.core.workspace.store import Store
from mlworkbench.core.workspace.tables import Tables, _fsync
from mlworkbench.schemas import (
    CsvEncoding,
    ImportFileRequest,
    ImportFileResponse,
    ImportMode,
    RejectedRow,
    SourceKind,
)

# Longest suffixes first, so that ".csv.gz" wins over ".gz".
FORMATS: dict[str, str] = {
    ".csv.gz": "csv",
    ".tsv.gz": "csv",
    ".csv": "csv",
    ".tsv": "csv",
    ".txt": "csv",
    ".parquet": "parquet",
    ".pq": "parquet",
    ".ndjson": "json",
    ".jsonl": "json",
    ".json": "json",
    ".xlsx": "excel",
    ".xlsm": "excel",
}
ACCEPTED = (
    "CSV (.csv, .tsv, .txt, .csv.gz), Parquet (.parquet, .pq), JSON (.json, .ndjson, .jsonl) "
    "and Excel (.xlsx, .xlsm)"
)
UPLOAD_PREFIX = ".upload-"


def split_filename(filename: str) -> tuple[str, str, str]:
    """(stem, suffix, format) of an uploaded file's name.

    Raises:
        BadRequestError: A path instead of a name, or an extension nobody reads; the message
            lists what is accepted.

    >>> split_filename("Sales 2024.csv.gz")
    ('Sales 2024', '.csv.gz', 'csv')
    """
    if "/" in filename or "\\" in filename or filename in (".", ".."):
        raise BadRequestError(
            "filename", f"'{filename}' is a path; send the file's name only.", filename=filename
        )
    lower = filename.lower()
    for suffix, fmt in FORMATS.items():
        if lower.endswith(suffix) and len(filename) > len(suffix):
            return filename[: -len(suffix)], suffix, fmt
    hint = " Save an .xls workbook as .xlsx first." if lower.endswith(".xls") else ""
    raise BadRequestError(
        "filename",
        f"Cannot import '{filename}': unknown file type. Accepted: {ACCEPTED}.{hint}",
        filename=filename,
        accepted=sorted(FORMATS),
    )


class Upload:
    """A file being received into the uploads folder under a temp name.

    Write it chunk by chunk (:meth:`write`), then hand it to :meth:`Imports.import_upload`,
    which always removes the temp file. :meth:`discard` drops an upload that will not be used.
    """

    def __init__(self, folder: Path, request: ImportFileRequest) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.request = request
        self.path = folder / f"{UPLOAD_PREFIX}{uuid.uuid4().hex}.tmp"
        self.size = 0
        self._file: IO[bytes] | None = open(self.path, "wb")

    def write(self, chunk: bytes) -> None:
        """Append a chunk to the file."""
        assert self._file is not None, "the upload is finished"
        self._file.write(chunk)
        self.size += len(chunk)

    def finish(self) -> None:
        """Flush and fsync: the bytes are on disk."""
        if self._file is not None:
            self._file.flush()
            os.fsync(self._file.fileno())
            self._file.close()
            self._file = None

    def discard(self) -> None:
        """Close and delete the temp file."""
        if self._file is not None:
            self._file.close()
            self._file = None
        self.path.unlink(missing_ok=True)


@dataclass
class _Outcome:
    """What reading the file learnt, beyond the row count."""

    sheet: str | None = None
    sheets: list[str] = field(default_factory=list)
    rejected_rows: int = 0
    rejected: list[RejectedRow] = field(default_factory=list)


class Imports:
    """Upload files into the workspace as tables or sources.

    Args:
        workspace: The workspace directory (uploads go to ``<workspace>/uploads``).
        store: The metadata store.
        engine: The DuckDB that reads the files.
        tables: Workspace tables (mode=table).
        catalog: The catalog (mode=source).
    """

    def __init__(
        self, workspace: Path, store: Store, engine: Engine, tables: Tables, catalog: Catalog
    ) -> None:
        self.folder = workspace / "uploads"
        self._store = store
        self._engine = engine
        self._tables = tables
        self._catalog = catalog

    def check(self, request: ImportFileRequest) -> str:
        """Refuse a request before its file is sent: a bad file name or type, a bad name, a
        name that is taken, options that do not fit the mode.

        Returns:
            The name the table or source will get.

        Raises:
            BadRequestError: The file name is a path, or its type is not accepted.
            InvalidRequestError: The name is not usable; CSV options given for a source.
            ConflictError: The name is taken (and ``overwrite`` does not apply).
        """
        stem, _, fmt = split_filename(request.filename)
        name = request.name if request.name is not None else safe_name(stem)
        check_name(name)
        if request.mode is ImportMode.source:
            options = []
            if request.encoding is not CsvEncoding.utf_8:
                options.append("encoding")
            options += [o for o in ("delimiter", "header") if getattr(request, o) is not None]
            options += ["ignore_errors"] if request.ignore_errors else []
            if options:
                raise InvalidRequestError(
                    options[0],
                    f"{', '.join(options)} apply to mode=table only: a source is read with "
                    "DuckDB's defaults. Import the file as a table, or fix the file.",
                )
        if request.sheet is not None and fmt != "excel":
            raise InvalidRequestError("sheet", "'sheet' applies to Excel files (.xlsx) only.")
        with self._store.read() as session:
            taken = owner(session, name)
        if taken and (request.mode is ImportMode.source or taken == "source"):
            raise ConflictError(
                f"A {taken} named '{name}' already exists; choose another name"
                + (" or remove the source first." if taken == "source" else "."),
                name=name,
            )
        if taken and not request.overwrite:
            raise ConflictError(
                f"Table '{name}' already exists; pass overwrite=true to import the file as a new "
                "version of it, or choose another name.",
                name=name,
            )
        return name

    def stage(self, request: ImportFileRequest) -> Upload:
        """Check the request (:meth:`check`), then open a temp file to receive the upload."""
        self.check(request)
        return Upload(self.folder, request)

    def import_file(
        self, path: str | os.PathLike, request: ImportFileRequest
    ) -> ImportFileResponse:
        """Copy a local file into the workspace and import it (the CLI's and Python's way in).

        Args:
            path: The file to import.
            request: How (``filename`` names the file's type).

        Returns:
            As :meth:`import_upload`.
        """
        upload = self.stage(request)
        try:
            with open(path, "rb") as f:
                while chunk := f.read(1 << 20):
                    upload.write(chunk)
        except BaseException:
            upload.discard()
            raise
        return self.import_upload(upload)

    def import_upload(self, upload: Upload) -> ImportFileResponse:
        """Import a received upload; its temp file is gone afterwards, whatever happens.

        Returns:
            The new table version or source, its columns and row count, and for a CSV read with
            ``ignore_errors`` the lines it skipped.

        Raises:
            InvalidRequestError: The file is empty or cannot be read; the message names the
                line (CSV, JSON), the byte offset (encoding) or the sheet (Excel) and the fix.
            ConflictError, BadRequestError: As for :meth:`check` (checked again: another
                process may have taken the name meanwhile).
        """
        try:
            upload.finish()
            request = upload.request
            name = self.check(request)
            if upload.size == 0:
                raise InvalidRequestError(
                    "file", f"The file '{request.filename}' is empty: there is nothing to import."
                )
            if request.mode is ImportMode.table:
                return self._as_table(upload, name)
            return self._as_source(upload, name)
        finally:
            upload.discard()

    def _as_table(self, upload: Upload, name: str) -> ImportFileResponse:
        request = upload.request
        _, _, fmt = split_filename(request.filename)
        outcome = _Outcome()

        def write(tmp: Path) -> int:
            return self._read(upload.path, fmt, request, tmp, outcome)

        lineage = f"-- imported from the upload '{request.filename}'\n" + self._reader_sql(
            request.filename, fmt, request, outcome
        )
        table = self._tables.save_file(name, write, sql=lineage, overwrite=request.overwrite)
        return ImportFileResponse(
            mode=ImportMode.table,
            name=table.name,
            filename=request.filename,
            size_bytes=upload.size,
            row_count=table.row_count,
            columns=table.columns,
            table=table,
            sheet=outcome.sheet,
            sheets=outcome.sheets,
            rejected_rows=outcome.rejected_rows,
            rejected=outcome.rejected,
        )

    def _as_source(self, upload: Upload, name: str) -> ImportFileResponse:
        request = upload.request
        stem, suffix, fmt = split_filename(request.filename)
        outcome = _Outcome()
        token = uuid.uuid4().hex[:8]
        base = safe_name(stem, "upload")
        if fmt == "excel":
            final = self.folder / f"{base}-{token}.parquet"
            tmp = self.folder / f"{UPLOAD_PREFIX}{token}.parquet.tmp"
            try:
                rows = self._read(upload.path, fmt, request, tmp, outcome)
                _fsync(tmp)
                os.replace(tmp, final)
            finally:
                tmp.unlink(missing_ok=True)
            kind = SourceKind.parquet
        else:
            rows = self._count(upload.path, fmt, request, outcome)
            final = self.folder / f"{base}-{token}{suffix}"
            os.replace(upload.path, final)
            kind = SourceKind(fmt)
        try:
            _fsync(self.folder)
            source = self._catalog.register_location(
                SourceLocation(str(final), kind), name, request.filename
            )
        except BaseException:
            final.unlink(missing_ok=True)
            raise
        table = source.tables[0] if source.tables else None
        return ImportFileResponse(
            mode=ImportMode.source,
            name=table.name if table else source.name,
            filename=request.filename,
            size_bytes=upload.size,
            row_count=table.row_count if table and table.row_count is not None else rows,
            columns=table.columns if table else [],
            source=source,
            sheet=outcome.sheet,
            sheets=outcome.sheets,
        )

    # -- reading ---------------------------------------------------------------------------

    @staticmethod
    def _reader_sql(
        path: str,
        fmt: str,
        request: ImportFileRequest,
        outcome: _Outcome,
        rejects: str | None = None,
    ) -> str:
        """The SELECT that reads the file (for Excel, the Parquet written from its sheet)."""
        if fmt == "parquet":
            return f"SELECT * FROM read_parquet({literal(path)})"
        if fmt == "json":
            return f"SELECT * FROM read_json({literal(path)})"
        if fmt == "excel":
            return f"-- sheet {request.sheet or outcome.sheet or '(the first)'}"
        options = [literal(path)]
        if request.encoding is not CsvEncoding.utf_8:
            options.append(f"encoding = {literal(request.encoding.value)}")
        if request.delimiter is not None:
            options.append(f"delim = {literal(request.delimiter)}")
        if request.header is not None:
            options.append(f"header = {str(request.header).lower()}")
        if rejects:
            options += csv_rejects.reader_options(rejects)
        return f"SELECT * FROM read_csv({', '.join(options)})"

    def _read(
        self, path: Path, fmt: str, request: ImportFileRequest, out: Path, outcome: _Outcome
    ) -> int:
        """Write the file's rows to ``out`` as Parquet; the row count."""
        if fmt == "excel":
            outcome.sheet, outcome.sheets, rows = excel.read_sheet(
                path, request.filename, request.sheet, out
            )
            return rows
        return self._scan(path, fmt, request, outcome, f"TO {literal(str(out))} (FORMAT parquet)")

    def _count(self, path: Path, fmt: str, request: ImportFileRequest, outcome: _Outcome) -> int:
        """Read the whole file once (so a bad line fails now, not in a later query)."""
        return self._scan(path, fmt, request, outcome, None)

    def _scan(
        self,
        path: Path,
        fmt: str,
        request: ImportFileRequest,
        outcome: _Outcome,
        copy_to: str | None,
    ) -> int:
        rejects = f"mlwb_rejects_{uuid.uuid4().hex[:12]}" if fmt == "csv" else None
        select = self._reader_sql(str(path), fmt, request, outcome, rejects)
        # A hash of the whole row, so that every value is read and checked (count(*) or count(t)
        # let DuckDB skip decoding the text, and a bad byte would go unnoticed).
        sql = (
            f"COPY ({select}) {copy_to}"
            if copy_to
            else f"SELECT count(hash(t)) FROM ({select}) t"
        )
        cursor = self._engine.cursor(refresh=False)
        try:
            rows = int(cursor.execute(sql).fetchall()[0][0])  # fetchall: the scan must end
            if rejects:
                outcome.rejected_rows, outcome.rejected = csv_rejects.check_rejects(
                    cursor, rejects, path, request
                )
        except duckdb.Error as error:
            translated = translate(error, sql="")
            if translated.code != "query_error":
                raise translated from None
            kind = {"csv": "CSV", "json": "JSON", "parquet": "Parquet"}[fmt]
            message = translated.message.replace(str(path), request.filename)
            raise InvalidRequestError(
                "file",
                f"Cannot read '{request.filename}' as {kind}: {message}",
                filename=request.filename,
            ) from None
        finally:
            cursor.close()
        return rows
