"""Running SQL and paging through its results."""

from enum import Enum
from typing import Any

from pydantic import Field

from mlworkbench.schemas._base import Model
from mlworkbench.schemas.catalog import ColumnInfo

# A cell travels as JSON null, a bool, a number (only integers within +-2**53 and finite doubles,
# which JSON and JavaScript hold exactly) or DuckDB's own text for the value (DECIMAL, HUGEINT,
# BLOB, UUID, INTERVAL, dates and times, LIST, STRUCT, MAP, NaN, inf, ...), so that nothing is
# rounded or shown as [object Object].
Cell = None | bool | int | float | str


class RunQueryRequest(Model):
    """Run one or several statements; the last statement's result becomes a result session."""

    sql: str = Field(min_length=1)
    parameters: dict[str, Any] | list[Any] | None = Field(
        default=None, description="Bound by DuckDB: $name (dict) or ? / $1 (list)"
    )
    query_id: str | None = Field(
        default=None,
        pattern=r"^[A-Za-z0-9_-]{1,64}$",
        description="Chosen by the client so that it can cancel the query while it runs",
    )
    page_size: int = Field(default=100, ge=0, le=10_000)


class ResultStatus(str, Enum):
    """``counting`` while the total row count is still being computed in the background."""

    counting = "counting"
    ready = "ready"
    failed = "failed"


class QueryResult(Model):
    """The result of a run: its session id, columns, first page and timings."""

    query_id: str
    session_id: str
    columns: list[ColumnInfo]
    rows: list[list[Cell]]
    total_rows: int | None = Field(description="None until counted; see DescribeResult")
    status: ResultStatus
    statement_count: int
    elapsed_ms: float
    message: str | None = Field(
        default=None, description="For a statement with no rows, what it did (e.g. 'CREATE VIEW')"
    )


class SortKey(Model):
    column: str
    descending: bool = False


class FetchPageRequest(Model):
    """A window of a result, optionally sorted and filtered server-side."""

    offset: int = Field(default=0, ge=0)
    limit: int = Field(default=100, ge=0, le=10_000)
    sort: list[SortKey] = []
    filter: str | None = Field(
        default=None, description="A SQL boolean expression over the result's columns"
    )


class QueryPage(Model):
    session_id: str
    offset: int
    rows: list[list[Cell]]
    total_rows: int | None = Field(description="Rows after the filter; None while counting")
    columns: list[ColumnInfo]
    elapsed_ms: float


class DescribeResult(Model):
    session_id: str
    sql: str
    columns: list[ColumnInfo]
    total_rows: int | None
    status: ResultStatus
    error: str | None = None


class DescribeQuery(Model):
    """A query's progress while it runs, for the panel's progress bar."""

    query_id: str
    running: bool = Field(description="False once it finished, failed or was cancelled")
    progress: float | None = Field(
        default=None, description="Percent done (0-100); None when DuckDB cannot tell yet"
    )
    elapsed_ms: float | None = None


class CancelQueryResponse(Model):
    query_id: str
    cancelled: bool = Field(description="False when no query with this id was running")


class SaveResultRequest(Model):
    """Save a result as a workspace table: a new immutable version."""

    name: str = Field(min_length=1, max_length=128)
    overwrite: bool = Field(
        default=False, description="When the name exists: write a new version instead of a 409"
    )


class ExportFormat(str, Enum):
    csv = "csv"
    parquet = "parquet"
