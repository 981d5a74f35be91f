/**
 * Models commands: "Publish Model…" (`{ runId, name? }`: asks for the name, defaulting to the
 * run's target, publishes and opens the model), "Open Model…", "Refresh Models", and
 * "Score a Query…" (`{ name?, version?, alias?, table?, sql? }`: the scoring dialog) and
 * "Export Model as MLflow…" (`{ name?, version? }`: asks the folder, then offers to open it).
 */
import { JupyterFrontEnd } from '@jupyterlab/application';
import { InputDialog, showErrorMessage } from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';

import { asApiError } from '../../api/errors';
import { CommandIDs } from '../commandIds';
import { ModelsListModel } from './modelsList';
import { exportVersion } from './ExportDialog';
import { ScoreFormModel } from './scoreForm';
import { showScoreDialog } from './ScoreQuery';
import { IModelsApi } from './types';

/**
 * The id of "Score a Query…" (the models feature's own: no other feature calls it yet; it can
 * join `CommandIDs` in ../commandIds.ts when one does).
 */
export const SCORE_QUERY_COMMAND = 'mlworkbench:score-query';

/** The id of "Export Model as MLflow…" (`{ name?, version? }`), the models feature's own. */
export const EXPORT_MODEL_COMMAND = 'mlworkbench:export-model';

export interface IModelsCommandOptions {
  app: JupyterFrontEnd;
  api: IModelsApi;
  list: ModelsListModel;
  trans: TranslationBundle;
  /** Open (or bring to front) a model's tab, showing `version` if given. */
  openModel: (name: string, version?: number) => void;
  /** The tables the scoring dialog offers (SQL names, the catalog read again). */
  tables: () => Promise<string[]>;
  /** Open a table in the workbench (a SQL editor on its rows). */
  openTable: (table: string) => void;
  /** Show a folder (relative to the Jupyter root) in the file browser. */
  openFolder: (path: string) => void;
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

  /** The model named in the command's arguments, or one the user picks. */
  const modelArg = async (
    name: unknown,
    title: string
  ): Promise<string | null> => {
    if (typeof name === 'string' && name) {
      return name;
    }
    await list.refresh();
    const names = list.models.map(m => m.name);
    if (!names.length) {
      await showErrorMessage(title, trans.__('No model is published yet.'));
      return null;
    }
    const answer = await InputDialog.getItem({ title, items: names });
    return answer.button.accept && answer.value ? answer.value : null;
  };

  app.commands.addCommand(SCORE_QUERY_COMMAND, {
    label: trans.__('Score a Query…'),
    caption: trans.__(
      'Score the rows of a table or SELECT with a published model into a new table version'
    ),
    execute: async args => {
      const title = trans.__('Score a Query');
      const name = await modelArg(args.name, title);
      if (!name) {
        return null;
      }
      try {
        const [described, tables] = await Promise.all([
          api.describeModel(name),
          options.tables().catch(() => [] as string[])
        ]);
        const version = idArg(args.version);
        const production = described.aliases.find(
          a => a.alias === 'production' && a.version !== null
        );
        const ref =
          typeof args.alias === 'string' && args.alias
            ? `${name}@${args.alias}`
            : version !== null
              ? `${name}@${version}`
              : production
                ? `${name}@production`
                : null;
        const form = new ScoreFormModel({
          api,
          model: described,
          ref,
          tables,
          table: typeof args.table === 'string' ? args.table : null,
          sql: typeof args.sql === 'string' ? args.sql : null
        });
        await showScoreDialog({ form, trans, onOpenTable: options.openTable });
        return form.result;
      } catch (error) {
        await showErrorMessage(title, asApiError(error).message);
        return null;
      }
    }
  });

  app.commands.addCommand(EXPORT_MODEL_COMMAND, {
    label: trans.__('Export Model as MLflow…'),
    caption: trans.__(
      'Write a published version as an MLflow model directory (MLmodel, python_function flavour)'
    ),
    execute: async args => {
      const title = trans.__('Export Model as MLflow');
      const name = await modelArg(args.name, title);
      if (!name) {
        return null;
      }
      let version = idArg(args.version);
      if (version === null) {
        try {
          version =
            (await api.describeModel(name)).versions[0]?.version ?? null;
        } catch (error) {
          await showErrorMessage(title, asApiError(error).message);
          return null;
        }
      }
      if (version === null) {
        await showErrorMessage(title, trans.__('%1 has no version.', name));
        return null;
      }
      return exportVersion({
        api,
        trans,
        name,
        version,
        onOpenFolder: options.openFolder
      });
    }
  });

  app.commands.addCommand(CommandIDs.refreshModels, {
    label: trans.__('Refresh Models'),
    caption: trans.__('Read the published models again'),
    execute: () => list.refresh()
  });
}
