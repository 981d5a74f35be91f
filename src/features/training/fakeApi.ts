/**
 * An in-memory training server for the jest tests: one table (`customers`: id, age, plan,
 * churned, churn_date), previews with the engine's flags, runs that advance when a test says
 * so, stops that keep the best model, failures on demand.
 */
import { WorkbenchApiError } from '../../api/client';
import { summaryOf } from './normalize';
import {
  IFeatureColumn,
  IMetricChoice,
  IProgress,
  IRunSummary,
  ITrainingApi,
  ITrainingPreview,
  ITrainingRun,
  ITrainRequest,
  ITrainResult,
  ITrial,
  TaskKind
} from './types';

const choice = (
  name: string,
  label: string,
  greater_is_better = true
): IMetricChoice => ({ name, label, greater_is_better });

const CLASSIFY = [
  choice('roc_auc', 'ROC AUC'),
  choice('accuracy', 'Accuracy'),
  choice('balanced_accuracy', 'Balanced accuracy'),
  choice('log_loss', 'Log loss', false)
];

/** The preview's metrics per task, as the server answers them. */
const METRICS_BY_TASK: ITrainingPreview['metricsByTask'] = {
  binary: CLASSIFY,
  multiclass: CLASSIFY,
  regression: [
    choice('r2', 'R²'),
    choice('mae', 'Mean absolute error', false),
    choice('rmse', 'Root mean squared error', false)
  ]
};
const DEFAULT_METRIC_BY_TASK: ITrainingPreview['defaultMetricByTask'] = {
  binary: 'roc_auc',
  multiclass: 'balanced_accuracy',
  regression: 'r2'
};

const COLUMNS: { [name: string]: IFeatureColumn } = {
  id: column('id', 'numeric', 'BIGINT', [
    {
      code: 'id_like',
      reason: 'Every value is different: an id, not a feature.'
    }
  ]),
  age: column('age', 'numeric', 'INTEGER'),
  plan: column('plan', 'categorical', 'VARCHAR'),
  churned: column('churned', 'boolean', 'BOOLEAN'),
  churn_date: column('churn_date', 'datetime', 'DATE', [
    {
      code: 'leaking',
      reason: 'Predicts the target alone (score 1.0): it leaks it.'
    }
  ])
};

function column(
  name: string,
  kind: string,
  dtype: string,
  flags: { code: string; reason: string }[] = []
): IFeatureColumn {
  return {
    name,
    kind,
    dtype,
    distinct: 100,
    null_fraction: 0,
    flags,
    included: flags.length === 0
  };
}

/** A trial of the fake search. */
export function trial(id: number, candidate: string, score: number): ITrial {
  return {
    id,
    candidate,
    label: candidate === 'dummy' ? 'Most frequent class' : candidate,
    params: candidate === 'dummy' ? {} : { max_depth: id },
    rows: 80,
    baseline: candidate === 'dummy',
    score,
    score_std: 0.01,
    fit_time_s: 0.2,
    status: 'ok',
    error: null
  };
}

/** A Vega-Lite spec small enough for a test. */
export const CHART = {
  $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
  data: { values: [{ a: 1, b: 2 }] },
  mark: 'point'
};

export class FakeTrainingApi implements ITrainingApi {
  readonly runs = new Map<number, ITrainingRun>();
  readonly previews: { sql: string; target?: string | null }[] = [];
  readonly started: ITrainRequest[] = [];
  readonly stops: number[] = [];
  reads = 0;
  /** Make the next call of this method fail. */
  failNext: { method: keyof ITrainingApi; error: WorkbenchApiError } | null =
    null;

  async preview(request: {
    sql: string;
    target?: string | null;
  }): Promise<ITrainingPreview> {
    this._maybeFail('preview');
    this.previews.push(request);
    const names = Object.keys(COLUMNS);
    const target = request.target ?? null;
    if (target && !names.includes(target)) {
      throw new WorkbenchApiError(
        `The query has no column '${target}'.`,
        400,
        'invalid_request'
      );
    }
    const task: TaskKind | null =
      target === 'churned' ? 'binary' : target ? 'regression' : null;
    return {
      columns: names.filter(n => n !== target).map(n => COLUMNS[n]),
      allColumns: names,
      target,
      task,
      metrics: task ? (METRICS_BY_TASK[task] ?? []) : [],
      defaultMetric: task ? (DEFAULT_METRIC_BY_TASK[task] ?? null) : null,
      metricsByTask: METRICS_BY_TASK,
      defaultMetricByTask: DEFAULT_METRIC_BY_TASK,
      rows: 100,
      sampled: false,
      note: null,
      problem: target === 'plan' ? "Target 'plan' has one class only." : null
    };
  }

