/**
 * The "Train a model" form: the data (a table or a SELECT), the target, the feature checklist
 * with each column's kind and flags, the task, the metric and the time budget, and Train.
 * A view: the model in, `onTrain` out.
 */
import { TranslationBundle } from '@jupyterlab/translation';
import { Button, HTMLSelect } from '@jupyterlab/ui-components';
import * as React from 'react';

import { ErrorBox } from './ErrorBox';
import { formatSeconds } from './format';
import { BUDGETS, SourceKind, TrainFormModel } from './formModel';
import { FeatureKind, FlagBadges, taskLabel } from './labels';
import { TaskKind, TASKS } from './types';

export interface ITrainFormProps {
  model: TrainFormModel;
  trans: TranslationBundle;
  /** Train was pressed and the form is valid. */
  onTrain: () => void;
}

const CUSTOM = 'custom';

export function TrainForm(props: ITrainFormProps): JSX.Element {
  const { model, trans } = props;
  const preview = model.preview;
  const problemText: { [problem: string]: string } = {
    'no-sql': trans.__('Pick a table or write a query.'),
    'no-preview': trans.__('Read the columns of the query first.'),
    'no-target': trans.__('Pick the column to predict.'),
    'no-features': trans.__('Tick at least one feature column.'),
    'no-budget': trans.__('Give a time budget of more than 0 seconds.')
  };
  const problem = model.problem;
  return (
    <form
      className="mlwb-TrainForm"
      onSubmit={event => {
        event.preventDefault();
        if (!problem && !model.submitting) {
          props.onTrain();
        }
      }}
    >
      <fieldset className="mlwb-TrainForm-data">
        <legend>{trans.__('Data')}</legend>
        <div
          className="mlwb-TrainForm-source"
          role="radiogroup"
          data-testid="mlwb-train-source"
        >
          {(['table', 'sql'] as SourceKind[]).map(kind => (
            <label key={kind}>
              <input
                type="radio"
                name="mlwb-train-source"
                value={kind}
                checked={model.source === kind}
                onChange={() => model.setSource(kind)}
              />
              {kind === 'table' ? trans.__('Table') : trans.__('SQL query')}
            </label>
          ))}
        </div>
        {model.source === 'table' ? (
          <label className="mlwb-TrainForm-field">
            <span>{trans.__('Table')}</span>
            <HTMLSelect
              data-testid="mlwb-train-table"
              value={model.table ?? ''}
              onChange={event => void model.setTable(event.target.value)}
            >
              <option value="" disabled>
                {model.tables.length
                  ? trans.__('Pick a table…')
                  : trans.__('No tables: register a source first')}
              </option>
              {model.tables.map(name => (
                <option key={name} value={name}>
                  {name}
                </option>
              ))}
            </HTMLSelect>
          </label>
        ) : (
          <div className="mlwb-TrainForm-field mlwb-TrainForm-sqlField">
            <label htmlFor="mlwb-train-sql">{trans.__('SELECT')}</label>
            <textarea
              id="mlwb-train-sql"
              className="mlwb-TrainForm-sql jp-mod-styled"
              data-testid="mlwb-train-sql"
              rows={4}
              spellCheck={false}
              value={model.sql}
              placeholder="SELECT * FROM my_table"
              onChange={event => model.setSql(event.target.value)}
            />
            <div className="mlwb-TrainForm-hint">
              {trans.__(
                'To train on labels, join the label set in the query, e.g. SELECT t.*, l.label FROM my_table t JOIN my_labels l USING (id).'
              )}
            </div>
            <div>
              <Button
                data-testid="mlwb-train-read"
                minimal={false}
                disabled={!model.sql.trim() || model.previewing}
                onClick={() => void model.readPreview()}
              >
                {trans.__('Read columns')}
              </Button>
              {model.stale ? (
                <span className="mlwb-TrainForm-hint">
                  {' '}
                  {trans.__('The query changed: read its columns again.')}
                </span>
              ) : null}
            </div>
          </div>
        )}
        {model.previewing ? (
          <div
            className="mlwb-TrainForm-reading"
            role="progressbar"
            aria-label={trans.__('Reading the columns…')}
            data-testid="mlwb-train-reading"
          >
            {trans.__('Reading the columns…')}
          </div>
        ) : null}
        {model.previewError ? (
          <ErrorBox
            error={model.previewError}
            testid="mlwb-train-preview-error"
          />
        ) : null}
        {preview?.note ? (
          <div className="mlwb-TrainForm-hint">{preview.note}</div>
        ) : null}
        {preview ? (
          <div className="mlwb-TrainForm-rows" data-testid="mlwb-train-rows">
            {preview.sampled
              ? trans.__(
                  '%1 columns; report on a sample of %2 rows',
                  preview.allColumns.length,
                  preview.rows.toLocaleString()
                )
              : trans.__(
                  '%1 columns, %2 rows',
                  preview.allColumns.length,
                  preview.rows.toLocaleString()
                )}
          </div>
        ) : null}
      </fieldset>

      {preview ? (
        <fieldset className="mlwb-TrainForm-target">
          <legend>{trans.__('Target')}</legend>
          <label className="mlwb-TrainForm-field">
            <span>{trans.__('Predict')}</span>
            <HTMLSelect
              data-testid="mlwb-train-target"
              value={model.target ?? ''}
              disabled={model.previewing}
              onChange={event => void model.setTarget(event.target.value)}
            >
              <option value="" disabled>
                {trans.__('Pick the column to predict…')}
              </option>
              {preview.allColumns.map(name => (
                <option key={name} value={name}>
                  {name}
                </option>
              ))}
            </HTMLSelect>
          </label>
          {model.target ? <TaskAndMetric {...props} /> : null}
          {model.target && preview.problem ? (
            <div
              className="mlwb-Train-message"
              data-warning="true"
              data-testid="mlwb-train-preview-problem"
            >
              {preview.problem}
            </div>
          ) : null}
        </fieldset>
      ) : null}

      {preview && model.target ? <FeatureChecklist {...props} /> : null}

      <fieldset className="mlwb-TrainForm-budget">
        <legend>{trans.__('Time budget')}</legend>
        <BudgetPicker {...props} />
        <label
          className="mlwb-TrainForm-check"
          title={trans.__(
            'Once the best model is evaluated on the held-out rows, fit it again on every row (training and held-out) and save that model. The metrics and charts shown stay those of the held-out evaluation.'
          )}
        >
          <input
            type="checkbox"
            data-testid="mlwb-train-refit-all"
            checked={model.refitAll}
            onChange={event => model.setRefitAll(event.target.checked)}
          />
          <span>{trans.__('Refit on all rows after evaluation')}</span>
        </label>
      </fieldset>

      {model.submitError ? (
        <ErrorBox
          error={model.submitError}
          testid="mlwb-train-error"
          action={trans.__('Train')}
        />
      ) : null}
      <div className="mlwb-TrainForm-actions">
        <Button
          type="submit"
          data-testid="mlwb-train-submit"
          disabled={problem !== null || model.submitting}
          title={problem ? problemText[problem] : ''}
        >
          {model.submitting ? trans.__('Starting…') : trans.__('Train')}
        </Button>
        {problem && problem !== 'no-sql' ? (
          <span
            className="mlwb-TrainForm-hint"
            data-testid="mlwb-train-problem"
          >
            {problemText[problem]}
          </span>
        ) : null}
      </div>
    </form>
  );
}

