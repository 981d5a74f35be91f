/** File browser context menu: "Open in Workbench" registers a data file as a source. */
import {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { showErrorMessage } from '@jupyterlab/apputils';
import { IDefaultFileBrowser } from '@jupyterlab/filebrowser';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';

import { workbenchIcon } from '../catalog/icon';
import { CatalogModel } from '../catalog/model';
import { previewSql } from '../catalog/tree';
import { CommandIDs } from '../commandIds';
import { ICatalogModel } from '../tokens';
import { canOpenInWorkbench } from './fileTypes';

export const openInWorkbenchPlugin: JupyterFrontEndPlugin<void> = {
  id: 'mlworkbench:open-in-workbench',
  description: 'Adds "Open in Workbench" to the file browser context menu.',
  autoStart: true,
  requires: [IDefaultFileBrowser, ICatalogModel],
  optional: [ITranslator],
  activate: (
    app: JupyterFrontEnd,
    browser: IDefaultFileBrowser,
    catalog: CatalogModel,
    translator: ITranslator | null
  ): void => {
    const trans = (translator ?? nullTranslator).load('mlworkbench');
    const selectedPath = (): string | null => {
      const item = browser.selectedItems().next();
      return item && !item.done && item.value.type !== 'directory'
        ? item.value.path
        : null;
    };

    app.commands.addCommand(CommandIDs.openInWorkbench, {
      label: trans.__('Open in Workbench'),
      caption: trans.__('Register the file as a Workbench source and query it'),
      icon: workbenchIcon,
      isVisible: () => {
        const path = selectedPath();
        return !!path && canOpenInWorkbench(path);
      },
      execute: async args => {
        const path = (args.path as string | undefined) ?? selectedPath();
        if (!path) {
          return;
        }
        try {
          const source = await catalog.client.registerSource({ path });
          await catalog.refresh();
          const table = source.tables?.[0]?.name ?? source.name;
          await app.commands.execute(CommandIDs.newSqlEditor, {
            sql: previewSql(table)
          });
        } catch (error) {
          await showErrorMessage(
            trans.__('Could not open %1 in the Workbench', path),
            error as Error
          );
        }
      }
    });

    app.contextMenu.addItem({
      command: CommandIDs.openInWorkbench,
      selector: '.jp-DirListing-item[data-isdir="false"]',
      rank: 3
    });
  }
};
