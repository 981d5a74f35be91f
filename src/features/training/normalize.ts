/**
 * The server's training answers as the panel's types (types.ts), with defaults filled in:
 * optional fields of the pydantic models arrive missing or null, and a run's result only once
 * it has ended.
 */
import {
  IColumnFlag,
  IFeatureColumn,
  IMetricChoice,
  IProgress,
  IRunInput,
  IRunSummary,
  ISlices,
  ITrainingError,
  ITrainingPreview,
  ITrainingRun,
  ITrainResult,
  ITrial,
  RunStatus,
  TaskKind,
  TASKS
} from './types';

type Raw = { [key: string]: any };

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

const num = (value: unknown): number | null =>
  typeof value === 'number' && Number.isFinite(value) ? value : null;

const str = (value: unknown): string | null =>
  typeof value === 'string' && value ? value : null;

const obj = (value: unknown): Raw =>
  value && typeof value === 'object' && !Array.isArray(value)
    ? (value as Raw)
    : {};

const list = (value: unknown): any[] => (Array.isArray(value) ? value : []);

export function task(value: unknown): TaskKind | null {
  return TASKS.includes(value as TaskKind) ? (value as TaskKind) : null;
}

export function status(value: unknown): RunStatus {
  return value === 'finished' || value === 'stopped' || value === 'failed'
    ? value
    : 'running';
}

export function normalizeFlag(raw: unknown): IColumnFlag {
  if (typeof raw === 'string') {
    return { code: raw, reason: raw };
  }
  const flag = obj(raw);
  const code = str(flag.code) ?? 'flagged';
  return { code, reason: str(flag.reason) ?? code };
}

export function normalizeColumn(raw: Raw): IFeatureColumn {
  const flags = list(raw.flags).map(normalizeFlag);
  return {
    name: String(raw.name),
    kind: str(raw.kind) ?? str(raw.type) ?? 'unsupported',
    dtype: str(raw.dtype) ?? str(raw.type) ?? '',
    distinct: num(raw.distinct),
    null_fraction: num(raw.null_fraction),
    flags,
    included: typeof raw.included === 'boolean' ? raw.included : !flags.length
  };
}

function metricChoice(raw: unknown): IMetricChoice {
  if (typeof raw === 'string') {
    return { name: raw, label: metricLabel(raw), greater_is_better: true };
  }
  const m = obj(raw);
  const name = String(m.name);
  return {
    name,
    label: str(m.label) ?? metricLabel(name),
    greater_is_better:
      typeof m.greater_is_better === 'boolean' ? m.greater_is_better : true
  };
}

export function normalizePreview(raw: Raw): ITrainingPreview {
  const report = obj(raw.feature_report);
  const columns = list(report.columns ?? raw.columns).map(normalizeColumn);
  const target = str(raw.target) ?? str(report.target);
  const allColumns = list(raw.all_columns ?? raw.column_names).map(String);
  const names = columns.map(c => c.name);
  const inferred = task(raw.task);
  const metrics = list(raw.metrics).map(metricChoice);
  const metricsByTask: ITrainingPreview['metricsByTask'] = {};
  const defaultMetricByTask: ITrainingPreview['defaultMetricByTask'] = {};
  const byTask = obj(raw.metrics_by_task);
  const defaults = obj(raw.default_metric_by_task);
  for (const kind of TASKS) {
    if (Array.isArray(byTask[kind])) {
      metricsByTask[kind] = byTask[kind].map(metricChoice);
    }
    const name = str(defaults[kind]);
    if (name) {
      defaultMetricByTask[kind] = name;
    }
  }
  return {
    columns,
    allColumns: allColumns.length
      ? allColumns
      : target && !names.includes(target)
        ? [...names, target]
        : names,
    target,
    task: inferred,
    metrics:
      metrics.length || !inferred ? metrics : (metricsByTask[inferred] ?? []),
    defaultMetric:
      str(raw.default_metric) ??
      (inferred ? (defaultMetricByTask[inferred] ?? null) : null),
    metricsByTask,
    defaultMetricByTask,
    rows: num(raw.rows) ?? num(report.rows) ?? 0,
    sampled: Boolean(raw.sampled),
    note: str(raw.note),
    problem: str(raw.problem)
  };
}

export function normalizeTrial(raw: Raw): ITrial {
  return {
    id: num(raw.id) ?? 0,
    candidate: String(raw.candidate ?? ''),
    label: str(raw.label) ?? String(raw.candidate ?? ''),
    params: obj(raw.params),
    rows: num(raw.rows),
    baseline: Boolean(raw.baseline),
    score: num(raw.score),
    score_std: num(raw.score_std ?? raw.std),
    fit_time_s: num(raw.fit_time_s ?? raw.fit_s),
    status: str(raw.status) ?? 'ok',
    error: str(raw.error)
  };
}

