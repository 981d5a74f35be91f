/**
 * Query history, saved queries and file imports: the models, commands and menus the
 * Workbench sidebar (src/features/catalog) mounts as its "Saved queries" and "History"
 * sections and its drop target.
 */
import { JupyterFrontEnd } from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';

import { CatalogModel } from '../catalog/model';
import { CommandIDs, PALETTE_CATEGORY } from '../commandIds';
import {
  addHistoryCommands,
  HISTORY_ENTRY_CLASS,
  IHistoryActions,
  SAVED_QUERY_CLASS
} from './commands';
import { ImportModel } from './imports';
import { HistoryModel, SavedQueriesModel } from './model';
import { SqlEditorWatcher } from './sqlEditors';

/** How often the history is reloaded while the sidebar is visible (runs from notebooks, CLI). */
export const POLL_MS = 5000;

export interface IHistoryFeature {
  history: HistoryModel;
  saved: SavedQueriesModel;
  imports: ImportModel;
  actions: IHistoryActions;
  /** Reload the history and the saved queries. */
  refresh: () => Promise<void>;
}

export interface IHistoryFeatureOptions {
  app: JupyterFrontEnd;
  catalog: CatalogModel;
  trans: TranslationBundle;
  palette: ICommandPalette | null;
  /** Whether the sidebar is visible (polling stops when it is not). */
  isVisible: () => boolean;
}

export function createHistoryFeature(
  options: IHistoryFeatureOptions
): IHistoryFeature {
  const { app, catalog, trans, palette } = options;
  const client = catalog.client;
  const history = new HistoryModel(client);
  const saved = new SavedQueriesModel(client);
  const imports = new ImportModel({ serverSettings: client.serverSettings });
  const refreshHistory = () => void history.refresh();
  const watcher = new SqlEditorWatcher(refreshHistory);

  // The shell says which main-area widget is current: a SQL editor is watched from the moment
  // it is first current (a new editor is activated when it opens).
  const shell = app.shell as JupyterFrontEnd.IShell & {
    currentChanged?: {
      connect: (
        fn: (sender: unknown, args: { newValue: unknown }) => void
      ) => void;
    };
  };
  shell.currentChanged?.connect((_, args) =>
    watcher.see(args.newValue as Parameters<SqlEditorWatcher['see']>[0])
  );
  watcher.see(app.shell.currentWidget);
  // Enable "Save Query…" as soon as an editor is current.
  shell.currentChanged?.connect(() =>
    app.commands.notifyCommandChanged(CommandIDs.saveQuery)
  );

  const actions = addHistoryCommands({
    app,
    catalog,
    history,
    saved,
    imports,
    watcher,
    trans
  });

  app.contextMenu.addItem({
    command: CommandIDs.openSavedQuery,
    selector: `.${SAVED_QUERY_CLASS}`,
    rank: 1
  });
  app.contextMenu.addItem({
    command: CommandIDs.renameSavedQuery,
    selector: `.${SAVED_QUERY_CLASS}`,
    rank: 2
  });
  app.contextMenu.addItem({
    command: CommandIDs.deleteSavedQuery,
    selector: `.${SAVED_QUERY_CLASS}`,
    rank: 3
  });
  app.contextMenu.addItem({
    command: CommandIDs.openHistoryEntry,
    selector: `.${HISTORY_ENTRY_CLASS}`,
    rank: 1
  });
  app.contextMenu.addItem({
    command: CommandIDs.deleteHistoryEntry,
    selector: `.${HISTORY_ENTRY_CLASS}`,
    rank: 2
  });

  if (palette) {
    for (const command of [
      CommandIDs.saveQuery,
      CommandIDs.importFile,
      CommandIDs.clearHistory,
      CommandIDs.refreshHistory
    ]) {
      palette.addItem({ command, category: PALETTE_CATEGORY });
    }
  }

  const refresh = async () => {
    await Promise.all([history.refresh(), saved.refresh()]);
  };

  // Light polling while the sidebar shows: queries also run from notebooks and the CLI.
  const poll = () => {
    if (options.isVisible() && !document.hidden) {
      refreshHistory();
    }
  };
  window.setInterval(poll, POLL_MS);

  return { history, saved, imports, actions, refresh };
}
