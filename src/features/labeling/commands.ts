/**
 * Label set commands: "New Label Set…" (palette, sidebar, a catalog table's context menu),
 * "Open Labeler…", "Delete Label Set", "Refresh Label Sets".
 */
import { JupyterFrontEnd } from '@jupyterlab/application';
import {
  Dialog,
  InputDialog,
  MainAreaWidget,
  showDialog,
  showErrorMessage
} from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';

import { CatalogModel } from '../catalog/model';
import { CommandIDs } from '../commandIds';
import { confirm } from '../history/dialogs';
import { contextMenuTable } from '../join-builder/commands';
import { catalogTables } from '../join-builder/plan';
import { LabelSetsModel } from './labelSets';
import { LabelerView } from './LabelerView';
import { askNewLabelSet } from './NewLabelSetDialog';

export interface ILabelingCommandOptions {
  app: JupyterFrontEnd;
  catalog: CatalogModel;
  labelSets: LabelSetsModel;
  trans: TranslationBundle;
  /** Opens (or brings to front) the labeler of a label set. */
  open: (name: string) => Promise<MainAreaWidget<LabelerView> | null>;
}

const stringArg = (value: unknown): string | null =>
  typeof value === 'string' && value ? value : null;

export function addLabelingCommands(options: ILabelingCommandOptions): void {
  const { app, catalog, labelSets, trans } = options;

  app.commands.addCommand(CommandIDs.newLabelSet, {
    label: args =>
      args.isPalette || args.isSidebar
        ? trans.__('New Label Set…')
        : trans.__('Label Data…'),
    caption: trans.__(
      'Label the rows of a table or query with keys 1-9 (built-in labeler)'
    ),
    execute: async args => {
      await catalog.refresh(); // tables registered since the sidebar loaded
      const tables = catalogTables(catalog.catalog).map(t => ({
        name: t.name,
        columns: t.columns.map(c => c.name)
      }));
      const created = await askNewLabelSet({
        api: labelSets.api,
        tables,
        table: stringArg(args.table) ?? contextMenuTable(app, catalog),
        sql: stringArg(args.sql),
        trans
      });
      if (!created) {
        return null;
      }
      await labelSets.refresh();
      return options.open(created.name);
    }
  });

  app.commands.addCommand(CommandIDs.openLabeler, {
    label: trans.__('Open Labeler…'),
    caption: trans.__('Label the items of a label set with the keyboard'),
    execute: async args => {
      let name = stringArg(args.name);
      if (!name) {
        await labelSets.refresh();
        const names = labelSets.labelSets.map(s => s.name);
        if (names.length === 0) {
          const answer = await showDialog({
            title: trans.__('Open Labeler'),
            body: trans.__('There is no label set yet. Create one?'),
            buttons: [
              Dialog.cancelButton({ label: trans.__('Cancel') }),
              Dialog.okButton({ label: trans.__('New Label Set…') })
            ]
          });
          return answer.button.accept
            ? app.commands.execute(CommandIDs.newLabelSet, { isPalette: true })
            : null;
        }
        const picked = await InputDialog.getItem({
          title: trans.__('Open Labeler'),
          label: trans.__('Label set'),
          items: names
        });
        name = picked.button.accept ? picked.value : null;
      }
      return name ? options.open(name) : null;
    }
  });

  app.commands.addCommand(CommandIDs.deleteLabelSet, {
    label: trans.__('Delete Label Set…'),
    caption: trans.__('Delete a label set and its labels'),
    execute: async args => {
      const name = stringArg(args.name);
      if (!name) {
        return;
      }
      const accepted = await confirm({
        title: trans.__('Delete label set'),
        body: trans.__(
          'Delete the label set "%1" and every label in it? This cannot be undone.',
          name
        ),
        accept: trans.__('Delete'),
        cancel: trans.__('Cancel')
      });
      if (!accepted) {
        return;
      }
      try {
        await labelSets.remove(name);
      } catch (error) {
        await showErrorMessage(trans.__('Delete label set'), error as Error);
      }
    }
  });

  app.commands.addCommand(CommandIDs.refreshLabelSets, {
    label: trans.__('Refresh Label Sets'),
    execute: () => labelSets.refresh()
  });

  app.contextMenu.addItem({
    command: CommandIDs.newLabelSet,
    selector: '.mlwb-CatalogTree-item[data-kind="table"]',
    rank: 30
  });
}
