/**
 * The join builder's view: tables, ranked key suggestions, join types, columns, the SQL the
 * server wrote, and the preview. Props in, callbacks out; the model holds the state.
 */
import { TranslationBundle } from '@jupyterlab/translation';
import {
  addIcon,
  closeIcon,
  HTMLSelect,
  ReactWidget,
  UseSignal
} from '@jupyterlab/ui-components';
import * as React from 'react';

import { PreviewSection } from './JoinPreviewView';
import { Section } from './Section';
import { JoinBuilderModel } from './model';
import {
  formatRate,
  IColumnChoice,
  IJoinChoice,
  IKeyChoice,
  JOIN_TYPES,
  JoinType,
  keyCondition
} from './plan';

export interface IJoinBuilderProps {
  model: JoinBuilderModel;
  trans: TranslationBundle;
  /** Open a new SQL editor with this SQL. */
  onOpenSql: (sql: string) => void;
}

export function JoinBuilderPanel(props: IJoinBuilderProps): JSX.Element {
  const { model, trans } = props;
  return (
    <div className="mlwb-JoinBuilder-body">
      <TablesSection {...props} />
      {model.tables.length >= 2 ? <KeysSection {...props} /> : null}
      {model.tables.length >= 1 ? <ColumnsSection {...props} /> : null}
      <SqlSection {...props} />
      <PreviewSection model={model} trans={trans} />
    </div>
  );
}

function TablesSection({ model, trans }: IJoinBuilderProps): JSX.Element {
  const names = model.available.map(t => t.name);
  const unused = names.filter(n => !model.tables.includes(n));
  return (
    <Section title={trans.__('Tables')}>
      <ol className="mlwb-JoinBuilder-tables">
        {model.tables.map((table, i) => (
          <li key={`${i}:${table}`} className="mlwb-JoinBuilder-tableRow">
            <span className="mlwb-JoinBuilder-tableRole">
              {i === 0 ? trans.__('from') : trans.__('join')}
            </span>
            <HTMLSelect
              className="mlwb-JoinBuilder-tablePick"
              data-testid="mlwb-join-table"
              data-index={i}
              aria-label={trans.__('Table %1', i + 1)}
              value={table}
              options={[table, ...unused]}
              onChange={event =>
                void model.replaceTable(i, event.currentTarget.value)
              }
            />
            <button
              className="jp-Button jp-mod-minimal mlwb-JoinBuilder-iconButton"
              title={trans.__('Remove %1', table)}
              onClick={() => void model.removeTable(i)}
            >
              <closeIcon.react tag="span" />
            </button>
          </li>
        ))}
      </ol>
      <div className="mlwb-JoinBuilder-addTable">
        <addIcon.react tag="span" />
        <HTMLSelect
          data-testid="mlwb-join-add-table"
          aria-label={trans.__('Add a table')}
          value=""
          options={[
            {
              label:
                model.tables.length === 0
                  ? trans.__('Pick a table…')
                  : trans.__('Add a table to join…'),
              value: ''
            },
            ...unused.map(n => ({ label: n, value: n }))
          ]}
          onChange={event => {
            const value = event.currentTarget.value;
            if (value) {
              void model.addTable(value);
            }
          }}
        />
        {names.length === 0 ? (
          <span className="mlwb-JoinBuilder-muted">
            {trans.__(
              'No tables yet: register a file with "Open in Workbench" first.'
            )}
          </span>
        ) : null}
      </div>
    </Section>
  );
}

function KeysSection(props: IJoinBuilderProps): JSX.Element {
  const { model, trans } = props;
  return (
    <Section title={trans.__('Join keys')} testid="mlwb-join-keys">
      {model.suggesting ? (
        <div className="mlwb-JoinBuilder-muted">
          {trans.__('Measuring key overlap…')}
        </div>
      ) : null}
      {model.joins.map((join, i) => (
        <JoinClauseView key={join.table} index={i} join={join} {...props} />
      ))}
    </Section>
  );
}

function JoinClauseView(
  props: IJoinBuilderProps & { index: number; join: IJoinChoice }
): JSX.Element {
  const { model, trans, index, join } = props;
  return (
    <div className="mlwb-JoinBuilder-clause" data-table={join.table}>
      <div className="mlwb-JoinBuilder-clauseHead">
        <HTMLSelect
          data-testid="mlwb-join-how"
          aria-label={trans.__('Join type of %1', join.table)}
          value={join.how}
          options={JOIN_TYPES.map(how => ({
            value: how,
            label: howLabel(how, trans)
          }))}
          onChange={event =>
            model.setHow(index, event.currentTarget.value as JoinType)
          }
        />
        <span className="mlwb-JoinBuilder-clauseTable">{join.table}</span>
        <span className="mlwb-JoinBuilder-muted">{trans.__('on')}</span>
      </div>
      {join.keys.length === 0 && !model.suggesting ? (
        <div className="mlwb-JoinBuilder-muted">
          {trans.__(
            'No key suggested for %1: add a pair of columns below.',
            join.table
          )}
        </div>
      ) : null}
      <ul className="mlwb-JoinBuilder-keys">
        {join.keys.map((key, k) => (
          <KeyRow
            key={`${key.leftTable}.${key.leftColumn}=${key.rightColumn}`}
            rank={k}
            keyChoice={key}
            table={join.table}
            trans={trans}
            onToggle={selected => model.toggleKey(index, k, selected)}
          />
        ))}
      </ul>
      <AddKey {...props} />
    </div>
  );
}

