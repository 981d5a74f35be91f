"""Publishing from a notebook: ``mlwb.publish(run, "churn")``, ``mlwb.models()``,
``mlwb.model("churn@production").predict(df)``, ``mlwb.promote("churn", 2, "production")``,
``mlwb.export_model("churn@production", "deploy/churn")`` (an MLflow model directory),
``mlwb.remove_alias("churn", "staging")``.

Thin over ``ws.registry`` (the same calls the panel and the CLI make); the kernel's workspace is
the one ``mlwb.sql`` uses.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

from mlworkbench.notebook import runner

if TYPE_CHECKING:
    import pandas

    from mlworkbench.core.registry import LoadedModel
    from mlworkbench.schemas.registry import (
        DescribeAliasMove,
        DescribeModelVersion,
        ExportedModel,
    )

__all__ = ["PublishedVersion", "export_model", "model", "models", "promote", "publish",
           "remove_alias", "rollback"]


class PublishedVersion:
    """A published version as a notebook shows it: its model card, rendered.

    Attributes:
        name, version, run_id, sha256, signature, metrics, card: As ``describe_version``.
        described: The whole ``DescribeModelVersion``.
    """

    def __init__(self, described: DescribeModelVersion) -> None:
        self.described = described
        self.name = described.name
        self.version = described.version
        self.run_id = described.run_id
        self.sha256 = described.sha256
        self.signature = described.signature
        self.metrics = described.metrics
        self.card = described.card

    @property
    def ref(self) -> str:
        """``name@version``, what ``mlwb.model`` loads."""
        return f"{self.name}@{self.version}"

    def load(self) -> LoadedModel:
        """This version, loaded to predict."""
        return model(self.ref)

    def __repr__(self) -> str:
        return f"PublishedVersion({self.ref!r}, run_id={self.run_id})"

    def _repr_markdown_(self) -> str:
        columns = ", ".join(f"`{c.name}` {c.type}" for c in self.signature.columns)
        return (f"**Published `{html.escape(self.ref)}`** from run {self.run_id}; input: "
                f"{columns}.\n\n{self.card}")


def publish(run: Any, name: str, *, artifact: str = "best", card: str | None = None,
            description: str | None = None) -> PublishedVersion:
    """Publish a training run's model as the next version of ``name``.

    Args:
        run: A run (what ``mlwb.train`` returned) or its id.
        name: The model's name: letters, digits, '_' and '-'.
        artifact: Which of the run's models ('best', 'rank-2', ...).
        card: The model card's markdown (default: written from the run).
        description: A line about this version.

    Returns:
        The new version; it displays its model card.

    Raises:
        InvalidRequestError: A bad name.
        ConflictError: The run is running or failed (the message says why).
        NotFoundError: No such run or artifact.
    """
    run_id = getattr(run, "run_id", run)
    return PublishedVersion(runner().ws.registry.publish(
        int(run_id), name, artifact=artifact, card=card, description=description))


def models() -> pandas.DataFrame:
    """Published models, most recently published first: newest version, number of versions,
    aliases (alias -> version), task, target."""
    import pandas

    listed = runner().ws.registry.list_models().models
    frame = pandas.DataFrame([m.model_dump() for m in listed])
    return frame.set_index("name") if len(frame) else frame


def model(ref: str) -> LoadedModel:
    """Load a published model: ``"churn"`` (newest), ``"churn@production"``, ``"churn@2"``.
    ``.predict(df)`` checks ``df`` against its signature first.

    Raises:
        NotFoundError: No such model, alias or version (the message lists them).
        ModelTamperedError: Its file changed on disk since publishing.
    """
    return runner().ws.registry.load(ref)


def promote(name: str, version: int | str, alias: str, *,
            gates: list[str] | None = None) -> DescribeAliasMove:
    """Point ``alias`` of ``name`` at ``version``, through the alias's gates and ``gates``.

    Raises:
        GateFailedError: A gate failed (the check and the metric values); nothing moved.
    """
    from mlworkbench.core.labeling.annotators import local_annotator

    return runner().ws.registry.set_alias(name, alias, version, gates=gates,
                                          actor=local_annotator())


def rollback(name: str, alias: str) -> DescribeAliasMove:
    """Move ``alias`` of ``name`` back to its previous version (no gates apply)."""
    from mlworkbench.core.labeling.annotators import local_annotator

    return runner().ws.registry.rollback(name, alias, actor=local_annotator())


def remove_alias(name: str, alias: str) -> DescribeAliasMove | None:
    """Remove ``alias`` of ``name`` (and its gates); the removal is kept in the alias history.

    Returns:
        The recorded removal (None when the alias pointed at no version).

    Raises:
        NotFoundError: No such model or alias.
    """
    from mlworkbench.core.labeling.annotators import local_annotator

    return runner().ws.registry.remove_alias(name, alias, actor=local_annotator())


def export_model(ref: str, path: str | None = None, *, overwrite: bool = False,
                 input_example: Any = None) -> ExportedModel:
    """Write a published version as an MLflow model directory that ``mlflow.pyfunc.load_model``
    and ``mlflow models serve`` take (mlworkbench must be importable where it is loaded).

    Args:
        ref: ``"churn"`` (newest), ``"churn@production"``, ``"churn@2"``.
        path: The directory, relative to the current directory (default
            ``mlflow-models/<name>-v<version>`` under the Jupyter root).
        overwrite: Replace a previous export at ``path``.
        input_example: Real rows (a DataFrame) to keep as MLflow's input example.

    Returns:
        The directory, its files and ``mlflow_uri_hint``, the command that serves it.

    Raises:
        NotFoundError: No such model, alias or version.
        ConflictError: ``path`` exists and is not empty (pass overwrite to replace an export).
        ModelTamperedError: The published file changed on disk.
    """
    import os

    target = None if path is None else os.path.abspath(os.path.expanduser(path))
    return runner().ws.registry.export_mlflow(ref, target, overwrite=overwrite,
                                              input_example=input_example)
