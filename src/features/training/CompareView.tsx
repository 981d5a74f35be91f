/**
 * Runs side by side: their settings, parameters, held-out metrics and lineage, one column per
 * run, rows whose values differ marked. The panel reads the runs once when it opens.
 */
import { TranslationBundle } from '@jupyterlab/translation';
import { ReactWidget, UseSignal } from '@jupyterlab/ui-components';
import { Signal } from '@lumino/signaling';
import * as React from 'react';

import { asApiError } from '../../api/client';
import { compareRuns, CompareSection } from './compare';
import { ErrorBox } from './ErrorBox';
import { StatusIcon } from './labels';
import { ITrainingApi, ITrainingError, ITrainingRun } from './types';

export function CompareTable(props: {
  runs: readonly ITrainingRun[];
  trans: TranslationBundle;
  onOpen?: (id: number) => void;
}): JSX.Element {
  const { runs, trans } = props;
  const rows = compareRuns(runs);
  const titles: { [section in CompareSection]: string } = {
    run: trans.__('Run'),
    params: trans.__('Parameters'),
    metrics: trans.__('Held-out metrics'),
    lineage: trans.__('Lineage')
  };
  const sections = (Object.keys(titles) as CompareSection[]).filter(s =>
    rows.some(r => r.section === s)
  );
  return (
    <table className="mlwb-Train-table mlwb-TrainCompare-table">
      <thead>
        <tr>
          <th />
          {runs.map(run => (
            <th key={run.id} data-run-id={run.id}>
              <button
                className="mlwb-TrainCompare-open"
                onClick={() => props.onOpen?.(run.id)}
                title={trans.__('Open run %1', run.id)}
              >
                <StatusIcon status={run.status} trans={trans} />{' '}
                {trans.__('Run %1', run.id)}
              </button>
            </th>
          ))}
        </tr>
      </thead>
      {sections.map(section => (
        <tbody key={section} data-section={section}>
          <tr className="mlwb-TrainCompare-section">
            <th colSpan={runs.length + 1}>{titles[section]}</th>
          </tr>
          {rows
            .filter(r => r.section === section)
            .map(row => (
              <tr
                key={`${section}:${row.name}`}
                className="mlwb-TrainCompare-row"
                data-section={section}
                data-name={row.name}
                data-differs={row.differs}
              >
                <th>{row.name}</th>
                {row.values.map((value, i) => (
                  <td key={i} title={value}>
                    {value}
                  </td>
                ))}
              </tr>
            ))}
        </tbody>
      ))}
    </table>
  );
}

/** The comparison tab: reads the runs, then shows them side by side. */
export class CompareView extends ReactWidget {
  constructor(options: {
    api: ITrainingApi;
    ids: number[];
    trans: TranslationBundle;
    onOpen?: (id: number) => void;
  }) {
    super();
    this.addClass('mlwb-TrainCompare');
    this.ids = options.ids;
    this._api = options.api;
    this._trans = options.trans;
    this._onOpen = options.onOpen;
  }

  readonly ids: number[];

  get runs(): readonly ITrainingRun[] {
    return this._runs;
  }

  /** Read the runs (again). */
  async load(): Promise<void> {
    this._error = null;
    try {
      this._runs = await Promise.all(
        this.ids.map(id => this._api.describeRun(id))
      );
    } catch (error) {
      this._error = asApiError(error);
    }
    this._loaded = true;
    this._changed.emit();
  }

  protected render(): JSX.Element {
    return (
      <UseSignal signal={this._changed}>
        {() => {
          const trans = this._trans;
          if (this._error) {
            return <ErrorBox error={this._error} testid="mlwb-compare-error" />;
          }
          if (!this._loaded) {
            return (
              <div className="mlwb-Train-empty">
                {trans.__('Reading the runs…')}
              </div>
            );
          }
          return (
            <CompareTable
              runs={this._runs}
              trans={trans}
              onOpen={this._onOpen}
            />
          );
        }}
      </UseSignal>
    );
  }

  private _api: ITrainingApi;
  private _trans: TranslationBundle;
  private _onOpen?: (id: number) => void;
  private _runs: ITrainingRun[] = [];
  private _loaded = false;
  private _error: ITrainingError | null = null;
  private readonly _changed = new Signal<this, void>(this);
}
