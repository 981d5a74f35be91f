"""Training from a notebook: ``mlwb.train("SELECT ...", target="churned", budget="60s")``.

The model search runs in its own process (``ws.training``, the same jobs the panel starts), never
in the kernel: the cell shows its progress as it goes (trials done, best score, time left), and
interrupting the kernel stops the search and keeps the best model found. The call returns a
:class:`TrainingRun`, whose rich display is the run's summary, held-out metrics and leaderboard
(HTML) followed by its evaluation charts (one Vega-Lite output). ``mlwb.runs()`` lists runs and
``mlwb.training_run(id)`` reopens one.
"""

from __future__ import annotations

import os
import threading
import time
from typing import TYPE_CHECKING, Any

from mlworkbench import training_view as view
from mlworkbench.core.data.identifiers import literal, quote
from mlworkbench.core.errors import InvalidRequestError, WorkbenchError
from mlworkbench.notebook import runner

if TYPE_CHECKING:
    import pandas

    from mlworkbench.core import Workspace

__all__ = ["TrainingFailedError", "TrainingRun", "runs", "train", "training_run"]


class TrainingFailedError(WorkbenchError):
    """A training run ended 'failed' (bad data found while training, or the process died).

    Attributes:
        run: The ended run, to look into (``.error``, ``.sql``, ``.run_id``).
    """

    code = "training_failed"

    def __init__(self, run: TrainingRun) -> None:
        super().__init__(f"Training run {run.run_id} failed: {run.error}", run=run.run_id)
        self.run = run


