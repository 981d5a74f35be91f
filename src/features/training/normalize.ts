/**
 * The server's training answers (the generated types of src/api, from mlworkbench/schemas/
 * training.py) as the panel's types (types.ts): optional fields of the pydantic models arrive
 * missing and read as null, and a run's result arrives only once it has ended.
 */
import type {
  DescribeTrainingPreview,
  DescribeTrainingRun,
  ErrorResponse,
  RunInputInfo,
  TrainingColumn,
  TrainingProgress,
  TrainingResult,
  TrainingRunSummary,
  TrialSummary
} from '../../api/client';
import {
  IFeatureColumn,
  IProgress,
  IRunInput,
  IRunSummary,
  ISlices,
  ITrainingError,
  ITrainingPreview,
  ITrainingRun,
  ITrainResult,
  ITrial,
  TaskKind,
  TASKS
} from './types';

/**
 * Metric labels for runs and results, which name their metric without its label. The metric
 * lists and defaults per task come with the preview (`metricsByTask`, `defaultMetricByTask`).
 */
const METRIC_LABELS: { [name: string]: string } = {
  roc_auc: 'ROC AUC',
  accuracy: 'Accuracy',
  balanced_accuracy: 'Balanced accuracy',
  f1: 'F1',
  log_loss: 'Log loss',
  r2: 'R²',
  mae: 'Mean absolute error',
  rmse: 'Root mean squared error',
  precision: 'Precision',
  recall: 'Recall'
};

/** A metric's label ("ROC AUC"), or its name when the engine does not know it. */
export function metricLabel(name: string): string {
  return METRIC_LABELS[name] ?? name;
}

/** A task the panel knows (a run's `task` is free text in the schema; the engine's are these). */
export function task(value: string | null | undefined): TaskKind | null {
  return TASKS.includes(value as TaskKind) ? (value as TaskKind) : null;
}

export function normalizeColumn(raw: TrainingColumn): IFeatureColumn {
  return {
    name: raw.name,
    kind: raw.kind,
    dtype: raw.dtype,
    distinct: raw.distinct,
    null_fraction: raw.null_fraction,
    flags: (raw.flags ?? []).map(({ code, reason }) => ({ code, reason })),
    included: raw.included
  };
}

export function normalizePreview(
  raw: DescribeTrainingPreview
): ITrainingPreview {
  const metricsByTask: ITrainingPreview['metricsByTask'] = {};
  const defaultMetricByTask: ITrainingPreview['defaultMetricByTask'] = {};
  for (const kind of TASKS) {
    const metrics = raw.metrics_by_task?.[kind];
    if (metrics) {
      metricsByTask[kind] = metrics;
    }
    const name = raw.default_metric_by_task?.[kind];
    if (name) {
      defaultMetricByTask[kind] = name;
    }
  }
  return {
    columns: raw.columns.map(normalizeColumn),
    allColumns: raw.all_columns,
    target: raw.target,
    task: raw.task ?? null,
    metrics: raw.metrics ?? [],
    defaultMetric: raw.default_metric ?? null,
    metricsByTask,
    defaultMetricByTask,
    rows: raw.rows,
    sampled: raw.sampled,
    note: raw.note ?? null,
    problem: raw.problem ?? null
  };
}

export function normalizeTrial(raw: TrialSummary): ITrial {
  return {
    id: raw.id,
    candidate: raw.candidate,
    label: raw.label,
    params: raw.params,
    rows: raw.rows,
    baseline: raw.baseline ?? false,
    score: raw.score ?? null,
    score_std: raw.score_std ?? null,
    fit_time_s: raw.fit_time_s ?? null,
    status: raw.status ?? 'ok',
    error: raw.error ?? null
  };
}

