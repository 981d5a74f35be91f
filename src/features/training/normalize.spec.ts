import type { TrainingResult } from '../../api/client';
import { chartBundle } from '../shared/vegaLite';
import { orderedCharts } from './charts';
import { formatBytes, formatScore, formatSeconds } from './format';
import { budgetShare } from './RunView';
import {
  metricLabel,
  normalizePreview,
  normalizeRun,
  normalizeSummary
} from './normalize';

/** What the engine's TrainResult.to_dict() gives (trimmed: one trial, tiny charts). */
const RESULT: TrainingResult = {
  task: 'binary',
  target: 'target',
  features: ['mean radius'],
  metric: 'roc_auc',
  greater_is_better: true,
  positive_class: 1,
  classes: [0, 1],
  message:
    'The budget of 2 s was spent on the baselines, before any other model could be cross-validated on all rows: returning the baseline Histogram gradient boosting (ROC AUC 0.9937).',
  budget_exhausted: true,
  baseline_only: true,
  stopped_by: 'budget',
  best: {
    id: 1,
    candidate: 'hist_gradient_boosting',
    label: 'Histogram gradient boosting',
    params: {},
    rows: 160,
    baseline: true,
    score: 0.993738,
    score_std: 0.003123,
    folds_done: 5,
    fit_time_s: 1.0009,
    status: 'ok',
    error: null
  },
  leaderboard: [],
  trials: [],
  folds: 5,
  budget_s: 2,
  metrics: { accuracy: 0.925, roc_auc: 0.994987, log_loss: null, rows: 40 },
  charts: {
    importance: { $schema: 'https://vega.github.io/schema/vega-lite/v5.json' },
    roc: { $schema: 'https://vega.github.io/schema/vega-lite/v5.json' },
    confusion_matrix: {
      $schema: 'https://vega.github.io/schema/vega-lite/v5.json'
    }
  },
  importance: [],
  slices: {
    column: 'region',
    metric: 'roc_auc',
    rows: [{ slice: 'north', roc_auc: 0.9, rows: 10 }],
    chart: { mark: 'bar' }
  },
  feature_report: {
    target: 'target',
    rows: 200,
    features: ['mean radius'],
    columns: [
      {
        name: 'mean radius',
        kind: 'numeric',
        dtype: 'float64',
        distinct: 183,
        null_fraction: 0.0,
        flags: [],
        included: true
      },
      {
        name: 'id',
        kind: 'numeric',
        dtype: 'int64',
        distinct: 200,
        null_fraction: 0.0,
        flags: [{ code: 'id_like', reason: 'Every value differs.' }],
        included: false
      }
    ]
  },
  rows: { train: 160, holdout: 40, dropped_null_target: 0 }
};
RESULT.leaderboard.push(RESULT.best);

describe('normalizeRun', () => {
  it("reads a finished run with the engine's result", () => {
    const run = normalizeRun({
      run_id: 7,
      status: 'finished',
      experiment: 'default',
      started_at: '2026-11-27T10:00:00+00:00',
      sql: 'SELECT * FROM t',
      params: { target: 'target', budget_s: 2 },
      progress: {
        phase: 'done',
        trials_done: 2,
        best_score: 0.99,
        best_candidate: 'hist_gradient_boosting',
        metric: 'roc_auc',
        elapsed_s: 7.8,
        time_left_s: 0
      },
      result: RESULT,
      inputs: [
        {
          kind: 'file',
          name: null,
          version: null,
          path: '/data/t.csv',
          row_count: 200,
          size: 12345,
          mtime: '2026-11-27T10:00:00+00:00',
          sha256: 'f'.repeat(64)
        }
      ]
    });
    expect(run.id).toBe(7);
    expect(run.sql).toBe('SELECT * FROM t');
    expect(run.target).toBe('target');
    expect(run.task).toBe('binary');
    expect(run.metric).toBe('roc_auc');
    expect(run.budget_s).toBe(2);
    expect(run.progress?.leaderboard).toEqual([]);
    const result = run.result!;
    expect(result.baseline_only).toBe(true);
    expect(result.leaderboard[0]).toMatchObject({
      label: 'Histogram gradient boosting',
      score: 0.993738,
      score_std: 0.003123,
      fit_time_s: 1.0009
    });
    expect(result.metrics).toEqual({
      accuracy: 0.925,
      roc_auc: 0.994987,
      log_loss: null,
      rows: 40
    });
    expect(result.featureReport.map(c => [c.name, c.included])).toEqual([
      ['mean radius', true],
      ['id', false]
    ]);
    expect(result.slices?.chart).toEqual({ mark: 'bar' });
    expect(run.inputs[0]).toMatchObject({
      kind: 'file',
      path: '/data/t.csv',
      size: 12345
    });
  });

  it("reads a failed run's ErrorResponse, and a run still starting", () => {
    const failed = normalizeRun({
      run_id: 3,
      experiment: 'default',
      status: 'failed',
      started_at: '2026-11-27T10:00:00+00:00',
      task: 'binary',
      error: {
        message: 'One class only.',
        code: 'training_data',
        detail: { target: 'y' }
      }
    });
    expect(failed.error).toEqual({
      message: 'One class only.',
      code: 'training_data',
      detail: { target: 'y' }
    });
    expect(failed.result).toBeNull();
    // Starting: the progress has a phase and the budget, no clock yet.
    const starting = normalizeRun({
      run_id: 4,
      experiment: 'default',
      status: 'running',
      started_at: '2026-11-27T10:00:00+00:00',
      metric: 'r2',
      budget_s: 30,
      progress: { phase: 'starting', metric: 'r2', budget_s: 30 }
    });
    expect(starting.error).toBeNull();
    expect(starting.progress).toEqual({
      phase: 'starting',
      trials_done: 0,
      best_score: null,
      best_candidate: null,
      metric: 'r2',
      elapsed_s: 0,
      time_left_s: 30,
      leaderboard: []
    });
    expect(starting.task).toBeNull();
  });

  it('lists a run with the held-out score of its metric', () => {
    const summary = normalizeSummary({
      run_id: 9,
      experiment: 'default',
      status: 'finished',
      started_at: '2026-11-27T10:00:00+00:00',
      target: 'y',
      task: 'regression',
      metric: 'r2',
      metrics: { r2: 0.5, mae: 2, cv_r2: 0.4 }
    });
    expect(summary).toMatchObject({
      id: 9,
      metric: 'r2',
      score: 0.5,
      task: 'regression'
    });
    // Still running: no metrics yet, so no score.
    expect(
      normalizeSummary({
        run_id: 10,
        experiment: 'default',
        status: 'running',
        started_at: '2026-11-27T10:00:00+00:00',
        metric: 'r2'
      }).score
    ).toBeNull();
  });
});

