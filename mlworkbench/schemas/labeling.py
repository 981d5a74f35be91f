"""Label sets and the built-in labeler: create, page items, record, skip, undo, progress."""

from datetime import datetime
from typing import Any, Literal

from pydantic import Field

from mlworkbench.schemas._base import Model

LabelSetKind = Literal["text", "image", "record"]
LabelSource = Literal["builtin", "labelstudio", "model"]
LabelStatus = Literal["ok", "unknown_label", "deleted_upstream"]
ItemFilter = Literal["all", "unlabeled", "disagreements", "uncertain"]


class LabelProgress(Model):
    """How far labeling is. Counts are of items of the source query."""

    total: int = Field(description="Items in the source query")
    labeled: int = Field(description="Items with at least one label")
    skipped: int = Field(description="Items skipped by someone and labeled by nobody")
    disagreements: int = Field(description="Items whose labels differ between annotators")
    unknown_labels: int = Field(description="Labels kept although not one of the choices")
    mine: int | None = Field(default=None, description="Items the asking annotator labeled")


class CreateLabelSetRequest(Model):
    """Label the items of a query: its rows, one per key."""

    name: str = Field(description="The label set's SQL table name")
    sql: str = Field(description="One SELECT over sources and tables: the items")
    key: str = Field(description="The column that identifies an item (unique)")
    choices: list[str] = Field(min_length=1, description="The labels to choose from")
    multi: bool = Field(default=False, description="Several labels per item")
    show: list[str] | None = Field(
        default=None, description="Columns shown to the annotator (default: all)"
    )
    kind: LabelSetKind | None = Field(
        default=None, description="How items are shown; inferred from the shown columns if absent"
    )
    overwrite: bool = Field(
        default=False, description="Replace the definition of an existing label set (labels stay)"
    )


class DescribeLabelSet(Model):
    """A label set: its items' query, choices and progress."""

    name: str
    sql: str
    key: str
    choices: list[str]
    multi: bool
    show: list[str]
    kind: LabelSetKind
    progress: LabelProgress
    version: int = Field(description="Current version of its table (a snapshot of the labels)")
    created_at: datetime
    links: dict[str, dict[str, Any]] = Field(
        default={}, description="Bridges (e.g. 'labelstudio') and their sync state"
    )
    error: str | None = Field(
        default=None,
        description="Why its items cannot be read now (in a list; progress is then zeros)",
    )


class ListLabelSets(Model):
    label_sets: list[DescribeLabelSet]


class FetchItemsRequest(Model):
    """A page of items in key order (or by uncertainty for 'uncertain')."""

    filter: ItemFilter = Field(
        default="all",
        description=(
            "all; unlabeled (no label yet, not skipped by you); disagreements (labels differ); "
            "uncertain (unlabeled, most uncertain first: needs the active-learning queue)"
        ),
    )
    offset: int = Field(default=0, ge=0)
    limit: int = Field(default=50, ge=1, le=1000)


class ItemImage(Model):
    """An image column's value for one item."""

    url: str = Field(
        description=(
            "A remote URL as is, or the API path of the local file relative to the mlworkbench "
            "API base ('labelsets/<name>/image?key=..&column=..')"
        )
    )
    local: bool = Field(description="A file under the Jupyter root (served by the image route)")
    missing: bool = Field(description="A local file that does not exist or may not be served")


class ItemLabel(Model):
    """One annotator's current label of an item from one source."""

    labels: list[str]
    annotator: str
    source: LabelSource | str
    status: LabelStatus | str
    labeled_at: datetime | None
    score: float | None = None
    model_version: str | None = None


class LabelItem(Model):
    """One item to label."""

    key: str
    position: int = Field(description="Its index in the filtered order (0-based)")
    fields: dict[str, Any] = Field(description="The shown columns, JSON-safe")
    images: dict[str, ItemImage] = Field(default={}, description="Shown columns holding images")
    labels: list[ItemLabel] = []
    mine: list[str] | None = Field(default=None, description="The asking annotator's label(s)")
    skipped: bool = Field(default=False, description="The asking annotator skipped it")
    disagreement: bool = Field(default=False, description="Annotators gave different labels")
    uncertainty: float | None = Field(
        default=None, description="The queue's score ('uncertain' filter only)"
    )


class ItemPage(Model):
    items: list[LabelItem]
    total: int = Field(description="Items matching the filter")
    offset: int


class RecordLabelRequest(Model):
    key: str = Field(description="The item's key")
    labels: list[str] = Field(description="One label (several for a multi-label set)")


class RecordLabelResponse(Model):
    event_id: int
    progress: LabelProgress


class SkipItemRequest(Model):
    key: str


class UndoLabelResponse(Model):
    key: str | None = Field(description="The item whose label or skip was undone (None: nothing)")
    progress: LabelProgress


class FetchImageQuery(Model):
    key: str
    column: str
