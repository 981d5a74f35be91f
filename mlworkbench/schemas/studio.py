"""The Label Studio bridge of a label set: connect a project, push tasks, pull annotations, and
background tasks (push and pull run off the event loop; the client polls ``GET /tasks/{id}``).

The Label Studio URL and API key come from the server's configuration
(``c.MLWorkbench.label_studio_url`` / ``label_studio_api_key``) or its environment
(``LABEL_STUDIO_URL`` / ``LABEL_STUDIO_API_KEY``); the key never appears in a request or a
response."""

from datetime import datetime
from typing import Any, Literal

from pydantic import Field

from mlworkbench.schemas._base import Model
from mlworkbench.schemas.errors import ErrorResponse

StudioState = Literal[
    "not_connected", "not_configured", "ok", "unreachable", "key_refused", "project_missing"
]


class ConnectStudioRequest(Model):
    """Link a label set to a Label Studio project (created with a generated label config
    unless ``project_id`` names an existing one)."""

    url: str | None = Field(
        default=None,
        description="Label Studio's URL; default: the server's configured URL",
    )
    project_id: int | None = Field(
        default=None, ge=1, description="An existing project to link instead of creating one"
    )
    title: str | None = Field(
        default=None, max_length=50, description="The new project's title (default: the name)"
    )


class PushStudioRequest(Model):
    """Push items as tasks (only items not pushed before), optionally with pre-annotations."""

    sql: str | None = Field(
        default=None,
        description="A SELECT of the items to push (with the key column); default: the "
        "active-learning queue in rank order when it exists, else every item",
    )
    batch_size: int = Field(
        default=5000, ge=1, le=50_000,
        description="Tasks per import call (Label Studio recounts the project after each call: "
        "fewer, bigger calls are faster)",
    )
    predictions_from: Literal["queue"] | None = Field(
        default=None,
        description="'queue': the queue model's predicted label and confidence become "
        "pre-annotations (with its model version)",
    )


class StudioCounts(Model):
    """Counts of the linked project, for the panel's sync status."""

    tasks: int = Field(description="Tasks in the Label Studio project")
    annotated: int = Field(description="Tasks with at least one annotation there")
    pushed: int = Field(description="Items pushed from this label set")
    pulled: int = Field(description="Annotations pulled into this label set")
    unknown_labels: int = Field(
        default=0, description="Labels from Label Studio flagged 'unknown_label' (not a choice)"
    )
    deleted_upstream: int = Field(
        default=0, description="Labels from Label Studio flagged 'deleted_upstream' (task or annotation deleted)"
    )


class DescribeStudioLink(Model):
    """A label set's link to Label Studio and its sync status."""

    label_set: str
    state: StudioState
    configured: bool = Field(
        default=True,
        description="A Label Studio URL and API key are set (server config or environment); "
        "when False, ``message`` says how to set them",
    )
    message: str | None = Field(default=None, description="What is wrong and what to do")
    url: str | None = None
    project_id: int | None = None
    project_url: str | None = Field(default=None, description="The project's page in Label Studio")
    counts: StudioCounts | None = None
    last_push_at: datetime | None = None
    last_pull_at: datetime | None = None


class PushStudioResult(Model):
    """What a push did."""

    project_id: int
    pushed: int = Field(description="New tasks created")
    skipped: int = Field(description="Items already in the project (pushed before)")
    predictions: int = Field(description="Pre-annotations sent")
    model_version: str | None = None
    seconds: float


class PullStudioResult(Model):
    """What a pull did."""

    project_id: int
    incremental: bool = Field(description="Only tasks changed since the last pull were read")
    tasks_read: int
    annotations: int = Field(description="Annotations read")
    written: int = Field(description="New or changed labels written to the label set")
    unknown_labels: int = Field(description="Annotations with a label not in the choices (kept, flagged)")
    deleted_tasks: int = Field(description="Tasks deleted in Label Studio since (labels flagged)")
    deleted_annotations: int = Field(
        description="Annotations deleted in Label Studio since, on tasks still there (labels flagged)")
    seconds: float


class StudioTaskStarted(Model):
    """A push or pull started in the background: poll ``GET /tasks/{task_id}``."""

    task_id: str


class DescribeTask(Model):
    """A background task's progress and outcome."""

    task_id: str
    kind: str = Field(description="'push', 'pull', 'queue' or 'scoring'")
    done: int
    total: int | None = Field(description="None while unknown")
    message: str
    finished: bool
    cancelled: bool
    error: ErrorResponse | None = None
    result: dict[str, Any] | None = Field(default=None, description="The outcome once finished")


class CancelTaskResponse(Model):
    cancelled: bool = Field(description="False when the task had already finished")
