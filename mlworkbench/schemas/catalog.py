"""Sources, workspace tables and their columns."""

from datetime import datetime
from enum import Enum

from pydantic import Field

from mlworkbench.schemas._base import Model


class SourceKind(str, Enum):
    """How a registered source is read. ``None`` in a request means: infer from the path."""

    csv = "csv"
    parquet = "parquet"
    json = "json"
    duckdb = "duckdb"


class ColumnInfo(Model):
    """One column as DuckDB types it (``DECIMAL(38,10)``, ``STRUCT(a INTEGER)``, ...)."""

    name: str
    type: str


class RegisterSourceRequest(Model):
    """Register a file, a glob, a folder of Parquet files or a DuckDB database file.

    The data stays where it is; the workspace only references it.
    """

    path: str = Field(description="File, glob (data/*.csv) or folder; relative to the Jupyter root")
    name: str | None = Field(
        default=None, description="SQL name; defaults to the file name without extension"
    )
    kind: SourceKind | None = Field(default=None, description="Inferred from the extension if absent")


class DescribeTable(Model):
    """A name a query can use: a source's view, a table of an attached database, or a
    workspace table (the current version of saved data)."""

    name: str = Field(description="The name to write in SQL, already quoted where needed")
    kind: str = Field(description="'source', 'database_table' or 'workspace_table'")
    source: str | None = None
    columns: list[ColumnInfo] = []
    row_count: int | None = None
    version: int | None = Field(default=None, description="Current version of a workspace table")
    error: str | None = Field(default=None, description="Why the table cannot be read right now")


class DescribeSource(Model):
    """A registered source and the tables it provides (one, or several for a database)."""

    name: str
    kind: SourceKind
    path: str
    created_at: datetime
    tables: list[DescribeTable] = []


class TableVersionInfo(Model):
    """One immutable version of a workspace table."""

    version: int
    row_count: int
    created_at: datetime
    path: str
    sql: str | None = None


class DescribeCatalog(Model):
    """Everything a query can read in this workspace."""

    sources: list[DescribeSource] = []
    tables: list[DescribeTable] = Field(default=[], description="Workspace tables")


class DescribeTableVersions(Model):
    """A workspace table with its whole version history, newest first."""

    table: DescribeTable
    versions: list[TableVersionInfo] = []


class CompletionNames(Model):
    """Table names and their columns, for the SQL editor's completion."""

    tables: dict[str, list[str]] = {}
