/**
 * The "Score a query" dialog: the rows (a table or a SELECT), the model version or alias, the
 * table to write, the prediction column and probability columns; then Score. While the server
 * scores (a server task), a progress bar of rows done of the estimated total and Cancel (the
 * task stops at its next batch and writes no version); then the rows scored,
 * the table and its new version, and "Open table". Errors show the server's message and detail
 * (a bad query's line and column are selected in the SQL text).
 */
import { Dialog, Notification } from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';
import {
  Button,
  HTMLSelect,
  ReactWidget,
  UseSignal
} from '@jupyterlab/ui-components';
import * as React from 'react';

import { ErrorBox } from '../training/ErrorBox';
import {
  IScoreProgress,
  ScoreFormModel,
  ScoreProblem,
  ScoreSourceKind
} from './scoreForm';
import { ScoreResponse } from './types';

export interface IScoreQueryProps {
  form: ScoreFormModel;
  trans: TranslationBundle;
  /** Open a scored table in the workbench (its SQL name). */
  onOpenTable: (table: string) => void;
}

/** The offset in `text` of a 1-based line and column. */
export function offsetOf(text: string, line: number, column: number): number {
  const lines = text.split('\n');
  let offset = 0;
  for (let i = 0; i < Math.min(line - 1, lines.length - 1); i++) {
    offset += lines[i].length + 1;
  }
  return Math.min(text.length, offset + Math.max(0, column - 1));
}

