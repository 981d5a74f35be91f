/** A run's tab in the main area: `RunView` re-rendered on its model's `changed`. */
import { ReactWidget, UseSignal } from '@jupyterlab/ui-components';
import * as React from 'react';

import { JobRunModel } from './runModel';
import { IRunViewProps, RunView } from './RunView';

export class RunPanel extends ReactWidget {
  constructor(readonly options: IRunViewProps) {
    super();
    this.addClass('mlwb-JobRunPanel');
  }

  get model(): JobRunModel {
    return this.options.model;
  }

  dispose(): void {
    if (!this.isDisposed) {
      this.model.dispose();
    }
    super.dispose();
  }

  protected render(): JSX.Element {
    return (
      <UseSignal signal={this.model.changed}>
        {() => <RunView {...this.options} />}
      </UseSignal>
    );
  }
}
