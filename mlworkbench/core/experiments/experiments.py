"""The experiment store (``ws.experiments``): every training run with its parameters, metrics,
lineage (the table versions and files it read) and fitted pipelines.

``start_run`` pins the data first (see ``lineage.py``) and writes the run with its inputs in one
transaction, so a run never exists without its lineage. Run records live in the metadata
database; artifacts under ``<workspace>/experiments/runs/<id>/``. Writes here take the database's
write lock (queued across processes by SQLite's busy timeout) but leave the catalog generation
alone: no process needs to refresh its views for a run.
"""

from __future__ import annotations

import json
import os
import socket
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from mlworkbench.core.data.engine import Engine
from mlworkbench.core.errors import ConflictError, InvalidRequestError, NotFoundError
from mlworkbench.core.experiments import artifacts as files
from mlworkbench.core.experiments.compare import compare_runs, order_runs
from mlworkbench.core.experiments.lineage import (
    add_inputs,
    changed_files,
    input_from_row,
    pinned_sql,
    read_inputs,
)
from mlworkbench.core.experiments.records import (
    ExperimentRecord,
    RunArtifact,
    RunComparison,
    RunInput,
    RunRecord,
    died,
    dumps,
    library_versions,
)
from mlworkbench.core.experiments.run import STATUSES, Run
from mlworkbench.core.workspace.store import (
    ExperimentRow,
    RunArtifactRow,
    RunInputRow,
    RunRow,
    Store,
    utcnow,
)

if TYPE_CHECKING:
    from mlworkbench.core.labeling.label_sets import LabelSets

DEFAULT_EXPERIMENT = "default"
_BATCH = 500
#: The job folders of training runs, under the workspace (see ``job_folder``).
JOBS = Path("experiments", "jobs")


