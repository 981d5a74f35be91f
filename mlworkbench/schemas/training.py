"""Training runs: preview a query's columns for training, start a run in its own process, follow
its progress, stop it, read its result, list and compare runs (``ws.training``; REST under
``/training``)."""

from datetime import datetime
from typing import Any, Literal

from pydantic import ConfigDict, Field

from mlworkbench.schemas._base import Model
from mlworkbench.schemas.errors import ErrorResponse

TaskKind = Literal["binary", "multiclass", "regression"]
RunStatus = Literal["running", "finished", "failed", "stopped"]
ColumnKindName = Literal["numeric", "boolean", "datetime", "categorical", "text", "unsupported"]
FlagCode = Literal["id_like", "constant", "mostly_null", "leak", "unsupported"]


class FeatureFlag(Model):
    """Why a column is left out of the default features."""

    code: FlagCode = Field(description="id_like, constant, mostly_null, leak or unsupported")
    reason: str = Field(description="The reason, for people")


class TrainingColumn(Model):
    """One column of the training data (the target excluded)."""

    name: str
    kind: ColumnKindName = Field(description="How it will be encoded")
    dtype: str = Field(description="Its pandas dtype")
    distinct: int = Field(description="Distinct non-null values")
    null_fraction: float
    flags: list[FeatureFlag] = Field(default=[], description="Empty: a default feature")
    included: bool = Field(description="In the default feature set (no flag)")


class TrainingFeatureReport(Model):
    """Every column but the target, in table order, and the default feature set."""

    target: str
    rows: int = Field(description="Rows the report was made on")
    features: list[str] = Field(description="The default feature set: columns without a flag")
    columns: list[TrainingColumn]


class MetricChoice(Model):
    """A metric a run can optimise."""

    name: str = Field(description="What to send as TrainModelRequest.metric")
    label: str
    greater_is_better: bool


class PreviewTrainingRequest(Model):
    """Look at a query's columns before training on it: kinds, flags, the task and metrics."""

    sql: str = Field(description="One SELECT over sources, tables and label sets")
    target: str | None = Field(
        default=None, description="The column to predict (without: columns only)"
    )
    task: TaskKind | None = Field(
        default=None, description="Override the inferred task (changes the metrics offered)"
    )
    sample_rows: int = Field(
        default=20_000,
        ge=100,
        le=1_000_000,
        description="Rows read for the report; a bigger query is sampled (reservoir) in SQL",
    )


class DescribeTrainingPreview(Model):
    """What training on a query would see (from a sample when the query is big)."""

    sql: str
    target: str | None
    rows: int = Field(description="Rows of the whole query")
    sampled: bool = Field(description="Whether the report was made on a sample")
    sample_rows: int = Field(description="Rows the report read")
    note: str | None = Field(default=None, description="For the user: e.g. that it sampled")
    all_columns: list[str] = Field(description="Every column of the query, target included")
    columns: list[TrainingColumn] = Field(description="Every column but the target")
    features: list[str] = Field(description="The default feature set")
    task: TaskKind | None = Field(default=None, description="The inferred (or given) task")
    metrics: list[MetricChoice] = Field(default=[], description="Metrics valid for the task")
    default_metric: str | None = None
    metrics_by_task: dict[TaskKind, list[MetricChoice]] = Field(
        default={}, description="Metrics valid for each task (for a task the user picks)"
    )
    default_metric_by_task: dict[TaskKind, str] = Field(
        default={}, description="The metric a run optimises by default, per task"
    )
    problem: str | None = Field(
        default=None,
        description="Why training would be refused as it is (target all null, one class...)",
    )
    target_distinct: int | None = Field(default=None, description="Distinct target values")


class TrainModelRequest(Model):
    """Train a model on a query within a time budget, in its own process (an experiment run)."""

    sql: str = Field(description="One SELECT: the training data (its tables' versions pinned)")
    target: str = Field(description="The column to predict")
    task: TaskKind | None = Field(default=None, description="Default: inferred from the target")
    features: list[str] | None = Field(
        default=None, description="Feature columns (default: every column without a flag)"
    )
    metric: str | None = Field(
        default=None,
        description="What the search optimises (default: roc_auc, balanced_accuracy or r2)",
    )
    budget_s: float = Field(default=60, ge=0, le=86_400, description="Seconds for the search")
    slice_by: str | None = Field(default=None, description="A column to report metrics per value")
    experiment: str = Field(default="default", description="The experiment the run belongs to")
    random_state: int = Field(default=0, description="Seed of the split, search and models")
    folds: int | None = Field(
        default=None, ge=2, le=20, description="Cross-validation folds (default 5, 3 on big data)"
    )
    max_trials: int | None = Field(
        default=None, ge=0, description="Stop after this many trials besides the baselines"
    )
    refit_all: bool = Field(
        default=False,
        description="After the held-out evaluation, refit the best pipeline on every row "
        "(train + held-out); the metrics stay those of the held-out evaluation",
    )


