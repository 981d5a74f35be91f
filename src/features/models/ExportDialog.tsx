/**
 * "Export as MLflow model…": a dialog asking the folder (under the Jupyter root, default
 * `mlflow-models/<name>-v<version>`); a folder that exists is refused (409) and asked again with
 * "Replace it" to tick. While it writes, an in-progress notification; then one with
 * "Open folder" (the file browser) and "Copy serve command" (`mlflow models serve -m ...`).
 * Also the confirmation before an alias is removed.
 */
import {
  Clipboard,
  Dialog,
  Notification,
  showDialog
} from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';
import { ReactWidget } from '@jupyterlab/ui-components';
import * as React from 'react';

import { asApiError, WorkbenchApiError } from '../../api/errors';
import { ErrorBox } from '../training/ErrorBox';
import { ExportedModel, IModelsApi } from './types';

/** The folder an export goes to unless the user names another. */
export function defaultExportPath(name: string, version: number): string {
  return `mlflow-models/${name}-v${version}`;
}

interface IExportForm {
  path: string;
  overwrite: boolean;
}

/** The dialog's body: the folder, and (after a 409) "Replace it". */
export class ExportFormWidget extends ReactWidget {
  constructor(
    private readonly _options: {
      trans: TranslationBundle;
      form: IExportForm;
      /** The last refusal: a 409 shows the overwrite box. */
      error: WorkbenchApiError | null;
    }
  ) {
    super();
    this.addClass('mlwb-ExportForm');
    this._form = { ..._options.form };
  }

  getValue(): IExportForm {
    return this._form;
  }

  protected render(): JSX.Element {
    const { trans, error } = this._options;
    const set = (change: Partial<IExportForm>) => {
      this._form = { ...this._form, ...change };
      this.update();
    };
    return (
      <div className="mlwb-ExportForm-body">
        <label className="mlwb-ScoreQuery-field">
          <span>{trans.__('Folder')}</span>
          <input
            className="jp-mod-styled"
            data-testid="mlwb-export-path"
            value={this._form.path}
            onChange={e => set({ path: e.target.value })}
          />
        </label>
        <div className="mlwb-ScoreQuery-hint">
          {trans.__(
            'Relative to the Jupyter root. The folder gets MLmodel (python_function and sklearn flavours), the skops file, the signature, pinned requirements and the card as README.md.'
          )}
        </div>
        {error ? <ErrorBox error={error} testid="mlwb-export-error" /> : null}
        {error?.status === 409 ? (
          <label className="mlwb-ScoreQuery-check">
            <input
              type="checkbox"
              data-testid="mlwb-export-overwrite"
              checked={this._form.overwrite}
              onChange={e => set({ overwrite: e.target.checked })}
            />
            {trans.__('Replace it (a previous export)')}
          </label>
        ) : null}
      </div>
    );
  }

  private _form: IExportForm;
}

export interface IExportOptions {
  api: IModelsApi;
  trans: TranslationBundle;
  name: string;
  version: number;
  /** Show a folder in the file browser. */
  onOpenFolder: (path: string) => void;
}

/** Ask the folder and export; answers the export (null: the user gave up). */
export async function exportVersion(
  options: IExportOptions
): Promise<ExportedModel | null> {
  const { api, trans, name, version } = options;
  let form: IExportForm = {
    path: defaultExportPath(name, version),
    overwrite: false
  };
  let error: WorkbenchApiError | null = null;
  for (;;) {
    const body = new ExportFormWidget({ trans, form, error });
    const answer = await showDialog({
      title: trans.__('Export %1 v%2 as an MLflow model', name, version),
      body,
      buttons: [
        Dialog.cancelButton({ label: trans.__('Cancel') }),
        Dialog.okButton({ label: trans.__('Export') })
      ],
      focusNodeSelector: 'input'
    });
    if (!answer.button.accept || !answer.value) {
      return null;
    }
    form = answer.value;
    const path = form.path.trim();
    const id = Notification.emit(
      trans.__('Exporting %1 v%2 to %3…', name, version, path || '…'),
      'in-progress',
      { autoClose: false }
    );
    try {
      const exported = await api.exportVersion(
        name,
        version,
        path || null,
        form.overwrite
      );
      Notification.update({
        id,
        type: 'success',
        message: trans.__(
          '%1 v%2 exported to %3 (%4 files). Serve it with: %5',
          name,
          version,
          exported.path,
          exported.files.length,
          exported.mlflow_uri_hint
        ),
        autoClose: false,
        actions: [
          {
            label: trans.__('Open folder'),
            callback: () => options.onOpenFolder(exported.path)
          },
          {
            label: trans.__('Copy serve command'),
            callback: event => {
              // Keep the notification (and its other action) after copying.
              event.preventDefault();
              Clipboard.copyToSystem(exported.mlflow_uri_hint);
            }
          }
        ]
      });
      return exported;
    } catch (caught) {
      Notification.dismiss(id);
      error = asApiError(caught);
    }
  }
}

/** Ask before removing an alias; true when the user confirms. */
export async function confirmRemoveAlias(
  trans: TranslationBundle,
  name: string,
  alias: string,
  version: number | null
): Promise<boolean> {
  const answer = await showDialog({
    title: trans.__('Remove alias %1?', alias),
    body:
      version !== null
        ? trans.__(
            '%1@%2 (now v%3) will no longer resolve, and its gates are removed. The removal is kept in the alias history.',
            name,
            alias,
            version
          )
        : trans.__(
            'The alias points at no version; its gates are removed.',
            name
          ),
    buttons: [
      Dialog.cancelButton({ label: trans.__('Cancel') }),
      Dialog.warnButton({ label: trans.__('Remove') })
    ]
  });
  return answer.button.accept;
}
