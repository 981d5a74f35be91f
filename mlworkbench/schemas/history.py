"""The query history: what ran, when, for how long, and how it ended."""

from datetime import datetime
from enum import Enum
from typing import Any

from pydantic import Field

from mlworkbench.schemas._base import Model


class QueryStatus(str, Enum):
    """How a run ended."""

    ok = "ok"
    error = "error"
    cancelled = "cancelled"


class QuerySource(str, Enum):
    """Where a query was run from."""

    panel = "panel"
    notebook = "notebook"
    cli = "cli"


class RecordQueryRequest(Model):
    """One finished run, as the core (or a magic) records it."""

    sql: str
    parameters: dict[str, Any] | list[Any] | None = None
    started_at: datetime
    duration_ms: float = Field(ge=0)
    rows: int | None = Field(default=None, description="Rows in the result, when known")
    status: QueryStatus
    error: str | None = None
    error_line: int | None = None
    error_column: int | None = None
    source: QuerySource = QuerySource.panel
    query_id: str | None = None


class DescribeHistoryEntry(RecordQueryRequest):
    """One entry of the history."""

    id: int


class ListHistoryRequest(Model):
    """A page of the history, newest first (sent as query parameters)."""

    limit: int = Field(default=50, ge=1, le=500, description="Entries per page (1-500)")
    offset: int = Field(default=0, ge=0, description="Entries to skip, newest first")
    q: str | None = Field(
        default=None, max_length=1000, description="Only entries whose SQL contains this text"
    )
    status: QueryStatus | None = Field(default=None, description="Only entries with this status")


class HistoryPage(Model):
    """A page of history entries, newest first."""

    entries: list[DescribeHistoryEntry]
    total: int = Field(description="Entries matching the search and filter")
    offset: int
    limit: int


class ClearHistoryResponse(Model):
    deleted: int = Field(description="How many entries were removed")