export function normalizeProgress(raw: unknown): IProgress | null {
  if (!raw || typeof raw !== 'object') {
    return null;
  }
  const p = raw as Raw;
  return {
    phase: str(p.phase) ?? 'search',
    trials_done: num(p.trials_done) ?? 0,
    best_score: num(p.best_score),
    best_candidate: str(p.best_candidate),
    metric: str(p.metric) ?? '',
    elapsed_s: num(p.elapsed_s) ?? 0,
    time_left_s:
      num(p.time_left_s) ??
      Math.max(0, (num(p.budget_s) ?? 0) - (num(p.elapsed_s) ?? 0)),
    leaderboard: list(p.leaderboard).map(normalizeTrial)
  };
}

function normalizeSlices(raw: unknown): ISlices | null {
  if (!raw || typeof raw !== 'object') {
    return null;
  }
  const s = raw as Raw;
  return {
    column: String(s.column ?? ''),
    metric: String(s.metric ?? ''),
    rows: list(s.rows),
    chart: s.chart && typeof s.chart === 'object' ? s.chart : null
  };
}

export function normalizeResult(raw: unknown): ITrainResult | null {
  if (!raw || typeof raw !== 'object') {
    return null;
  }
  const r = raw as Raw;
  const metrics: { [name: string]: number | null } = {};
  for (const [name, value] of Object.entries(obj(r.metrics))) {
    metrics[name] = num(value);
  }
  const charts: { [name: string]: { [key: string]: unknown } } = {};
  for (const [name, spec] of Object.entries(obj(r.charts))) {
    if (spec && typeof spec === 'object') {
      charts[name] = spec as { [key: string]: unknown };
    }
  }
  const rows: { [name: string]: number } = {};
  for (const [name, value] of Object.entries(obj(r.rows))) {
    if (num(value) !== null) {
      rows[name] = value as number;
    }
  }
  return {
    task: task(r.task) ?? 'binary',
    target: String(r.target ?? ''),
    features: list(r.features).map(String),
    metric: String(r.metric ?? ''),
    greater_is_better:
      typeof r.greater_is_better === 'boolean' ? r.greater_is_better : true,
    message: String(r.message ?? ''),
    stopped_by: str(r.stopped_by),
    budget_exhausted: Boolean(r.budget_exhausted),
    baseline_only: Boolean(r.baseline_only),
    best: r.best ? normalizeTrial(r.best) : null,
    leaderboard: list(r.leaderboard).map(normalizeTrial),
    metrics,
    charts,
    slices: normalizeSlices(r.slices),
    featureReport: list(obj(r.feature_report).columns).map(normalizeColumn),
    rows,
    folds: num(r.folds),
    budget_s: num(r.budget_s)
  };
}

export function normalizeInput(raw: Raw): IRunInput {
  return {
    kind: str(raw.kind) ?? 'file',
    name: str(raw.name),
    version: num(raw.version),
    path: String(raw.path ?? ''),
    row_count: num(raw.row_count),
    size: num(raw.size),
    sha256: str(raw.sha256)
  };
}

function normalizeError(raw: unknown): ITrainingError | null {
  if (!raw) {
    return null;
  }
  if (typeof raw === 'string') {
    return { message: raw };
  }
  const e = obj(raw);
  return {
    message: String(e.message ?? ''),
    code: str(e.code) ?? undefined,
    detail: e.detail && typeof e.detail === 'object' ? e.detail : undefined
  };
}

const runId = (raw: Raw): number => num(raw.run_id) ?? num(raw.id) ?? 0;

export function normalizeRun(raw: Raw): ITrainingRun {
  const params = obj(raw.params);
  const result = normalizeResult(raw.result);
  const progress = normalizeProgress(raw.progress);
  return {
    id: runId(raw),
    experiment: str(raw.experiment),
    status: status(raw.status),
    sql: str(raw.sql) ?? str(params.sql),
    target: str(raw.target) ?? result?.target ?? str(params.target),
    task: task(raw.task) ?? result?.task ?? task(params.task),
    metric:
      str(raw.metric) ??
      result?.metric ??
      str(params.metric) ??
      progress?.metric ??
      null,
    budget_s:
      num(raw.budget_s) ?? num(params.budget_s) ?? result?.budget_s ?? null,
    started_at: str(raw.started_at),
    duration_s: num(raw.duration_s),
    params,
    progress,
    result,
    error: normalizeError(raw.error),
    stopRequested: Boolean(raw.stop_requested),
    inputs: list(raw.inputs).map(normalizeInput),
    versions: obj(raw.versions) as { [name: string]: string }
  };
}

export function normalizeSummary(raw: Raw): IRunSummary {
  const run = normalizeRun(raw);
  const metrics = obj(raw.metrics ?? raw.result?.metrics);
  return summaryOf(
    run,
    num(raw.score) ?? (run.metric ? num(metrics[run.metric]) : null)
  );
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
