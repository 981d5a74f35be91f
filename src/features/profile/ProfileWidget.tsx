/** The "Profile" main-area widget: the profile view, a spinner while it runs, a Refresh button. */
import { MainAreaWidget } from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';
import {
  ReactWidget,
  refreshIcon,
  Spinner,
  ToolbarButtonComponent,
  UseSignal
} from '@jupyterlab/ui-components';
import { ISignal, Signal } from '@lumino/signaling';
import { Panel } from '@lumino/widgets';
import * as React from 'react';

import { IChartRenderers } from '../shared/vegaLite';
import { LazyTrigger } from './chart';
import { ProfileModel } from './model';
import { ProfileView } from './ProfilePanel';

export interface IProfileWidgetOptions {
  model: ProfileModel;
  renderers: IChartRenderers;
  trans: TranslationBundle;
  /** JupyterLab's theme changes (charts are drawn again in the new theme). */
  themeChanged?: ISignal<unknown, unknown> | null;
}

/** The view and its spinner; re-renders on every change of the model. */
export class ProfileContent extends Panel {
  constructor(options: IProfileWidgetOptions) {
    super();
    this.addClass('mlwb-ProfileContent');
    const { model, trans, renderers } = options;
    this.model = model;
    this._themeChanged = options.themeChanged ?? null;
    this._themeChanged?.connect(this._onThemeChanged, this);

    const view = ReactWidget.create(
      <UseSignal signal={this._rendered}>
        {() => (
          <ProfileView
            profile={model.profile}
            error={model.error}
            running={model.state === 'running'}
            label={model.label}
            trans={trans}
            renderers={renderers}
            lazy={this._lazy}
            themeGeneration={this._themeGeneration}
          />
        )}
      </UseSignal>
    );
    view.addClass('mlwb-ProfileContent-view');
    this._lazy = new LazyTrigger(view.node);
    this.addWidget(view);

    this._spinner = new Spinner();
    this._spinner.node.dataset.testid = 'mlwb-profile-progress';
    this._spinner.node.setAttribute('role', 'progressbar');
    this._spinner.node.setAttribute('aria-label', trans.__('Profiling…'));

    model.changed.connect(this._onChanged, this);
    this._onChanged();
  }

  readonly model: ProfileModel;

  dispose(): void {
    if (this.isDisposed) {
      return;
    }
    this._themeChanged?.disconnect(this._onThemeChanged, this);
    this._lazy.dispose();
    this.model.dispose();
    super.dispose();
  }

  private _onChanged(): void {
    this._rendered.emit();
    const running = this.model.state === 'running';
    this.node.dataset.state = this.model.state;
    if (running && this._spinner.parent !== this) {
      this.addWidget(this._spinner);
    } else if (!running && this._spinner.parent === this) {
      this._spinner.parent = null;
    }
  }

  private _onThemeChanged(): void {
    this._themeGeneration++;
    this._rendered.emit();
  }

  /** Emitted when the view must render again (the model or the theme changed). */
  private _rendered = new Signal<this, void>(this);
  private _lazy: LazyTrigger;
  private _spinner: Spinner;
  private _themeGeneration = 0;
  private _themeChanged: ISignal<unknown, unknown> | null;
}

/** The main-area widget: the content with a toolbar. */
export class ProfileWidget extends MainAreaWidget<ProfileContent> {
  constructor(options: IProfileWidgetOptions) {
    const content = new ProfileContent(options);
    super({ content });
    this.addClass('mlwb-ProfilePanel');
    const { model, trans } = options;
    this.title.label = trans.__('Profile: %1', model.label);
    this.title.caption = trans.__('Column profile of %1', model.label);
    this.title.closable = true;
    const refresh = ReactWidget.create(
      <UseSignal signal={model.changed}>
        {() => (
          <ToolbarButtonComponent
            icon={refreshIcon}
            label={trans.__('Refresh')}
            tooltip={trans.__('Profile again')}
            enabled={model.state !== 'running'}
            onClick={() => void model.run()}
            dataset={{ testid: 'mlwb-profile-refresh' }}
          />
        )}
      </UseSignal>
    );
    refresh.addClass('jp-ToolbarButton');
    this.toolbar.addItem('refresh', refresh);
  }
}