function TaskAndMetric(props: ITrainFormProps): JSX.Element {
  const { model, trans } = props;
  const inferred = model.inferredTask;
  return (
    <div className="mlwb-TrainForm-row">
      <label className="mlwb-TrainForm-field">
        <span>{trans.__('Task')}</span>
        <HTMLSelect
          data-testid="mlwb-train-task"
          value={model.taskOverride ?? ''}
          onChange={event =>
            model.setTask((event.target.value as TaskKind) || null)
          }
        >
          <option value="">
            {inferred
              ? trans.__('%1 (inferred)', taskLabel(inferred, trans))
              : trans.__('Inferred')}
          </option>
          {TASKS.filter(t => t !== inferred).map(task => (
            <option key={task} value={task}>
              {taskLabel(task, trans)}
            </option>
          ))}
        </HTMLSelect>
      </label>
      <label className="mlwb-TrainForm-field">
        <span>{trans.__('Metric')}</span>
        <HTMLSelect
          data-testid="mlwb-train-metric"
          value={model.metric ?? ''}
          onChange={event => model.setMetric(event.target.value || null)}
        >
          {model.metrics.map(m => (
            <option key={m.name} value={m.name}>
              {m.greater_is_better
                ? m.label
                : trans.__('%1 (lower is better)', m.label)}
            </option>
          ))}
        </HTMLSelect>
      </label>
      <label className="mlwb-TrainForm-field">
        <span>{trans.__('Metrics per value of')}</span>
        <HTMLSelect
          data-testid="mlwb-train-slice"
          value={model.sliceBy ?? ''}
          onChange={event => model.setSliceBy(event.target.value || null)}
        >
          <option value="">{trans.__('(no slices)')}</option>
          {model.preview?.allColumns
            .filter(name => name !== model.target)
            .map(name => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
        </HTMLSelect>
      </label>
    </div>
  );
}

function FeatureChecklist(props: ITrainFormProps): JSX.Element {
  const { model, trans } = props;
  const columns = model.columns;
  return (
    <fieldset className="mlwb-TrainForm-features">
      <legend>
        {trans.__('Features (%1 of %2)', model.features.size, columns.length)}
      </legend>
      <div className="mlwb-TrainForm-featureActions">
        <Button minimal onClick={() => model.selectFeatures('default')}>
          {trans.__('Unflagged')}
        </Button>
        <Button minimal onClick={() => model.selectFeatures('all')}>
          {trans.__('All')}
        </Button>
        <Button minimal onClick={() => model.selectFeatures('none')}>
          {trans.__('None')}
        </Button>
      </div>
      <ul
        className="mlwb-TrainForm-featureList"
        data-testid="mlwb-train-features"
      >
        {columns.map(column => {
          const reasons = column.flags.map(f => f.reason).join(' ');
          const unsupported = column.kind === 'unsupported';
          return (
            <li key={column.name}>
              <label
                className="mlwb-TrainForm-feature"
                data-column={column.name}
                data-flags={column.flags.map(f => f.code).join(' ')}
                data-checked={model.features.has(column.name)}
                title={reasons || undefined}
              >
                <input
                  type="checkbox"
                  checked={model.features.has(column.name)}
                  disabled={unsupported}
                  onChange={event =>
                    model.toggleFeature(column.name, event.target.checked)
                  }
                />
                <span className="mlwb-TrainForm-featureName">
                  {column.name}
                </span>
                <FeatureKind
                  kind={column.kind}
                  dtype={column.dtype}
                  trans={trans}
                />
                <FlagBadges flags={column.flags} />
              </label>
            </li>
          );
        })}
      </ul>
    </fieldset>
  );
}

function BudgetPicker(props: ITrainFormProps): JSX.Element {
  const { model, trans } = props;
  const preset = BUDGETS.includes(model.budget);
  const [custom, setCustom] = React.useState(!preset);
  return (
    <div className="mlwb-TrainForm-row">
      <HTMLSelect
        data-testid="mlwb-train-budget"
        value={custom ? CUSTOM : String(model.budget)}
        onChange={event => {
          const value = event.target.value;
          if (value === CUSTOM) {
            setCustom(true);
          } else {
            setCustom(false);
            model.setBudget(Number(value));
          }
        }}
      >
        {BUDGETS.map(seconds => (
          <option key={seconds} value={String(seconds)}>
            {formatSeconds(seconds)}
          </option>
        ))}
        <option value={CUSTOM}>{trans.__('Custom…')}</option>
      </HTMLSelect>
      {custom ? (
        <label className="mlwb-TrainForm-field">
          <input
            type="number"
            className="jp-mod-styled mlwb-TrainForm-customBudget"
            data-testid="mlwb-train-budget-custom"
            min={1}
            step={1}
            value={model.budget}
            onChange={event => model.setBudget(Number(event.target.value))}
          />
          <span>{trans.__('seconds')}</span>
        </label>
      ) : null}
      <span className="mlwb-TrainForm-hint">
        {trans.__(
          'The search stops when the budget is spent; the best model so far is kept.'
        )}
      </span>
    </div>
  );
}
