"""Server and workspace status."""

from pydantic import Field

from mlworkbench.schemas._base import Model


class DescribeStatus(Model):
    """Answered at once, even while queries run: the panel's health check."""

    version: str
    workspace: str
    duckdb_version: str
    running_queries: int
    counting_results: int = Field(
        description="Results still being copied and counted in the background"
    )
    open_results: int