export function normalizeProgress(
  raw: TrainingProgress | null | undefined
): IProgress | null {
  if (!raw) {
    return null;
  }
  const elapsed = raw.elapsed_s ?? 0;
  return {
    phase: raw.phase,
    trials_done: raw.trials_done ?? 0,
    best_score: raw.best_score ?? null,
    best_candidate: raw.best_candidate ?? null,
    metric: raw.metric ?? '',
    elapsed_s: elapsed,
    // A run that is only starting has no clock yet, but its budget.
    time_left_s: raw.time_left_s ?? Math.max(0, (raw.budget_s ?? 0) - elapsed),
    leaderboard: (raw.leaderboard ?? []).map(normalizeTrial)
  };
}

export function normalizeResult(
  raw: TrainingResult | null | undefined
): ITrainResult | null {
  if (!raw) {
    return null;
  }
  return {
    task: raw.task,
    target: raw.target,
    features: raw.features,
    metric: raw.metric,
    greater_is_better: raw.greater_is_better,
    message: raw.message,
    stopped_by: raw.stopped_by,
    budget_exhausted: raw.budget_exhausted,
    baseline_only: raw.baseline_only,
    best: normalizeTrial(raw.best),
    leaderboard: raw.leaderboard.map(normalizeTrial),
    metrics: raw.metrics,
    charts: raw.charts,
    // The schema leaves the engine's slices an open dict: core/training/evaluation.py makes
    // it {column, metric, rows, chart}.
    slices: (raw.slices ?? null) as ISlices | null,
    featureReport: raw.feature_report.columns.map(normalizeColumn),
    rows: raw.rows ?? {},
    refitAll: raw.refit_all ?? false,
    folds: raw.folds,
    budget_s: raw.budget_s
  };
}

export function normalizeInput(raw: RunInputInfo): IRunInput {
  return {
    kind: raw.kind,
    name: raw.name ?? null,
    version: raw.version ?? null,
    path: raw.path,
    row_count: raw.row_count ?? null,
    size: raw.size ?? null,
    sha256: raw.sha256 ?? null
  };
}

function normalizeError(
  raw: ErrorResponse | null | undefined
): ITrainingError | null {
  return raw
    ? { message: raw.message, code: raw.code, detail: raw.detail }
    : null;
}

export function normalizeRun(raw: DescribeTrainingRun): ITrainingRun {
  const result = normalizeResult(raw.result);
  const progress = normalizeProgress(raw.progress);
  return {
    id: raw.run_id,
    experiment: raw.experiment,
    status: raw.status,
    sql: raw.sql ?? null,
    target: raw.target ?? result?.target ?? null,
    task: task(raw.task) ?? result?.task ?? null,
    metric: raw.metric ?? result?.metric ?? null,
    budget_s: raw.budget_s ?? result?.budget_s ?? null,
    started_at: raw.started_at,
    duration_s: raw.duration_s ?? null,
    params: raw.params ?? {},
    progress,
    result,
    error: normalizeError(raw.error),
    stopRequested: raw.stop_requested ?? false,
    inputs: (raw.inputs ?? []).map(normalizeInput),
    versions: raw.versions ?? {}
  };
}

/** A listed run with the held-out score of its metric (once it has one). */
export function normalizeSummary(raw: TrainingRunSummary): IRunSummary {
  const metric = raw.metric ?? null;
  const score = metric ? raw.metrics?.[metric] : undefined;
  return {
    id: raw.run_id,
    experiment: raw.experiment,
    status: raw.status,
    target: raw.target ?? null,
    task: task(raw.task),
    metric,
    score: typeof score === 'number' ? score : null,
    started_at: raw.started_at,
    duration_s: raw.duration_s ?? null
  };
}

/** A run as the experiments list shows it, with the held-out score of its metric. */
export function summaryOf(
  run: ITrainingRun,
  score: number | null
): IRunSummary {
  return {
    id: run.id,
    experiment: run.experiment,
    status: run.status,
    target: run.target,
    task: run.task,
    metric: run.metric,
    score,
    started_at: run.started_at,
    duration_s: run.duration_s
  };
}
