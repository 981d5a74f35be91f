/**
 * The result's Vega-Lite charts, drawn by JupyterLab's own renderer through the rendermime
 * registry (shared/vegaLite.ts). The Vega extension follows the light or dark theme when it
 * draws, so the charts are drawn again when the theme changes (`themeGeneration`).
 */
import { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import { IChartRenderers, useVegaLite } from '../shared/vegaLite';
import { chartLabel } from './labels';
import { IChartSpec } from './types';

/** The order charts show in; others follow in the server's order. */
const ORDER = [
  'confusion_matrix',
  'roc',
  'pr',
  'calibration',
  'predicted_vs_actual',
  'residuals',
  'importance',
  'slices'
];

export function orderedCharts(charts: {
  [name: string]: IChartSpec;
}): [string, IChartSpec][] {
  const rank = (name: string) => {
    const index = ORDER.indexOf(name);
    return index < 0 ? ORDER.length : index;
  };
  return Object.entries(charts).sort(([a], [b]) => rank(a) - rank(b));
}

export interface IChartProps {
  renderers: IChartRenderers;
  trans: TranslationBundle;
  themeGeneration: number;
}

/** Every chart of a result, in a wrapping grid. */
export function ChartGrid(
  props: IChartProps & { charts: { [name: string]: IChartSpec } }
): JSX.Element {
  const charts = orderedCharts(props.charts);
  return (
    <div className="mlwb-TrainCharts" data-testid="mlwb-train-charts">
      {charts.map(([name, spec]) => (
        <figure key={name} className="mlwb-TrainChart-figure">
          <figcaption>{chartLabel(name, props.trans)}</figcaption>
          <ChartHost
            name={name}
            spec={spec}
            renderers={props.renderers}
            themeGeneration={props.themeGeneration}
          />
        </figure>
      ))}
    </div>
  );
}

/** One chart, drawn when mounted and when the theme changes. */
export function ChartHost(props: {
  name: string;
  spec: IChartSpec;
  renderers: IChartRenderers;
  themeGeneration: number;
}): JSX.Element {
  const host = React.useRef<HTMLDivElement>(null);
  const { renderers, spec, themeGeneration } = props;
  const state = useVegaLite(host, {
    renderers,
    spec,
    themeGeneration,
    what: 'training chart'
  });

  return (
    <div
      className="mlwb-TrainChart"
      data-chart={props.name}
      data-state={state}
      ref={host}
    />
  );
}
