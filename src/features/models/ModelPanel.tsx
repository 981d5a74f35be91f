/** A model's tab in the main area: `ModelView` re-rendered on its model's `changed`. */
import { TranslationBundle } from '@jupyterlab/translation';
import { ReactWidget, UseSignal } from '@jupyterlab/ui-components';
import * as React from 'react';

import { IChartRenderers } from '../shared/vegaLite';
import { ModelViewModel } from './model';
import { ModelView } from './ModelView';

export interface IModelPanelOptions {
  model: ModelViewModel;
  trans: TranslationBundle;
  renderers: IChartRenderers;
  baseUrl: string;
  onOpenRun?: (runId: number) => void;
  onScoreQuery?: (version: number) => void;
  onExport?: (version: number) => void;
}

export class ModelPanel extends ReactWidget {
  constructor(readonly options: IModelPanelOptions) {
    super();
    this.addClass('mlwb-ModelPanel');
    this.node.dataset.name = options.model.name;
  }

  get model(): ModelViewModel {
    return this.options.model;
  }

  protected render(): JSX.Element {
    return (
      <UseSignal signal={this.model.changed}>
        {() => <ModelView {...this.options} />}
      </UseSignal>
    );
  }
}