class TrainingRun:
    """A training run as a notebook sees it.

    Attributes:
        run_id: The run's id in the experiment store.
        status: 'finished', 'stopped' (interrupted: the best model found is kept), 'failed' or
            'running'.
        experiment: The experiment it belongs to.
        error: Why it failed or stopped (its message).
    """

    def __init__(self, ws: Workspace, described: Any) -> None:
        self._ws = ws
        self.run_id: int = described.run_id
        self.experiment: str = described.experiment
        self.sql: str | None = described.sql
        self._pipeline: Any = None
        self._follower: threading.Thread | None = None
        self._followed = threading.Event()  # set when the follower is done (see _follow)
        self._follow_error: Exception | None = None
        self._display: _LiveProgress | None = None
        self.status = "running"
        self._set(described)

    def _set(self, described: Any) -> None:
        """Take the run as ``describe`` read it (its end, once the run ended)."""
        if described.status == "running" and self.status != "running":
            return  # read before the follower saw it end: a run does not start again
        self.status: str = described.status
        self.error: str | None = view.error_text(described.error)
        self._described = described
        result = described.result
        self._result: dict[str, Any] = result.model_dump(mode="json") if result is not None else {}

    # -- a run still training (``mlwb.train(..., wait=False)``) ------------------------------
    @property
    def progress(self) -> Any:
        """The latest progress of a running run (phase, trials done, best so far, time left);
        read afresh on each look."""
        if self.status == "running":
            self.refresh()
        return self._described.progress

    def refresh(self) -> TrainingRun:
        """Read the run again (its status, progress and, once ended, its result)."""
        self._set(self._ws.training.describe(self.run_id))
        return self

    def wait(self, timeout: float | None = None) -> TrainingRun:
        """Wait for the run to end: returns as soon as the thread that follows it (the one that
        updates the cell's progress) sees it end. An interrupt stops the run keeping the best
        model, as in ``mlwb.train``; a second one stops waiting (the run still stops).

        Args:
            timeout: Give up after this many seconds (the run goes on; wait again).

        Raises:
            TrainingFailedError: The run failed.
            TimeoutError: It was still running after ``timeout`` seconds.
        """
        if self.status == "running":
            self._await_end(timeout)
        if self.status == "failed":
            raise TrainingFailedError(self)
        return self

    def stop(self) -> TrainingRun:
        """Ask the search to end; the best model found so far is kept (the run ends
        'stopped' once it has saved it: ``wait()`` waits for that)."""
        if self.status == "running":
            self._ws.training.stop(self.run_id)
        return self

    def _await_end(self, timeout: float | None) -> None:
        if self._follower is None or self._followed.is_set():
            self._follow(self._display)  # none yet (a reopened run), or reading it failed
        followed = self._followed
        deadline = None if timeout is None else time.monotonic() + timeout
        stop_asked = False
        while not followed.is_set():
            left = None if deadline is None else deadline - time.monotonic()
            if left is not None and left <= 0:
                raise TimeoutError(f"Run {self.run_id} is still running after {timeout:g} s; "
                                   "wait again, or stop it.")
            try:
                # In slices, not one long wait: an interrupt that reaches Python as a flag
                # (a SIGINT another thread took, _thread.interrupt_main) is seen between them.
                followed.wait(view.TICK_S if left is None else min(view.TICK_S, left))
            except KeyboardInterrupt:
                if stop_asked:
                    raise
                stop_asked = True
                self._ws.training.stop(self.run_id)
                if self._display is not None:
                    self._display.stopping()
        if self._follow_error is not None:
            raise self._follow_error

    def _follow(self, display: _LiveProgress | None) -> None:
        """Follow the run in a thread until it ends, updating ``display``; ``wait()`` blocks
        until that thread is done."""
        followed = self._followed = threading.Event()
        self._display, self._follow_error = display, None

        def follow() -> None:
            try:
                ended = view.follow(self._ws.training, self.run_id,
                                    display.update if display is not None else None)
                self._set(ended)
                if display is not None:
                    display.close(ended)
            except Exception as error:  # noqa: BLE001 - wait() raises it; a next wait() retries
                self._follow_error = error
            finally:
                followed.set()

        self._follower = threading.Thread(target=follow, daemon=True,
                                          name=f"mlworkbench-training-{self.run_id}")
        self._follower.start()

    def __repr__(self) -> str:
        return "\n".join(view.summary_lines(self.run_id, self.status, self._result, self.error))

    # -- what the run found ------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """The engine's whole result (``TrainResult.to_dict()``), JSON-safe; empty when the run
        ended without a model."""
        return dict(self._result)

    @property
    def message(self) -> str | None:
        """What was found and why the search ended (or why the run failed)."""
        return self._result.get("message") or self.error

    @property
    def task(self) -> str | None:
        return self._result.get("task") or self._described.task

    @property
    def target(self) -> str | None:
        return self._result.get("target") or self._described.target

    @property
    def features(self) -> list[str]:
        return list(self._result.get("features") or [])

    @property
    def metric(self) -> str | None:
        """The metric the search optimised."""
        return self._result.get("metric") or self._described.metric

    @property
    def best(self) -> dict[str, Any]:
        """The best trial: candidate, label, params, cross-validated score."""
        return dict(self._result.get("best") or {})

    @property
    def metrics(self) -> dict[str, Any]:
        """Held-out metrics of the best model."""
        return dict(self._result.get("metrics") or self._described.metrics or {})

    @property
    def leaderboard(self) -> pandas.DataFrame:
        """Models cross-validated on all training rows, best first (one row per model)."""
        import pandas

        rows = view.leaderboard_rows(self._result)
        return pandas.DataFrame(rows, columns=list(view.LEADERBOARD_COLUMNS)).set_index("rank")

    @property
    def charts(self) -> dict[str, dict[str, Any]]:
        """Evaluation charts by name (confusion matrix, ROC, PR, calibration, residuals,
        importance, slices...), each a Vega-Lite v5 spec."""
        return view.charts_of(self._result)

    def chart(self) -> dict[str, Any] | None:
        """All charts as one Vega-Lite spec (what the rich display shows)."""
        return view.composed_chart(self.charts)

    @property
    def feature_report(self) -> pandas.DataFrame:
        """One row per column: kind, dtype, distinct values, null share, flags (why a column
        was left out), whether it was a feature."""
        import pandas

        report = self._result.get("feature_report") or {}
        rows = [{**c, "flags": "; ".join(view.flag_reason(f) for f in c.get("flags", []))}
                for c in report.get("columns", [])]
        frame = pandas.DataFrame(rows)
        if len(frame):
            frame["feature"] = frame["name"].isin(self.features)
            frame = frame.set_index("name")
        return frame

    # -- the model ---------------------------------------------------------------------------
    @property
    def pipeline(self) -> Any:
        """The best fitted scikit-learn pipeline (read from the run's skops file on first use;
        it takes the raw feature columns)."""
        if self._pipeline is None:
            if not self._described.artifacts and self.status not in ("finished", "stopped"):
                raise InvalidRequestError(
                    "run", f"Run {self.run_id} is {self.status} and has no model"
                           + (f": {self.error}" if self.error else
                              " yet: run.wait() waits for it." if self.status == "running"
                              else "."))
            self._pipeline = self._ws.training.load_pipeline(self.run_id)
        return self._pipeline

    def predict(self, data: Any) -> Any:
        """Predictions of the best model for ``data`` (a DataFrame with the feature columns)."""
        return self.pipeline.predict(self._inputs(data))

    def predict_proba(self, data: Any) -> Any:
        """Class probabilities (classification), columns in ``pipeline.classes_`` order."""
        return self.pipeline.predict_proba(self._inputs(data))

    def _inputs(self, data: Any) -> Any:
        import pandas

        frame = data.df() if hasattr(data, "df") and callable(data.df) else data
        if not isinstance(frame, pandas.DataFrame):
            frame = pandas.DataFrame(frame)
        missing = [f for f in self.features if f not in frame.columns]
        if missing:
            raise InvalidRequestError(
                "data", f"The data lacks feature column(s) {', '.join(map(repr, missing))} the "
                        f"model was trained on (it needs: {', '.join(self.features)}).")
        return frame[self.features] if self.features else frame

    # -- display -----------------------------------------------------------------------------
    def _repr_html_(self) -> str:
        return view.result_html(self.run_id, self.status, self._result, self.error,
                                experiment=self.experiment)

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        """Summary, metrics and leaderboard as HTML. The charts are a separate output (see
        ``display_bundles``): JupyterLab shows HTML before Vega-Lite from one bundle."""
        return {"text/plain": repr(self), "text/html": self._repr_html_()}

    def display_bundles(self) -> list[dict[str, Any]]:
        """What the rich display shows, in order: the HTML summary, then the charts as one
        Vega-Lite spec (with a text fallback naming them)."""
        bundles = [self._repr_mimebundle_()]
        chart = self.chart()
        if chart is not None:
            titles = [_title(spec) for spec in self.charts.values()]
            bundles.append({view.VEGALITE: chart,
                            "text/plain": "Charts (Vega-Lite): " + ", ".join(titles)})
        return bundles

    def _ipython_display_(self) -> None:
        from IPython.display import display

        for bundle in self.display_bundles():
            display(bundle, raw=True)


def train(data: Any = None, target: str | None = None, *, budget: str | float = "60s",
          task: str | None = None, metric: str | None = None, features: list[str] | None = None,
          slice_by: str | None = None, experiment: str | None = None,
          table: str | None = None, refit_all: bool = False, show_progress: bool = True,
          wait: bool = True, **options: Any) -> TrainingRun:
    """Train the best scikit-learn pipeline for ``target`` within a time budget, in its own
    process, showing its progress in the cell. Interrupting the kernel stops the search and
    keeps the best model found (the run ends 'stopped'). With ``wait=False`` the call returns
    at once and the kernel stays free: the cell's progress goes on updating, and
    ``run.wait()`` or ``run.stop()`` come later.

    Args:
        data: A SELECT, a table or source name, a pandas/polars DataFrame or Arrow table (saved
            as a workspace table first, so the run records the data it read), or a result of
            ``mlwb.sql``.
        target: The column to predict.
        budget: Search time: seconds (``90``) or text (``"60s"``, ``"2m"``, ``"1h"``).
        task: ``binary``, ``multiclass`` or ``regression`` (inferred when None).
        metric: What the search optimises (default: ROC AUC, balanced accuracy or R²).
        features: Feature columns (default: every column without a flag).
        slice_by: A column to report held-out metrics per value of.
        experiment: The experiment the run belongs to (default: ``default``).
        table: With a DataFrame: the workspace table to save it as (default: a name made from
            its content, so the same frame is saved once).
        refit_all: After the held-out evaluation, refit the best model on every row (training
            and held-out) and keep that; ``metrics`` stay those of the held-out evaluation.
        show_progress: Show the live progress display.
        wait: Wait for the run to end (default). False returns the run while it trains.
        **options: Further ``TrainModelRequest`` fields (``random_state``, ``folds``,
            ``max_trials``).

    Returns:
        The run: ``.leaderboard``, ``.metrics``, ``.charts``, ``.pipeline``, ``.predict(df)``.

    Raises:
        InvalidRequestError: A bad budget, no target, or an unknown column, task or metric.
        TrainingDataError: Data that cannot be trained on, found before the run starts.
        QueryError: The SQL does not run.
        TrainingFailedError: The run failed (e.g. a class with one row); ``.run`` is the run.
    """
    if not target:
        raise InvalidRequestError("target", "Name the column to predict: target='...'.")
    budget_s = view.parse_budget(budget)
    ws = runner().ws
    sql = source_sql(ws, data, table=table)
    request = view.train_request(
        sql=sql, target=target, task=task, metric=metric, budget_s=budget_s, slice_by=slice_by,
        features=list(features) if features is not None else None, experiment=experiment,
        refit_all=refit_all, **options)
    run_id = ws.training.start(request)
    display = (_LiveProgress(run_id, budget_s, background=not wait) if show_progress
               else None)
    run = TrainingRun(ws, ws.training.describe(run_id))
    if run.status == "running":
        run._follow(display)
    elif display is not None:
        display.close(run._described)
    return run.wait() if wait else run


def source_sql(ws: Workspace, data: Any, *, table: str | None = None) -> str:
    """The one SELECT a run reads for ``data`` (see :func:`train`)."""
    from mlworkbench.magics.result import SqlResult
    from mlworkbench.magics.run import is_frame

    if isinstance(data, SqlResult):
        data = data.frame if data.frame is not None else data.df()
    if is_frame(data):
        return f"SELECT * FROM {quote(save_frame(ws, data, table))}"
    if isinstance(data, str) and data.strip():
        return view.text_sql(data)
    raise InvalidRequestError(
        "data", "Give the training data: a SELECT, a table name, or a DataFrame "
                f"(not {type(data).__name__}).")


def save_frame(ws: Workspace, frame: Any, name: str | None = None) -> str:
    """Save a DataFrame (pandas, polars, Arrow) as a workspace table version and return the
    table's name; by default the name comes from the content, and a frame saved before is not
    written again.
    """
    import duckdb

    from mlworkbench.core.experiments.file_hash import sha256_file

    folder = ws.path / "tmp"
    folder.mkdir(parents=True, exist_ok=True)
    scratch = folder / f"frame-{os.getpid()}-{time.monotonic_ns()}.parquet"
    con = duckdb.connect()
    try:
        con.register("frame", frame)
        rows = con.execute("SELECT count(*) FROM frame").fetchone()[0]
        con.execute(f"COPY frame TO {literal(str(scratch))} (FORMAT parquet)")
    finally:
        con.close()
    try:
        table = name or f"frame_{sha256_file(scratch)[:12]}"
        if name is None and table in ws.tables.names():
            return table

        def write(path) -> int:
            os.replace(scratch, path)
            return rows

        ws.tables.save_file(table, write, sql=f"-- a DataFrame ({rows} rows) from a notebook",
                            overwrite=name is not None)
        return table
    finally:
        scratch.unlink(missing_ok=True)


def runs(experiment: str | None = None, *, status: str | None = None,
         limit: int = 100) -> pandas.DataFrame:
    """Training runs, newest first: status, target, metric, best model and score, held-out
    metrics (``metrics.*`` columns). Reopen one with ``mlwb.training_run(id)``."""
    import pandas

    from mlworkbench.schemas.training import ListTrainingRunsQuery

    listed = runner().ws.training.list_runs(
        ListTrainingRunsQuery(experiment=experiment, status=status, limit=limit))
    rows = []
    for run in listed.runs:
        row = run.model_dump(exclude={"metrics"})
        row["error"] = view.error_text(run.error)
        row.update({f"metrics.{k}": v for k, v in (run.metrics or {}).items() if k != "rows"})
        rows.append(row)
    frame = pandas.DataFrame(rows)
    return frame.set_index("run_id") if len(frame) else frame


def training_run(run_id: int) -> TrainingRun:
    """Reopen a training run: its result, charts and model as ``mlwb.train`` returned them.

    Raises:
        NotFoundError: No run with this id.
    """
    ws = runner().ws
    return TrainingRun(ws, ws.training.describe(int(run_id)))


class _LiveProgress:
    """The progress output of a running cell: one display updated in place (works in
    JupyterLab, papermill and VS Code alike; a terminal shell prints only the end)."""

    MIN_INTERVAL_S = 0.25

    def __init__(self, run_id: int, budget_s: float, *, background: bool = False) -> None:
        from IPython.display import display

        self.run_id = run_id
        self.budget_s = budget_s
        self.latest: Any = None
        self.note = ("Training in the background: run.wait() waits for it, run.stop() ends it "
                     "keeping the best model." if background else
                     "Interrupt the kernel to stop: the best model found so far is kept.")
        self._shown = 0.0
        self.stop_asked = False
        self._sent = self._bundle()
        self.handle = display(self._sent, raw=True, display_id=True)

    def update(self, progress: Any) -> None:
        if progress is not None:
            self.latest = progress
        now = time.monotonic()
        if now - self._shown >= self.MIN_INTERVAL_S:
            self._shown = now
            self._refresh()

    def stopping(self) -> None:
        self.note = "Stopping: keeping the best model found so far..."
        self.stop_asked = True
        self._refresh()

    def close(self, described: Any) -> None:
        self.latest = described.progress or self.latest
        status = described.status
        self.note = {"finished": "Done.", "stopped": "Stopped: kept the best model found.",
                     "failed": f"Failed: {view.error_text(described.error)}"}.get(status, status)
        self._refresh(done=status != "running")

    def _refresh(self, done: bool = False) -> None:
        bundle = self._bundle(done)
        if self.handle is not None and bundle != self._sent:
            self._sent = bundle
            self.handle.update(bundle, raw=True)

    def _bundle(self, done: bool = False) -> dict[str, Any]:
        import html

        line = view.progress_text(self.latest, time_left=not self.stop_asked)
        fraction = 1.0 if done else view.progress_fraction(self.latest, self.budget_s)
        text = f"Training run {self.run_id}: {line}. {self.note}"
        bar = (f'<progress max="1000" value="{round(fraction * 1000)}" '
               f'style="width:320px;vertical-align:middle"></progress>')
        body = (f"<div>{bar} <b>Training run {self.run_id}</b>: {html.escape(line)} "
                f'<span style="color:var(--jp-ui-font-color2,#666)">{html.escape(self.note)}'
                "</span></div>")
        return {"text/plain": text, "text/html": body}


def _title(spec: dict[str, Any]) -> str:
    title = spec.get("title")
    if isinstance(title, dict):
        title = title.get("text")
    return str(title or "chart")
