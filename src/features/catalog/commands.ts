/** Catalog commands: open the sidebar, refresh, remove a source or a table. */
import { JupyterFrontEnd } from '@jupyterlab/application';
import { Dialog, showDialog, showErrorMessage } from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';
import { refreshIcon } from '@jupyterlab/ui-components';

import { CommandIDs } from '../commandIds';
import { workbenchIcon } from './icon';
import { CatalogModel } from './model';

export const SIDEBAR_ID = 'mlworkbench-sidebar';

export interface ICatalogCommandOptions {
  app: JupyterFrontEnd;
  model: CatalogModel;
  trans: TranslationBundle;
  /** Whether to ask before removing (a setting). */
  confirmRemove: () => boolean;
  /** Reloads what else the sidebar shows (saved queries, history) with the catalog. */
  refreshSections?: () => Promise<unknown>;
}

export function addCatalogCommands(options: ICatalogCommandOptions): void {
  const { app, model, trans } = options;

  app.commands.addCommand(CommandIDs.openSidebar, {
    label: trans.__('Open Workbench Sidebar'),
    caption: trans.__('Show the Workbench sources and tables'),
    icon: workbenchIcon,
    execute: () => app.shell.activateById(SIDEBAR_ID)
  });

  app.commands.addCommand(CommandIDs.refreshCatalog, {
    label: trans.__('Refresh Catalog'),
    caption: trans.__('Reload the Workbench sources and tables'),
    icon: refreshIcon,
    execute: () => Promise.all([model.refresh(), options.refreshSections?.()])
  });

  const remove = async (kind: 'source' | 'table', name: string) => {
    if (!name) {
      return;
    }
    if (options.confirmRemove()) {
      const result = await showDialog({
        title:
          kind === 'source'
            ? trans.__('Remove source %1?', name)
            : trans.__('Remove table %1?', name),
        body:
          kind === 'source'
            ? trans.__(
                'The source is removed from the workspace; its files stay where they are.'
              )
            : trans.__('The workspace table and all its versions are deleted.'),
        buttons: [
          Dialog.cancelButton({ label: trans.__('Cancel') }),
          Dialog.warnButton({ label: trans.__('Remove') })
        ]
      });
      if (!result.button.accept) {
        return;
      }
    }
    try {
      if (kind === 'source') {
        await model.removeSource(name);
      } else {
        await model.removeTable(name);
      }
    } catch (error) {
      await showErrorMessage(
        trans.__('Could not remove %1', name),
        error as Error
      );
    }
  };

  app.commands.addCommand(CommandIDs.removeSource, {
    label: args => trans.__('Remove Source %1', (args.name as string) ?? ''),
    execute: args => remove('source', args.name as string)
  });

  app.commands.addCommand(CommandIDs.removeTable, {
    label: args => trans.__('Remove Table %1', (args.name as string) ?? ''),
    execute: args => remove('table', args.name as string)
  });
}
