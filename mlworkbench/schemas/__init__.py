"""Request and response models shared by every way into mlworkbench.

These pydantic models are the single contract: the REST handlers read and write them, the core
functions take and return them, and ``scripts/generate_api.py`` turns them into ``openapi.json``
and ``src/api/types.ts``. Never hand-copy a shape into another language.
"""

from mlworkbench.schemas.catalog import (
    ColumnInfo,
    CompletionNames,
    DescribeCatalog,
    DescribeSource,
    DescribeTable,
    DescribeTableVersions,
    RegisterSourceRequest,
    SourceKind,
    TableVersionInfo,
)
from mlworkbench.schemas.errors import ErrorResponse
from mlworkbench.schemas.queries import (
    CancelQueryResponse,
    DescribeQuery,
    DescribeResult,
    ExportFormat,
    FetchPageRequest,
    QueryPage,
    QueryResult,
    ResultStatus,
    RunQueryRequest,
    SaveResultRequest,
    SortKey,
)
from mlworkbench.schemas.status import DescribeStatus

__all__ = [
    "CancelQueryResponse",
    "ColumnInfo",
    "CompletionNames",
    "DescribeCatalog",
    "DescribeQuery",
    "DescribeResult",
    "DescribeSource",
    "DescribeStatus",
    "DescribeTable",
    "DescribeTableVersions",
    "ErrorResponse",
    "ExportFormat",
    "FetchPageRequest",
    "QueryPage",
    "QueryResult",
    "RegisterSourceRequest",
    "ResultStatus",
    "RunQueryRequest",
    "SaveResultRequest",
    "SortKey",
    "SourceKind",
    "TableVersionInfo",
]
