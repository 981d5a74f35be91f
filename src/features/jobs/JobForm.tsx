/**
 * The run dialog's form: one input per notebook parameter by its type (number, checkbox, date,
 * text with no quotes, JSON), its default and help, and its error next to it; the kernel,
 * timeout, retries and output folder; then the job fields (name, schedule with the preview of
 * its next fire times or why it does not read, timezone, overlap, catch-up). A view.
 */
import { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import { ErrorBox } from '../training/ErrorBox';
import { RunFormModel, IJobOptions } from './form';
import { formatFireTimes } from './labels';
import { expected, inputKind } from './parameters';
import { NotebookParameter } from './types';

export interface IJobFormProps {
  form: RunFormModel;
  trans: TranslationBundle;
}

export function JobForm(props: IJobFormProps): JSX.Element {
  const { form, trans } = props;
  if (!form.loaded) {
    return (
      <div className="mlwb-JobForm" data-state="loading">
        {trans.__('Reading the parameters of %1…', form.notebook)}
      </div>
    );
  }
  if (form.loadError) {
    return (
      <div className="mlwb-JobForm" data-state="error">
        <ErrorBox error={form.loadError} testid="mlwb-job-form-error" />
      </div>
    );
  }
  return (
    <div
      className="mlwb-JobForm"
      data-state={form.submitting ? 'submitting' : 'ready'}
      data-notebook={form.notebook}
    >
      <h3 className="mlwb-JobForm-heading">{trans.__('Parameters')}</h3>
      {form.parameters.length === 0 ? (
        <div className="mlwb-JobForm-hint">
          {trans.__(
            'The notebook has no cell tagged “parameters”: it runs as it is.'
          )}
        </div>
      ) : (
        <div className="mlwb-JobForm-params">
          {form.parameters.map(p => (
            <ParameterField key={p.name} param={p} {...props} />
          ))}
        </div>
      )}
      <h3 className="mlwb-JobForm-heading">{trans.__('Run')}</h3>
      <div className="mlwb-JobForm-grid">
        <Option {...props} field="kernel" label={trans.__('Kernel')}>
          <select
            className="jp-mod-styled"
            data-testid="mlwb-job-kernel"
            value={form.options.kernel}
            onChange={e => form.setOption('kernel', e.target.value)}
          >
            {withCurrent(form.kernels, form.options.kernel).map(k => (
              <option key={k} value={k}>
                {k}
              </option>
            ))}
          </select>
        </Option>
        <TextOption
          {...props}
          field="timeout"
          label={trans.__('Timeout (s)')}
          testid="mlwb-job-timeout"
          type="number"
          placeholder={trans.__('none')}
        />
        <TextOption
          {...props}
          field="retries"
          label={trans.__('Retries')}
          testid="mlwb-job-retries"
          type="number"
        />
        <TextOption
          {...props}
          field="backoff"
          label={trans.__('Retry wait (s)')}
          testid="mlwb-job-backoff"
          type="number"
          placeholder="30"
        />
        <TextOption
          {...props}
          field="outputDir"
          label={trans.__('Output folder')}
          testid="mlwb-job-output"
          placeholder={trans.__('the workspace (default)')}
        />
      </div>
      <ScheduleFields {...props} />
      {form.submitError ? (
        <ErrorBox error={form.submitError} testid="mlwb-job-form-error" />
      ) : null}
    </div>
  );
}

function withCurrent(list: readonly string[], current: string): string[] {
  return current && !list.includes(current) ? [current, ...list] : [...list];
}

/** One parameter: its input by type, default and help, and its error. */
function ParameterField(
  props: IJobFormProps & { param: NotebookParameter }
): JSX.Element {
  const { form, param, trans } = props;
  const value = form.field(param.name);
  const error = form.fieldError(param.name);
  const kind = inputKind(param.type);
  const id = `mlwb-job-param-${param.name}`;
  const common = {
    id,
    className: 'jp-mod-styled mlwb-JobForm-input',
    'aria-invalid': !!error,
    title: expected(param.type)
  };
  let input: JSX.Element;
  if (kind === 'checkbox') {
    input = (
      <input
        {...common}
        type="checkbox"
        checked={value === true}
        onChange={e => form.setField(param.name, e.target.checked)}
      />
    );
  } else {
    const text = typeof value === 'string' ? value : '';
    const type =
      kind === 'number'
        ? 'number'
        : kind === 'date'
          ? 'date'
          : kind === 'datetime'
            ? 'datetime-local'
            : 'text';
    input = (
      <input
        {...common}
        type={type}
        // No step constraint: a fraction in an int field is refused by the form with its
        // message (the browser would only mark it invalid and JupyterLab's dialog would
        // disable its buttons without saying why).
        step={kind === 'number' ? 'any' : undefined}
        placeholder={
          param.default === null || param.default === undefined
            ? param.default_text
            : kind === 'json'
              ? expected(param.type)
              : ''
        }
        value={text}
        onChange={e =>
          form.setField(
            param.name,
            e.target.value,
            // Text a number input cannot read (its value is then empty).
            !!e.target.validity?.badInput
          )
        }
      />
    );
  }
  return (
    <div
      className="mlwb-JobForm-param"
      data-name={param.name}
      data-type={param.type}
    >
      <label htmlFor={id} className="mlwb-JobForm-label">
        <span className="mlwb-JobForm-name">{param.name}</span>
        <span className="mlwb-JobForm-type">{param.type}</span>
      </label>
      <div className="mlwb-JobForm-control">
        {input}
        <span className="mlwb-JobForm-default">
          {trans.__('default %1', param.default_text)}
          {param.help ? ` · ${param.help}` : ''}
        </span>
        {error ? (
          <div className="mlwb-JobForm-fieldError" role="alert">
            {error}
          </div>
        ) : null}
      </div>
    </div>
  );
}

/** A labelled run or job option with the server's refusal of it. */
function Option(
  props: IJobFormProps & {
    field: keyof IJobOptions;
    label: string;
    children: React.ReactNode;
  }
): JSX.Element {
  const error = props.form.optionError(props.field);
  return (
    <label className="mlwb-JobForm-option">
      <span className="mlwb-JobForm-label">{props.label}</span>
      {props.children}
      {error ? (
        <span
          className="mlwb-JobForm-optionError"
          role="alert"
          data-field={props.field}
        >
          {error}
        </span>
      ) : null}
    </label>
  );
}

type TextField =
  | 'timeout'
  | 'retries'
  | 'backoff'
  | 'outputDir'
  | 'name'
  | 'schedule'
  | 'timezone';

/** An option typed as text (or a number). */
function TextOption(
  props: IJobFormProps & {
    field: TextField;
    label: string;
    testid: string;
    type?: 'number';
    placeholder?: string;
  }
): JSX.Element {
  const { form, field } = props;
  return (
    <Option {...props}>
      <input
        className="jp-mod-styled"
        type={props.type ?? 'text'}
        min={props.type ? 0 : undefined}
        data-testid={props.testid}
        placeholder={props.placeholder}
        value={form.options[field]}
        onChange={e => form.setOption(field, e.target.value)}
      />
    </Option>
  );
}

/** A policy picked from a few choices (value, label). */
function Choice<K extends 'overlap' | 'catchUp'>(
  props: IJobFormProps & {
    field: K;
    label: string;
    testid: string;
    choices: [IJobOptions[K], string][];
  }
): JSX.Element {
  const { form, field } = props;
  return (
    <Option {...props}>
      <select
        className="jp-mod-styled"
        data-testid={props.testid}
        value={form.options[field]}
        onChange={e => form.setOption(field, e.target.value as IJobOptions[K])}
      >
        {props.choices.map(([value, label]) => (
          <option key={value} value={value}>
            {label}
          </option>
        ))}
      </select>
    </Option>
  );
}

/** The fields of a saved job and the schedule preview. */
function ScheduleFields(props: IJobFormProps): JSX.Element {
  const { form, trans } = props;
  const o = form.options;
  const preview = form.preview;
  const state = form.previewError
    ? 'error'
    : preview
      ? 'ok'
      : o.schedule.trim()
        ? 'pending'
        : 'none';
  return (
    <>
      <h3 className="mlwb-JobForm-heading">
        {form.job
          ? trans.__('Job %1', form.job.name)
          : trans.__('Save as a job (optional)')}
      </h3>
      <div className="mlwb-JobForm-grid">
        {form.job ? null : (
          <TextOption
            {...props}
            field="name"
            label={trans.__('Name')}
            testid="mlwb-job-name"
          />
        )}
        <TextOption
          {...props}
          field="schedule"
          label={trans.__('Schedule')}
          testid="mlwb-job-schedule"
          placeholder={trans.__('daily at 07:30, hourly, 0 6 * * mon-fri')}
        />
        <TextOption
          {...props}
          field="timezone"
          label={trans.__('Timezone')}
          testid="mlwb-job-timezone"
        />
        <Choice
          {...props}
          field="overlap"
          label={trans.__('If still running')}
          testid="mlwb-job-overlap"
          choices={[
            ['skip', trans.__('skip the new run')],
            ['queue', trans.__('queue it')]
          ]}
        />
        <Choice
          {...props}
          field="catchUp"
          label={trans.__('Missed runs')}
          testid="mlwb-job-catch-up"
          choices={[
            ['once', trans.__('run once')],
            ['all', trans.__('run all')],
            ['skip', trans.__('skip')]
          ]}
        />
      </div>
      <div
        className="mlwb-JobForm-preview"
        data-testid="mlwb-job-preview"
        data-state={state}
      >
        {form.previewError ? (
          <span className="mlwb-JobForm-previewError" role="alert">
            {form.previewError.message}
          </span>
        ) : preview ? (
          <>
            <div className="mlwb-JobForm-previewText">
              {preview.description}
              {preview.cron !== preview.schedule ? ` (${preview.cron})` : ''}
            </div>
            <ol className="mlwb-JobForm-fireTimes">
              {formatFireTimes(preview.next_fire_times).map((t, i) => (
                <li key={i}>{t}</li>
              ))}
            </ol>
          </>
        ) : (
          <span className="mlwb-JobForm-hint">
            {trans.__(
              'No schedule: the job runs when you run it (Run now in the Jobs section).'
            )}
          </span>
        )}
      </div>
    </>
  );
}
