/**
 * A model's tab: its versions (version, created, metrics, run, sha256), its aliases with
 * "Promote to…" and "Roll back", a gate's refusal (the failing checks and the metric values),
 * the alias history; then the shown version's card and its "Try it" form. A view: the model
 * in, callbacks out.
 */
import { TranslationBundle } from '@jupyterlab/translation';
import { Button } from '@jupyterlab/ui-components';
import * as React from 'react';

import { ErrorBox } from '../training/ErrorBox';
import { formatScore, formatTime, shortHash } from '../training/format';
import { metricLabel } from '../training/normalize';
import { IChartRenderers } from '../shared/vegaLite';
import { CardView } from './CardView';
import { confirmRemoveAlias } from './ExportDialog';
import { GatesEditor } from './GatesEditor';
import { IGateRefusal, ModelViewModel } from './model';
import { AliasBadge } from './ModelsSection';
import { TryIt } from './TryIt';
import { DescribeModel } from './types';

export interface IModelViewProps {
  model: ModelViewModel;
  trans: TranslationBundle;
  renderers: IChartRenderers;
  /** The server's base URL (for the snippets). */
  baseUrl: string;
  /** Open the training run a version came from. */
  onOpenRun?: (runId: number) => void;
  /** Open "Score a query" with this version of the model. */
  onScoreQuery?: (version: number) => void;
  /** Export this version as an MLflow model directory. */
  onExport?: (version: number) => void;
}

/** The aliases "Promote to…" always offers. */
export const STANDARD_ALIASES = ['production', 'staging'];

const NEW_ALIAS = '\u0000new';

export function ModelView(props: IModelViewProps): JSX.Element {
  const { model, trans } = props;
  const described = model.model;
  if (!described) {
    return (
      <div className="mlwb-ModelView" data-name={model.name}>
        {model.error ? (
          <ErrorBox error={model.error} testid="mlwb-model-error" />
        ) : (
          <div className="mlwb-ModelView-empty">
            {trans.__('Reading model %1…', model.name)}
          </div>
        )}
      </div>
    );
  }
  const version = model.version;
  return (
    <div
      className="mlwb-ModelView"
      data-name={model.name}
      data-version={version?.version ?? ''}
      data-busy={model.busy ?? ''}
    >
      <header className="mlwb-ModelView-header">
        <h2>{described.name}</h2>
        {described.description ? <p>{described.description}</p> : null}
        <div className="mlwb-ModelView-facts">
          {described.aliases
            .filter(a => a.version !== null)
            .map(a => (
              <AliasBadge key={a.alias} alias={a.alias} version={a.version} />
            ))}
        </div>
      </header>
      {model.error ? (
        <ErrorBox error={model.error} testid="mlwb-model-error" />
      ) : null}
      <h3>{trans.__('Versions')}</h3>
      <VersionsTable {...props} described={described} />
      <h3>{trans.__('Aliases')}</h3>
      <Aliases {...props} described={described} />
      <details
        className="mlwb-ModelView-details mlwb-ModelView-gates"
        open={model.gatesAlias !== null}
      >
        <summary data-testid="mlwb-gates-toggle">{trans.__('Gates')}</summary>
        <GatesEditor
          model={model}
          described={described}
          trans={trans}
          standardAliases={STANDARD_ALIASES}
        />
      </details>
      {model.refusal ? (
        <GateRefusal refusal={model.refusal} trans={trans} />
      ) : null}
      {model.actionError ? (
        <ErrorBox error={model.actionError} testid="mlwb-model-action-error" />
      ) : null}
      <details className="mlwb-ModelView-details">
        <summary>
          {trans.__('Alias history (%1)', described.alias_history.length)}
        </summary>
        <AliasHistory described={described} trans={trans} />
      </details>
      {version ? (
        <>
          <div className="mlwb-ModelView-versionHeader">
            <h3>{trans.__('Version %1', version.version)}</h3>
            {props.onScoreQuery ? (
              <Button
                minimal={false}
                data-testid="mlwb-model-score"
                title={trans.__(
                  'Score the rows of a table or query with v%1 into a new table version',
                  version.version
                )}
                onClick={() => props.onScoreQuery?.(version.version)}
              >
                {trans.__('Score a query…')}
              </Button>
            ) : null}
            {props.onExport ? (
              <Button
                minimal={false}
                data-testid="mlwb-model-export"
                title={trans.__(
                  'Write v%1 as an MLflow model directory (MLmodel, python_function flavour)',
                  version.version
                )}
                onClick={() => props.onExport?.(version.version)}
              >
                {trans.__('Export as MLflow model…')}
              </Button>
            ) : null}
          </div>
          <CardView
            model={model}
            version={version}
            trans={trans}
            renderers={props.renderers}
          />
          <TryIt
            model={model}
            version={version}
            trans={trans}
            baseUrl={props.baseUrl}
          />
        </>
      ) : null}
    </div>
  );
}

