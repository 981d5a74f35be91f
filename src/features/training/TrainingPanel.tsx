/**
 * The training tab in the main area: the "Train a model" form, which becomes the run's live
 * view once Train is pressed and its result once the run ends; or a past run reopened from
 * the Experiments section. Charts are drawn again when JupyterLab's theme changes.
 */
import { TranslationBundle } from '@jupyterlab/translation';
import { ReactWidget, UseSignal } from '@jupyterlab/ui-components';
import { ISignal, Signal } from '@lumino/signaling';
import * as React from 'react';

import { IChartRenderers } from '../shared/vegaLite';
import { TrainFormModel } from './formModel';
import { RunModel } from './runModel';
import { RunView } from './RunView';
import { TrainForm } from './TrainForm';
import { ITrainingRun } from './types';

export interface ITrainingPanelOptions {
  trans: TranslationBundle;
  renderers: IChartRenderers;
  /** The form to start with (a new run)... */
  form?: TrainFormModel;
  /** ...or the run to show (a past or running run). */
  run?: RunModel;
  /** JupyterLab's theme changes. */
  themeChanged?: ISignal<unknown, unknown> | null;
  /** Milliseconds between two reads of a running run. */
  pollInterval?: number;
  /** "Train again…" on a run: open a form with its data and target. */
  onTrainAgain?: (run: ITrainingRun) => void;
  /** "Publish…" on a run with a model: register it (the models feature's command). */
  onPublish?: (run: ITrainingRun) => void;
}

export class TrainingPanel extends ReactWidget {
  constructor(options: ITrainingPanelOptions) {
    super();
    this.addClass('mlwb-TrainingPanel-content');
    this._options = options;
    this._form = options.form ?? null;
    this._form?.changed.connect(this._emit, this);
    if (options.run) {
      this._setRun(options.run);
    }
    options.themeChanged?.connect(this._onThemeChanged, this);
  }

  /** The form, until Train turns the panel into its run. */
  get form(): TrainFormModel | null {
    return this._run ? null : this._form;
  }

  get run(): RunModel | null {
    return this._run;
  }

  /** Emitted when the panel starts following a run (Train pressed). */
  get runStarted(): ISignal<this, RunModel> {
    return this._runStarted;
  }

  /** Emitted when the panel changes what it shows (the title follows). */
  get shown(): ISignal<this, void> {
    return this._rendered;
  }

  /** Start the run of the form; the panel shows it once the server has accepted it. */
  async train(): Promise<RunModel | null> {
    const form = this._form;
    if (!form || this._run) {
      return null;
    }
    const started = await form.train();
    if (!started || this.isDisposed) {
      return null;
    }
    const run = new RunModel({
      api: form.api,
      id: started.id,
      run: started,
      pollInterval: this._options.pollInterval
    });
    this._setRun(run);
    this._runStarted.emit(run);
    void run.start();
    return run;
  }

  dispose(): void {
    if (this.isDisposed) {
      return;
    }
    this._options.themeChanged?.disconnect(this._onThemeChanged, this);
    this._run?.dispose();
    Signal.clearData(this);
    super.dispose();
  }

  protected render(): JSX.Element {
    return (
      <UseSignal signal={this._rendered}>
        {() => {
          const { trans, renderers } = this._options;
          if (this._run) {
            return (
              <RunView
                model={this._run}
                trans={trans}
                renderers={renderers}
                themeGeneration={this._themeGeneration}
                onTrainAgain={this._options.onTrainAgain}
                onPublish={this._options.onPublish}
              />
            );
          }
          return this._form ? (
            <TrainForm
              model={this._form}
              trans={trans}
              onTrain={() => void this.train()}
            />
          ) : (
            <div />
          );
        }}
      </UseSignal>
    );
  }

  private _setRun(run: RunModel): void {
    this._form?.changed.disconnect(this._emit, this);
    this._run = run;
    run.changed.connect(this._emit, this);
    this.node.dataset.runId = String(run.id);
    this._emit();
  }

  private _emit(): void {
    this._rendered.emit();
  }

  private _onThemeChanged(): void {
    this._themeGeneration++;
    this._rendered.emit();
  }

  private _options: ITrainingPanelOptions;
  private _form: TrainFormModel | null;
  private _run: RunModel | null = null;
  private _themeGeneration = 0;
  private readonly _rendered = new Signal<this, void>(this);
  private readonly _runStarted = new Signal<this, RunModel>(this);
}
