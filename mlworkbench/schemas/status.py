"""Server and workspace status."""

from mlworkbench.schemas._base import Model


class DescribeStatus(Model):
    """Answered at once, even while queries run: the panel's health check."""

    version: str
    workspace: str
    duckdb_version: str
    running_queries: int
    open_results: int
