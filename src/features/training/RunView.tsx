/**
 * A training run: while it runs, its live progress (elapsed against the budget, phase, trials,
 * best score so far, time left), the leaderboard so far and Stop; once it has ended, what the
 * search says, the held-out metrics, the charts, the leaderboard, the feature report and the
 * lineage; or why it failed. A view: the run model in, callbacks out.
 */
import { TranslationBundle } from '@jupyterlab/translation';
import { Button } from '@jupyterlab/ui-components';
import * as React from 'react';

import { IChartRenderers } from '../shared/vegaLite';
import { ChartGrid } from './charts';
import { ErrorBox } from './ErrorBox';
import { formatScore, formatSeconds, formatTime } from './format';
import { phaseLabel, StatusIcon, statusLabel, taskLabel } from './labels';
import { metricLabel } from './normalize';
import {
  FeatureReportTable,
  Leaderboard,
  Lineage,
  MetricsTable
} from './ResultTables';
import { RunModel } from './runModel';
import { IChartSpec, IProgress, ITrainingRun } from './types';

export interface IRunViewProps {
  model: RunModel;
  trans: TranslationBundle;
  renderers: IChartRenderers;
  /** Bumped when the theme changes: the charts are drawn again. */
  themeGeneration: number;
  /** Open the form again with this run's data and target. */
  onTrainAgain?: (run: ITrainingRun) => void;
  /** Publish the run's best model to the registry (asks for the name). */
  onPublish?: (run: ITrainingRun) => void;
}

export function RunView(props: IRunViewProps): JSX.Element {
  const { model, trans } = props;
  const run = model.run;
  if (!run) {
    return (
      <div className="mlwb-TrainingRun" data-status="loading">
        {model.error ? (
          <ErrorBox error={model.error} testid="mlwb-train-run-error" />
        ) : (
          <div className="mlwb-Train-empty">
            {trans.__('Reading run %1…', model.id)}
          </div>
        )}
      </div>
    );
  }
  return (
    <div
      className="mlwb-TrainingRun"
      data-status={run.status}
      data-run-id={run.id}
    >
      <RunHeader {...props} run={run} />
      {model.error ? (
        <ErrorBox error={model.error} testid="mlwb-train-run-error" />
      ) : null}
      {run.status === 'running' ? (
        <LiveProgress {...props} run={run} />
      ) : (
        <Outcome {...props} run={run} />
      )}
    </div>
  );
}

function RunHeader(props: IRunViewProps & { run: ITrainingRun }): JSX.Element {
  const { run, trans } = props;
  return (
    <header className="mlwb-TrainingRun-header">
      <h2>
        <StatusIcon status={run.status} trans={trans} />{' '}
        {run.target
          ? trans.__('Run %1: predict %2', run.id, run.target)
          : trans.__('Run %1', run.id)}
      </h2>
      <div className="mlwb-TrainingRun-facts">
        <span data-testid="mlwb-train-status">
          {statusLabel(run.status, trans)}
        </span>
        {run.task ? <span>{taskLabel(run.task, trans)}</span> : null}
        {run.metric ? (
          <span>{trans.__('optimising %1', metricLabel(run.metric))}</span>
        ) : null}
        {run.budget_s !== null ? (
          <span>{trans.__('budget %1', formatSeconds(run.budget_s))}</span>
        ) : null}
        {run.started_at ? <span>{formatTime(run.started_at)}</span> : null}
        {run.duration_s !== null ? (
          <span>{trans.__('took %1', formatSeconds(run.duration_s))}</span>
        ) : null}
        {run.experiment ? (
          <span>{trans.__('experiment %1', run.experiment)}</span>
        ) : null}
      </div>
      {run.status !== 'running' && props.onTrainAgain ? (
        <Button
          minimal
          data-testid="mlwb-train-again"
          onClick={() => props.onTrainAgain?.(run)}
        >
          {trans.__('Train again…')}
        </Button>
      ) : null}
      {run.status !== 'running' && run.result?.best && props.onPublish ? (
        <Button
          minimal
          data-testid="mlwb-train-publish"
          title={trans.__(
            "Register this run's best model as the next version of a name"
          )}
          onClick={() => props.onPublish?.(run)}
        >
          {trans.__('Publish…')}
        </Button>
      ) : null}
    </header>
  );
}

/** Share (0-1) of the budget spent; the refit and evaluation may run past it. */
export function budgetShare(
  progress: IProgress | null,
  budget: number | null
): number {
  if (!progress) {
    return 0;
  }
  const total = budget ?? progress.elapsed_s + progress.time_left_s;
  return total > 0 ? Math.min(1, progress.elapsed_s / total) : 1;
}

