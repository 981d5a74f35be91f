"""Training runs in their own processes (``ws.training``): the panel, the notebook and the CLI
start one, follow its progress, stop it and read its result.

``start`` checks the request on a cheap read (a bad query, target, feature, metric is refused
at once, with the field to fix), starts an experiment run (which pins the versions of the
tables the query reads; the request's fields are its parameters), and spawns ``python -m
mlworkbench.core.training.worker`` in a new session. The worker opens the same workspace, reads
the request back from the run (``request_of``), reads the pinned data, trains, and logs the
parameters, metrics, result and fitted pipelines into the run. Progress, the result and the
Stop request travel through small files of the run's job folder (``job_files.py``), so any
process that opens the workspace can follow or stop any run.

A training process that dies (killed, out of memory) leaves its run 'running' with a dead pid:
it reads as failed, with the reason.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mlworkbench.core.errors import ConflictError, InvalidRequestError
from mlworkbench.core.experiments.records import died
from mlworkbench.core.training.job_files import ERROR, LOG, PROGRESS, RESULT, JobFiles
from mlworkbench.schemas.errors import ErrorResponse
from mlworkbench.schemas.training import (
    CompareTrainingRuns,
    DescribeTrainingPreview,
    DescribeTrainingRun,
    ListTrainingRuns,
    ListTrainingRunsQuery,
    PreviewTrainingRequest,
    RunArtifactInfo,
    RunInputInfo,
    TrainingProgress,
    TrainingResult,
    TrainingRunSummary,
    TrainModelRequest,
)

if TYPE_CHECKING:
    from mlworkbench.core.experiments.records import RunRecord
    from mlworkbench.core.workspace.workspace import Workspace

#: Environment variable that hands the metadata URL to the training process (not argv: a
#: PostgreSQL URL may hold a password, and argv is visible to every user of the machine).
METADATA_URL_ENV = "MLWORKBENCH_METADATA_URL"


class TrainingJobs:
    """Training runs of a workspace, each trained in its own process.

    Args:
        workspace: The open workspace (its experiment store records the runs).
    """

    def __init__(self, workspace: Workspace) -> None:
        self._ws = workspace

    # --- before a run ----------------------------------------------------------------------

    def preview(self, request: PreviewTrainingRequest | None = None, /,
                **fields: Any) -> DescribeTrainingPreview:
        """The query's columns as training would see them (see ``preview.preview``).

        Args:
            request: The request, or its fields as keywords (``sql=..., target=...``).

        Raises:
            QueryError, InvalidRequestError, TargetMissingError: As ``preview.preview``.
        """
        from mlworkbench.core.training.preview import preview

        return preview(self._ws.engine, _request(PreviewTrainingRequest, request, fields))

    # --- running ---------------------------------------------------------------------------

    def start(self, request: TrainModelRequest | None = None, /, **fields: Any) -> int:
        """Start training in its own process and return at once.

        Args:
            request: The request, or its fields as keywords (``sql=..., target=...,
                budget_s=30``).

        Returns:
            The run's id; follow it with :meth:`describe` or :meth:`wait`.

        Raises:
            QueryError: The query does not bind (line and column point into it).
            InvalidRequestError: A bad field (unknown feature or slice column, a metric that
                does not fit the task, a negative budget, a bad experiment name).
            TargetMissingError: The target is not a column of the query, or is all null.
        """
        from mlworkbench.core.training.preview import check_request

        request = _request(TrainModelRequest, request, fields)
        task = check_request(self._ws.engine, request)
        params = request.model_dump(exclude={"sql", "experiment"})  # see request_of
        run = self._ws.experiments.start_run(request.experiment, sql=request.sql, params=params,
                                             task=request.task or task, target=request.target)
        files = JobFiles(self._ws.path, run.id)
        try:
            files.write(PROGRESS, {"phase": "starting", "metric": request.metric,
                                   "budget_s": request.budget_s, "updated_at": _now()})
            process = self._spawn(run.id, files)
        except BaseException as error:
            run.fail(f"The training process could not be started: {error}")
            raise
        try:
            run.adopt(pid=process.pid)
        except ConflictError:
            pass  # it has ended already (refused its data at once): nothing to watch
        return run.id

    def _spawn(self, run_id: int, files: JobFiles) -> subprocess.Popen:
        import mlworkbench

        ws = self._ws
        env = dict(os.environ)
        source = str(Path(mlworkbench.__file__).resolve().parent.parent)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (source, env.get("PYTHONPATH")) if p)
        env[METADATA_URL_ENV] = ws.store.url
        args = [sys.executable, "-m", "mlworkbench.core.training.worker",
                "--workspace", str(ws.path), "--root-dir", str(ws.root_dir), "--run", str(run_id),
                "--memory-limit", ws.engine.memory_limit]
        if ws.allow_outside_root:
            args.append("--allow-outside-root")
        with open(files.path(LOG), "ab") as log:
            process = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=log,
                                       stderr=subprocess.STDOUT, env=env, cwd=str(ws.root_dir),
                                       start_new_session=True)
        # Reap it when it ends, so that its pid reads as dead (not a zombie) at once.
        threading.Thread(target=process.wait, name=f"mlworkbench-train-{run_id}",
                         daemon=True).start()
        return process

    def stop(self, run_id: int) -> DescribeTrainingRun:
        """Ask a run to stop: it ends 'stopped', keeping the best model found so far (the
        baselines always run first, so there is one). Asking again, or once it ended, is
        harmless.

        Raises:
            NotFoundError: No such run.
        """
        record = self._ws.experiments.get_run(run_id, details=False)
        if record.status == "running":
            JobFiles(self._ws.path, record.id).request_stop()
        return self.describe(record.id)

    def wait(self, run_id: int, on_progress: Callable[[TrainingProgress], None] | None = None,
             timeout: float | None = None, *, poll_s: float = 0.25,
             stop_on_interrupt: bool = True) -> DescribeTrainingRun:
        """Wait for a run to end.

        Args:
            run_id: The run.
            on_progress: Called with each new progress report.
            timeout: Give up after this many seconds (TimeoutError; the run goes on).
            poll_s: Seconds between looks.
            stop_on_interrupt: On Ctrl-C (KeyboardInterrupt), ask the run to stop and wait for
                it to end with its best model; a second Ctrl-C stops waiting.

        Returns:
            The ended run (see :meth:`describe`).

        Raises:
            TimeoutError: It was still running after ``timeout`` seconds.
        """
        deadline = None if timeout is None else time.monotonic() + timeout
        experiments, seen = self._ws.experiments, None
        while True:
            try:
                record = experiments.get_run(run_id, details=False)
                progress = JobFiles(self._ws.path, record.id).read(PROGRESS)
                if on_progress is not None and progress and progress != seen:
                    seen = progress
                    on_progress(TrainingProgress.model_validate(progress))
                if record.status != "running":
                    return self.describe(record.id)
                if deadline is not None and time.monotonic() > deadline:
                    raise TimeoutError(f"Run {run_id} is still running after {timeout:g} s; "
                                       "wait again, or stop it.")
                time.sleep(poll_s)
            except KeyboardInterrupt:
                if not stop_on_interrupt:
                    raise
                stop_on_interrupt = False
                self.stop(run_id)

    # --- reading runs ----------------------------------------------------------------------

    def describe(self, run_id: int) -> DescribeTrainingRun:
        """A run: its status, latest progress, and once ended its result, metrics and lineage.

        Raises:
            NotFoundError: No such run.
        """
        record = self._ws.experiments.get_run(run_id)
        files = JobFiles(self._ws.path, record.id)
        progress = files.read(PROGRESS)
        result = files.read(RESULT) if record.status != "running" else None
        summary = _summary_fields(record, files)
        if summary["metric"] is None and progress:
            summary["metric"] = progress.get("metric")
        return DescribeTrainingRun(
            **summary,
            sql=record.sql,
            params=record.params,
            progress=TrainingProgress.model_validate(progress) if progress else None,
            result=TrainingResult.model_validate(result) if result else None,
            stop_requested=files.stop_requested,
            inputs=[RunInputInfo.model_validate(_input(i)) for i in record.inputs or []],
            artifacts=[RunArtifactInfo(name=a.name, kind=a.kind, rank=a.rank, score=a.score,
                                       size=a.size, sha256=a.sha256) for a in record.artifacts],
            mlworkbench_version=record.mlworkbench_version,
            versions=record.versions,
        )

    def result(self, run_id: int) -> dict[str, Any]:
        """The result of an ended run: ``TrainResult.to_dict()`` (leaderboard, metrics, charts,
        feature report...).

        Raises:
            NotFoundError: No such run.
            ConflictError: It is still running, or it ended without a result (the message says
                why).
        """
        record = self._ws.experiments.get_run(run_id, details=False)
        if record.status == "running":
            raise ConflictError(f"Run {record.id} is still training; wait for it, or stop it.",
                                run=record.id)
        files = JobFiles(self._ws.path, record.id)
        result = files.read(RESULT)
        if result is None:
            why = _error(record, files)
            reason = why.message if why else "it was not trained by ws.training"
            raise ConflictError(f"Run {record.id} has no training result: {reason}",
                                run=record.id, status=record.status)
        return result

    def load_pipeline(self, run_id: int, name: str | None = None) -> Any:
        """A fitted pipeline of the run: the best (default), or another leaderboard entry
        by artifact name ('rank-2'...). It takes the raw columns of the query.

        Raises:
            NotFoundError: No such run or artifact.
            ArtifactAlteredError: The file changed since it was written.
        """
        return self._ws.experiments.load_artifact(run_id, name)

    def list_runs(self, request: ListTrainingRunsQuery | None = None, /,
                  **fields: Any) -> ListTrainingRuns:
        """Runs, newest first.

        Raises:
            NotFoundError: No experiment of the name asked for.
        """
        request = _request(ListTrainingRunsQuery, request, fields)
        experiments = self._ws.experiments
        records = experiments.list_runs(request.experiment, status=request.status,
                                        limit=request.limit)
        return ListTrainingRuns(
            runs=[TrainingRunSummary(**_summary_fields(r, JobFiles(self._ws.path, r.id)))
                  for r in records],
            experiments=[e.name for e in experiments.list_experiments()],
        )

    def compare(self, run_ids: str | Sequence[int]) -> CompareTrainingRuns:
        """Runs side by side: their fields, ``params.*`` and ``metrics.*`` as columns, and
        what each read.

        Args:
            run_ids: Ids, or a text of ids separated by commas ("3,5").

        Raises:
            InvalidRequestError: No ids, or something that is not an id.
            NotFoundError: Some ids are not runs.
        """
        from mlworkbench.core.experiments.compare import compare_runs

        records = self._ws.experiments.get_runs(_ids(run_ids))  # one read, inputs included
        table = compare_runs(records).to_dict()
        inputs = {str(r.id): [RunInputInfo.model_validate(_input(x)) for x in r.inputs or []]
                  for r in records}
        return CompareTrainingRuns(columns=table["columns"], rows=table["rows"],
                                   differing=table["differing"], inputs=inputs)

    def delete(self, run_id: int) -> None:
        """Delete an ended run, its files and its job folder (``ws.experiments.delete_run``).

        Raises:
            NotFoundError: No such run.
            ConflictError: It is still running: stop it first.
        """
        self._ws.experiments.delete_run(run_id)


def request_of(record: RunRecord) -> TrainModelRequest:
    """The request a run was started with: :meth:`TrainingJobs.start` keeps its fields as the
    run's parameters, its query and experiment as the run's own (the training process reads
    it back before it logs parameters of its own)."""
    return TrainModelRequest.model_validate(
        {**record.params, "sql": record.sql, "experiment": record.experiment})


def _request(model: Any, request: Any, fields: dict[str, Any]) -> Any:
    """``request`` as ``model`` (or ``model`` built from keywords); a bad field is an
    ``InvalidRequestError`` naming it, as the REST handlers answer."""
    from pydantic import ValidationError

    if request is not None and fields:
        raise TypeError("Give either a request model or its fields as keywords, not both.")
    if isinstance(request, model):
        return request
    try:
        return model.model_validate(fields if request is None else request)
    except ValidationError as error:
        first = error.errors(include_url=False)[0]
        field = ".".join(str(p) for p in first["loc"]) or "request"
        raise InvalidRequestError(field, f"Invalid '{field}': {first['msg']}.") from None


def _ids(run_ids: str | Sequence[int]) -> list[int]:
    parts = run_ids.split(",") if isinstance(run_ids, str) else list(run_ids)
    try:
        ids = [int(str(p).strip()) for p in parts if str(p).strip()]
    except ValueError:
        raise InvalidRequestError("runs", f"Run ids are numbers separated by commas (e.g. "
                                          f"3,5), not {run_ids!r}.") from None
    if not ids:
        raise InvalidRequestError("runs", "Name the runs to compare: ids separated by commas.")
    return ids


def _summary_fields(record: RunRecord, files: JobFiles) -> dict[str, Any]:
    params = record.params
    metric = params.get("metric")
    return dict(
        run_id=record.id, experiment=record.experiment, status=record.status,
        started_at=record.started_at, ended_at=record.ended_at, duration_s=record.duration_s,
        target=record.target, task=record.task, metric=metric,
        budget_s=params.get("budget_s"),
        best_score=record.metrics.get(f"cv_{metric}") if metric else None,
        best_candidate=params.get("best_candidate"),
        metrics=record.metrics, error=_error(record, files),
    )


def _error(record: RunRecord, files: JobFiles) -> ErrorResponse | None:
    if record.status in ("running", "finished"):
        return None
    stored = files.read(ERROR)
    if stored:
        return ErrorResponse.model_validate(stored)
    if died(record):
        log = _tail(files.path(LOG))
        last = log.strip().splitlines()[-1] if log.strip() else ""
        said = f" Its last output: {last}" if last else ""
        return ErrorResponse(
            message=f"The training process died (pid {record.pid}) before the run ended: it "
                    "was killed, or ran out of memory. Start the run again (a smaller budget "
                    f"or a sample of the rows needs less memory).{said}",
            code="process_died", detail={"pid": record.pid, "log": log or None})
    if record.error is None:
        return None
    code = "stopped" if record.status == "stopped" else "training_failed"
    return ErrorResponse(message=record.error, code=code, detail={})


def _tail(path: Path, size: int = 2000) -> str:
    """The end of the training process's output (why it died, when it could say)."""
    try:
        with open(path, "rb") as file:
            file.seek(max(0, file.seek(0, os.SEEK_END) - size))
            return file.read().decode("utf-8", errors="replace")
    except OSError:
        return ""


def _input(item: Any) -> dict[str, Any]:
    data = item.to_dict()
    return {k: data[k] for k in RunInputInfo.model_fields if k in data}


def _now() -> str:
    from datetime import datetime, timezone

    return datetime.now(timezone.utc).isoformat()