function howLabel(how: JoinType, trans: TranslationBundle): string {
  switch (how) {
    case 'inner':
      return trans.__('inner join');
    case 'left':
      return trans.__('left join');
    case 'right':
      return trans.__('right join');
    default:
      return trans.__('full join');
  }
}

function KeyRow(props: {
  rank: number;
  keyChoice: IKeyChoice;
  table: string;
  trans: TranslationBundle;
  onToggle: (selected: boolean) => void;
}): JSX.Element {
  const { keyChoice: key, trans } = props;
  const s = key.suggestion;
  const condition = keyCondition(key, props.table);
  const rate = s?.match_rate ?? null;
  const manyToMany = s?.cardinality === 'many-to-many';
  const incompatible = s?.compatible === false;
  return (
    <li
      className={`mlwb-JoinBuilder-suggestion${
        key.selected ? ' mlwb-mod-selected' : ''
      }${incompatible ? ' mlwb-mod-incompatible' : ''}`}
      data-rank={props.rank}
      data-condition={condition}
      data-left-column={key.leftColumn}
      data-right-column={key.rightColumn}
      data-cardinality={s?.cardinality ?? ''}
      data-selected={key.selected ? 'true' : 'false'}
      title={s?.reason ?? trans.__('Added by you')}
    >
      <label className="mlwb-JoinBuilder-keyLabel">
        <input
          type="checkbox"
          checked={key.selected}
          onChange={event => props.onToggle(event.currentTarget.checked)}
        />
        <code className="mlwb-JoinBuilder-condition">{condition}</code>
      </label>
      {s ? (
        <span className="mlwb-JoinBuilder-types">
          {s.left_type} = {s.right_type}
        </span>
      ) : null}
      <span
        className="mlwb-JoinBuilder-rate"
        data-testid="mlwb-join-match-rate"
        title={trans.__('Share of (sampled) left keys found on the right')}
      >
        <span className="mlwb-JoinBuilder-rateBar">
          <span
            className="mlwb-JoinBuilder-rateFill"
            style={{ width: `${Math.round((rate ?? 0) * 100)}%` }}
          />
        </span>
        <span className="mlwb-JoinBuilder-rateText">{formatRate(rate)}</span>
      </span>
      {s?.cardinality ? (
        <span
          className={`mlwb-JoinBuilder-cardinality${
            manyToMany ? ' mlwb-mod-warn' : ''
          }`}
          title={
            manyToMany
              ? trans.__(
                  'Keys repeat on both sides: every match multiplies rows.'
                )
              : ''
          }
        >
          {manyToMany ? '⚠ ' : ''}
          {s.cardinality}
        </span>
      ) : null}
      {incompatible ? (
        <span className="mlwb-JoinBuilder-cardinality mlwb-mod-warn">
          {trans.__('⚠ types differ: needs a CAST')}
        </span>
      ) : null}
    </li>
  );
}

/** Pick a column of an earlier table and one of this table: a key pair of the user's own. */
function AddKey(
  props: IJoinBuilderProps & { index: number; join: IJoinChoice }
): JSX.Element {
  const { model, trans, index, join } = props;
  const earlier = model.tables.slice(0, index + 1);
  const info = (name: string) => model.available.find(t => t.name === name);
  const leftOptions = earlier.flatMap(t =>
    (info(t)?.columns ?? []).map(c => `${t}\u0000${c.name}`)
  );
  const rightOptions = (info(join.table)?.columns ?? []).map(c => c.name);
  const [left, setLeft] = React.useState('');
  const [right, setRight] = React.useState('');
  const leftValue = leftOptions.includes(left) ? left : (leftOptions[0] ?? '');
  const rightValue = rightOptions.includes(right)
    ? right
    : (rightOptions[0] ?? '');
  return (
    <div className="mlwb-JoinBuilder-addKey">
      <HTMLSelect
        aria-label={trans.__('Left key column')}
        value={leftValue}
        options={leftOptions.map(v => ({
          value: v,
          label: v.replace('\u0000', '.')
        }))}
        onChange={event => setLeft(event.currentTarget.value)}
      />
      <span>=</span>
      <HTMLSelect
        aria-label={trans.__('Key column of %1', join.table)}
        value={rightValue}
        options={rightOptions.map(v => ({
          value: v,
          label: `${join.table}.${v}`
        }))}
        onChange={event => setRight(event.currentTarget.value)}
      />
      <button
        className="jp-Button jp-mod-styled jp-mod-reject mlwb-JoinBuilder-smallButton"
        disabled={!leftValue || !rightValue}
        onClick={() => {
          const [table, column] = leftValue.split('\u0000');
          model.addKey(index, table, column, rightValue);
        }}
      >
        {trans.__('Add key')}
      </button>
    </div>
  );
}

