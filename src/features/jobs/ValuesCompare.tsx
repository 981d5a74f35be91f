/**
 * The recorded values of the runs of one job (or of one notebook run without a job) side by
 * side: a row a run (newest first; this run marked), a column a recorded name; and the
 * numbers as a Vega-Lite line chart over the runs, drawn by JupyterLab's renderer. A view.
 */
import { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import { IChartRenderers, useVegaLite } from '../shared/vegaLite';
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

/**
 * The numbers the runs recorded as a line chart (a line a name, the runs oldest first), or null
 * when fewer than two runs recorded a number.
 */
export function valuesChart(
  runs: readonly JobRunInfo[]
): { [key: string]: unknown } | null {
  const points = [...runs].reverse().flatMap(run =>
    Object.entries(run.values ?? {})
      .filter(
        ([, value]) => typeof value === 'number' && Number.isFinite(value)
      )
      .map(([name, value]) => ({ run: run.id, name, value }))
  );
  if (new Set(points.map(p => p.run)).size < 2) {
    return null;
  }
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    data: { values: points },
    mark: { type: 'line', point: true },
    encoding: {
      x: {
        field: 'run',
        type: 'ordinal',
        title: 'Run',
        axis: { labelAngle: 0 }
      },
      y: { field: 'value', type: 'quantitative', title: null },
      color: { field: 'name', type: 'nominal', title: null }
    },
    width: 420,
    height: 160
  };
}

function ValuesChart(props: {
  spec: { [key: string]: unknown };
  renderers: IChartRenderers;
  themeGeneration: number;
}): JSX.Element {
  const host = React.useRef<HTMLDivElement>(null);
  const state = useVegaLite(host, {
    renderers: props.renderers,
    spec: props.spec,
    themeGeneration: props.themeGeneration,
    what: 'chart of recorded values'
  });
  return (
    <div
      className="mlwb-JobRun-chart"
      data-testid="mlwb-job-chart"
      data-state={state}
      ref={host}
    />
  );
}

export function ValuesCompare(props: {
  runs: readonly JobRunInfo[];
  current: number;
  trans: TranslationBundle;
  onOpenRun: (id: number) => void;
  /** Draws the chart (none: the table only). */
  renderers?: IChartRenderers | null;
  /** Bumped when the theme changes: the chart is drawn again. */
  themeGeneration?: number;
}): JSX.Element | null {
  const { runs, trans } = props;
  const names = recordedNames(runs);
  const spec = React.useMemo(() => valuesChart(runs), [runs]);
  if (runs.length < 2 || names.length === 0) {
    return null;
  }
  return (
    <section className="mlwb-JobRun-compare" data-testid="mlwb-job-compare">
      <h3>{trans.__('Recorded values across runs')}</h3>
      {spec && props.renderers ? (
        <ValuesChart
          spec={spec}
          renderers={props.renderers}
          themeGeneration={props.themeGeneration ?? 0}
        />
      ) : null}
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