describe('normalizePreview', () => {
  it('reads the columns, target, task and metrics of every task', () => {
    const preview = normalizePreview({
      sql: 'SELECT * FROM t',
      target: 'target',
      rows: 200,
      sampled: true,
      sample_rows: 100,
      note: 'Read a sample of 100 rows.',
      all_columns: ['mean radius', 'id', 'target'],
      columns: RESULT.feature_report.columns,
      features: ['mean radius'],
      task: 'binary',
      metrics: [
        { name: 'roc_auc', label: 'ROC AUC', greater_is_better: true },
        { name: 'accuracy', label: 'Accuracy', greater_is_better: true }
      ],
      default_metric: 'roc_auc',
      metrics_by_task: {
        regression: [
          {
            name: 'mae',
            label: 'Mean absolute error',
            greater_is_better: false
          }
        ]
      },
      default_metric_by_task: { binary: 'roc_auc', regression: 'mae' }
    });
    expect(preview.target).toBe('target');
    expect(preview.columns.map(c => c.name)).toEqual(['mean radius', 'id']);
    expect(preview.columns[1].flags).toEqual([
      { code: 'id_like', reason: 'Every value differs.' }
    ]);
    expect(preview.columns[1].included).toBe(false);
    expect(preview.allColumns).toEqual(['mean radius', 'id', 'target']);
    expect(preview.metrics.map(m => m.label)).toEqual(['ROC AUC', 'Accuracy']);
    expect(preview.metricsByTask).toEqual({
      regression: [
        { name: 'mae', label: 'Mean absolute error', greater_is_better: false }
      ]
    });
    expect(preview.defaultMetricByTask).toEqual({
      binary: 'roc_auc',
      regression: 'mae'
    });
    expect(preview.sampled).toBe(true);
    expect(preview.note).toBe('Read a sample of 100 rows.');
    expect(preview.problem).toBeNull();
  });

  it('without a target: the columns, no task and no metrics', () => {
    const preview = normalizePreview({
      sql: 'SELECT 1 AS a',
      target: null,
      rows: 3,
      sampled: false,
      sample_rows: 3,
      all_columns: ['a'],
      columns: [
        {
          name: 'a',
          kind: 'numeric',
          dtype: 'int32',
          distinct: 1,
          null_fraction: 0,
          flags: [{ code: 'constant', reason: 'One value only.' }],
          included: false
        }
      ],
      features: []
    });
    expect(preview.task).toBeNull();
    expect(preview.metrics).toEqual([]);
    expect(preview.defaultMetric).toBeNull();
    expect(preview.metricsByTask).toEqual({});
    expect(preview.columns[0]).toMatchObject({
      kind: 'numeric',
      included: false,
      flags: [{ code: 'constant', reason: 'One value only.' }]
    });
    expect(preview.allColumns).toEqual(['a']);
  });
});

describe('formatting and charts', () => {
  it('writes scores, durations and sizes for people', () => {
    expect(formatScore(0.994987)).toBe('0.995');
    expect(formatScore(null)).toBe('—');
    expect(formatScore(12345)).toBe('12,345');
    expect(formatSeconds(4.25)).toBe('4.3 s');
    expect(formatSeconds(42)).toBe('42 s');
    expect(formatSeconds(300)).toBe('5 min');
    expect(formatSeconds(185)).toBe('3 min 5 s');
    expect(formatBytes(12345)).toBe('12.3 kB');
    expect(metricLabel('balanced_accuracy')).toBe('Balanced accuracy');
    expect(metricLabel('recall')).toBe('Recall');
  });

  it('orders charts, and bundles them as Vega-Lite v5 for the rendermime registry', () => {
    expect(orderedCharts(RESULT.charts).map(([name]) => name)).toEqual([
      'confusion_matrix',
      'roc',
      'importance'
    ]);
    expect(Object.keys(chartBundle(RESULT.charts.roc))).toEqual([
      'application/vnd.vegalite.v5+json'
    ]);
  });

  it('fills the progress bar with the share of the budget spent, never past full', () => {
    const progress = {
      phase: 'search',
      trials_done: 1,
      best_score: null,
      best_candidate: null,
      metric: 'r2',
      elapsed_s: 15,
      time_left_s: 45,
      leaderboard: []
    };
    expect(budgetShare(progress, 60)).toBe(0.25);
    expect(budgetShare(progress, null)).toBe(0.25);
    expect(budgetShare({ ...progress, elapsed_s: 80 }, 60)).toBe(1);
    expect(budgetShare(null, 60)).toBe(0);
  });
});