function VersionsTable(
  props: IModelViewProps & { described: DescribeModel }
): JSX.Element {
  const { model, trans, described } = props;
  const shown = model.version?.version;
  return (
    <table className="mlwb-ModelView-table">
      <thead>
        <tr>
          <th>{trans.__('Version')}</th>
          <th>{trans.__('Created')}</th>
          <th>{trans.__('Metrics')}</th>
          <th>{trans.__('Run')}</th>
          <th>{trans.__('sha256')}</th>
          <th>{trans.__('Aliases')}</th>
        </tr>
      </thead>
      <tbody>
        {described.versions.map(v => (
          <tr
            key={v.version}
            className="mlwb-ModelView-versionRow"
            data-version={v.version}
            aria-selected={v.version === shown}
          >
            <td>
              <button
                className="mlwb-ModelView-link"
                title={trans.__('Show version %1', v.version)}
                onClick={() => void model.selectVersion(v.version)}
              >
                {trans.__('v%1', v.version)}
              </button>
            </td>
            <td>{formatTime(v.created_at)}</td>
            <td className="mlwb-ModelView-metrics">
              {Object.entries(v.metrics)
                .filter(([, value]) => typeof value === 'number')
                .map(
                  ([name, value]) =>
                    `${metricLabel(name)} ${formatScore(value as number)}`
                )
                .join(' · ')}
            </td>
            <td>
              {v.run_id !== null ? (
                <button
                  className="mlwb-ModelView-link"
                  title={trans.__('Open training run %1', v.run_id)}
                  disabled={!props.onOpenRun}
                  onClick={() => props.onOpenRun?.(v.run_id as number)}
                >
                  {trans.__('run %1', v.run_id)}
                </button>
              ) : (
                '—'
              )}
            </td>
            <td>
              <code title={v.sha256}>{shortHash(v.sha256)}</code>
            </td>
            <td>
              {v.aliases.map(a => (
                <AliasBadge key={a} alias={a} />
              ))}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Aliases(
  props: IModelViewProps & { described: DescribeModel }
): JSX.Element {
  const { model, trans, described } = props;
  const existing = described.aliases.map(a => a.alias);
  const choices = [
    ...STANDARD_ALIASES,
    ...existing.filter(a => !STANDARD_ALIASES.includes(a))
  ];
  const [alias, setAlias] = React.useState(choices[0]);
  const [newAlias, setNewAlias] = React.useState('');
  const [version, setVersion] = React.useState<number | null>(null);
  const target = alias === NEW_ALIAS ? newAlias.trim() : alias;
  const toVersion =
    version ?? model.version?.version ?? described.versions[0]?.version;
  return (
    <div className="mlwb-ModelView-aliases">
      {described.aliases.length ? (
        <table className="mlwb-ModelView-table">
          <thead>
            <tr>
              <th>{trans.__('Alias')}</th>
              <th>{trans.__('Version')}</th>
              <th>{trans.__('Gates')}</th>
              <th>{trans.__('Moved')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {described.aliases.map(a => (
              <tr
                key={a.alias}
                className="mlwb-ModelView-aliasRow"
                data-alias={a.alias}
                data-version={a.version ?? ''}
              >
                <td>
                  <AliasBadge alias={a.alias} />
                </td>
                <td>{a.version !== null ? trans.__('v%1', a.version) : '—'}</td>
                <td>
                  {a.gates.length ? (
                    a.gates.map(g => <code key={g}>{g}</code>)
                  ) : (
                    <span className="mlwb-ModelView-muted">
                      {trans.__('none')}
                    </span>
                  )}
                </td>
                <td>{formatTime(a.updated_at)}</td>
                <td className="mlwb-ModelView-aliasActions">
                  <Button
                    minimal
                    small
                    data-testid="mlwb-model-edit-gates"
                    title={trans.__('Edit the gates of %1', a.alias)}
                    onClick={() => model.editGates(a.alias)}
                  >
                    {trans.__('Gates…')}
                  </Button>
                  <Button
                    minimal
                    small
                    data-testid="mlwb-model-rollback"
                    disabled={model.busy !== null}
                    title={trans.__(
                      'Move %1 back to the version it pointed at before',
                      a.alias
                    )}
                    onClick={() => void model.rollback(a.alias)}
                  >
                    {trans.__('Roll back')}
                  </Button>
                  <Button
                    minimal
                    small
                    data-testid="mlwb-model-remove-alias"
                    disabled={model.busy !== null}
                    title={trans.__('Remove %1 and its gates', a.alias)}
                    onClick={() =>
                      void confirmRemoveAlias(
                        trans,
                        model.name,
                        a.alias,
                        a.version
                      ).then(ok => ok && model.removeAlias(a.alias))
                    }
                  >
                    {trans.__('Remove')}
                  </Button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="mlwb-ModelView-muted">
          {trans.__('No alias points at a version yet.')}
        </p>
      )}
      <div className="mlwb-ModelView-promote">
        <label>
          {trans.__('Promote to…')}{' '}
          <select
            className="jp-mod-styled"
            data-testid="mlwb-model-promote-alias"
            value={alias}
            onChange={e => setAlias(e.target.value)}
          >
            {choices.map(c => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
            <option value={NEW_ALIAS}>{trans.__('New alias…')}</option>
          </select>
        </label>
        {alias === NEW_ALIAS ? (
          <input
            className="jp-mod-styled"
            data-testid="mlwb-model-promote-new"
            placeholder={trans.__('alias name')}
            aria-label={trans.__('New alias name')}
            value={newAlias}
            onChange={e => setNewAlias(e.target.value)}
          />
        ) : null}
        <label>
          {trans.__('version')}{' '}
          <select
            className="jp-mod-styled"
            data-testid="mlwb-model-promote-version"
            value={toVersion ?? ''}
            onChange={e => setVersion(Number(e.target.value))}
          >
            {described.versions.map(v => (
              <option key={v.version} value={v.version}>
                {trans.__('v%1', v.version)}
              </option>
            ))}
          </select>
        </label>
        <Button
          data-testid="mlwb-model-promote"
          disabled={!target || toVersion === undefined || model.busy !== null}
          onClick={() =>
            toVersion !== undefined && void model.promote(target, toVersion)
          }
        >
          {model.busy === 'promote'
            ? trans.__('Promoting…')
            : trans.__('Promote')}
        </Button>
      </div>
    </div>
  );
}

/** A move the gates refused: each check with its result, and the metrics they read. */
export function GateRefusal(props: {
  refusal: IGateRefusal;
  trans: TranslationBundle;
}): JSX.Element {
  const { refusal, trans } = props;
  return (
    <div
      className="mlwb-Train-error mlwb-ModelView-refusal"
      role="alert"
      data-testid="mlwb-model-gate-refusal"
      data-failed={refusal.failed.join('\n')}
    >
      <div className="mlwb-Train-errorMessage">
        <strong>
          {trans.__(
            '%1 was not moved to v%2:',
            refusal.alias,
            refusal.version
          )}{' '}
        </strong>
        {refusal.message}
      </div>
      <ul className="mlwb-ModelView-checks">
        {refusal.results.map(r => (
          <li key={r.check} data-passed={String(r.passed)}>
            <code>{r.check}</code>{' '}
            {r.passed === true
              ? trans.__('passed')
              : r.passed === false
                ? trans.__('failed')
                : trans.__('unknown (a metric it reads is missing)')}
          </li>
        ))}
      </ul>
      <div className="mlwb-ModelView-metrics">
        {Object.entries(refusal.metrics)
          .map(([name, value]) =>
            typeof value === 'number'
              ? `${name} = ${formatScore(value)}`
              : `${name} = ${String(value)}`
          )
          .join(' · ')}
      </div>
    </div>
  );
}

function AliasHistory(props: {
  described: DescribeModel;
  trans: TranslationBundle;
}): JSX.Element {
  const { described, trans } = props;
  if (!described.alias_history.length) {
    return (
      <p className="mlwb-ModelView-muted">{trans.__('No alias moves yet.')}</p>
    );
  }
  return (
    <table className="mlwb-ModelView-table">
      <thead>
        <tr>
          <th>{trans.__('When')}</th>
          <th>{trans.__('Alias')}</th>
          <th>{trans.__('Move')}</th>
          <th>{trans.__('Gates')}</th>
          <th>{trans.__('Who')}</th>
        </tr>
      </thead>
      <tbody>
        {described.alias_history.map(move => (
          <tr
            key={move.id}
            className="mlwb-ModelView-historyRow"
            data-moved={String(move.moved)}
            data-action={move.action}
          >
            <td>{formatTime(move.moved_at)}</td>
            <td>
              <AliasBadge alias={move.alias} />
            </td>
            <td>
              {move.action === 'remove'
                ? trans.__(
                    'removed (was v%1)',
                    move.from_version ?? move.to_version
                  )
                : (move.action === 'rollback'
                    ? trans.__('rolled back')
                    : trans.__('promoted')) +
                  ` ${move.from_version !== null ? `v${move.from_version}` : '—'} → v${move.to_version}`}
              {move.moved ? '' : ` (${trans.__('refused')})`}
            </td>
            <td>
              {move.gate_results.map(g => (
                <code key={g.check} data-passed={String(g.passed)}>
                  {g.check}
                </code>
              ))}
              {move.reason ? (
                <span className="mlwb-ModelView-muted"> {move.reason}</span>
              ) : null}
            </td>
            <td>{move.actor ?? ''}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
