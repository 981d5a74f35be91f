"""The active-learning queue of a label set: unlabeled items ordered by how unsure a model
trained on the current labels is about them (table ``<label set>_queue``)."""

from datetime import datetime
from typing import Literal

from pydantic import Field

from mlworkbench.schemas._base import Model

QueueStrategy = Literal["least_confidence", "margin", "entropy"]
QueueModelKind = Literal["text", "tabular", "custom"]


class RefreshQueueRequest(Model):
    """Train the quick model on the current labels and score every unlabeled item."""

    strategy: QueueStrategy = Field(
        default="least_confidence",
        description=(
            "How uncertainty is measured: least_confidence (1 - top probability), margin "
            "(1 - gap between the two top probabilities) or entropy (of the probabilities)"
        ),
    )
    batch_size: int = Field(
        default=10_000, ge=100, le=1_000_000, description="Unlabeled items scored per batch"
    )


class QueueItem(Model):
    """One row of the queue."""

    item_key: str
    rank: int = Field(description="1 = the item to label next")
    predicted: str | None = Field(description="The model's most likely label")
    confidence: float = Field(description="The probability of the predicted label")
    uncertainty: float = Field(description="The strategy's score: higher is labeled sooner")


class DescribeQueue(Model):
    """A freshly written queue: the model behind it and the first items."""

    label_set: str
    table: str = Field(description="The workspace table holding the queue (readable in SQL)")
    version: int = Field(description="The queue table's version written by this refresh")
    strategy: QueueStrategy
    model_kind: QueueModelKind = Field(
        description="text: TF-IDF + logistic regression; tabular: scaled numbers and one-hot "
        "categories + logistic regression; custom: the estimator passed in"
    )
    model_version: str
    multi: bool = Field(description="Multi-label (one-vs-rest) rather than one label per item")
    classes: list[str] = Field(description="The labels the model knows")
    trained_on: int = Field(description="Labeled items the model was fitted on")
    features: list[str] = Field(description="Source columns the model reads")
    ignored_columns: list[str] = Field(description="Source columns it could not use")
    scored: int = Field(description="Unlabeled items in the queue")
    seconds: float
    created_at: datetime
    top: list[QueueItem] = Field(description="The first items of the queue")
