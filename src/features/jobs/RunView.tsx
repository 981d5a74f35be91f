/**
 * A notebook run in the main area: its status, an indeterminate progress bar and the live
 * log tail while it goes on (Stop), its parameters, the values it recorded (`mlwb.record`),
 * the failing cell and traceback of a failed run, why it ended, "Open executed notebook",
 * "Open HTML", and the recorded values of the other runs of the same job side by side.
 * A view: the run model in, callbacks out.
 */
import { TranslationBundle } from '@jupyterlab/translation';
import { Button } from '@jupyterlab/ui-components';
import * as React from 'react';

import { IChartRenderers } from '../shared/vegaLite';
import { ErrorBox } from '../training/ErrorBox';
import { formatSeconds, formatTime, formatValue } from '../training/format';
import { baseName, StatusBadge } from './labels';
import { JobRunModel } from './runModel';
import { JobRunInfo } from './types';
import { ValuesCompare } from './ValuesCompare';

export interface IRunViewProps {
  model: JobRunModel;
  trans: TranslationBundle;
  /** Open the executed notebook (a path relative to the Jupyter root). */
  onOpenNotebook: (path: string) => void;
  /** Show the run's HTML export. */
  onOpenHtml: (run: JobRunInfo) => void;
  /** Open another run. */
  onOpenRun: (id: number) => void;
  /** Draws the chart of recorded values across runs (none: the table only). */
  renderers?: IChartRenderers | null;
  /** Bumped when the theme changes: the chart is drawn again. */
  themeGeneration?: number;
}

export function RunView(props: IRunViewProps): JSX.Element {
  const { model, trans } = props;
  const run = model.run;
  if (!run) {
    return (
      <div className="mlwb-JobRun" data-status="loading" data-run-id={model.id}>
        {model.error ? (
          <ErrorBox error={model.error} testid="mlwb-job-run-error" />
        ) : (
          <div className="mlwb-JobRun-empty">
            {trans.__('Reading run %1…', model.id)}
          </div>
        )}
      </div>
    );
  }
  return (
    <div className="mlwb-JobRun" data-status={run.status} data-run-id={run.id}>
      <Header {...props} run={run} />
      {model.error ? (
        <ErrorBox error={model.error} testid="mlwb-job-run-error" />
      ) : null}
      {model.stopError ? (
        <ErrorBox
          error={model.stopError}
          testid="mlwb-job-stop-error"
          action={trans.__('Stop')}
        />
      ) : null}
      {model.active ? (
        <div
          className="mlwb-JobRun-progress"
          data-testid="mlwb-job-progress"
          role="progressbar"
          aria-label={trans.__('Run %1 is going on', run.id)}
        >
          <div className="mlwb-JobRun-progressBar" />
        </div>
      ) : null}
      {run.status === 'failed' || run.status === 'timed_out' ? (
        <Failure run={run} trans={trans} />
      ) : run.exit_reason ? (
        <div className="mlwb-JobRun-exit" data-testid="mlwb-job-exit-reason">
          {run.exit_reason}
        </div>
      ) : null}
      <div className="mlwb-JobRun-columns">
        <KeyValues
          title={trans.__('Parameters')}
          testid="mlwb-job-params"
          values={run.parameters ?? {}}
          empty={trans.__('The notebook’s defaults.')}
        />
        <KeyValues
          title={trans.__('Recorded values')}
          testid="mlwb-job-values"
          values={run.values ?? {}}
          empty={
            model.active
              ? trans.__('None yet.')
              : trans.__(
                  'None: the notebook can record some with mlwb.record("name", value).'
                )
          }
        />
      </div>
      <Log model={model} trans={trans} />
      {!model.active ? (
        <ValuesCompare
          runs={model.siblings}
          current={run.id}
          trans={trans}
          onOpenRun={props.onOpenRun}
          renderers={props.renderers}
          themeGeneration={props.themeGeneration}
        />
      ) : null}
    </div>
  );
}

