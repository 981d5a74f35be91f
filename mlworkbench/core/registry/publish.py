"""What publishing a run's model records, gathered from the experiment store and the training
result, and the crash-safe copy of its file.

``gather`` reads the run (it must have ended with a model: 'finished', or 'stopped' keeping its
best), the artifact (its types must all be trusted), the signature (from the run's feature
report, or for a run not trained by ``ws.training`` from its query's column types), lineage,
metrics, task, target and classes. ``stage`` copies the skops file into a temp folder of the
model's folder, checking the sha256 the run recorded as it copies, and fsyncs it; the registry
renames the folder to ``v<N>`` inside the transaction that commits the version's row.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mlworkbench.core.errors import ConflictError, NotFoundError
from mlworkbench.core.experiments.artifacts import ArtifactAlteredError, UntrustedTypesError
from mlworkbench.core.registry.signature import infer_signature
from mlworkbench.core.workspace.tables import _fsync

if TYPE_CHECKING:
    from mlworkbench.core.experiments.records import RunArtifact, RunRecord
    from mlworkbench.core.workspace.workspace import Workspace

MODEL_FILE = "model.skops"
CARD_FILE = "card.md"
STAGING_PREFIX = ".publish-"


@dataclass
class Gathered:
    """Everything a new version records, but its number and card."""

    run: RunRecord
    artifact: RunArtifact
    signature: dict[str, Any]
    lineage: dict[str, Any]
    metrics: dict[str, Any]
    classes: list[Any] | None
    charts: list[str]


def gather(ws: Workspace, run_id: int, artifact: str) -> Gathered:
    """What publishing ``artifact`` of run ``run_id`` records.

    Raises:
        NotFoundError: No such run, or no such artifact (the message lists the run's).
        ConflictError: The run is running or failed (the message says why), or its input
            columns cannot be known.
        UntrustedTypesError: The model file holds types that are not trusted.
    """
    run = ws.experiments.get_run(run_id)
    if run.status == "running":
        raise ConflictError(f"Run {run.id} is still training: wait for it to finish (or stop "
                            "it; a stopped run keeps its best model), then publish.",
                            run=run.id, status=run.status)
    if run.status == "failed":
        raise ConflictError(f"Run {run.id} failed, so it has no model to publish: {run.error}",
                            run=run.id, status=run.status)
    chosen = next((a for a in run.artifacts if a.name == artifact), None)
    if chosen is None:
        known = ", ".join(a.name for a in run.artifacts) or "none"
        raise NotFoundError("artifact", artifact, f"Run {run.id} has no model named "
                                                  f"'{artifact}' (its models: {known}).",
                            known=[a.name for a in run.artifacts])
    if chosen.needs_trust:
        raise UntrustedTypesError(f"The model '{chosen.name}' of run {run.id}",
                                  chosen.needs_trust)
    result = _training_result(ws, run.id)
    if result is not None:
        features = result.get("features") or run.params.get("features") or []
        signature = infer_signature(result.get("feature_report") or {}, features)
    else:
        signature = _signature_of_query(ws, run)
    lineage = {
        "run_id": run.id,
        "experiment": run.experiment,
        "artifact": chosen.name,
        "sql": run.sql,
        "inputs": [i.to_dict() for i in run.inputs or []],
        "rows": (result or {}).get("rows") or run.params.get("rows"),
        "started_at": run.started_at.isoformat(),
        "versions": run.versions,
        "mlworkbench_version": run.mlworkbench_version,
    }
    classes = (result or {}).get("classes") if run.task != "regression" else None
    return Gathered(run, chosen, signature.to_dict(), lineage, dict(run.metrics),
                    classes or None, sorted((result or {}).get("charts") or {}))


def _training_result(ws: Workspace, run_id: int) -> dict[str, Any] | None:
    """The run's training result, or None for a run ``ws.training`` did not train."""
    try:
        return ws.training.result(run_id)
    except ConflictError:
        return None


def _signature_of_query(ws: Workspace, run: RunRecord) -> Any:
    """The signature from the column types of the run's query (its target left out)."""
    from mlworkbench.core.registry.signature import Signature, SignatureColumn, logical_type

    if not run.sql:
        raise ConflictError(
            f"Run {run.id} has neither a training result nor a query, so its model's input "
            "columns are unknown; train it with ws.training (or mlwb.train) to publish it.",
            run=run.id)
    frame = ws.query(f"SELECT * FROM ({ws.experiments.data_sql(run.id)}) AS run_data LIMIT 0")
    features = run.params.get("features") or [c for c in frame.columns if c != run.target]
    return Signature([SignatureColumn(str(c), logical_type(str(frame[c].dtype)))
                      for c in features if c in frame.columns])


def stage(model_folder: Path, artifact: RunArtifact) -> Path:
    """Copy the artifact's file into a new temp folder of ``model_folder`` as ``model.skops``,
    hashing it as it goes, and fsync it.

    Returns:
        The temp folder.

    Raises:
        NotFoundError: The run's file is gone.
        ArtifactAlteredError: Its content is not what the run recorded (nothing is left).
    """
    staging = model_folder / f"{STAGING_PREFIX}{uuid.uuid4().hex[:12]}"
    staging.mkdir(parents=True)
    target = staging / MODEL_FILE
    try:
        digest = hashlib.sha256()
        try:
            with open(artifact.path, "rb") as source, open(target, "wb") as out:
                while chunk := source.read(1 << 20):
                    digest.update(chunk)
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
        except FileNotFoundError:
            raise NotFoundError("file", artifact.path, f"The model file of run "
                                f"{artifact.run_id} is missing ({artifact.path}).") from None
        if digest.hexdigest() != artifact.sha256:
            raise ArtifactAlteredError(
                f"The model '{artifact.name}' of run {artifact.run_id}: its file was altered "
                "after training (sha256 differs); it is not published.", path=artifact.path)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        try:
            model_folder.rmdir()  # when this was to be the model's first version
        except OSError:
            pass
        raise
    return staging


def write_card(folder: Path, markdown: str) -> None:
    """Write ``card.md`` in ``folder``: temp name, fsync, rename."""
    tmp = folder / f".{CARD_FILE}.{uuid.uuid4().hex[:8]}.tmp"
    try:
        with open(tmp, "w", encoding="utf-8") as out:
            out.write(markdown)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, folder / CARD_FILE)
        _fsync(folder)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
