"""Score a query: its rows with a published model's predictions saved as a new version of a
workspace table (``ws.scoring.score``; REST ``POST /scoring``)."""

from typing import Any

from pydantic import Field

from mlworkbench.schemas._base import Model
from mlworkbench.schemas.catalog import DescribeTable

__all__ = ["ScoreQueryRequest", "ScoreResponse"]


class ScoreQueryRequest(Model):
    """Score the rows of one SELECT with a published model."""

    sql: str = Field(min_length=1,
                     description="One SELECT whose columns include the model's input columns")
    model: str = Field(description="'name@alias', 'name@<version>' or 'name' (newest version)")
    into: str = Field(description="The workspace table to write (created, or a new version)")
    column: str = Field(default="prediction", description="The prediction column's name")
    probabilities: bool = Field(
        default=False, description="Also write '<column>_<class>' probability columns")
    parameters: dict[str, Any] | list[Any] | None = Field(
        default=None, description="Bound by DuckDB: $name (dict) or ? / $1 (list)")


class ScoreResponse(Model):
    """The table at its new version, and exactly which model scored it."""

    table: DescribeTable
    model: str
    version: int
    sha256: str = Field(description="The model file's hash")
    rows: int = Field(description="Rows scored and written")
    column: str
    lineage: str = Field(description="The version's recorded SQL: the same rows through "
                                     "predict() with this exact model version")