class Experiments:
    """Training runs of a workspace.

    Args:
        workspace: The workspace directory.
        store: Its metadata store.
        engine: The process's DuckDB (its parser finds what a query reads).
        labels: The label sets (a label set a run reads is snapshotted first).
    """

    def __init__(self, workspace: Path, store: Store, engine: Engine, labels: LabelSets) -> None:
        self.workspace = workspace
        self._store = store
        self._engine = engine
        self._labels = labels
        self.runs_folder = workspace / "experiments" / "runs"
        self.sweep()

    # --- sessions -------------------------------------------------------------------------

    def read(self):
        """A read-only session of the metadata store."""
        return self._store.read()

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A durable write transaction that leaves the catalog generation alone (a run changes
        no view)."""
        with Session(self._store.write_engine, expire_on_commit=False) as session:
            with session.begin():
                yield session

    def run_folder(self, run_id: int) -> Path:
        """Where the run's artifacts are written."""
        return self.runs_folder / str(run_id)

    # --- writing runs ---------------------------------------------------------------------

    def start_run(
        self,
        experiment: str = DEFAULT_EXPERIMENT,
        *,
        sql: str | None = None,
        params: dict[str, Any] | None = None,
        task: str | None = None,
        target: str | None = None,
    ) -> Run:
        """Start a run, pinning the data ``sql`` reads (see :meth:`data_sql`).

        Args:
            experiment: Its experiment's name (created when new).
            sql: The one SELECT the run trains on; each workspace table it names is pinned at
                its current version (a label set is snapshotted first), each source file is
                recorded with its sha256.
            params: Parameters known at the start (more with ``run.log_params``).
            task: 'binary', 'multiclass', 'regression', ...
            target: The target column.

        Returns:
            The run, 'running'; use it as a context manager to end it whatever happens.

        Raises:
            InvalidRequestError: A bad experiment name, or ``sql`` is not one SELECT.
            QueryError: ``sql`` does not parse.
        """
        experiment = _check_experiment(experiment)
        started = utcnow()
        inputs = []
        if sql is not None:
            cursor = self._engine.cursor(refresh=False)
            try:
                inputs = read_inputs(
                    cursor,
                    sql,
                    workspace=self.workspace,
                    store=self._store,
                    snapshot_label_set=self._snapshot_label_set,
                )
            finally:
                cursor.close()
        import mlworkbench

        fields = dict(
            status="running",
            started_at=started,
            params=dumps(params or {}),
            metrics="{}",
            task=task,
            target=target,
            sql=sql,
            mlworkbench_version=mlworkbench.__version__,
            versions=json.dumps(library_versions()),
            pid=os.getpid(),
            host=socket.gethostname(),
        )
        for attempt in range(2):
            try:
                with self.write() as session:
                    row = RunRow(experiment_id=self._experiment_id(session, experiment), **fields)
                    session.add(row)
                    session.flush()
                    add_inputs(session, row.id, inputs)
                break
            except IntegrityError:
                # Another process created the experiment meanwhile (on a database that does
                # not serialise writers as SQLite does): it exists now.
                if attempt:
                    raise
        return Run(self, row.id, experiment)

    def run(self, run_id: int, *, adopt: bool = False) -> Run:
        """A handle on an existing run, to log into it from another process.

        Args:
            run_id: The run.
            adopt: Record this process as the one running it (the training process of a run
                the server started), so that the run reads as failed if it dies.

        Raises:
            NotFoundError: No such run.
            ConflictError: ``adopt`` and the run has ended.
        """
        handle = Run(self, run_id, self.get_run(run_id, details=False).experiment)
        if adopt:
            handle.adopt()
        return handle

    def _experiment_id(self, session: Session, name: str) -> int:
        found = session.scalar(select(ExperimentRow.id).where(ExperimentRow.name == name))
        if found is not None:
            return found
        row = ExperimentRow(name=name, created_at=utcnow())
        session.add(row)
        session.flush()
        return row.id

    def _snapshot_label_set(self, name: str) -> None:
        """Snapshot a label set when labels were made since its newest snapshot, so that the
        version a run pins holds them."""
        self._engine.refresh()
        label_set = self._labels.get(name)
        seq, snapshot_seq = self._engine.label_views.seen(label_set.id)
        if seq != snapshot_seq:
            label_set.compact()

    # --- reading runs ---------------------------------------------------------------------

    def get_run(self, run_id: int, *, details: bool = True) -> RunRecord:
        """One run with its artifacts, and its inputs unless ``details`` is false.

        Raises:
            NotFoundError: No such run.
        """
        found = self._read(_runs().where(RunRow.id == int(run_id)), details)
        if not found:
            raise NotFoundError("run", str(run_id), f"No run with id {run_id}.")
        return found[0]

    def get_runs(self, run_ids: Sequence[int], *, details: bool = True) -> list[RunRecord]:
        """Runs by id, in the order asked, with their artifacts (and inputs unless
        ``details`` is false).

        Raises:
            NotFoundError: Some ids are not runs (the message lists them).
        """
        ids = [int(i) for i in run_ids]
        records = {r.id: r for r in self._read(_runs().where(RunRow.id.in_(ids)), details)}
        missing = [i for i in ids if i not in records]
        if missing:
            listed = ", ".join(map(str, missing))
            raise NotFoundError("run", listed, f"No runs with ids {listed}.", missing=missing)
        return [records[i] for i in ids]

    def _read(self, query: Any, details: bool) -> list[RunRecord]:
        """The runs ``query`` selects (``_runs()`` filtered), as records. A run read as dead
        (stored 'running', its process gone) is read once more: the process may have ended
        the run between the read of its row and the check of its pid, and a new read sees
        any ending committed before the process exited. So no caller needs to wait and read
        again.
        """
        with self.read() as session:
            rows = [tuple(r) for r in session.execute(query).all()]
            records = self._records(session, rows, details=details)
        dead = [r.id for r in records if died(r)]
        if not dead:
            return records
        with self.read() as session:
            rows = [tuple(r) for r in session.execute(_runs().where(RunRow.id.in_(dead))).all()]
            again = {r.id: r for r in self._records(session, rows, details=details)}
        return [again.get(r.id, r) for r in records]

    def list_runs(
        self,
        experiment: str | None = None,
        *,
        status: str | None = None,
        task: str | None = None,
        target: str | None = None,
        limit: int | None = None,
        order_by: str | None = None,
        details: bool = False,
    ) -> list[RunRecord]:
        """Runs, newest first unless ``order_by`` says otherwise.

        Args:
            experiment: Only this experiment's.
            status: Only runs in this status.
            task: Only runs of this task.
            target: Only runs with this target.
            limit: At most this many.
            order_by: 'started_at', 'duration_s', 'metrics.<name>' or 'params.<name>',
                ascending; '-' first for descending ('-metrics.roc_auc'). Runs without the
                value come last.
            details: Include each run's inputs.

        Raises:
            InvalidRequestError: An unknown status or ``order_by``.
            NotFoundError: No experiment of this name.
        """
        if status is not None and status not in STATUSES:
            raise InvalidRequestError("status", f"status is one of: {', '.join(STATUSES)}.")
        query = _runs().order_by(RunRow.started_at.desc(), RunRow.id.desc())
        if experiment is not None:
            query = query.where(ExperimentRow.name == experiment)
        if task is not None:
            query = query.where(RunRow.task == task)
        if target is not None:
            query = query.where(RunRow.target == target)
        if status is not None:
            # a run whose process died is stored 'running' and read as 'failed'
            stored = {status, "running"} if status == "failed" else {status}
            query = query.where(RunRow.status.in_(stored))
        elif limit is not None and order_by is None:
            query = query.limit(limit)
        records = self._read(query, details)
        if experiment is not None and not records:
            with self.read() as session:
                if not session.scalar(select(func.count()).where(ExperimentRow.name == experiment)):
                    raise NotFoundError("experiment", experiment)
        if status is not None:
            records = [r for r in records if r.status == status]
        if order_by is not None:
            records = order_runs(records, order_by)
        return records[:limit]

    def list_experiments(self) -> list[ExperimentRecord]:
        """Every experiment with its number of runs, newest activity first."""
        with self.read() as session:
            rows = session.execute(
                select(
                    ExperimentRow.name,
                    ExperimentRow.created_at,
                    func.count(RunRow.id),
                    func.max(RunRow.started_at),
                )
                .outerjoin(RunRow, RunRow.experiment_id == ExperimentRow.id)
                .group_by(ExperimentRow.id)
            ).all()
        records = [ExperimentRecord(*row) for row in rows]
        return sorted(records, key=lambda r: r.last_run_at or r.created_at, reverse=True)

    def compare(self, run_ids: Sequence[int]) -> RunComparison:
        """Runs side by side: their fields, parameters and metrics as columns.

        Args:
            run_ids: The runs, in the order of the rows.

        Returns:
            The comparison (``.to_pandas()`` for a DataFrame, ``.to_dict()`` for JSON).

        Raises:
            NotFoundError: Some ids are not runs (the message lists them).
        """
        return compare_runs(self.get_runs(run_ids, details=False))

    def _records(
        self, session: Session, rows: list[tuple[RunRow, str]], *, details: bool
    ) -> list[RunRecord]:
        ids = [row.id for row, _ in rows]
        artifacts: dict[int, list[RunArtifact]] = {i: [] for i in ids}
        inputs: dict[int, list[RunInput]] = {i: [] for i in ids}
        for i in range(0, len(ids), _BATCH):
            batch = ids[i : i + _BATCH]
            for artifact in session.scalars(
                select(RunArtifactRow)
                .where(RunArtifactRow.run_id.in_(batch))
                .order_by(RunArtifactRow.rank.is_(None), RunArtifactRow.rank, RunArtifactRow.id)
            ):
                artifacts[artifact.run_id].append(self.artifact(artifact))
            if details:
                for item in session.scalars(
                    select(RunInputRow)
                    .where(RunInputRow.run_id.in_(batch))
                    .order_by(RunInputRow.id)
                ):
                    inputs[item.run_id].append(RunInput.of(input_from_row(item), self.workspace))
        return [
            RunRecord.of(row, name, inputs[row.id] if details else None, artifacts[row.id])
            for row, name in rows
        ]

    def artifact(self, row: RunArtifactRow) -> RunArtifact:
        """The record of an artifact row."""
        return RunArtifact.of(row, self.workspace)

    # --- data and models of a run ---------------------------------------------------------

    def data_sql(self, run_id: int) -> str | None:
        """The run's query, reading each workspace table at the version the run pinned: the
        same rows however often the tables were saved since (sources are read as they are now;
        see :meth:`changed_inputs`).

        Returns:
            One SELECT, or None when the run was given no query.

        Raises:
            NotFoundError: No such run, or a pinned version's file was removed.
        """
        record = self.get_run(run_id, details=False)  # the inputs are read as rows below
        if record.sql is None:
            return None
        with self.read() as session:
            rows = session.scalars(select(RunInputRow).where(RunInputRow.run_id == record.id))
            inputs = [input_from_row(r) for r in rows]
        cursor = self._engine.cursor(refresh=False)
        try:
            return pinned_sql(cursor, record.sql, inputs, self.workspace)
        finally:
            cursor.close()

    def changed_inputs(self, run_id: int) -> list[dict[str, Any]]:
        """The source files the run read whose content has changed or vanished since.

        Returns:
            ``{"path", "name", "reason"}`` per file ('changed' or 'missing').

        Raises:
            NotFoundError: No such run.
        """
        record = self.get_run(run_id, details=False)  # the inputs are read as rows below
        with self.read() as session:
            rows = session.scalars(select(RunInputRow).where(RunInputRow.run_id == record.id))
            inputs = [input_from_row(r) for r in rows]
        return changed_files(inputs)

    def load_artifact(
        self, run_id: int, name: str | None = None, *, trusted: Iterable[str | type] = ()
    ) -> Any:
        """Load a run's fitted pipeline, refusing a file altered on disk or holding types that
        are not trusted (see ``artifacts.py``).

        Args:
            run_id: The run.
            name: The artifact (default: the best ranked).
            trusted: Further types to trust, by fully qualified name or as types.

        Returns:
            The fitted object.

        Raises:
            NotFoundError: No such run or artifact, or its file is gone.
            ArtifactAlteredError: The file's sha256 is not the recorded one (409).
            UntrustedTypesError: It holds types that are not trusted (422, lists them).
        """
        record = self.get_run(run_id, details=False)
        chosen = next(
            (a for a in record.artifacts if name is None or a.name == name), None
        )
        if chosen is None:
            known = ", ".join(a.name for a in record.artifacts) or "none"
            raise NotFoundError(
                "artifact",
                name or "",
                f"Run {record.id} has no artifact"
                + (f" named '{name}'" if name else "")
                + f" (its artifacts: {known}).",
            )
        what = f"The artifact '{chosen.name}' of run {record.id}"
        return files.read_artifact(Path(chosen.path), chosen.sha256, what, trusted)

    # --- removing -------------------------------------------------------------------------

    def delete_run(self, run_id: int, *, force: bool = False) -> None:
        """Delete a run, its lineage and its artifact files.

        Args:
            run_id: The run.
            force: Delete it even while its process is still running it.

        Raises:
            NotFoundError: No such run.
            ConflictError: It is running (and ``force`` is false).
        """
        record = self.get_run(run_id, details=False)
        if record.status == "running" and not force:
            raise ConflictError(
                f"Run {record.id} is still running (pid {record.pid} on {record.host}); "
                "stop it first, or pass force=True.",
                run=record.id,
            )
        with self.write() as session:
            session.execute(delete(RunRow).where(RunRow.id == record.id))
        # After the commit: until then the run's files must stay readable.
        import shutil

        shutil.rmtree(self.run_folder(record.id), ignore_errors=True)
        shutil.rmtree(job_folder(self.workspace, record.id), ignore_errors=True)

    def sweep(self, older_than: float = files.STALE_SECONDS) -> list[Path]:
        """Remove artifact files no run registers (left by a crash), and job folders of runs
        that no longer exist, once older than ``older_than`` seconds; runs when the store is
        first used in a process.

        Returns:
            What was removed.
        """
        jobs = self.workspace / JOBS
        if not self.runs_folder.is_dir() and not jobs.is_dir():
            return []
        registered: dict[str, set[str]] = {}
        with self.read() as session:
            for run_id in session.scalars(select(RunRow.id)):
                registered[str(run_id)] = set()
            for run_id, path in session.execute(select(RunArtifactRow.run_id, RunArtifactRow.path)):
                registered.setdefault(str(run_id), set()).add(Path(path).name)
        removed = files.sweep(self.runs_folder, registered, older_than)
        return removed + files.sweep_folders(jobs, set(registered), older_than)


def job_folder(workspace: Path, run_id: int) -> Path:
    """Where the training process of a run and its server exchange progress, the result and
    Stop (see ``core/training/job_files.py``); removed with the run."""
    return workspace / JOBS / str(int(run_id))


def _runs():
    """SELECT runs with their experiment's name."""
    return select(RunRow, ExperimentRow.name).join(
        ExperimentRow, ExperimentRow.id == RunRow.experiment_id
    )


def _check_experiment(name: str) -> str:
    if not isinstance(name, str) or not name.strip():
        raise InvalidRequestError("experiment", "An experiment needs a name.")
    name = name.strip()
    if len(name) > 128 or any(ord(c) < 32 for c in name):
        raise InvalidRequestError(
            "experiment", "An experiment name is at most 128 characters, without control ones."
        )
    return name
