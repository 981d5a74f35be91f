"""The model registry: publish a training run's model as the next version of a name, with its
input signature, lineage, metrics and model card; aliases ('production') that move through
gates, with their history (``ws.registry``; REST under ``/models``)."""

from datetime import datetime
from typing import Any, Literal

from pydantic import Field

from mlworkbench.schemas._base import Model

__all__ = [
    "AliasAction",
    "DeleteModelQuery",
    "DescribeAliasMove",
    "DescribeModel",
    "DescribeModelVersion",
    "ExportModelRequest",
    "ExportedModel",
    "GateResultInfo",
    "ListModels",
    "LogicalType",
    "ModelAliasInfo",
    "ModelSignature",
    "ModelSignatureColumn",
    "ModelSummary",
    "ModelVersionSummary",
    "PublishModelRequest",
    "SetAliasGatesRequest",
    "SetAliasRequest",
    "UpdateModelCardRequest",
]

LogicalType = Literal["integer", "float", "boolean", "string", "datetime", "date"]
AliasAction = Literal["promote", "rollback", "remove"]


class ModelSignatureColumn(Model):
    """One input column of a model."""

    name: str
    type: LogicalType
    nullable: bool = Field(default=True, description="The training data held nulls in it")


class ModelSignature(Model):
    """The columns a model reads, in order; every prediction request is checked against it."""

    columns: list[ModelSignatureColumn]


class PublishModelRequest(Model):
    """Publish a training run's model as the next version of ``name``."""

    run_id: int = Field(description="A finished (or stopped) training run")
    name: str = Field(description="Letters, digits, '_' and '-', starting with a letter or '_'")
    artifact: str = Field(default="best", description="Which of the run's models: 'best', "
                                                      "'rank-2', ...")
    card: str | None = Field(default=None, description="Model card markdown (default: one "
                                                       "written from the run)")
    description: str | None = None


class GateResultInfo(Model):
    """One gate check of an alias move; ``passed`` null: unknown (a metric it reads is null)."""

    check: str
    passed: bool | None


class DescribeAliasMove(Model):
    """One move of an alias, or one a gate refused (``moved`` false). A ``remove`` (the alias
    was deleted) has ``from_version`` and ``to_version`` both the version it pointed at."""

    id: int
    alias: str
    action: AliasAction
    from_version: int | None
    to_version: int
    moved: bool
    gate_results: list[GateResultInfo]
    reason: str | None = None
    actor: str | None = None
    moved_at: datetime


class ModelAliasInfo(Model):
    """An alias, the version it points at (null until first moved) and its gates."""

    alias: str
    version: int | None
    gates: list[str] = Field(description="SQL checks on metrics every move must pass")
    updated_at: datetime


class ModelVersionSummary(Model):
    """One version, in a model's list."""

    version: int
    run_id: int | None
    artifact: str
    task: str | None
    target: str | None
    metrics: dict[str, Any]
    sha256: str
    description: str | None = None
    aliases: list[str] = Field(description="Aliases pointing at it")
    created_at: datetime


class DescribeModelVersion(Model):
    """A published version: its file, signature, lineage, metrics and card."""

    name: str
    version: int
    run_id: int | None
    artifact: str = Field(description="The run's artifact it was copied from")
    path: str = Field(description="The skops file, relative to the workspace")
    sha256: str
    size: int
    untrusted_types: list[str] = Field(description="Types skops does not trust by itself, all "
                                                   "on mlworkbench's trusted list")
    signature: ModelSignature
    task: str | None
    target: str | None
    classes: list[Any] | None = Field(description="Classes of a classifier, in the order of "
                                                  "its probabilities")
    metrics: dict[str, Any]
    lineage: dict[str, Any] = Field(description="run_id, experiment, sql and inputs (tables "
                                                "at their versions, files with sha256)")
    card: str = Field(description="Model card (markdown)")
    description: str | None = None
    aliases: list[str]
    created_at: datetime


class DescribeModel(Model):
    """A model: its versions (newest first), aliases and the history of alias moves."""

    name: str
    description: str | None = None
    created_at: datetime
    versions: list[ModelVersionSummary]
    aliases: list[ModelAliasInfo]
    alias_history: list[DescribeAliasMove] = Field(description="Newest first")


class ModelSummary(Model):
    """One model in the list."""

    name: str
    description: str | None = None
    latest_version: int | None
    versions: int
    aliases: dict[str, int | None] = Field(description="Alias -> version")
    task: str | None
    target: str | None
    updated_at: datetime


class ListModels(Model):
    """Every published model, most recently published first."""

    models: list[ModelSummary]


class SetAliasRequest(Model):
    """Point an alias at a version, through the alias's gates and ``gates``."""

    version: int
    gates: list[str] | None = Field(default=None, description="More checks for this move only")


class SetAliasGatesRequest(Model):
    """Gates an alias keeps: SQL conditions on metrics every move must pass."""

    gates: list[str]


class UpdateModelCardRequest(Model):
    """Replace a version's model card."""

    card: str


class DeleteModelQuery(Model):
    """Delete a model with every version and its alias history."""

    force: bool = Field(default=False, description="Even while aliases point at its versions")


class ExportModelRequest(Model):
    """Write a version as an MLflow model directory (``MLmodel`` with the ``python_function``
    and ``sklearn`` flavours, the skops file, signature, requirements and the card)."""

    path: str | None = Field(default=None, description="The directory to write, relative to "
                                                       "the Jupyter root (default: "
                                                       "mlflow-models/<name>-v<version>)")
    overwrite: bool = Field(default=False, description="Replace the directory when it exists "
                                                       "and is not empty (else 409)")


class ExportedModel(Model):
    """An MLflow model directory written from a published version."""

    name: str
    version: int
    path: str = Field(description="The directory, relative to the Jupyter root (absolute when "
                                  "it is outside it)")
    files: list[str] = Field(description="Files written, relative to ``path``")
    sha256: str = Field(description="The skops file's hash (the published one)")
    mlflow_uri_hint: str = Field(description="The shell command that serves it with MLflow")
