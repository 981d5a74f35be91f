"""One training run being written: ``run.log_params``, ``log_metrics``, ``log_artifact``,
``finish``; as a context manager it ends the run whatever happens in the block."""

from __future__ import annotations

import json
import os
import socket
import traceback
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from mlworkbench.core.errors import ConflictError, InvalidRequestError, QueryCancelledError
from mlworkbench.core.experiments.artifacts import write_artifact
from mlworkbench.core.experiments.records import RunArtifact, RunRecord, jsonable
from mlworkbench.core.workspace.store import RunArtifactRow, RunRow, utcnow

if TYPE_CHECKING:
    from mlworkbench.core.experiments.experiments import Experiments

STATUSES = ("running", "finished", "failed", "stopped")
ENDINGS = ("finished", "failed", "stopped")
MAX_NAME = 128


class Run:
    """A run of the experiment store, to log into while it runs.

    Get one from ``ws.experiments.start_run(...)`` (or ``ws.experiments.run(id)`` in another
    process). Used as a context manager, the run is finished when the block ends, marked
    'failed' with the error when it raises, and 'stopped' on ``KeyboardInterrupt`` or a
    cancelled task (``QueryCancelledError``); the exception propagates.

    Attributes:
        id: The run's id.
        experiment: Its experiment's name.
    """

    def __init__(self, experiments: Experiments, run_id: int, experiment: str) -> None:
        self._experiments = experiments
        self.id = run_id
        self.experiment = experiment

    def __repr__(self) -> str:
        return f"Run(id={self.id}, experiment={self.experiment!r})"

    def __enter__(self) -> Run:
        return self

    def __exit__(self, kind, error, _traceback) -> None:
        if self._stored_status() != "running":
            return  # ended inside the block
        if error is None:
            self.finish()
        elif isinstance(error, (KeyboardInterrupt, QueryCancelledError)):
            self.finish("stopped", error=f"Stopped ({_describe(error)}).")
        else:
            self.finish("failed", error=_describe(error))

    def log_params(self, params: Mapping[str, Any] | None = None, **more: Any) -> None:
        """Add parameters (merged into those logged before; a name logged again is replaced).

        Args:
            params: Names and values; values are stored as JSON (see ``records.jsonable``).
            **more: More of them.

        Raises:
            ConflictError: The run has ended.
        """
        self._merge("params", {**(params or {}), **more})

    def log_metrics(self, metrics: Mapping[str, Any] | None = None, **more: Any) -> None:
        """Add metrics (merged like :meth:`log_params`; NaN and infinities become None).

        Raises:
            ConflictError: The run has ended.
        """
        self._merge("metrics", {**(metrics or {}), **more})

    def _merge(self, column: str, values: Mapping[str, Any]) -> None:
        values = jsonable(values)
        with self._experiments.write() as session:
            row = self._running(session)
            setattr(row, column, json.dumps({**json.loads(getattr(row, column)), **values}))

    def log_artifact(
        self,
        obj: Any,
        name: str = "model",
        *,
        kind: str = "pipeline",
        rank: int | None = None,
        score: float | None = None,
    ) -> RunArtifact:
        """Save a fitted estimator or pipeline as a skops file of this run.

        The file is written to a temp name, fsynced and renamed before its row is committed:
        a crash at any point registers nothing half written.

        Args:
            obj: The fitted object.
            name: Its name within the run (unique per run).
            kind: What it is ('pipeline' for a model of the leaderboard).
            rank: Its place on the leaderboard (1 is best).
            score: Its leaderboard score.

        Returns:
            The artifact as registered.

        Raises:
            ConflictError: The run has ended, or it has an artifact of this name.
            InvalidRequestError: The name is empty or too long.
            TypeError: skops cannot save something in ``obj``.
        """
        _check_name(name)
        experiments = self._experiments
        with experiments.read() as session:
            self._running(session)
            self._check_free(session, name)
        written = write_artifact(experiments.run_folder(self.id), name, obj)
        try:
            with experiments.write() as session:
                self._running(session)
                self._check_free(session, name)
                row = RunArtifactRow(
                    run_id=self.id,
                    name=name,
                    kind=kind,
                    path=written.path.relative_to(experiments.workspace).as_posix(),
                    sha256=written.sha256,
                    size=written.size,
                    untrusted_types=json.dumps(written.untrusted_types),
                    rank=None if rank is None else int(rank),
                    score=jsonable(None if score is None else float(score)),
                    created_at=utcnow(),
                )
                session.add(row)
                session.flush()
                return experiments.artifact(row)
        except BaseException:
            written.path.unlink(missing_ok=True)
            raise

    def finish(self, status: str = "finished", *, error: str | None = None) -> RunRecord:
        """End the run.

        Args:
            status: 'finished', 'failed' or 'stopped' (stopped early: its artifacts are kept).
            error: Why it failed or stopped.

        Returns:
            The ended run.

        Raises:
            ConflictError: It has ended already.
            InvalidRequestError: Not one of the statuses above.
        """
        if status not in ENDINGS:
            raise InvalidRequestError("status", f"A run ends as one of: {', '.join(ENDINGS)}.")
        with self._experiments.write() as session:
            row = self._running(session)
            row.status = status
            row.ended_at = utcnow()
            row.duration_s = (row.ended_at - row.started_at).total_seconds()
            row.error = error
        return self.record()

    def stop(self, reason: str | None = None) -> RunRecord:
        """End the run early, keeping what it logged (``finish('stopped')``)."""
        return self.finish("stopped", error=reason)

    def fail(self, error: BaseException | str) -> RunRecord:
        """End the run as failed with ``error`` (an exception or a message)."""
        message = error if isinstance(error, str) else _describe(error)
        return self.finish("failed", error=message)

    def adopt(self, pid: int | None = None) -> None:
        """Record this process (pid and host) as the one running the run.

        Args:
            pid: Another process of this host instead (the training process a server just
                spawned: if it dies before it adopts the run itself, the run reads as failed).

        Raises:
            ConflictError: The run has ended.
        """
        with self._experiments.write() as session:
            row = self._running(session)
            row.pid, row.host = pid or os.getpid(), socket.gethostname()

    def record(self) -> RunRecord:
        """The run as stored now, with its inputs and artifacts."""
        return self._experiments.get_run(self.id)

    @property
    def data_sql(self) -> str | None:
        """The run's query reading the workspace table versions it started with (None: the run
        was given no query). See ``ws.experiments.data_sql``."""
        return self._experiments.data_sql(self.id)

    def load_artifact(self, name: str | None = None, *, trusted: Iterable[str | type] = ()):
        """Load one of this run's artifacts (see ``ws.experiments.load_artifact``)."""
        return self._experiments.load_artifact(self.id, name, trusted=trusted)

    def _running(self, session: Session) -> RunRow:
        row = session.get(RunRow, self.id)
        if row is None:
            raise ConflictError(f"Run {self.id} was deleted.", run=self.id)
        if row.status != "running":
            raise ConflictError(
                f"Run {self.id} has ended ({row.status}); start a new run to log more.",
                run=self.id,
                status=row.status,
            )
        return row

    def _check_free(self, session: Session, name: str) -> None:
        taken = session.scalar(
            select(RunArtifactRow.id)
            .where(RunArtifactRow.run_id == self.id)
            .where(RunArtifactRow.name == name)
        )
        if taken is not None:
            raise ConflictError(
                f"Run {self.id} already has an artifact named '{name}'; choose another name.",
                run=self.id,
                name=name,
            )

    def _stored_status(self) -> str | None:
        with self._experiments.read() as session:
            return session.scalar(select(RunRow.status).where(RunRow.id == self.id))


def _check_name(name: str) -> None:
    if not isinstance(name, str) or not name.strip():
        raise InvalidRequestError("name", "An artifact needs a name.")
    if len(name) > MAX_NAME or any(ord(c) < 32 for c in name):
        raise InvalidRequestError(
            "name", f"An artifact name is at most {MAX_NAME} characters, without control ones."
        )


def _describe(error: BaseException) -> str:
    message = getattr(error, "message", None)
    if isinstance(message, str):
        return f"{type(error).__name__}: {message}"
    return "".join(traceback.format_exception_only(type(error), error)).strip()