function Header(props: IRunViewProps & { run: JobRunInfo }): JSX.Element {
  const { run, trans, model } = props;
  return (
    <header className="mlwb-JobRun-header">
      <h2>
        {run.job_name
          ? trans.__('Run %1 of job %2', run.id, run.job_name)
          : trans.__('Run %1 of %2', run.id, baseName(run.notebook))}
      </h2>
      <div className="mlwb-JobRun-facts">
        <StatusBadge status={run.status} trans={trans} />
        <span title={run.notebook}>{run.notebook}</span>
        {run.kernel ? <span>{trans.__('kernel %1', run.kernel)}</span> : null}
        {run.attempt > 1 ? (
          <span>{trans.__('attempt %1', run.attempt)}</span>
        ) : null}
        <span>
          {run.started_at
            ? trans.__('started %1', formatTime(run.started_at))
            : trans.__('queued %1', formatTime(run.created_at))}
        </span>
        {run.duration_seconds !== null ? (
          <span>
            {model.active
              ? trans.__('for %1', formatSeconds(run.duration_seconds))
              : trans.__('took %1', formatSeconds(run.duration_seconds))}
          </span>
        ) : null}
        {run.scheduled_for ? (
          <span>
            {trans.__('scheduled for %1', formatTime(run.scheduled_for))}
          </span>
        ) : null}
      </div>
      <div className="mlwb-JobRun-actions">
        {model.active ? (
          <Button
            minimal
            data-testid="mlwb-job-stop"
            disabled={model.stopping}
            onClick={() => void model.stop()}
          >
            {model.stopping ? trans.__('Stopping…') : trans.__('Stop')}
          </Button>
        ) : null}
        {run.output_path && openable(run) ? (
          <Button
            minimal
            data-testid="mlwb-job-open-notebook"
            title={run.output_path}
            onClick={() => props.onOpenNotebook(run.output_path!)}
          >
            {trans.__('Open executed notebook')}
          </Button>
        ) : run.output_path && run.output_available !== false ? (
          <span
            className="mlwb-JobRun-outside"
            title={trans.__(
              'The executed notebook is outside the Jupyter root or in a hidden folder, so JupyterLab cannot open it. Pick an output folder under the root to open it here.'
            )}
          >
            {run.output_path}
          </span>
        ) : null}
        {run.html_available ? (
          <Button
            minimal
            data-testid="mlwb-job-open-html"
            onClick={() => props.onOpenHtml(run)}
          >
            {trans.__('Open HTML')}
          </Button>
        ) : null}
      </div>
    </header>
  );
}

/**
 * Whether JupyterLab can open the executed notebook: it exists, under the Jupyter root, and
 * not in a hidden folder (the contents API refuses those unless configured to allow them).
 */
export function openable(run: JobRunInfo): boolean {
  const path = run.output_path ?? '';
  return (
    !!path &&
    !!run.output_in_root &&
    run.output_available !== false &&
    !path.split('/').some(part => part.startsWith('.'))
  );
}

function Failure(props: {
  run: JobRunInfo;
  trans: TranslationBundle;
}): JSX.Element {
  const { run, trans } = props;
  return (
    <div
      className="mlwb-JobRun-failure"
      data-testid="mlwb-job-failure"
      role="alert"
    >
      <div className="mlwb-JobRun-exit" data-testid="mlwb-job-exit-reason">
        {run.exit_reason ??
          (run.status === 'timed_out'
            ? trans.__('The run took longer than its timeout.')
            : trans.__('The notebook raised an error.'))}
      </div>
      {typeof run.failed_cell === 'number' ? (
        <div className="mlwb-JobRun-cell">
          {trans.__(
            'Failing cell: number %1 in the notebook (index %2)',
            run.failed_cell + 1,
            run.failed_cell
          )}
        </div>
      ) : null}
      {run.traceback ? (
        <pre className="mlwb-JobRun-traceback">{run.traceback}</pre>
      ) : null}
    </div>
  );
}

function KeyValues(props: {
  title: string;
  testid: string;
  values: { [name: string]: unknown };
  empty: string;
}): JSX.Element {
  const entries = Object.entries(props.values ?? {});
  return (
    <section className="mlwb-JobRun-table" data-testid={props.testid}>
      <h3>{props.title}</h3>
      {entries.length === 0 ? (
        <div className="mlwb-JobRun-none">{props.empty}</div>
      ) : (
        <table>
          <tbody>
            {entries.map(([name, value]) => (
              <tr key={name} data-name={name} data-value={formatValue(value)}>
                <th>{name}</th>
                <td>{formatValue(value)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** The log tail, kept scrolled to its end while it grows. */
function Log(props: {
  model: JobRunModel;
  trans: TranslationBundle;
}): JSX.Element {
  const { model, trans } = props;
  const ref = React.useRef<HTMLPreElement>(null);
  React.useEffect(() => {
    const node = ref.current;
    if (node) {
      node.scrollTop = node.scrollHeight;
    }
  }, [model.log]);
  return (
    <section className="mlwb-JobRun-logSection">
      <h3>
        {model.active ? trans.__('Log (live)') : trans.__('Log')}
        {model.logTruncated ? (
          <span className="mlwb-JobRun-note">
            {' '}
            {trans.__('(its last part)')}
          </span>
        ) : null}
      </h3>
      <pre className="mlwb-JobRun-log" data-testid="mlwb-job-log" ref={ref}>
        {model.log || (model.active ? trans.__('Waiting for output…') : '')}
      </pre>
    </section>
  );
}
