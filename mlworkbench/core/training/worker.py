"""The training process of one run (started by ``ws.training.start``)::

    python -m mlworkbench.core.training.worker --workspace W --root-dir R --run ID

It opens the workspace, adopts the run (so the run reads as failed if this process dies),
reads the data the run pinned, trains, and logs into the run: parameters, held-out and
cross-validated metrics, the best pipeline (and the next leaderboard entries when refitting
them is cheap) as skops files, and the result as JSON. Progress goes to the job folder after
each trial; Stop (the job folder's ``stop`` file, or SIGTERM) ends the search keeping the best.
The run ends 'finished', 'stopped', or 'failed' with the error (a ``WorkbenchError``'s
message and code are kept for the panel).
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import traceback
from datetime import datetime, timezone
from typing import Any

from mlworkbench.core.errors import WorkbenchError
from mlworkbench.core.training.job_files import ERROR, PROGRESS, RESULT, JobFiles

#: Leaderboard entries after the best that are refitted and kept...
KEEP_RUNNERS_UP = 2
#: ...when one of their cross-validation fits took at most this many seconds.
CHEAP_FIT_S = 5.0


class _Stop:
    """``should_stop`` of the search: the job's stop file, or SIGTERM."""

    def __init__(self, files: JobFiles) -> None:
        self.files = files
        self.signalled = False
        signal.signal(signal.SIGTERM, self._on_signal)

    def _on_signal(self, *_: Any) -> None:
        self.signalled = True

    def __call__(self) -> bool:
        return self.signalled or self.files.stop_requested


class _Reporter:
    """Writes each progress report (``Progress.to_dict()``: the leaderboard so far included)
    to ``progress.json``."""

    def __init__(self, files: JobFiles, budget_s: float) -> None:
        self.files, self.budget_s = files, budget_s
        self.last: dict[str, Any] = {}

    def __call__(self, progress: Any) -> None:
        self.write(progress.to_dict())

    def phase(self, phase: str) -> None:
        """A phase of the worker's own (reading, saving, done), keeping the latest report."""
        self.write({**self.last, "phase": phase})

    def write(self, data: dict[str, Any]) -> None:
        self.last = {**data, "budget_s": self.budget_s,
                     "updated_at": datetime.now(timezone.utc).isoformat()}
        self.files.write(PROGRESS, self.last)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Train one run of the experiment store.")
    parser.add_argument("--workspace", required=True)
    parser.add_argument("--root-dir", required=True)
    parser.add_argument("--run", type=int, required=True)
    parser.add_argument("--allow-outside-root", action="store_true")
    parser.add_argument("--memory-limit", default="768MB",
                        help="DuckDB's memory limit, the one of the process that started it")
    args = parser.parse_args(argv)

    from mlworkbench.core import Workspace
    from mlworkbench.core.training.jobs import METADATA_URL_ENV

    ws = Workspace.open(args.workspace, root_dir=args.root_dir,
                        allow_outside_root=args.allow_outside_root,
                        memory_limit=args.memory_limit,
                        metadata_url=os.environ.get(METADATA_URL_ENV) or None)
    try:
        return train_run(ws, args.run)
    finally:
        ws.close()


def train_run(ws: Any, run_id: int) -> int:
    """Train run ``run_id`` of ``ws`` as its request says; returns the process's exit code."""
    from mlworkbench.core.training import train

    from mlworkbench.core.training.jobs import request_of

    files = JobFiles(ws.path, run_id)
    run = ws.experiments.run(run_id, adopt=True)
    should_stop = _Stop(files)
    request = request_of(ws.experiments.get_run(run_id, details=False))
    reporter = _Reporter(files, request.budget_s)
    limit = ws.query("SELECT current_setting('memory_limit') AS m")["m"].iloc[0]
    print(f"Training run {run_id} in pid {os.getpid()}; DuckDB memory_limit {limit}", flush=True)
    try:
        reporter.phase("reading")
        frame = ws.query(run.data_sql)
        result = train(frame, request.target, task=request.task, features=request.features,
                       metric=request.metric, budget_s=request.budget_s,
                       should_stop=should_stop, progress=reporter,
                       random_state=request.random_state, folds=request.folds,
                       slice_by=request.slice_by, max_trials=request.max_trials,
                       refit_all=request.refit_all)
        del frame
        reporter.phase("saving")
        _log(run, result)
        files.write(RESULT, result.to_dict(), durable=True)
        reporter.phase("done")  # train's own 'done' report holds the final leaderboard
        if result.stopped:
            run.finish("stopped", error=result.message)
        else:
            run.finish()
        return 0
    except WorkbenchError as error:
        files.write(ERROR, {"message": error.message, "code": error.code,
                            "detail": error.detail}, durable=True)
        run.fail(error.message)
        return 1
    except BaseException as error:
        traceback.print_exc()
        message = f"Training failed: {type(error).__name__}: {error}"
        files.write(ERROR, {"message": message, "code": "training_failed",
                            "detail": {"type": type(error).__name__}}, durable=True)
        run.fail(message)
        return 1


def _log(run: Any, result: Any) -> None:
    """Parameters, metrics and fitted pipelines of ``result`` into ``run``."""
    best, metric = result.best, result.search.metric.name
    run.log_params(task=result.task, metric=metric, features=result.features,
                   folds=result.search.folds, rows=result.rows, best_candidate=best.candidate,
                   best_label=best.label, best_params=best.params,
                   stopped_by=result.search.stopped_by)
    held_out = {k: v for k, v in result.metrics.items() if k != "rows"}
    run.log_metrics(held_out, **{f"cv_{metric}": best.score, f"cv_{metric}_std": best.score_std})
    run.log_artifact(result.pipeline, "best", rank=1, score=best.score)
    for rank, trial in enumerate(result.leaderboard[1:1 + KEEP_RUNNERS_UP], start=2):
        per_fit = trial.fit_time_s / max(trial.folds_done, 1)
        if per_fit > CHEAP_FIT_S or trial.id == best.id:
            continue
        try:
            run.log_artifact(result.refit(trial), f"rank-{rank}", rank=rank, score=trial.score)
        except Exception:  # noqa: BLE001 (a runner-up is a bonus; the best is kept)
            traceback.print_exc()


if __name__ == "__main__":
    sys.exit(main())
