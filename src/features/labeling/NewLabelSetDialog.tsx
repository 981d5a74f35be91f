/**
 * The "New label set" dialog: a table or a query, its key column, the columns to show, the
 * label choices and single- or multi-label. Accepting creates the label set on the server
 * (a refused request shows the server's message and the dialog again).
 */
import { Dialog, showDialog } from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';
import { ReactWidget } from '@jupyterlab/ui-components';
import * as React from 'react';

import {
  createRequest,
  emptyForm,
  guessKey,
  ILabelSetForm,
  sourceSql
} from './form';
import { asLabelingError } from './model';
import { IDescribeLabelSet, ILabelingApi } from './types';

/** A table the form offers, with its columns when the catalog knows them. */
export interface ITableChoice {
  name: string;
  columns: string[];
}

export interface ILabelSetFormOptions {
  api: ILabelingApi;
  tables: ITableChoice[];
  form: ILabelSetForm;
  trans: TranslationBundle;
  problem?: string | null;
  /** Columns already read for the query (kept across a re-shown dialog). */
  columns?: string[];
}

export class LabelSetFormWidget extends ReactWidget {
  constructor(private readonly _options: ILabelSetFormOptions) {
    super();
    this.addClass('mlwb-LabelSetForm');
    this._form = { ..._options.form };
    this._columns = _options.columns ?? this._tableColumns();
    if (!this._form.key && this._columns.length > 0) {
      this._form.key = guessKey(this._columns);
    }
  }

  getValue(): ILabelSetForm {
    return this._form;
  }

  get columns(): string[] {
    return this._columns;
  }

  /** Change some fields (the view's callbacks, and tests). */
  set(change: Partial<ILabelSetForm>): void {
    const before = this._form;
    this._form = { ...before, ...change };
    if (
      (change.table !== undefined && change.table !== before.table) ||
      (change.source !== undefined && change.source !== before.source)
    ) {
      this._columns = this._tableColumns();
      this._form.key = guessKey(this._columns);
      this._form.show = [];
      this._columnsError = null;
    }
    this.update();
  }

  /** Ask the server for the query's columns. */
  async readColumns(): Promise<void> {
    const sql = sourceSql(this._form);
    if (!sql) {
      return;
    }
    this._reading = true;
    this.update();
    try {
      const columns = await this._options.api.describeColumns(sql);
      this._columns = columns.map(c => c.name);
      this._columnsError = null;
      if (!this._columns.includes(this._form.key)) {
        this._form.key = guessKey(this._columns);
      }
      this._form.show = this._form.show.filter(c => this._columns.includes(c));
    } catch (error) {
      this._columnsError = asLabelingError(error).message;
    } finally {
      this._reading = false;
      this.update();
    }
  }