class TrialSummary(Model):
    """One configuration cross-validated (a leaderboard entry when on all rows)."""

    id: int
    candidate: str
    label: str
    params: dict[str, Any]
    rows: int
    baseline: bool = False
    score: float | None = None
    score_std: float | None = None
    folds_done: int = 0
    fit_time_s: float = 0.0
    status: str = "ok"
    error: str | None = None


class TrainingProgress(Model):
    """The latest progress the training process reported."""

    phase: str = Field(
        description="starting, reading, baseline, search, refit, evaluate, saving or done"
    )
    trials_done: int = 0
    best_score: float | None = None
    best_candidate: str | None = None
    metric: str | None = None
    elapsed_s: float = 0.0
    time_left_s: float | None = None
    budget_s: float | None = None
    leaderboard: list[TrialSummary] = Field(default=[], description="Best 10 so far")
    updated_at: datetime | None = None


class TrainingResult(Model):
    """What a finished (or stopped) run found: ``TrainResult.to_dict()``. Charts are Vega-Lite
    specs; fields the engine adds later pass through."""

    model_config = ConfigDict(extra="allow")

    task: TaskKind
    target: str
    features: list[str]
    metric: str
    greater_is_better: bool
    positive_class: Any = None
    classes: list[Any] = []
    message: str = Field(description="What was found and why the search ended")
    budget_exhausted: bool
    baseline_only: bool
    stopped_by: str = Field(description="budget, user or completed")
    best: TrialSummary
    leaderboard: list[TrialSummary]
    trials: list[TrialSummary] = []
    folds: int
    budget_s: float
    metrics: dict[str, float | None] = Field(description="Held-out metrics of the best model")
    charts: dict[str, dict[str, Any]] = Field(description="Chart name -> Vega-Lite spec")
    importance: list[dict[str, Any]] = Field(default=[], description="Permutation importance")
    slices: dict[str, Any] | None = None
    feature_report: TrainingFeatureReport
    encodings: dict[str, str] = {}
    rows: dict[str, int] = Field(
        default={},
        description="train, holdout, refit (rows the saved model was fitted on), "
        "dropped_null_target",
    )
    refit_all: bool = Field(
        default=False,
        description="Whether the saved model was refitted on every row after the held-out "
        "evaluation (its metrics are those of the model fitted on the training rows)",
    )
    timings: dict[str, float] = {}
    random_state: int = 0


class RunInputInfo(Model):
    """One thing a run read: a workspace table at a version, or a source file with its hash."""

    kind: str = Field(description="table or file")
    name: str | None = None
    version: int | None = Field(default=None, description="The table version pinned")
    path: str
    row_count: int | None = None
    size: int | None = None
    mtime: datetime | None = None
    sha256: str | None = None


class RunArtifactInfo(Model):
    """A fitted pipeline the run saved (skops)."""

    name: str
    kind: str
    rank: int | None = None
    score: float | None = None
    size: int
    sha256: str


class TrainingRunSummary(Model):
    """A run as listed: no result, progress or lineage."""

    run_id: int
    experiment: str
    status: RunStatus
    started_at: datetime
    ended_at: datetime | None = None
    duration_s: float | None = None
    target: str | None = None
    task: str | None = None
    metric: str | None = None
    budget_s: float | None = None
    best_score: float | None = Field(default=None, description="Cross-validated, once ended")
    best_candidate: str | None = None
    metrics: dict[str, Any] = Field(default={}, description="Held-out metrics once ended")
    error: ErrorResponse | None = Field(
        default=None,
        description="Why it failed (code e.g. single_class, process_died) or was stopped",
    )


class DescribeTrainingRun(TrainingRunSummary):
    """A training run: its request, status, live progress and, once ended, its result."""

    sql: str | None = None
    params: dict[str, Any] = {}
    progress: TrainingProgress | None = None
    result: TrainingResult | None = Field(
        default=None, description="Once finished or stopped with a model"
    )
    stop_requested: bool = False
    inputs: list[RunInputInfo] = Field(default=[], description="Lineage: what it read")
    artifacts: list[RunArtifactInfo] = []
    mlworkbench_version: str | None = None
    versions: dict[str, str] = {}


class ListTrainingRunsQuery(Model):
    """Which runs to list (query parameters)."""

    experiment: str | None = Field(default=None, description="Only this experiment's runs")
    status: RunStatus | None = Field(default=None, description="Only runs in this status")
    limit: int = Field(default=100, ge=1, le=1000, description="At most this many, newest first")


class ListTrainingRuns(Model):
    runs: list[TrainingRunSummary]
    experiments: list[str] = Field(default=[], description="Every experiment, newest first")


class CompareTrainingRunsQuery(Model):
    runs: str = Field(description="Run ids separated by commas, e.g. 3,5")


class CompareTrainingRuns(Model):
    """Runs side by side: one row per run (its fields, ``params.*``, ``metrics.*``) and each
    run's lineage."""

    columns: list[str]
    rows: list[dict[str, Any]]
    differing: list[str] = Field(description="The params.* columns that differ between runs")
    inputs: dict[str, list[RunInputInfo]] = Field(description="Run id -> what it read")
