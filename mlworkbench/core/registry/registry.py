"""The model registry (``ws.registry``): publish a training run's model as the next version of
a name, move aliases through gates, read model cards, and load a version to predict.

Files live under ``<workspace>/models/<name>/v<N>/`` (``model.skops``, a copy of the run's file,
and ``card.md``); the rows in the metadata database. Publishing stages the copy in a temp
folder (fsynced), and inside the write transaction that numbers the version renames it to
``v<N>`` before the row is committed: a crash leaves at most an unregistered folder, which
the next publish of that number replaces. On SQLite the write lock numbers concurrent
publishes one after another; on other databases ``UniqueConstraint(model_id, version)`` makes
the loser of a race retry with the next number. Either way two publishes get two versions.

Registry writes leave the catalog generation alone: no DuckDB view depends on them.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from mlworkbench.core.data.identifiers import name_key
from mlworkbench.core.errors import ConflictError
from mlworkbench.core.registry import aliases as moves
from mlworkbench.core.registry.card import model_card
from mlworkbench.core.registry.loading import LoadedModel, ModelCache, parse_ref
from mlworkbench.core.registry.lookup import (
    check_model_name,
    find_model,
    find_version,
    resolve,
    version_number,
)
from mlworkbench.core.registry.publish import (
    CARD_FILE,
    MODEL_FILE,
    STAGING_PREFIX,
    gather,
    stage,
    write_card,
)
from mlworkbench.core.registry.signature import Signature
from mlworkbench.core.workspace.store import (
    ModelAliasRow,
    ModelRow,
    ModelVersionRow,
    utcnow,
)
from mlworkbench.core.workspace.tables import _fsync
from mlworkbench.schemas.registry import (
    DescribeAliasMove,
    DescribeModel,
    DescribeModelVersion,
    ExportedModel,
    ListModels,
    ModelAliasInfo,
    ModelSummary,
    ModelVersionSummary,
)

if TYPE_CHECKING:
    from mlworkbench.core.workspace.workspace import Workspace

#: Attempts at numbering a version when another process takes the same number meanwhile.
PUBLISH_ATTEMPTS = 8
#: A ``v<N>`` folder with no row, older than this, was left by a crash (younger: being
#: committed by another process right now).
STALE_SECONDS = 60.0


class Registry:
    """Published models of a workspace.

    Args:
        workspace: The open workspace (its experiment store holds the runs to publish).
    """

    def __init__(self, workspace: Workspace) -> None:
        self._ws = workspace
        self.folder = workspace.path / "models"
        self.model_cache = ModelCache()
        self.sweep()

    @contextmanager
    def _write(self) -> Iterator[Session]:
        with Session(self._ws.store.write_engine, expire_on_commit=False) as session:
            with session.begin():
                yield session

    # --- publishing ------------------------------------------------------------------------

    def publish(self, run_id: int, name: str, *, artifact: str = "best",
                card: str | None = None, description: str | None = None
                ) -> DescribeModelVersion:
        """Publish a run's model as the next version of ``name``.

        Args:
            run_id: A finished (or stopped) training run.
            name: The model's name (created on its first version).
            artifact: Which of the run's models ('best', 'rank-2', ...).
            card: The model card's markdown (default: written from the run).
            description: A line about this version.

        Returns:
            The new version.

        Raises:
            InvalidRequestError: A bad name (422).
            NotFoundError: No such run or artifact.
            ConflictError: The run is running or failed (409, says why); a model whose name
                differs only in case exists.
            ArtifactAlteredError: The run's file changed since training.
            UntrustedTypesError: The model holds types that are not trusted.
        """
        check_model_name(name)
        gathered = gather(self._ws, run_id, artifact)
        model_folder = self.folder / name
        staging = stage(model_folder, gathered.artifact)
        try:
            for attempt in range(PUBLISH_ATTEMPTS):
                placed: list = []  # the v<N> folder, once the staging folder is renamed to it
                try:
                    with self._write() as session:
                        row = self._add_version(session, name, model_folder, staging, gathered,
                                                card, description, placed)
                        return self._describe_version(session, name, row)
                except (IntegrityError, _Taken):
                    # Another process numbered this version first: try the next number.
                    _unplace(placed, staging)
                    if attempt == PUBLISH_ATTEMPTS - 1:
                        raise
                    time.sleep(0.05 * (attempt + 1))
                except BaseException:
                    _unplace(placed, staging)
                    raise
        finally:
            shutil.rmtree(staging, ignore_errors=True)  # gone when renamed; else a failure
        raise AssertionError("unreachable")

    def _add_version(self, session: Session, name: str, model_folder, staging, gathered,
                     card: str | None, description: str | None,
                     placed: list) -> ModelVersionRow:
        key = name_key(name)
        model = session.scalar(select(ModelRow).where(ModelRow.name_key == key))
        if model is None:
            model = ModelRow(name=name, name_key=key, description=None, created_at=utcnow())
            session.add(model)
            session.flush()
        elif model.name != name:
            raise ConflictError(f"A model named '{model.name}' exists; names that differ only "
                                f"in case would share a folder. Publish as '{model.name}'.",
                                name=name, existing=model.name)
        version = next_version(session, model.id)
        final = model_folder / f"v{version}"
        markdown = card if card is not None else model_card(
            name, version, task=gathered.run.task, target=gathered.run.target,
            signature=gathered.signature, lineage=gathered.lineage, metrics=gathered.metrics,
            charts=gathered.charts, description=description)
        artifact = gathered.artifact
        row = ModelVersionRow(
            model_id=model.id, version=version, run_id=gathered.run.id, artifact=artifact.name,
            path=(final / MODEL_FILE).relative_to(self._ws.path).as_posix(),
            sha256=artifact.sha256, size=artifact.size,
            untrusted_types=json.dumps(artifact.untrusted_types),
            signature=json.dumps(gathered.signature), lineage=json.dumps(gathered.lineage),
            metrics=json.dumps(gathered.metrics), task=gathered.run.task,
            target=gathered.run.target,
            classes=None if gathered.classes is None else json.dumps(gathered.classes),
            card=markdown, description=description, created_at=utcnow())
        session.add(row)
        session.flush()  # a number taken meanwhile fails here (IntegrityError), before any rename
        if final.exists():  # no row has this number: a crash left it, or a commit is under way
            fresh = time.time() - final.stat().st_mtime < STALE_SECONDS
            if fresh and not self._ws.store.is_sqlite:  # SQLite: we hold the write lock
                raise _Taken()
            shutil.rmtree(final)
        write_card(staging, markdown)
        os.replace(staging, final)
        placed.append(final)
        _fsync(model_folder)
        return row

    # --- reading ---------------------------------------------------------------------------

    def list_models(self) -> ListModels:
        """Every model with its newest version and aliases, most recently published first."""
        with self._ws.store.read() as session:
            models = list(session.scalars(select(ModelRow)))
            versions: dict[int, list[ModelVersionRow]] = {m.id: [] for m in models}
            for row in session.scalars(select(ModelVersionRow).order_by(
                    ModelVersionRow.version.desc())):
                versions.setdefault(row.model_id, []).append(row)
            by_id = {row.id: row.version for rows in versions.values() for row in rows}
            aliases: dict[int, dict[str, int | None]] = {m.id: {} for m in models}
            for alias in session.scalars(select(ModelAliasRow).order_by(ModelAliasRow.alias)):
                aliases.setdefault(alias.model_id, {})[alias.alias] = by_id.get(alias.version_id)
        summaries = []
        for model in models:
            rows = versions[model.id]
            newest = rows[0] if rows else None
            summaries.append(ModelSummary(
                name=model.name, description=model.description,
                latest_version=newest.version if newest else None, versions=len(rows),
                aliases=aliases[model.id], task=newest.task if newest else None,
                target=newest.target if newest else None,
                updated_at=newest.created_at if newest else model.created_at))
        summaries.sort(key=lambda s: s.updated_at, reverse=True)
        return ListModels(models=summaries)

    def describe_model(self, name: str) -> DescribeModel:
        """A model's versions (newest first), aliases and alias history.

        Raises:
            NotFoundError: No such model (the message lists them).
        """
        with self._ws.store.read() as session:
            model = find_model(session, name)
            aliases = moves.aliases_of(session, model)
            pointing = _pointing(aliases)
            versions = [ModelVersionSummary(
                version=r.version, run_id=r.run_id, artifact=r.artifact, task=r.task,
                target=r.target, metrics=json.loads(r.metrics), sha256=r.sha256,
                description=r.description, aliases=pointing.get(r.version, []),
                created_at=r.created_at) for r in session.scalars(
                    select(ModelVersionRow).where(ModelVersionRow.model_id == model.id)
                    .order_by(ModelVersionRow.version.desc()))]
            return DescribeModel(name=model.name, description=model.description,
                                 created_at=model.created_at, versions=versions,
                                 aliases=aliases, alias_history=moves.history(session, model))

    def describe_version(self, name: str, version: int | str) -> DescribeModelVersion:
        """One version: file, signature, lineage, metrics, card, aliases.

        Raises:
            NotFoundError: No such model or version (the message lists them).
        """
        with self._ws.store.read() as session:
            model = find_model(session, name)
            return self._describe_version(
                session, name, find_version(session, model, version_number(version)))

    def _describe_version(self, session: Session, name: str,
                          row: ModelVersionRow) -> DescribeModelVersion:
        model = session.get(ModelRow, row.model_id)
        pointing = _pointing(moves.aliases_of(session, model))
        return DescribeModelVersion(
            name=name, version=row.version, run_id=row.run_id, artifact=row.artifact,
            path=row.path, sha256=row.sha256, size=row.size,
            untrusted_types=json.loads(row.untrusted_types),
            signature=json.loads(row.signature), task=row.task, target=row.target,
            classes=None if row.classes is None else json.loads(row.classes),
            metrics=json.loads(row.metrics), lineage=json.loads(row.lineage), card=row.card,
            description=row.description, aliases=pointing.get(row.version, []),
            created_at=row.created_at)

    # --- changing --------------------------------------------------------------------------

    def update_card(self, name: str, version: int | str, markdown: str) -> DescribeModelVersion:
        """Replace a version's model card (the row and ``card.md``).

        Raises:
            NotFoundError: No such model or version.
        """
        with self._write() as session:
            model = find_model(session, name)
            row = find_version(session, model, version_number(version))
            row.card = markdown
            folder = (self._ws.path / row.path).parent
            if folder.is_dir():
                write_card(folder, markdown)
            return self._describe_version(session, name, row)

    def delete_version(self, name: str, version: int | str) -> None:
        """Delete a version and its files.

        Raises:
            NotFoundError: No such model or version.
            ConflictError: An alias points at it (409, names them): move them first.
        """
        with self._write() as session:
            model = find_model(session, name)
            row = find_version(session, model, version_number(version))
            held = list(session.scalars(select(ModelAliasRow.alias)
                                        .where(ModelAliasRow.version_id == row.id)))
            if held:
                raise ConflictError(
                    f"Model '{name}' version {row.version} is what {', '.join(held)} point"
                    f"{'s' if len(held) == 1 else ''} at; promote another version (or roll "
                    "back) first.", model=name, version=row.version, aliases=held)
            session.delete(row)
            folder = (self._ws.path / row.path).parent
        shutil.rmtree(folder, ignore_errors=True)  # after the commit: it was readable till then

    def delete_model(self, name: str, *, force: bool = False) -> None:
        """Delete a model, every version and its history.

        Args:
            name: The model.
            force: Delete it even while aliases point at its versions.

        Raises:
            NotFoundError: No such model.
            ConflictError: Aliases point at its versions (and ``force`` is false).
        """
        with self._write() as session:
            model = find_model(session, name)
            held = [a.alias for a in moves.aliases_of(session, model) if a.version is not None]
            if held and not force:
                raise ConflictError(f"Model '{name}' has aliases in use ({', '.join(held)}); "
                                    "pass force to delete it anyway.", model=name, aliases=held)
            session.execute(delete(ModelRow).where(ModelRow.id == model.id))
        shutil.rmtree(self.folder / name, ignore_errors=True)

    # --- aliases ---------------------------------------------------------------------------

    def set_alias(self, name: str, alias: str, version: int | str, *,
                  gates: list[str] | None = None, actor: str | None = None) -> DescribeAliasMove:
        """Point ``alias`` at ``version`` once the alias's gates and ``gates`` pass.

        Args:
            name: The model.
            alias: 'production', 'staging' or any identifier (created when new).
            version: The version.
            gates: Checks for this move only, beside the ones the alias keeps.
            actor: Who asked (kept in the history).

        Returns:
            The recorded move.

        Raises:
            NotFoundError: No such model or version.
            InvalidRequestError: A bad alias, or a gate DuckDB refuses (422, its message).
            GateFailedError: A gate failed (409, the checks and metric values); nothing moved,
                and the refusal is in the history.
        """
        with self._write() as session:
            move, refused = moves.move_alias(session, name, alias, version_number(version),
                                             gates=gates, actor=actor)
        if refused is not None:
            raise refused
        return move

    def set_gates(self, name: str, alias: str, gates: list[str]) -> ModelAliasInfo:
        """Keep ``gates`` on ``alias``: SQL checks on metrics every later move must pass
        (an empty list removes them).

        Raises:
            NotFoundError: No such model.
            InvalidRequestError: A bad alias, or a gate DuckDB refuses.
        """
        with self._write() as session:
            return moves.set_gates(session, name, alias, gates)

    def remove_alias(self, name: str, alias: str, *,
                     actor: str | None = None) -> DescribeAliasMove | None:
        """Delete ``alias`` (and the gates it keeps); the move is kept in the history.

        Returns:
            The recorded removal, or None when the alias pointed at no version (it only kept
            gates: nothing moved, nothing is recorded).

        Raises:
            NotFoundError: No such model or alias (the message lists the aliases).
        """
        with self._write() as session:
            return moves.remove_alias(session, name, alias, actor=actor)

    def rollback(self, name: str, alias: str, *, actor: str | None = None) -> DescribeAliasMove:
        """Move ``alias`` back to its previous version; no gates apply (see ``aliases.py``).

        Raises:
            NotFoundError: No such model.
            ConflictError: There is no earlier version (or it was deleted).
        """
        with self._write() as session:
            return moves.roll_back(session, name, alias, actor=actor)

    # --- exporting -------------------------------------------------------------------------

    def export_mlflow(self, ref: str, path: str | os.PathLike | None = None, *,
                      overwrite: bool = False, within_root: bool = False,
                      input_example: Any = None) -> ExportedModel:
        """Write a version as an MLflow model directory (``MLmodel`` with the
        ``python_function`` and skops ``sklearn`` flavours); see ``export_mlflow.py``.

        Args:
            ref: ``name``, ``name@alias`` or ``name@<version>``.
            path: The directory (relative: under the Jupyter root; default
                ``mlflow-models/<name>-v<version>``).
            overwrite: Replace a previous export at ``path``.
            within_root: Refuse a path outside the Jupyter root (the REST route sets it).
            input_example: Real rows (a DataFrame) to keep as MLflow's input example.

        Returns:
            The directory, its files and the command that serves it.

        Raises:
            NotFoundError: No such model, alias or version (404).
            BadRequestError: A path outside the root (with ``within_root``), or the root or
                the workspace itself (400).
            ConflictError: The directory exists and is not empty, without overwrite (409).
            ModelTamperedError: The published file changed on disk (409).
        """
        from mlworkbench.core.registry.export_mlflow import export_mlflow

        return export_mlflow(self._ws, ref, path, overwrite=overwrite,
                             within_root=within_root, input_example=input_example)

    # --- loading ---------------------------------------------------------------------------

    def load(self, ref: str) -> LoadedModel:
        """A published version, loaded: ``name`` (the newest), ``name@alias``, ``name@3`` or
        ``name@v3``. Cached in the process while the file is unchanged.

        Raises:
            NotFoundError: No such model, alias or version (the message lists them).
            ModelTamperedError: The file changed on disk since publishing (409).
            UntrustedTypesError: It holds types that are not trusted.
        """
        parsed = parse_ref(ref)
        with self._ws.store.read() as session:
            model, row = resolve(session, parsed)
            name = model.name
        pipeline = self.model_cache.load(name, row.version, self._ws.path / row.path, row.sha256)
        return LoadedModel(name=name, version=row.version,
                           signature=Signature.from_dict(json.loads(row.signature)),
                           task=row.task, target=row.target,
                           classes=_classes(row, pipeline), sha256=row.sha256,
                           pipeline=pipeline)

    def sweep(self, older_than: float = STALE_SECONDS) -> list[Any]:
        """Remove staging folders left by crashed publishes, once older than ``older_than``.

        Returns:
            What was removed.
        """
        removed = []
        cutoff = time.time() - older_than
        for staging in self.folder.glob(f"*/{STAGING_PREFIX}*") if self.folder.is_dir() else []:
            try:
                stale = staging.stat().st_mtime < cutoff
            except FileNotFoundError:  # renamed to its version meanwhile
                continue
            if stale:
                shutil.rmtree(staging, ignore_errors=True)
                removed.append(staging)
        return removed


class _Taken(Exception):
    """Another process is committing this version number right now."""


def next_version(session: Session, model_id: int) -> int:
    """One past the model's highest version (numbers are not reused while it is kept)."""
    return 1 + (session.scalar(select(func.max(ModelVersionRow.version))
                               .where(ModelVersionRow.model_id == model_id)) or 0)


def _classes(row: ModelVersionRow, pipeline: Any) -> list[Any] | None:
    """The classes recorded at publishing, else the fitted classifier's own (a run logged by
    hand has no training result to read them from)."""
    if row.classes is not None:
        return json.loads(row.classes)
    found = getattr(pipeline, "classes_", None) if row.task != "regression" else None
    return None if found is None else [v.item() if hasattr(v, "item") else v for v in found]


def _unplace(placed: list, staging) -> None:
    """Undo the rename of a version whose row was not committed."""
    for final in placed:
        if final.exists() and not staging.exists():
            os.replace(final, staging)


def _pointing(aliases: list[ModelAliasInfo]) -> dict[int, list[str]]:
    out: dict[int, list[str]] = {}
    for alias in aliases:
        if alias.version is not None:
            out.setdefault(alias.version, []).append(alias.alias)
    return out


__all__ = ["CARD_FILE", "MODEL_FILE", "Registry"]
