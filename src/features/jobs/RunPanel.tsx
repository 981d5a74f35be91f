/**
 * A run's tab in the main area: `RunView` re-rendered on its model's `changed`, and its chart
 * drawn again when the theme changes.
 */
import { ReactWidget, UseSignal } from '@jupyterlab/ui-components';
import { ISignal } from '@lumino/signaling';
import * as React from 'react';

import { JobRunModel } from './runModel';
import { IRunViewProps, RunView } from './RunView';

export interface IRunPanelOptions extends Omit<
  IRunViewProps,
  'themeGeneration'
> {
  /** The theme manager's `themeChanged` (the chart follows the theme). */
  themeChanged?: ISignal<unknown, unknown> | null;
}

export class RunPanel extends ReactWidget {
  constructor(readonly options: IRunPanelOptions) {
    super();
    this.addClass('mlwb-JobRunPanel');
    options.themeChanged?.connect(this._onThemeChanged, this);
  }

  get model(): JobRunModel {
    return this.options.model;
  }

  dispose(): void {
    if (!this.isDisposed) {
      this.options.themeChanged?.disconnect(this._onThemeChanged, this);
      this.model.dispose();
    }
    super.dispose();
  }

  protected render(): JSX.Element {
    return (
      <UseSignal signal={this.model.changed}>
        {() => (
          <RunView {...this.options} themeGeneration={this._themeGeneration} />
        )}
      </UseSignal>
    );
  }

  private _onThemeChanged(): void {
    this._themeGeneration++;
    this.update();
  }

  private _themeGeneration = 0;
}