export function ScoreQuery(props: IScoreQueryProps): JSX.Element {
  const { form, trans } = props;
  const running = form.status === 'running';
  const sqlRef = React.useRef<HTMLTextAreaElement>(null);
  const position = form.error?.position ?? null;
  // Put the caret where DuckDB stopped reading the user's SELECT.
  React.useEffect(() => {
    const area = sqlRef.current;
    if (area && position && form.source === 'sql') {
      const at = offsetOf(area.value, position.line, position.column ?? 1);
      area.focus();
      area.setSelectionRange(at, Math.min(area.value.length, at + 1));
    }
  }, [form.error]);
  const problemText: { [problem in ScoreProblem]: string } = {
    'no-rows': trans.__('Pick a table or write a SELECT.'),
    'no-model': trans.__('The model has no version to score with.'),
    'no-into': trans.__('Name the table to write.'),
    'no-column': trans.__('Name the prediction column.')
  };
  const problem = form.problem;
  const id = (part: string) => `mlwb-score-${part}`;
  return (
    <form
      className="mlwb-ScoreQuery"
      data-status={form.status}
      onSubmit={event => {
        event.preventDefault();
        void form.score();
      }}
    >
      <fieldset className="mlwb-ScoreQuery-rows" disabled={running}>
        <legend>{trans.__('Rows to score')}</legend>
        <div className="mlwb-ScoreQuery-source" role="radiogroup">
          {(['table', 'sql'] as ScoreSourceKind[]).map(kind => (
            <label key={kind}>
              <input
                type="radio"
                name="mlwb-score-source"
                data-testid={`mlwb-score-source-${kind}`}
                value={kind}
                checked={form.source === kind}
                onChange={() => form.setSource(kind)}
              />
              {kind === 'table' ? trans.__('Table') : trans.__('SQL query')}
            </label>
          ))}
        </div>
        {form.source === 'table' ? (
          <label className="mlwb-ScoreQuery-field">
            <span>{trans.__('Table')}</span>
            <HTMLSelect
              id={id('table')}
              data-testid="mlwb-score-table"
              value={form.table ?? ''}
              onChange={event => form.setTable(event.target.value)}
            >
              <option value="" disabled>
                {form.tables.length
                  ? trans.__('Pick a table…')
                  : trans.__('No tables: register a source first')}
              </option>
              {form.tables.map(name => (
                <option key={name} value={name}>
                  {name}
                </option>
              ))}
            </HTMLSelect>
          </label>
        ) : (
          <label className="mlwb-ScoreQuery-field mlwb-ScoreQuery-sqlField">
            <span>{trans.__('SELECT')}</span>
            <textarea
              ref={sqlRef}
              className="mlwb-ScoreQuery-sql jp-mod-styled"
              data-testid="mlwb-score-sql"
              rows={5}
              spellCheck={false}
              value={form.sql}
              placeholder="SELECT * FROM customers WHERE signup_date >= '2026-01-01'"
              onChange={event => form.setSql(event.target.value)}
            />
          </label>
        )}
      </fieldset>
      <fieldset className="mlwb-ScoreQuery-output" disabled={running}>
        <legend>{trans.__('Model and output')}</legend>
        <label className="mlwb-ScoreQuery-field">
          <span>{trans.__('Model')}</span>
          <HTMLSelect
            data-testid="mlwb-score-model"
            value={form.ref}
            onChange={event => form.setRef(event.target.value)}
          >
            {form.refs.map(r => (
              <option key={r.ref} value={r.ref}>
                {`${form.modelName} ${r.label}`}
              </option>
            ))}
          </HTMLSelect>
        </label>
        <label className="mlwb-ScoreQuery-field">
          <span>{trans.__('Write to table')}</span>
          <input
            className="jp-mod-styled"
            data-testid="mlwb-score-into"
            value={form.into}
            placeholder={form.defaultInto}
            onChange={event => form.setInto(event.target.value)}
          />
        </label>
        <label className="mlwb-ScoreQuery-field">
          <span>{trans.__('Prediction column')}</span>
          <input
            className="jp-mod-styled"
            data-testid="mlwb-score-column"
            value={form.column}
            onChange={event => form.setColumn(event.target.value)}
          />
        </label>
        <label className="mlwb-ScoreQuery-check">
          <input
            type="checkbox"
            data-testid="mlwb-score-probabilities"
            checked={form.probabilities}
            onChange={event => form.setProbabilities(event.target.checked)}
          />
          {trans.__(
            'Also write each class’s probability (%1_<class> columns)',
            form.column.trim() || 'prediction'
          )}
        </label>
        <div className="mlwb-ScoreQuery-hint">
          {trans.__(
            'An existing table gets a new version (the previous ones stay readable); its lineage names the exact model version.'
          )}
        </div>
      </fieldset>
      <div className="mlwb-ScoreQuery-actions">
        {running ? (
          <Button
            data-testid="mlwb-score-cancel"
            minimal={false}
            disabled={form.cancelling}
            onClick={() => form.cancel()}
          >
            {form.cancelling ? trans.__('Cancelling…') : trans.__('Cancel')}
          </Button>
        ) : (
          <Button
            type="submit"
            data-testid="mlwb-score-run"
            className="jp-mod-styled jp-mod-accept"
            disabled={problem !== null}
            title={problem ? problemText[problem] : ''}
          >
            {trans.__('Score')}
          </Button>
        )}
        {problem && !running ? (
          <span className="mlwb-ScoreQuery-hint">{problemText[problem]}</span>
        ) : null}
      </div>
      {running ? (
        <ScoreProgress
          progress={form.progress}
          into={form.request.into}
          trans={trans}
        />
      ) : null}
      {form.status === 'cancelled' ? (
        <div
          className="mlwb-Train-message"
          data-warning="true"
          data-testid="mlwb-score-cancelled"
        >
          {trans.__(
            'Scoring cancelled: no new version was written, %1 keeps its previous version.',
            form.request.into
          )}
        </div>
      ) : null}
      {form.status === 'failed' && form.error ? (
        <>
          <ErrorBox
            error={form.error}
            testid="mlwb-score-error"
            action={trans.__('Score')}
          />
          {position ? (
            <div className="mlwb-ScoreQuery-hint">
              {form.source === 'sql'
                ? trans.__(
                    'At line %1, column %2 of the SELECT (selected above).',
                    position.line,
                    position.column ?? 1
                  )
                : trans.__(
                    'At line %1, column %2 of: %3',
                    position.line,
                    position.column ?? 1,
                    form.selectSql
                  )}
            </div>
          ) : null}
        </>
      ) : null}
      {form.status === 'done' && form.result ? (
        <ScoreResult
          result={form.result}
          trans={trans}
          onOpenTable={props.onOpenTable}
        />
      ) : null}
    </form>
  );
}

/**
 * A running scoring: rows done of the planner's estimate (a determinate bar with the numbers),
 * an indeterminate bar until the server's first report (after its first second).
 */