function LiveProgress(
  props: IRunViewProps & { run: ITrainingRun }
): JSX.Element {
  const { model, run, trans } = props;
  const progress = run.progress;
  const share = budgetShare(progress, run.budget_s);
  const budget = run.budget_s ?? 0;
  return (
    <section className="mlwb-TrainingRun-live">
      <div
        className="mlwb-ProgressBar mlwb-Train-progress"
        data-testid="mlwb-train-progress"
        data-phase={progress?.phase ?? 'starting'}
        data-trials={progress?.trials_done ?? 0}
        role="progressbar"
        aria-valuemin={0}
        aria-valuemax={budget}
        aria-valuenow={progress?.elapsed_s ?? 0}
        aria-label={trans.__('Time budget spent')}
      >
        <div
          className="mlwb-ProgressBar-fill"
          style={{ width: `${(share * 100).toFixed(1)}%` }}
        />
      </div>
      <dl className="mlwb-Train-liveFacts">
        <dt>{trans.__('Phase')}</dt>
        <dd data-testid="mlwb-train-phase">
          {phaseLabel(progress?.phase ?? 'starting', trans)}
        </dd>
        <dt>{trans.__('Trials done')}</dt>
        <dd data-testid="mlwb-train-trials">{progress?.trials_done ?? 0}</dd>
        <dt>{trans.__('Best so far')}</dt>
        <dd data-testid="mlwb-train-best">
          {progress?.best_score !== null && progress?.best_score !== undefined
            ? `${formatScore(progress.best_score)}${
                progress.best_candidate ? ` (${progress.best_candidate})` : ''
              }`
            : '—'}
        </dd>
        <dt>{trans.__('Elapsed')}</dt>
        <dd>{formatSeconds(progress?.elapsed_s ?? 0)}</dd>
        <dt>{trans.__('Time left')}</dt>
        <dd data-testid="mlwb-train-time-left">
          {formatSeconds(progress?.time_left_s ?? run.budget_s ?? 0)}
        </dd>
      </dl>
      <div className="mlwb-TrainingRun-stop">
        <Button
          data-testid="mlwb-train-stop"
          disabled={model.stopping}
          onClick={() => void model.stop()}
        >
          {model.stopping ? trans.__('Stopping…') : trans.__('Stop')}
        </Button>
        <span className="mlwb-TrainForm-hint">
          {model.stopping
            ? trans.__(
                'Stopping: the best model found so far is being refitted and evaluated.'
              )
            : trans.__(
                'Stop ends the search early and keeps the best model found so far.'
              )}
        </span>
      </div>
      {model.stopError ? (
        <ErrorBox
          error={model.stopError}
          testid="mlwb-train-stop-error"
          action={trans.__('Stop')}
        />
      ) : null}
      <h3>{trans.__('Leaderboard so far')}</h3>
      <Leaderboard
        trials={progress?.leaderboard ?? []}
        metric={progress?.metric || run.metric}
        trans={trans}
      />
    </section>
  );
}

function Outcome(props: IRunViewProps & { run: ITrainingRun }): JSX.Element {
  const { run, trans } = props;
  const result = run.result;
  const charts = React.useMemo(() => {
    const all: { [name: string]: IChartSpec } = { ...(result?.charts ?? {}) };
    if (result?.slices?.chart) {
      all.slices = result.slices.chart;
    }
    return all;
  }, [result]);
  return (
    <section className="mlwb-TrainingRun-outcome">
      {run.status === 'failed' ? (
        <ErrorBox
          error={run.error ?? { message: trans.__('The run failed.') }}
          testid="mlwb-train-failure"
          action={trans.__('Training failed')}
        />
      ) : null}
      {result?.message || run.status === 'stopped' ? (
        <div
          className="mlwb-Train-message"
          data-testid="mlwb-train-message"
          data-stopped-by={result?.stopped_by ?? ''}
          data-baseline-only={result?.baseline_only ?? false}
          data-warning={Boolean(result?.baseline_only)}
        >
          {run.status === 'stopped' ? (
            <strong>
              {trans.__('Stopped early; the best model found was kept.')}{' '}
            </strong>
          ) : null}
          {result?.message ?? run.error?.message ?? ''}
        </div>
      ) : null}
      {result ? (
        <>
          <div className="mlwb-TrainingRun-summary">
            <div>
              <h3>{trans.__('Held-out metrics')}</h3>
              <MetricsTable
                metrics={result.metrics}
                metric={result.metric}
                trans={trans}
              />
              {result.best ? (
                <p
                  className="mlwb-Train-best"
                  data-testid="mlwb-train-best-model"
                >
                  {trans.__(
                    'Best model: %1 (%2 %3 in cross-validation)',
                    result.best.label,
                    metricLabel(result.metric),
                    formatScore(result.best.score)
                  )}
                </p>
              ) : null}
              {result.refitAll ? (
                <p
                  className="mlwb-Train-refit"
                  data-testid="mlwb-train-refit-all"
                >
                  {trans.__(
                    'Saved model: refitted on all %1 rows (training and held-out) after the evaluation.',
                    result.rows.refit.toLocaleString()
                  )}
                </p>
              ) : null}
            </div>
          </div>
          <h3>{trans.__('Charts')}</h3>
          <ChartGrid
            charts={charts}
            renderers={props.renderers}
            trans={trans}
            themeGeneration={props.themeGeneration}
          />
          <h3>{trans.__('Leaderboard')}</h3>
          <Leaderboard
            trials={result.leaderboard}
            metric={result.metric}
            trans={trans}
            bestId={result.best?.id ?? null}
          />
          <details className="mlwb-Train-details" open>
            <summary>{trans.__('Features')}</summary>
            <FeatureReportTable
              columns={result.featureReport}
              features={result.features}
              trans={trans}
            />
          </details>
        </>
      ) : null}
      <details className="mlwb-Train-details" open>
        <summary>{trans.__('Lineage')}</summary>
        <Lineage
          sql={run.sql}
          inputs={run.inputs}
          versions={run.versions}
          trans={trans}
        />
      </details>
    </section>
  );
}
