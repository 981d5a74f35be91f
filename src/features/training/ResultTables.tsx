/**
 * The tables of a training run: the leaderboard (live or final), the held-out metrics, the
 * feature report and the lineage (table versions, files with their hashes). Views only.
 */
import { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import {
  formatBytes,
  formatParams,
  formatScore,
  formatSeconds,
  shortHash
} from './format';
import { FeatureKind, FlagBadges } from './labels';
import { metricLabel } from './normalize';
import { IFeatureColumn, IRunInput, ITrial } from './types';

/** Trials best first: rank, model, score ± std, fit time, parameters. */
export function Leaderboard(props: {
  trials: readonly ITrial[];
  metric: string | null;
  trans: TranslationBundle;
  /** The best trial's id (highlighted). */
  bestId?: number | null;
}): JSX.Element {
  const { trans, trials } = props;
  if (!trials.length) {
    return (
      <div className="mlwb-Train-empty" data-testid="mlwb-train-leaderboard">
        {trans.__('No model has been scored on all rows yet.')}
      </div>
    );
  }
  return (
    <table
      className="mlwb-Train-table mlwb-Train-leaderboard"
      data-testid="mlwb-train-leaderboard"
      data-rows={trials.length}
    >
      <thead>
        <tr>
          <th>#</th>
          <th>{trans.__('Model')}</th>
          <th className="mlwb-Train-number">
            {props.metric
              ? trans.__('%1 (CV)', metricLabel(props.metric))
              : trans.__('Score (CV)')}
          </th>
          <th className="mlwb-Train-number">{trans.__('Fit time')}</th>
          <th>{trans.__('Parameters')}</th>
        </tr>
      </thead>
      <tbody>
        {trials.map((trial, index) => (
          <tr
            key={trial.id}
            className="mlwb-Train-leader"
            data-candidate={trial.candidate}
            data-best={props.bestId === trial.id}
          >
            <td>{index + 1}</td>
            <td>
              {trial.label}
              {trial.baseline ? (
                <span className="mlwb-Train-tag">{trans.__('baseline')}</span>
              ) : null}
              {trial.status === 'partial' ? (
                <span className="mlwb-Train-tag" title={trial.error ?? ''}>
                  {trans.__('some folds failed')}
                </span>
              ) : null}
            </td>
            <td className="mlwb-Train-number">
              {formatScore(trial.score)}
              {trial.score_std !== null ? (
                <span className="mlwb-Train-std">
                  {' '}
                  ± {formatScore(trial.score_std)}
                </span>
              ) : null}
            </td>
            <td className="mlwb-Train-number">
              {formatSeconds(trial.fit_time_s)}
            </td>
            <td
              className="mlwb-Train-params"
              title={formatParams(trial.params)}
            >
              {formatParams(trial.params) || '—'}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Held-out metrics, the optimised one first. */
export function MetricsTable(props: {
  metrics: { [name: string]: number | null };
  metric: string | null;
  trans: TranslationBundle;
}): JSX.Element {
  const entries = Object.entries(props.metrics).filter(([n]) => n !== 'rows');
  entries.sort(([a], [b]) =>
    a === props.metric ? -1 : b === props.metric ? 1 : 0
  );
  return (
    <table
      className="mlwb-Train-table mlwb-Train-metrics"
      data-testid="mlwb-train-metrics"
    >
      <tbody>
        {entries.map(([name, value]) => (
          <tr
            key={name}
            data-metric={name}
            data-optimised={name === props.metric}
          >
            <th>{metricLabel(name)}</th>
            <td className="mlwb-Train-number">{formatScore(value)}</td>
          </tr>
        ))}
        {props.metrics.rows !== undefined && props.metrics.rows !== null ? (
          <tr data-metric="rows">
            <th>{props.trans.__('Held-out rows')}</th>
            <td className="mlwb-Train-number">
              {props.metrics.rows.toLocaleString()}
            </td>
          </tr>
        ) : null}
      </tbody>
    </table>
  );
}

/** Every column with its kind, whether it was a feature, and its flags. */
export function FeatureReportTable(props: {
  columns: readonly IFeatureColumn[];
  features: readonly string[];
  trans: TranslationBundle;
}): JSX.Element {
  const { trans } = props;
  const used = new Set(props.features);
  return (
    <table className="mlwb-Train-table" data-testid="mlwb-train-feature-report">
      <thead>
        <tr>
          <th>{trans.__('Column')}</th>
          <th>{trans.__('Kind')}</th>
          <th>{trans.__('Used')}</th>
          <th className="mlwb-Train-number">{trans.__('Distinct')}</th>
          <th className="mlwb-Train-number">{trans.__('Null')}</th>
          <th>{trans.__('Flags')}</th>
        </tr>
      </thead>
      <tbody>
        {props.columns.map(column => (
          <tr
            key={column.name}
            data-column={column.name}
            data-used={used.has(column.name)}
          >
            <td>{column.name}</td>
            <td>
              <FeatureKind
                kind={column.kind}
                dtype={column.dtype}
                trans={trans}
              />
            </td>
            <td>{used.has(column.name) ? '✓' : ''}</td>
            <td className="mlwb-Train-number">
              {column.distinct?.toLocaleString() ?? '—'}
            </td>
            <td className="mlwb-Train-number">
              {column.null_fraction === null
                ? '—'
                : `${Math.round(column.null_fraction * 100)}%`}
            </td>
            <td>
              <FlagBadges flags={column.flags} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** What the run read: the query, table versions and files with their content hashes. */
export function Lineage(props: {
  sql: string | null;
  inputs: readonly IRunInput[];
  versions: { [name: string]: string };
  trans: TranslationBundle;
}): JSX.Element {
  const { trans } = props;
  const versions = Object.entries(props.versions);
  return (
    <div className="mlwb-Train-lineage" data-testid="mlwb-train-lineage">
      {props.sql ? <pre className="mlwb-Train-sql">{props.sql}</pre> : null}
      {props.inputs.length ? (
        <table className="mlwb-Train-table">
          <thead>
            <tr>
              <th>{trans.__('Input')}</th>
              <th>{trans.__('Version')}</th>
              <th className="mlwb-Train-number">{trans.__('Rows')}</th>
              <th className="mlwb-Train-number">{trans.__('Size')}</th>
              <th>{trans.__('SHA-256')}</th>
            </tr>
          </thead>
          <tbody>
            {props.inputs.map(input => (
              <tr
                key={`${input.kind}:${input.name ?? ''}:${input.path}`}
                className="mlwb-Train-input"
                data-kind={input.kind}
                data-name={input.name ?? ''}
              >
                <td title={input.path}>
                  {input.kind === 'table'
                    ? trans.__('table %1', input.name ?? input.path)
                    : trans.__('file %1', input.path)}
                </td>
                <td>{input.version !== null ? `v${input.version}` : '—'}</td>
                <td className="mlwb-Train-number">
                  {input.row_count?.toLocaleString() ?? '—'}
                </td>
                <td className="mlwb-Train-number">{formatBytes(input.size)}</td>
                <td className="mlwb-Train-hash" title={input.sha256 ?? ''}>
                  {shortHash(input.sha256)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <div className="mlwb-Train-empty">
          {trans.__('No table or file inputs recorded.')}
        </div>
      )}
      {versions.length ? (
        <div className="mlwb-Train-versions">
          {versions.map(([name, version]) => `${name} ${version}`).join(' · ')}
        </div>
      ) : null}
    </div>
  );
}
