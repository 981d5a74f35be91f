/**
 * The "Transform…" dialog: filter rows, derive a column, cast, drop duplicates or fill nulls on
 * a table. Its answer is the SQL the server writes (POST /transforms/sql), opened in an editor.
 */
import { Dialog, showDialog } from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';
import { HTMLSelect, ReactWidget } from '@jupyterlab/ui-components';
import * as React from 'react';

import { asApiError, type WorkbenchClient } from '../../api/client';
import { ITableInfo } from './plan';
import {
  CAST_TYPES,
  emptyForm,
  FILTER_OPS,
  FillStrategy,
  FilterOp,
  ITransformForm,
  TRANSFORM_KINDS,
  TransformKind,
  transformRequest
} from './transform';

export interface ITransformFormOptions {
  tables: ITableInfo[];
  form: ITransformForm;
  trans: TranslationBundle;
  /** Why the last try did not give SQL (shown above the buttons). */
  problem?: string | null;
}

/** The form as a dialog body; `getValue()` is what the user filled in. */
export class TransformForm extends ReactWidget {
  constructor(private readonly _options: ITransformFormOptions) {
    super();
    this.addClass('mlwb-TransformForm');
    this._form = { ..._options.form };
  }

  getValue(): ITransformForm {
    return this._form;
  }

  /** Change some fields (the view's callbacks, and tests). */
  set(change: Partial<ITransformForm>): void {
    const form = this._form;
    if (change.kind !== undefined && change.kind !== form.kind) {
      // Another kind: its own fields start empty.
      this._form = { ...emptyForm(form.table, change.kind), ...change };
    } else if (change.table !== undefined && change.table !== form.table) {
      // Columns of another table do not carry over.
      this._form = { ...form, column: '', columns: [], ...change };
    } else {
      this._form = { ...form, ...change };
    }
    this.update();
  }

  protected render(): JSX.Element {
    return (
      <TransformFormView
        {...this._options}
        form={this._form}
        onChange={change => this.set(change)}
      />
    );
  }

  private _form: ITransformForm;
}

function kindLabel(kind: TransformKind, trans: TranslationBundle): string {
  switch (kind) {
    case 'filter':
      return trans.__('Filter rows');
    case 'derive':
      return trans.__('Derive a column');
    case 'cast':
      return trans.__('Cast a column');
    case 'drop_duplicates':
      return trans.__('Drop duplicates');
    default:
      return trans.__('Fill nulls');
  }
}

function TransformFormView(
  props: ITransformFormOptions & {
    onChange: (change: Partial<ITransformForm>) => void;
  }
): JSX.Element {
  const { form, trans, onChange } = props;
  const columns = props.tables.find(t => t.name === form.table)?.columns ?? [];
  const names = columns.map(c => c.name);
  return (
    <div className="mlwb-TransformForm-body">
      <label className="mlwb-TransformForm-field">
        <span>{trans.__('Table')}</span>
        <HTMLSelect
          data-testid="mlwb-transform-table"
          value={form.table}
          options={[
            ...(form.table
              ? []
              : [{ label: trans.__('Pick a table…'), value: '' }]),
            ...props.tables.map(t => ({ label: t.name, value: t.name }))
          ]}
          onChange={e => onChange({ table: e.currentTarget.value })}
        />
      </label>
      <label className="mlwb-TransformForm-field">
        <span>{trans.__('Transform')}</span>
        <HTMLSelect
          data-testid="mlwb-transform-kind"
          value={form.kind}
          options={TRANSFORM_KINDS.map(k => ({
            label: kindLabel(k, trans),
            value: k
          }))}
          onChange={e =>
            onChange({ kind: e.currentTarget.value as TransformKind })
          }
        />
      </label>
      <KindFields {...props} names={names} />
      {props.problem ? (
        <div
          className="mlwb-TransformForm-problem"
          data-testid="mlwb-transform-problem"
          role="alert"
        >
          {props.problem}
        </div>
      ) : null}
    </div>
  );
}

