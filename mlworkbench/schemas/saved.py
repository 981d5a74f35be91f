"""Saved queries: ``.sql`` files in the workspace's ``queries/`` folder."""

from datetime import datetime

from pydantic import Field

from mlworkbench.schemas._base import Model


class DescribeSavedQuery(Model):
    """A saved query as the sidebar lists it. Title and description come from an optional
    header comment (``-- title: ...`` / ``-- description: ...``) at the top of the file."""

    name: str = Field(description="The file name without '.sql'")
    title: str | None = None
    description: str | None = None
    modified_at: datetime
    size_bytes: int


class ReadSavedQueryResponse(DescribeSavedQuery):
    """A saved query with its text (the whole file, header comment included)."""

    sql: str


class ListSavedQueriesResponse(Model):
    queries: list[DescribeSavedQuery] = Field(description="Sorted by name")


class SaveQueryRequest(Model):
    """Write a saved query. A title or description given here replaces the file's header."""

    sql: str
    overwrite: bool = Field(
        default=False, description="Replace an existing query of this name instead of a 409"
    )
    title: str | None = Field(default=None, max_length=200)
    description: str | None = Field(default=None, max_length=2000)


class RenameSavedQueryRequest(Model):
    new_name: str = Field(min_length=1, max_length=104)
    overwrite: bool = Field(
        default=False, description="Replace a query that has the new name instead of a 409"
    )