export function ScoreProgress(props: {
  progress: IScoreProgress;
  into: string;
  trans: TranslationBundle;
}): JSX.Element {
  const { progress, trans } = props;
  const { done, total } = progress;
  const share = total ? Math.min(1, done / total) : null;
  return (
    <div className="mlwb-ScoreQuery-running">
      <div
        className={`mlwb-ProgressBar mlwb-ScoreQuery-progress${
          share === null ? ' mlwb-mod-indeterminate' : ''
        }`}
        role="progressbar"
        aria-label={trans.__('Scoring…')}
        aria-valuemin={0}
        aria-valuemax={total ?? undefined}
        aria-valuenow={share === null ? undefined : done}
        data-testid="mlwb-score-progress"
        data-done={done}
        data-total={total ?? ''}
      >
        <div
          className="mlwb-ProgressBar-fill"
          style={share === null ? undefined : { width: `${share * 100}%` }}
        />
      </div>
      <span data-testid="mlwb-score-progress-text">
        {share === null
          ? trans.__('Scoring the rows into %1…', props.into)
          : trans.__(
              'Scoring into %1: %2 of about %3 rows…',
              props.into,
              done.toLocaleString(),
              (total ?? done).toLocaleString()
            )}
      </span>
    </div>
  );
}

/** What a scoring wrote: rows, the table at its new version, the exact model version. */
export function ScoreResult(props: {
  result: ScoreResponse;
  trans: TranslationBundle;
  onOpenTable: (table: string) => void;
}): JSX.Element {
  const { result, trans } = props;
  return (
    <div
      className="mlwb-ScoreQuery-result"
      role="status"
      data-testid="mlwb-score-result"
      data-rows={result.rows}
      data-table={result.table.name}
      data-version={result.table.version ?? ''}
    >
      <div>
        {trans.__(
          '%1 rows scored with %2 v%3 into %4, version %5.',
          result.rows.toLocaleString(),
          result.model,
          result.version,
          result.table.name,
          result.table.version ?? '?'
        )}
      </div>
      <div className="mlwb-ScoreQuery-hint">
        {trans.__('Prediction column: %1', result.column)}
        {' · '}
        <code title={result.sha256}>{result.sha256.slice(0, 12)}</code>
      </div>
      <Button
        data-testid="mlwb-score-open"
        minimal={false}
        onClick={() => props.onOpenTable(result.table.name)}
      >
        {trans.__('Open table')}
      </Button>
    </div>
  );
}

/** The dialog's body: the form, re-rendered on its changes. */
export class ScoreQueryBody extends ReactWidget {
  constructor(readonly props: IScoreQueryProps) {
    super();
    this.addClass('mlwb-ScoreQueryBody');
  }

  protected render(): JSX.Element {
    return (
      <UseSignal signal={this.props.form.changed}>
        {() => <ScoreQuery {...this.props} />}
      </UseSignal>
    );
  }
}

/**
 * Show the dialog until the user closes it. Closed while the server scores, the scoring goes
 * on and a notification tells its outcome (with "Open table").
 */
export async function showScoreDialog(props: IScoreQueryProps): Promise<void> {
  const { form, trans } = props;
  const dialog = new Dialog({
    title: trans.__('Score a query with %1', form.modelName),
    body: new ScoreQueryBody(props),
    buttons: [Dialog.cancelButton({ label: trans.__('Close') })],
    // Enter in a field must not close the dialog: Score is the form's own button.
    defaultButton: -1,
    hasClose: true
  });
  dialog.addClass('mlwb-ScoreQueryDialog');
  await dialog.launch();
  if (form.status !== 'running') {
    return;
  }
  const into = form.request.into;
  const result = await form.finished;
  if (result) {
    Notification.success(
      trans.__(
        '%1 rows scored into %2, version %3.',
        result.rows.toLocaleString(),
        result.table.name,
        result.table.version ?? '?'
      ),
      {
        autoClose: 10000,
        actions: [
          {
            label: trans.__('Open table'),
            callback: () => props.onOpenTable(result.table.name)
          }
        ]
      }
    );
  } else if (form.error) {
    Notification.error(
      trans.__('Scoring into %1 failed: %2', into, form.error.message),
      { autoClose: false }
    );
  }
}