function ColumnsSection({ model, trans }: IJoinBuilderProps): JSX.Element {
  const kept = model.columns.filter(c => c.selected).length;
  return (
    <section className="mlwb-JoinBuilder-section">
      {/* Folded by default: every column is kept unless the user says otherwise. */}
      <details
        className="mlwb-JoinBuilder-columns"
        data-testid="mlwb-join-columns"
      >
        <summary className="mlwb-JoinBuilder-heading">
          {trans.__('Columns (%1 of %2 kept)', kept, model.columns.length)}
        </summary>
        <div className="mlwb-JoinBuilder-columnGroups">
          {model.tables.map(table => {
            const columns = model.columns.filter(c => c.table === table);
            const all = columns.every(c => c.selected);
            return (
              <fieldset key={table} className="mlwb-JoinBuilder-columnGroup">
                <legend>
                  <label>
                    <input
                      type="checkbox"
                      checked={all}
                      onChange={() => model.selectAllColumns(table, !all)}
                    />
                    {table}
                  </label>
                </legend>
                {columns.map(c => (
                  <ColumnRow key={c.column} model={model} trans={trans} c={c} />
                ))}
              </fieldset>
            );
          })}
        </div>
      </details>
    </section>
  );
}

function ColumnRow(props: {
  model: JoinBuilderModel;
  trans: TranslationBundle;
  c: IColumnChoice;
}): JSX.Element {
  const { model, trans, c } = props;
  return (
    <div
      className="mlwb-JoinBuilder-column"
      data-table={c.table}
      data-column={c.column}
    >
      <label>
        <input
          type="checkbox"
          checked={c.selected}
          onChange={event =>
            model.toggleColumn(c.table, c.column, event.currentTarget.checked)
          }
        />
        <span className="mlwb-JoinBuilder-columnName">{c.column}</span>
        <span className="mlwb-JoinBuilder-types">{c.type}</span>
      </label>
      {c.clashes || c.alias ? (
        <input
          key={c.alias}
          className="jp-mod-styled mlwb-JoinBuilder-alias"
          aria-label={trans.__(
            'Name of %1.%2 in the result',
            c.table,
            c.column
          )}
          title={trans.__('Another table has a column of this name')}
          placeholder={c.column}
          defaultValue={c.alias}
          onBlur={event =>
            model.setAlias(c.table, c.column, event.currentTarget.value)
          }
          onKeyDown={event => {
            if (event.key === 'Enter') {
              event.currentTarget.blur();
            }
          }}
        />
      ) : null}
    </div>
  );
}

function SqlSection({
  model,
  trans,
  onOpenSql
}: IJoinBuilderProps): JSX.Element {
  const missing = model.missing;
  const hint =
    missing === 'tables'
      ? trans.__('-- Pick two or more tables to join.')
      : missing === 'keys'
        ? trans.__('-- Choose a key for every joined table.')
        : missing === 'columns'
          ? trans.__('-- Keep at least one column.')
          : trans.__('-- Writing the SQL…');
  const open = async () => {
    const sql = model.sql ?? (await model.refreshSql());
    if (sql) {
      onOpenSql(sql);
    }
  };
  return (
    <Section title={trans.__('SQL')}>
      <pre
        className="mlwb-JoinBuilder-sql"
        data-testid="mlwb-join-sql"
        aria-readonly="true"
      >
        {model.sql ?? hint}
      </pre>
      <div className="mlwb-JoinBuilder-actions">
        <button
          className="jp-Button jp-mod-styled jp-mod-accept"
          data-testid="mlwb-join-preview"
          disabled={!!missing}
          onClick={() => void model.runPreview()}
        >
          {trans.__('Preview')}
        </button>
        <button
          className="jp-Button jp-mod-styled jp-mod-reject"
          data-testid="mlwb-join-open-sql"
          disabled={!!missing}
          onClick={() => void open()}
        >
          {trans.__('Open in SQL editor')}
        </button>
        {model.busy ? (
          <span className="mlwb-JoinBuilder-muted">{trans.__('Working…')}</span>
        ) : null}
      </div>
    </Section>
  );
}

/** The builder's widget: re-renders the panel whenever the model changes. */
export class JoinBuilderView extends ReactWidget {
  constructor(private readonly _props: IJoinBuilderProps) {
    super();
    this.addClass('mlwb-JoinBuilder');
  }

  get model(): JoinBuilderModel {
    return this._props.model;
  }

  dispose(): void {
    this._props.model.dispose();
    super.dispose();
  }

  protected render(): JSX.Element {
    return (
      <UseSignal signal={this._props.model.changed}>
        {() => <JoinBuilderPanel {...this._props} />}
      </UseSignal>
    );
  }
}
