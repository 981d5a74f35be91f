"""Importing an uploaded file (CSV, Parquet, JSON, Excel) as a workspace table or a source."""

from enum import Enum

from pydantic import Field

from mlworkbench.schemas._base import Model
from mlworkbench.schemas.catalog import ColumnInfo, DescribeSource, DescribeTable


class ImportMode(str, Enum):
    """``table``: copied into a new version of a workspace table (versioned Parquet);
    ``source``: the file is kept under ``uploads/`` and registered as a source."""

    table = "table"
    source = "source"


class CsvEncoding(str, Enum):
    """The encodings DuckDB's CSV reader knows without extensions."""

    utf_8 = "utf-8"
    utf_16 = "utf-16"
    latin_1 = "latin-1"


class ImportFileRequest(Model):
    """How to import an uploaded file (sent as query parameters next to the file's bytes)."""

    filename: str = Field(
        min_length=1,
        max_length=255,
        description="The file's name; its extension says how to read it",
    )
    name: str | None = Field(
        default=None,
        max_length=128,
        description="The table's (or source's) name; default: the file name made SQL-safe",
    )
    mode: ImportMode = Field(default=ImportMode.table, description="table (default) or source")
    overwrite: bool = Field(
        default=False, description="When the table exists, write a new version instead of a 409"
    )
    sheet: str | None = Field(default=None, description="Excel: the sheet (default: the first)")
    encoding: CsvEncoding = Field(default=CsvEncoding.utf_8, description="CSV: the encoding")
    delimiter: str | None = Field(
        default=None,
        min_length=1,
        max_length=1,
        description="CSV: the delimiter (default: sniffed)",
    )
    header: bool | None = Field(
        default=None, description="CSV: whether the first line names the columns (default: sniffed)"
    )
    ignore_errors: bool = Field(
        default=False, description="CSV: skip rows that cannot be read instead of failing"
    )


class RejectedRow(Model):
    """A CSV line that could not be read (skipped with ``ignore_errors``)."""

    line: int
    byte_offset: int | None = None
    error: str
    text: str | None = Field(default=None, description="The line as read")


class ImportFileResponse(Model):
    """What was imported and where it is now."""

    mode: ImportMode
    name: str = Field(description="The table or source name, as written in SQL")
    filename: str
    size_bytes: int
    row_count: int | None
    columns: list[ColumnInfo] = []
    table: DescribeTable | None = Field(default=None, description="mode=table: the new version")
    source: DescribeSource | None = Field(default=None, description="mode=source: the source")
    sheet: str | None = Field(default=None, description="Excel: the sheet that was read")
    sheets: list[str] = Field(default=[], description="Excel: every sheet of the workbook")
    rejected_rows: int = Field(default=0, description="CSV lines skipped with ignore_errors")
    rejected: list[RejectedRow] = Field(default=[], description="The first skipped lines")