  async startRun(request: ITrainRequest): Promise<ITrainingRun> {
    this._maybeFail('startRun');
    this.started.push(request);
    const id = this.runs.size + 1;
    const run: ITrainingRun = {
      id,
      experiment: 'default',
      status: 'running',
      sql: request.sql,
      target: request.target,
      task: request.task ?? 'binary',
      metric: request.metric ?? 'roc_auc',
      budget_s: request.budget_s,
      started_at: '2026-11-27T17:00:00Z',
      duration_s: null,
      params: {
        features: request.features ?? null,
        budget_s: request.budget_s,
        refit_all: request.refit_all ?? false
      },
      progress: progress(0, [], 0, request.budget_s),
      result: null,
      error: null,
      stopRequested: false,
      inputs: [
        {
          kind: 'table',
          name: 'customers',
          version: 3,
          path: '/ws/tables/customers/v3.parquet',
          row_count: 100,
          size: 2048,
          sha256: 'ab'.repeat(32)
        }
      ],
      versions: { python: '3.11.9', 'scikit-learn': '1.9.0' }
    };
    this.runs.set(id, run);
    return clone(run);
  }

  async describeRun(id: number): Promise<ITrainingRun> {
    this._maybeFail('describeRun');
    this.reads++;
    return clone(this._run(id));
  }

  async stopRun(id: number): Promise<ITrainingRun> {
    this._maybeFail('stopRun');
    this.stops.push(id);
    const run = this._run(id);
    if (run.status === 'running') {
      this.finish(id, 'stopped');
    }
    return clone(this._run(id));
  }

  async listRuns(): Promise<IRunSummary[]> {
    this._maybeFail('listRuns');
    return [...this.runs.values()].map(run =>
      summaryOf(run, run.result?.metrics[run.metric ?? ''] ?? null)
    );
  }

  async deleteRun(id: number): Promise<void> {
    this._maybeFail('deleteRun');
    this._run(id);
    this.runs.delete(id);
  }

  /** The search found another trial. */
  advance(id: number, score: number): void {
    const run = this._run(id);
    const board = [...(run.progress?.leaderboard ?? [])];
    board.push(
      trial(board.length + 1, board.length ? 'hist_gb' : 'dummy', score)
    );
    board.sort((a, b) => (b.score ?? 0) - (a.score ?? 0));
    const elapsed = (run.progress?.elapsed_s ?? 0) + 1;
    run.progress = progress(board.length, board, elapsed, run.budget_s ?? 60);
  }

  /** The run ends: finished (the budget was spent), stopped by the user, or failed. */
  finish(
    id: number,
    status: 'finished' | 'stopped' | 'failed' = 'finished'
  ): void {
    const run = this._run(id);
    run.status = status;
    run.duration_s = 12.5;
    if (status === 'failed') {
      run.error = {
        message: "Target 'churned' has one class only.",
        code: 'training_data',
        detail: { target: 'churned' }
      };
      return;
    }
    const board = run.progress?.leaderboard.length
      ? run.progress.leaderboard
      : [trial(1, 'dummy', 0.5)];
    run.result = result(run, board, status);
  }

  private _run(id: number): ITrainingRun {
    const run = this.runs.get(id);
    if (!run) {
      throw new WorkbenchApiError(
        `There is no training run ${id}.`,
        404,
        'not_found'
      );
    }
    return run;
  }

  private _maybeFail(method: keyof ITrainingApi): void {
    if (this.failNext && this.failNext.method === method) {
      const { error } = this.failNext;
      this.failNext = null;
      throw error;
    }
  }
}

function progress(
  trials: number,
  leaderboard: ITrial[],
  elapsed: number,
  budget: number
): IProgress {
  return {
    phase: trials ? 'search' : 'baseline',
    trials_done: trials,
    best_score: leaderboard[0]?.score ?? null,
    best_candidate: leaderboard[0]?.candidate ?? null,
    metric: 'roc_auc',
    elapsed_s: elapsed,
    time_left_s: Math.max(0, budget - elapsed),
    leaderboard
  };
}

function result(
  run: ITrainingRun,
  leaderboard: ITrial[],
  status: string
): ITrainResult {
  const best = leaderboard[0];
  return {
    task: run.task ?? 'binary',
    target: run.target ?? '',
    features: ['age', 'plan'],
    metric: run.metric ?? 'roc_auc',
    greater_is_better: true,
    message:
      status === 'stopped'
        ? `Stopped after ${leaderboard.length} trials; kept the best found.`
        : leaderboard.length === 1
          ? 'The budget of 1 s was spent on the baselines: returning the baseline.'
          : `Best of ${leaderboard.length} models.`,
    stopped_by: status === 'stopped' ? 'user' : 'budget',
    budget_exhausted: status !== 'stopped',
    baseline_only: leaderboard.every(t => t.baseline),
    best,
    leaderboard,
    metrics: { roc_auc: 0.91, accuracy: 0.84, log_loss: null, rows: 20 },
    charts: { roc: CHART, confusion_matrix: CHART },
    slices: null,
    featureReport: Object.values(COLUMNS).filter(c => c.name !== run.target),
    rows: run.params.refit_all
      ? { train: 80, holdout: 20, refit: 100 }
      : { train: 80, holdout: 20 },
    refitAll: Boolean(run.params.refit_all),
    folds: 5,
    budget_s: run.budget_s
  };
}

function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value));
}

/** Let pending promises and React renders settle. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) {
    await new Promise(resolve => setTimeout(resolve, 0));
  }
}