function ColumnPick(props: {
  names: string[];
  value: string;
  label: string;
  none?: string;
  testid?: string;
  onChange: (value: string) => void;
}): JSX.Element {
  return (
    <label className="mlwb-TransformForm-field">
      <span>{props.label}</span>
      <HTMLSelect
        data-testid={props.testid}
        value={props.value}
        options={[
          { label: props.none ?? '—', value: '' },
          ...props.names.map(n => ({ label: n, value: n }))
        ]}
        onChange={e => props.onChange(e.currentTarget.value)}
      />
    </label>
  );
}

function ColumnChecks(props: {
  names: string[];
  value: string[];
  label: string;
  onChange: (value: string[]) => void;
}): JSX.Element {
  return (
    <fieldset
      className="mlwb-TransformForm-columns"
      data-testid="mlwb-transform-columns"
    >
      <legend>{props.label}</legend>
      {props.names.map(name => (
        <label key={name} data-column={name}>
          <input
            type="checkbox"
            checked={props.value.includes(name)}
            onChange={e =>
              props.onChange(
                e.currentTarget.checked
                  ? props.names.filter(
                      n => n === name || props.value.includes(n)
                    )
                  : props.value.filter(n => n !== name)
              )
            }
          />
          {name}
        </label>
      ))}
    </fieldset>
  );
}

function TextField(props: {
  label: string;
  value: string;
  testid: string;
  placeholder?: string;
  list?: string;
  onChange: (value: string) => void;
}): JSX.Element {
  return (
    <label className="mlwb-TransformForm-field">
      <span>{props.label}</span>
      <input
        className="jp-mod-styled"
        data-testid={props.testid}
        value={props.value}
        placeholder={props.placeholder}
        list={props.list}
        onChange={e => props.onChange(e.currentTarget.value)}
      />
    </label>
  );
}

function Check(props: {
  label: string;
  value: boolean;
  onChange: (value: boolean) => void;
}): JSX.Element {
  return (
    <label className="mlwb-TransformForm-check">
      <input
        type="checkbox"
        checked={props.value}
        onChange={e => props.onChange(e.currentTarget.checked)}
      />
      {props.label}
    </label>
  );
}

