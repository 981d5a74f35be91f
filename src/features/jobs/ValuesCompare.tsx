/**
 * The recorded values of the runs of one job (or of one notebook run without a job) side by
 * side: a row a run (newest first; this run marked), a column a recorded name. A view.
 */
import { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import { formatTime, formatValue } from '../training/format';
import { formatParameters, StatusBadge } from './labels';
import { JobRunInfo } from './types';

/** The recorded names of the runs, in the order they first appear. */
export function recordedNames(runs: readonly JobRunInfo[]): string[] {
  const names: string[] = [];
  for (const run of runs) {
    for (const name of Object.keys(run.values ?? {})) {
      if (!names.includes(name)) {
        names.push(name);
      }
    }
  }
  return names;
}

export function ValuesCompare(props: {
  runs: readonly JobRunInfo[];
  current: number;
  trans: TranslationBundle;
  onOpenRun: (id: number) => void;
}): JSX.Element | null {
  const { runs, trans } = props;
  const names = recordedNames(runs);
  if (runs.length < 2 || names.length === 0) {
    return null;
  }
  return (
    <section className="mlwb-JobRun-compare" data-testid="mlwb-job-compare">
      <h3>{trans.__('Recorded values across runs')}</h3>
      <table>
        <thead>
          <tr>
            <th>{trans.__('Run')}</th>
            <th>{trans.__('Started')}</th>
            <th>{trans.__('Status')}</th>
            <th>{trans.__('Parameters')}</th>
            {names.map(n => (
              <th key={n} data-name={n}>
                {n}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {runs.map(run => (
            <tr
              key={run.id}
              data-run-id={run.id}
              className={run.id === props.current ? 'mlwb-mod-current' : ''}
            >
              <td>
                <button
                  className="mlwb-JobRun-link"
                  disabled={run.id === props.current}
                  onClick={() => props.onOpenRun(run.id)}
                >
                  {run.id}
                </button>
              </td>
              <td>{formatTime(run.started_at ?? run.created_at)}</td>
              <td>
                <StatusBadge status={run.status} trans={trans} />
              </td>
              <td className="mlwb-JobRun-params">
                {formatParameters(run.parameters)}
              </td>
              {names.map(n => (
                <td key={n} data-name={n}>
                  {run.values && n in run.values
                    ? formatValue(run.values[n])
                    : '—'}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
