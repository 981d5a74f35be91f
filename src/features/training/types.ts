/**
 * What the training panel works with, in its own terms. `api.ts` maps the server's answers
 * (the generated types of src/api) to these, so the models and views do not depend on how a
 * route names its fields; `fakeApi.ts` implements the same interface for the tests.
 */

/** The kind of target: as the engine infers it (core/training/task.py). */
export type TaskKind = 'binary' | 'multiclass' | 'regression';

export const TASKS: readonly TaskKind[] = [
  'binary',
  'multiclass',
  'regression'
];

/** A run's state: running until it ends one of the three ways. */
export type RunStatus = 'running' | 'finished' | 'stopped' | 'failed';

/** Why a column is left out of the default features (core/training/features.py `Flag`). */
export interface IColumnFlag {
  /** id_like, constant, mostly_null, leaking, unsupported... */
  code: string;
  /** The sentence for the user. */
  reason: string;
}

/** One column of the training data, as the feature report describes it. */
export interface IFeatureColumn {
  name: string;
  /** numeric, boolean, datetime, categorical, text or unsupported. */
  kind: string;
  /** The database type (or pandas dtype). */
  dtype: string;
  distinct: number | null;
  null_fraction: number | null;
  flags: IColumnFlag[];
  /** Whether it is a feature by default (no flag). */
  included: boolean;
}

/** A metric the search can optimise. */
export interface IMetricChoice {
  name: string;
  label: string;
  greater_is_better: boolean;
}

/** What POST /training/preview answers: the columns, and with a target its task and metrics. */
export interface ITrainingPreview {
  /** Every column of the query but the target, with the report's flags. */
  columns: IFeatureColumn[];
  /** Every column name of the query, the target included (the target picker). */
  allColumns: string[];
  /** The target the report was made for, if any. */
  target: string | null;
  /** The inferred task (null without a target). */
  task: TaskKind | null;
  /** Metrics valid for the inferred task. */
  metrics: IMetricChoice[];
  defaultMetric: string | null;
  /** The metrics valid for each task (the picker's list when the user overrides the task). */
  metricsByTask: { [task in TaskKind]?: IMetricChoice[] };
  /** The metric a run optimises by default, per task. */
  defaultMetricByTask: { [task in TaskKind]?: string };
  /** Rows the report read. */
  rows: number;
  /** Whether the report read a sample of the rows only. */
  sampled: boolean;
  /** For the user, e.g. that the report read a sample. */
  note: string | null;
  /** Why training would be refused as it is (target all null, one class...). */
  problem: string | null;
}

/** What the form sends to start a run (POST /training/runs). */
export interface ITrainRequest {
  sql: string;
  target: string;
  task?: TaskKind | null;
  features?: string[] | null;
  metric?: string | null;
  budget_s: number;
  slice_by?: string | null;
  experiment?: string | null;
  /** Refit the best pipeline on every row after the held-out evaluation. */
  refit_all?: boolean;
}

/** One configuration cross-validated (core/training/trials.py `Trial`). */
export interface ITrial {
  id: number;
  candidate: string;
  label: string;
  params: { [name: string]: unknown };
  rows: number | null;
  baseline: boolean;
  score: number | null;
  score_std: number | null;
  fit_time_s: number | null;
  status: string;
  error: string | null;
}

/** Where a running search is (core/training/trials.py `Progress`), and its leaders so far. */
export interface IProgress {
  /** baseline, search, refit, evaluate or done. */
  phase: string;
  trials_done: number;
  best_score: number | null;
  best_candidate: string | null;
  metric: string;
  elapsed_s: number;
  time_left_s: number;
  leaderboard: ITrial[];
}

/** Metrics per value of a column of the held-out rows. */
export interface ISlices {
  column: string;
  metric: string;
  rows: { [key: string]: unknown }[];
  chart: IChartSpec | null;
}

/** A Vega-Lite spec with its data inline. */
export type IChartSpec = { [key: string]: unknown };

/** A finished (or stopped) run's outcome (core/training/result.py `TrainResult.to_dict`). */
export interface ITrainResult {
  task: TaskKind;
  target: string;
  features: string[];
  metric: string;
  greater_is_better: boolean;
  message: string;
  /** budget, user or completed. */
  stopped_by: string | null;
  budget_exhausted: boolean;
  baseline_only: boolean;
  best: ITrial | null;
  leaderboard: ITrial[];
  /** Held-out metrics of the best pipeline (null: undefined there). */
  metrics: { [name: string]: number | null };
  /** Chart name -> Vega-Lite spec. */
  charts: { [name: string]: IChartSpec };
  slices: ISlices | null;
  featureReport: IFeatureColumn[];
  /** train, holdout, refit (rows the saved model was fitted on), dropped_null_target. */
  rows: { [name: string]: number };
  /** Whether the saved model was refitted on every row after the held-out evaluation. */
  refitAll: boolean;
  folds: number | null;
  budget_s: number | null;
}

/** One thing a run read: a workspace table version or a source file (experiments lineage). */
export interface IRunInput {
  /** table or file. */
  kind: string;
  name: string | null;
  version: number | null;
  path: string;
  row_count: number | null;
  size: number | null;
  sha256: string | null;
}

/** An error as the server words it: `message`, `code` and `detail`. */
export interface ITrainingError {
  message: string;
  code?: string;
  status?: number;
  detail?: { [key: string]: unknown };
}

/** One training run, running or done (GET /training/runs/{id}). */
export interface ITrainingRun {
  id: number;
  experiment: string | null;
  status: RunStatus;
  sql: string | null;
  target: string | null;
  task: TaskKind | null;
  metric: string | null;
  budget_s: number | null;
  started_at: string | null;
  duration_s: number | null;
  /** What the run was given (features, metric, budget...). */
  params: { [name: string]: unknown };
  progress: IProgress | null;
  result: ITrainResult | null;
  /** Why it failed (or the note of a stop). */
  error: ITrainingError | null;
  /** Whether Stop was asked for (the run ends once the best model is saved). */
  stopRequested: boolean;
  inputs: IRunInput[];
  /** Versions of Python, the libraries and mlworkbench that ran it. */
  versions: { [name: string]: string };
}

/** A run as the experiments list shows it. */
export interface IRunSummary {
  id: number;
  experiment: string | null;
  status: RunStatus;
  target: string | null;
  task: TaskKind | null;
  metric: string | null;
  /** The held-out score of its metric, when it finished. */
  score: number | null;
  started_at: string | null;
  duration_s: number | null;
}

/** The training routes of the server extension. */
export interface ITrainingApi {
  preview(request: {
    sql: string;
    target?: string | null;
  }): Promise<ITrainingPreview>;
  startRun(request: ITrainRequest): Promise<ITrainingRun>;
  describeRun(id: number): Promise<ITrainingRun>;
  stopRun(id: number): Promise<ITrainingRun>;
  listRuns(): Promise<IRunSummary[]>;
  deleteRun(id: number): Promise<void>;
}
