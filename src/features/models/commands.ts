/**
 * Models commands: "Publish Model…" (`{ runId, name? }`: asks for the name, defaulting to the
 * run's target, publishes and opens the model), "Open Model…", "Refresh Models".
 */
import { JupyterFrontEnd } from '@jupyterlab/application';
import { InputDialog, showErrorMessage } from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';

import { asApiError } from '../../api/errors';
import { CommandIDs } from '../commandIds';
import { ModelsListModel } from './modelsList';
import { IModelsApi } from './types';

export interface IModelsCommandOptions {
  app: JupyterFrontEnd;
  api: IModelsApi;
  list: ModelsListModel;
  trans: TranslationBundle;
  /** Open (or bring to front) a model's tab, showing `version` if given. */
  openModel: (name: string, version?: number) => void;
}

const idArg = (value: unknown): number | null => {
  const id = Number(value);
  return value !== undefined && value !== null && Number.isInteger(id) && id > 0
    ? id
    : null;
};

/** A model name the registry takes (letters, digits, '_' and '-'), made from any text. */
export function modelNameFrom(text: string | null): string {
  const name = (text ?? '').trim().replace(/[^A-Za-z0-9_-]+/g, '_');
  return /^[A-Za-z_]/.test(name) ? name : `model_${name}`.replace(/_$/, '');
}

export function addModelsCommands(options: IModelsCommandOptions): void {
  const { app, api, list, trans } = options;

  app.commands.addCommand(CommandIDs.publishModel, {
    label: trans.__('Publish Model…'),
    caption: trans.__(
      'Publish a training run’s model as the next version of a named model'
    ),
    execute: async args => {
      const runId = idArg(args.runId);
      if (runId === null) {
        await showErrorMessage(
          trans.__('Publish Model'),
          trans.__('Give the training run to publish: { runId: <run id> }.')
        );
        return null;
      }
      let name = typeof args.name === 'string' ? args.name.trim() : '';
      if (!name) {
        const target = await api.runTarget(runId).catch(() => null);
        const answer = await InputDialog.getText({
          title: trans.__('Publish run %1 as', runId),
          label: trans.__(
            'Model name (letters, digits, _ and -); an existing name gets its next version'
          ),
          text: modelNameFrom(target ?? `run_${runId}`),
          okLabel: trans.__('Publish')
        });
        if (!answer.button.accept || !answer.value?.trim()) {
          return null;
        }
        name = answer.value.trim();
      }
      try {
        const published = await api.publish(runId, name);
        void list.refresh();
        options.openModel(published.name, published.version);
        return published;
      } catch (error) {
        const apiError = asApiError(error);
        await showErrorMessage(
          trans.__('Publish run %1 failed', runId),
          apiError.message
        );
        return null;
      }
    }
  });

  app.commands.addCommand(CommandIDs.openModel, {
    label: trans.__('Open Model…'),
    caption: trans.__('Open a published model: versions, aliases, card'),
    execute: async args => {
      let name = typeof args.name === 'string' ? args.name : '';
      if (!name) {
        await list.refresh();
        const names = list.models.map(m => m.name);
        if (!names.length) {
          await showErrorMessage(
            trans.__('Open Model'),
            trans.__('No model is published yet.')
          );
          return;
        }
        const answer = await InputDialog.getItem({
          title: trans.__('Open Model'),
          items: names
        });
        if (!answer.button.accept || !answer.value) {
          return;
        }
        name = answer.value;
      }
      options.openModel(name, idArg(args.version) ?? undefined);
    }
  });

  app.commands.addCommand(CommandIDs.refreshModels, {
    label: trans.__('Refresh Models'),
    caption: trans.__('Read the published models again'),
    execute: () => list.refresh()
  });
}