  protected render(): JSX.Element {
    const { trans, tables, problem } = this._options;
    const form = this._form;
    const set = (change: Partial<ILabelSetForm>) => this.set(change);
    const id = (part: string) => `mlwb-labelset-${part}`;
    return (
      <div className="mlwb-LabelSetForm-body">
        <label htmlFor={id('name')}>{trans.__('Name')}</label>
        <input
          id={id('name')}
          className="mlwb-LabelSetForm-name jp-mod-styled"
          value={form.name}
          placeholder={trans.__('e.g. review_labels')}
          onChange={e => set({ name: e.target.value })}
        />
        <fieldset className="mlwb-LabelSetForm-source">
          <legend>{trans.__('Items from')}</legend>
          <label>
            <input
              type="radio"
              name="mlwb-labelset-source"
              checked={form.source === 'table'}
              onChange={() => set({ source: 'table' })}
            />
            {trans.__('a table')}
          </label>
          <label>
            <input
              type="radio"
              name="mlwb-labelset-source"
              checked={form.source === 'query'}
              onChange={() => set({ source: 'query' })}
            />
            {trans.__('a query')}
          </label>
        </fieldset>
        {form.source === 'table' ? (
          <>
            <label htmlFor={id('table')}>{trans.__('Table')}</label>
            <select
              id={id('table')}
              className="mlwb-LabelSetForm-table jp-mod-styled"
              value={form.table}
              onChange={e => set({ table: e.target.value })}
            >
              <option value="">{trans.__('Choose a table…')}</option>
              {tables.map(t => (
                <option key={t.name} value={t.name}>
                  {t.name}
                </option>
              ))}
            </select>
          </>
        ) : (
          <>
            <label htmlFor={id('sql')}>{trans.__('SELECT query')}</label>
            <textarea
              id={id('sql')}
              className="mlwb-LabelSetForm-sql jp-mod-styled"
              rows={4}
              value={form.sql}
              placeholder="SELECT * FROM reviews WHERE lang = 'en'"
              onChange={e => set({ sql: e.target.value })}
            />
            <button
              className="mlwb-LabelSetForm-readColumns jp-Button jp-mod-styled"
              disabled={this._reading || !form.sql.trim()}
              onClick={() => void this.readColumns()}
            >
              {this._reading
                ? trans.__('Reading columns…')
                : trans.__('Read its columns')}
            </button>
          </>
        )}
        {this._columnsError ? (
          <div className="mlwb-LabelSetForm-problem" role="alert">
            {this._columnsError}
          </div>
        ) : null}
        <label htmlFor={id('key')}>
          {trans.__('Key column (one per item)')}
        </label>
        <select
          id={id('key')}
          className="mlwb-LabelSetForm-key jp-mod-styled"
          value={form.key}
          onChange={e => set({ key: e.target.value })}
        >
          <option value="">{trans.__('Choose…')}</option>
          {this._columns.map(c => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </select>
        <fieldset className="mlwb-LabelSetForm-show">
          <legend>
            {trans.__('Columns to show (none checked: all but the key)')}
          </legend>
          {this._columns.length === 0 ? (
            <span className="mlwb-LabelSetForm-hint">
              {form.source === 'query'
                ? trans.__('Read the query’s columns first.')
                : trans.__('Choose a table first.')}
            </span>
          ) : null}
          {this._columns.map(c => (
            <label key={c} data-column={c}>
              <input
                type="checkbox"
                checked={form.show.includes(c)}
                onChange={e =>
                  set({
                    show: e.target.checked
                      ? this._columns.filter(
                          x => x === c || form.show.includes(x)
                        )
                      : form.show.filter(x => x !== c)
                  })
                }
              />
              {c}
            </label>
          ))}
        </fieldset>
        <label htmlFor={id('choices')}>
          {trans.__('Labels (comma-separated; keys 1-9 in this order)')}
        </label>
        <input
          id={id('choices')}
          className="mlwb-LabelSetForm-choices jp-mod-styled"
          value={form.choices}
          placeholder={trans.__('e.g. positive, negative, neutral')}
          onChange={e => set({ choices: e.target.value })}
        />
        <label className="mlwb-LabelSetForm-multiLabel">
          <input
            type="checkbox"
            className="mlwb-LabelSetForm-multi"
            checked={form.multi}
            onChange={e => set({ multi: e.target.checked })}
          />
          {trans.__('Multi-label (an item may get several labels)')}
        </label>
        {problem ? (
          <div
            className="mlwb-LabelSetForm-problem"
            data-testid="mlwb-label-set-problem"
            role="alert"
          >
            {problem}
          </div>
        ) : null}
      </div>
    );
  }

  private _tableColumns(): string[] {
    if (this._form.source !== 'table') {
      return [];
    }
    return (
      this._options.tables.find(t => t.name === this._form.table)?.columns ?? []
    );
  }

  private _form: ILabelSetForm;
  private _columns: string[];
  private _columnsError: string | null = null;
  private _reading = false;
}

/** Show the dialog until a label set is created (returned) or the user cancels (null). */
export async function askNewLabelSet(options: {
  api: ILabelingApi;
  tables: ITableChoice[];
  table?: string | null;
  sql?: string | null;
  trans: TranslationBundle;
}): Promise<IDescribeLabelSet | null> {
  const { api, tables, trans } = options;
  let form = emptyForm(options.table ?? '');
  if (options.sql) {
    form = { ...form, source: 'query', sql: options.sql };
  }
  let problem: string | null = null;
  let columns: string[] | undefined;
  for (;;) {
    const body = new LabelSetFormWidget({
      api,
      tables,
      form,
      trans,
      problem,
      columns
    });
    if (form.source === 'query' && form.sql && !columns) {
      void body.readColumns();
    }
    const result = await showDialog({
      title: trans.__('New label set'),
      body,
      buttons: [
        Dialog.cancelButton({ label: trans.__('Cancel') }),
        Dialog.okButton({ label: trans.__('Create and open') })
      ],
      focusNodeSelector: 'input'
    });
    if (!result.button.accept || !result.value) {
      return null;
    }
    form = result.value;
    columns = form.source === 'query' ? body.columns : undefined;
    const made = createRequest(form);
    if ('problem' in made) {
      problem = trans.__(made.problem);
      continue;
    }
    try {
      return await api.createLabelSet(made.request);
    } catch (error) {
      problem = asLabelingError(error).message;
    }
  }
}