function KindFields(
  props: ITransformFormOptions & {
    names: string[];
    onChange: (change: Partial<ITransformForm>) => void;
  }
): JSX.Element {
  const { form, trans, names, onChange } = props;
  switch (form.kind) {
    case 'filter': {
      const noValue = form.op === 'is null' || form.op === 'is not null';
      return (
        <>
          <ColumnPick
            names={names}
            value={form.column}
            label={trans.__('Column')}
            testid="mlwb-transform-column"
            onChange={column => onChange({ column })}
          />
          <label className="mlwb-TransformForm-field">
            <span>{trans.__('Keep rows where')}</span>
            <HTMLSelect
              data-testid="mlwb-transform-op"
              value={form.op}
              options={FILTER_OPS.map(op => ({ label: op, value: op }))}
              onChange={e =>
                onChange({ op: e.currentTarget.value as FilterOp })
              }
            />
          </label>
          {noValue ? null : (
            <TextField
              label={
                form.op === 'in' || form.op === 'not in'
                  ? trans.__('Values (comma-separated)')
                  : form.op === 'between'
                    ? trans.__('From')
                    : trans.__('Value')
              }
              value={form.value}
              testid="mlwb-transform-value"
              onChange={value => onChange({ value })}
            />
          )}
          {form.op === 'between' ? (
            <TextField
              label={trans.__('To')}
              value={form.value2}
              testid="mlwb-transform-value2"
              onChange={value2 => onChange({ value2 })}
            />
          ) : null}
          <TextField
            label={trans.__('Or a SQL condition')}
            value={form.expression}
            testid="mlwb-transform-expression"
            placeholder="amount > 100 AND status <> 'cancelled'"
            onChange={expression => onChange({ expression })}
          />
        </>
      );
    }
    case 'derive':
      return (
        <>
          <TextField
            label={trans.__('New column')}
            value={form.name}
            testid="mlwb-transform-name"
            onChange={name => onChange({ name })}
          />
          <TextField
            label={trans.__('SQL expression')}
            value={form.expression}
            testid="mlwb-transform-expression"
            placeholder="price * quantity"
            onChange={expression => onChange({ expression })}
          />
          <Check
            label={trans.__('Replace the column of that name')}
            value={form.replace}
            onChange={replace => onChange({ replace })}
          />
        </>
      );
    case 'cast':
      return (
        <>
          <ColumnPick
            names={names}
            value={form.column}
            label={trans.__('Column')}
            testid="mlwb-transform-column"
            onChange={column => onChange({ column })}
          />
          <TextField
            label={trans.__('To type')}
            value={form.toType}
            testid="mlwb-transform-type"
            list="mlwb-transform-types"
            onChange={toType => onChange({ toType })}
          />
          <datalist id="mlwb-transform-types">
            {CAST_TYPES.map(t => (
              <option key={t} value={t} />
            ))}
          </datalist>
          <Check
            label={trans.__('NULL for values that do not convert (TRY_CAST)')}
            value={form.tryCast}
            onChange={tryCast => onChange({ tryCast })}
          />
        </>
      );
    case 'drop_duplicates':
      return (
        <>
          <ColumnChecks
            names={names}
            value={form.columns}
            label={trans.__('Key columns (none: whole rows)')}
            onChange={columns => onChange({ columns })}
          />
          {form.columns.length ? (
            <>
              <ColumnPick
                names={names}
                value={form.column}
                label={trans.__('Keep the first row by')}
                none={trans.__('any row')}
                testid="mlwb-transform-column"
                onChange={column => onChange({ column })}
              />
              <Check
                label={trans.__('Descending (keep the last)')}
                value={form.descending}
                onChange={descending => onChange({ descending })}
              />
            </>
          ) : null}
        </>
      );
    default:
      return (
        <>
          <ColumnChecks
            names={names}
            value={form.columns}
            label={trans.__('Columns to fill')}
            onChange={columns => onChange({ columns })}
          />
          <label className="mlwb-TransformForm-field">
            <span>{trans.__('Fill with')}</span>
            <HTMLSelect
              data-testid="mlwb-transform-strategy"
              value={form.strategy}
              options={[
                { label: trans.__('a value'), value: 'value' },
                { label: trans.__('the mean'), value: 'mean' },
                { label: trans.__('the median'), value: 'median' },
                { label: trans.__('the most frequent value'), value: 'mode' }
              ]}
              onChange={e =>
                onChange({ strategy: e.currentTarget.value as FillStrategy })
              }
            />
          </label>
          {form.strategy === 'value' ? (
            <TextField
              label={trans.__('Value')}
              value={form.value}
              testid="mlwb-transform-value"
              onChange={value => onChange({ value })}
            />
          ) : null}
        </>
      );
  }
}

/**
 * Ask for a transform until the server writes its SQL (or the user cancels); resolves with
 * the SQL, or null when cancelled.
 */
export async function askTransformSql(options: {
  client: WorkbenchClient;
  tables: ITableInfo[];
  table: string | null;
  trans: TranslationBundle;
}): Promise<string | null> {
  const { client, tables, trans } = options;
  let form = emptyForm(options.table ?? tables[0]?.name ?? '');
  let problem: string | null = null;
  for (;;) {
    const body = new TransformForm({ tables, form, trans, problem });
    const result = await showDialog({
      title: trans.__('Transform'),
      body,
      buttons: [
        Dialog.cancelButton({ label: trans.__('Cancel') }),
        Dialog.okButton({ label: trans.__('Write SQL') })
      ],
      focusNodeSelector: 'select'
    });
    if (!result.button.accept || !result.value) {
      return null;
    }
    form = result.value;
    const columns = tables.find(t => t.name === form.table)?.columns ?? [];
    const made = transformRequest(form, columns);
    if ('problem' in made) {
      problem = trans.__(made.problem);
      continue;
    }
    try {
      return (await client.transformSql(made.request)).sql;
    } catch (error) {
      problem = asApiError(error).message;
    }
  }
}
