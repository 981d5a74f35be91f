/**
 * Training commands: "Train a model…" (palette, the Experiments section, a catalog table's
 * context menu as "Train a model on this table"), "Open Training Run…", "Stop Training Run",
 * "Delete Training Run…", "Compare Training Runs", "Refresh Experiments".
 */
import { JupyterFrontEnd } from '@jupyterlab/application';
import {
  InputDialog,
  MainAreaWidget,
  showErrorMessage
} from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';
import { Widget } from '@lumino/widgets';

import { CatalogModel } from '../catalog/model';
import { CommandIDs } from '../commandIds';
import { confirm } from '../history/dialogs';
import { contextMenuTable } from '../join-builder/commands';
import { COMPARE_MAX, ExperimentsModel } from './experiments';
import { TrainingPanel } from './TrainingPanel';

export interface ITrainingCommandOptions {
  app: JupyterFrontEnd;
  catalog: CatalogModel;
  experiments: ExperimentsModel;
  trans: TranslationBundle;
  /** Opens a new "Train a model" form. */
  openForm: (options: {
    table?: string | null;
    sql?: string | null;
    target?: string | null;
  }) => Promise<MainAreaWidget<TrainingPanel>>;
  /** Opens (or brings to front) a run's tab. */
  openRun: (id: number) => MainAreaWidget<TrainingPanel>;
  /** Opens runs side by side. */
  openCompare: (ids: number[]) => Widget;
  /** The training tab in front, if any. */
  current: () => MainAreaWidget<TrainingPanel> | null;
}

const stringArg = (value: unknown): string | null =>
  typeof value === 'string' && value ? value : null;

const idArg = (value: unknown): number | null => {
  const id = Number(value);
  return value !== undefined && value !== null && Number.isInteger(id) && id > 0
    ? id
    : null;
};

/** The catalog rows "Train a model on this table" is on. */
export const TRAIN_MENU_SELECTOR = '.mlwb-CatalogTree-item[data-kind="table"]';

export function addTrainingCommands(options: ITrainingCommandOptions): void {
  const { app, catalog, experiments, trans } = options;

  app.commands.addCommand(CommandIDs.trainModel, {
    label: args =>
      args.isContextMenu
        ? trans.__('Train a model on this table')
        : trans.__('Train a model…'),
    caption: trans.__(
      'Train scikit-learn models on a table or query within a time budget'
    ),
    execute: args => {
      const table =
        stringArg(args.table) ??
        (args.isContextMenu ? contextMenuTable(app, catalog) : null);
      return options.openForm({
        table,
        sql: stringArg(args.sql),
        target: stringArg(args.target)
      });
    }
  });

  app.commands.addCommand(CommandIDs.openTrainingRun, {
    label: trans.__('Open Training Run…'),
    caption: trans.__('Reopen a training run: its progress or its result'),
    execute: async args => {
      let id = idArg(args.id);
      if (id === null) {
        await experiments.refresh();
        const items = experiments.runs.map(r =>
          trans.__('Run %1: %2', r.id, r.target ?? '')
        );
        if (!items.length) {
          await showErrorMessage(
            trans.__('Open Training Run'),
            trans.__('There is no training run yet. Train a model first.')
          );
          return null;
        }
        const picked = await InputDialog.getItem({
          title: trans.__('Open Training Run'),
          label: trans.__('Run'),
          items
        });
        if (!picked.button.accept || picked.value === null) {
          return null;
        }
        id = experiments.runs[items.indexOf(picked.value)]?.id ?? null;
      }
      return id === null ? null : options.openRun(id);
    }
  });

  app.commands.addCommand(CommandIDs.stopTrainingRun, {
    label: trans.__('Stop Training Run'),
    caption: trans.__(
      'End the search of the run in front early, keeping the best model found'
    ),
    isEnabled: () => options.current()?.content.run?.running ?? false,
    execute: () => options.current()?.content.run?.stop()
  });

  app.commands.addCommand(CommandIDs.deleteTrainingRun, {
    label: trans.__('Delete Training Run…'),
    caption: trans.__('Delete a training run with its models and lineage'),
    execute: async args => {
      const id = idArg(args.id) ?? options.current()?.content.run?.id ?? null;
      if (id === null) {
        return false;
      }
      const accepted = await confirm({
        title: trans.__('Delete training run'),
        body: trans.__(
          'Delete run %1 with its fitted models, metrics and lineage? This cannot be undone.',
          id
        ),
        accept: trans.__('Delete'),
        cancel: trans.__('Cancel')
      });
      if (!accepted) {
        return false;
      }
      try {
        await experiments.remove(id);
      } catch (error) {
        await showErrorMessage(trans.__('Delete training run'), error as Error);
        return false;
      }
      return true;
    }
  });

  app.commands.addCommand(CommandIDs.compareTrainingRuns, {
    label: trans.__('Compare Training Runs'),
    caption: trans.__(
      'Show two training runs side by side (tick them in the Experiments section)'
    ),
    isEnabled: args =>
      Array.isArray(args.ids) || experiments.selected.length === COMPARE_MAX,
    execute: args => {
      const ids = Array.isArray(args.ids)
        ? (args.ids as unknown[]).map(idArg).filter((i): i is number => !!i)
        : [...experiments.selected];
      return ids.length >= 2 ? options.openCompare(ids) : null;
    }
  });

  app.commands.addCommand(CommandIDs.refreshExperiments, {
    label: trans.__('Refresh Experiments'),
    execute: () => experiments.refresh()
  });

  app.contextMenu.addItem({
    command: CommandIDs.trainModel,
    args: { isContextMenu: true },
    selector: TRAIN_MENU_SELECTOR,
    rank: 40
  });
}
