/**
 * Commands of the history feature: save the current SQL as a query, open/rename/delete saved
 * queries, open/forget history entries, clear the history, import files.
 */
import { JupyterFrontEnd } from '@jupyterlab/application';
import { showErrorMessage } from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';
import {
  deleteIcon,
  editIcon,
  fileUploadIcon,
  refreshIcon,
  saveIcon
} from '@jupyterlab/ui-components';
import { Widget } from '@lumino/widgets';

import { asApiError, WorkbenchApiError } from '../../api/client';
import { CatalogModel } from '../catalog/model';
import { CommandIDs } from '../commandIds';
import { askImport, askName, confirm, NameOwner } from './dialogs';
import {
  ACCEPT,
  defaultTableName,
  IImportJob,
  ImportModel,
  splitFilename
} from './imports';
import { HistoryModel, SavedQueriesModel } from './model';
import { SqlEditorWatcher } from './sqlEditors';

export interface IHistoryCommandOptions {
  app: JupyterFrontEnd;
  catalog: CatalogModel;
  history: HistoryModel;
  saved: SavedQueriesModel;
  imports: ImportModel;
  watcher: SqlEditorWatcher;
  trans: TranslationBundle;
}

/** CSS classes of the rows the context menu commands act on. */
export const SAVED_QUERY_CLASS = 'mlwb-SavedQuery-item';
export const HISTORY_ENTRY_CLASS = 'mlwb-History-item';

/** The actions the sidebar calls (each also a command). */
export interface IHistoryActions {
  importFiles: (files: ArrayLike<File>) => Promise<void>;
  retrySkipping: (job: IImportJob) => Promise<void>;
}

export function addHistoryCommands(
  options: IHistoryCommandOptions
): IHistoryActions {
  const { app, catalog, history, saved, imports, watcher, trans } = options;
  /** Saved query each editor was opened from (the default name when saving it). */
  const openedFrom = new WeakMap<Widget, string>();

  const rowData = (className: string, key: string): string | undefined => {
    const node = app.contextMenuHitTest(n => n.classList.contains(className));
    return node?.dataset[key];
  };
  const nameArg = (args: { name?: unknown }) =>
    (args.name as string | undefined) ?? rowData(SAVED_QUERY_CLASS, 'name');
  const entryArg = (args: { id?: unknown }) => {
    const id = args.id ?? rowData(HISTORY_ENTRY_CLASS, 'id');
    return id === undefined ? undefined : Number(id);
  };

  const openSql = async (sql: string, label?: string) => {
    const widget = (await app.commands.execute(CommandIDs.newSqlEditor, {
      sql
    })) as Widget | undefined;
    if (widget && label) {
      widget.title.label = label;
      openedFrom.set(widget, label);
    }
    return widget;
  };

  app.commands.addCommand(CommandIDs.saveQuery, {
    label: trans.__('Save Query…'),
    caption: trans.__(
      'Save the SQL of the current Workbench editor as a .sql file in the workspace'
    ),
    icon: args => (args.isPalette ? undefined : saveIcon),
    isEnabled: () => !!watcher.lastEditor,
    execute: async args => {
      const editor = watcher.lastEditor;
      if (!editor) {
        return;
      }
      const sql = editor.content.text;
      const name =
        (args.name as string | undefined) ??
        (await askName(trans, {
          title: trans.__('Save Query'),
          label: trans.__('Name (letters, digits, spaces, - and _)'),
          value: openedFrom.get(editor) ?? '',
          accept: trans.__('Save')
        }));
      if (!name) {
        return;
      }
      try {
        await replaceOnConflict(name, overwrite =>
          saved.save(name, sql, overwrite)
        );
        editor.title.label = name;
        openedFrom.set(editor, name);
      } catch (error) {
        await showErrorMessage(
          trans.__('Could not save the query'),
          error as Error
        );
      }
    }
  });

  /** Try without overwriting; on a 409 `conflict`, ask, then overwrite if the user agrees. */
  const replaceOnConflict = async (
    name: string,
    attempt: (overwrite: boolean) => Promise<unknown>
  ) => {
    try {
      await attempt(false);
    } catch (error) {
      if (asApiError(error).code !== 'conflict') {
        throw error;
      }
      const replace = await confirm({
        title: trans.__('Replace %1?', name),
        body: trans.__('A saved query named "%1" exists. Replace it?', name),
        accept: trans.__('Replace'),
        cancel: trans.__('Cancel')
      });
      if (replace) {
        await attempt(true);
      }
    }
  };

  app.commands.addCommand(CommandIDs.openSavedQuery, {
    label: args =>
      args.name
        ? trans.__('Open Saved Query %1', args.name as string)
        : trans.__('Open'),
    execute: async args => {
      const name = nameArg(args);
      if (!name) {
        return;
      }
      try {
        const query = await saved.read(name);
        return openSql(query.sql, query.name);
      } catch (error) {
        await showErrorMessage(
          trans.__('Could not open %1', name),
          error as Error
        );
      }
    }
  });

  app.commands.addCommand(CommandIDs.renameSavedQuery, {
    label: trans.__('Rename…'),
    icon: editIcon,
    execute: async args => {
      const name = nameArg(args);
      if (!name) {
        return;
      }
      const newName = await askName(trans, {
        title: trans.__('Rename %1', name),
        label: trans.__('New name'),
        value: name,
        accept: trans.__('Rename')
      });
      if (!newName || newName === name) {
        return;
      }
      try {
        await replaceOnConflict(newName, overwrite =>
          saved.rename(name, newName, overwrite)
        );
      } catch (error) {
        await showErrorMessage(
          trans.__('Could not rename %1', name),
          error as Error
        );
      }
    }
  });

  app.commands.addCommand(CommandIDs.deleteSavedQuery, {
    label: trans.__('Delete'),
    icon: deleteIcon,
    execute: async args => {
      const name = nameArg(args);
      if (!name) {
        return;
      }
      const ok = await confirm({
        title: trans.__('Delete %1?', name),
        body: trans.__(
          'The file queries/%1.sql is deleted from the workspace.',
          name
        ),
        accept: trans.__('Delete'),
        cancel: trans.__('Cancel')
      });
      if (!ok) {
        return;
      }
      try {
        await saved.remove(name);
      } catch (error) {
        await showErrorMessage(
          trans.__('Could not delete %1', name),
          error as Error
        );
      }
    }
  });

  app.commands.addCommand(CommandIDs.openHistoryEntry, {
    label: trans.__('Open in a New SQL Editor'),
    execute: async args => {
      const id = entryArg(args);
      const known = history.entries.find(entry => entry.id === id);
      if (id === undefined || Number.isNaN(id)) {
        return;
      }
      if (known) {
        return openSql(known.sql);
      }
      try {
        return openSql((await options.catalog.client.getHistoryEntry(id)).sql);
      } catch (error) {
        await showErrorMessage(
          trans.__('Could not open the query'),
          error as Error
        );
      }
    }
  });

  app.commands.addCommand(CommandIDs.deleteHistoryEntry, {
    label: trans.__('Remove from History'),
    icon: deleteIcon,
    execute: async args => {
      const id = entryArg(args);
      if (id === undefined || Number.isNaN(id)) {
        return;
      }
      try {
        await history.remove(id);
      } catch (error) {
        await showErrorMessage(
          trans.__('Could not remove the entry'),
          error as Error
        );
      }
    }
  });

  app.commands.addCommand(CommandIDs.clearHistory, {
    label: trans.__('Clear Query History…'),
    caption: trans.__('Forget every query of the Workbench history'),
    icon: args => (args.isPalette ? undefined : deleteIcon),
    execute: async () => {
      const ok = await confirm({
        title: trans.__('Clear the query history?'),
        body: trans.__(
          'Every entry of the history is deleted, for every user of this workspace. Saved queries are kept.'
        ),
        accept: trans.__('Clear'),
        cancel: trans.__('Cancel')
      });
      if (!ok) {
        return;
      }
      try {
        await history.clear();
      } catch (error) {
        await showErrorMessage(
          trans.__('Could not clear the history'),
          error as Error
        );
      }
    }
  });

  app.commands.addCommand(CommandIDs.refreshHistory, {
    label: trans.__('Refresh Query History'),
    icon: args => (args.isPalette ? undefined : refreshIcon),
    execute: () => Promise.all([history.refresh(), saved.refresh()])
  });

  const owner = (name: string): NameOwner => {
    const key = name.toLowerCase();
    const tables = catalog.catalog?.tables ?? [];
    if (tables.some(table => table.name.toLowerCase() === key)) {
      return 'table';
    }
    const sources = catalog.catalog?.sources ?? [];
    return sources.some(source => source.name.toLowerCase() === key)
      ? 'source'
      : null;
  };

  const importFiles = async (files: ArrayLike<File>) => {
    for (const file of Array.from(files)) {
      const parts = splitFilename(file.name);
      if (!parts) {
        await showErrorMessage(
          trans.__('Cannot import %1', file.name),
          new WorkbenchApiError(
            trans.__(
              'The Workbench imports CSV (.csv, .tsv, .txt, .csv.gz), Parquet (.parquet, .pq), JSON (.json, .ndjson, .jsonl) and Excel (.xlsx, .xlsm) files. Save an .xls workbook as .xlsx first.'
            ),
            400,
            'bad_request'
          )
        );
        continue;
      }
      const choice = await askImport(trans, {
        filename: file.name,
        format: parts.format,
        name: defaultTableName(file.name),
        owner
      });
      if (!choice) {
        continue;
      }
      // Not awaited: several uploads may run at once, each with its progress bar.
      void imports.start(file, {
        filename: file.name,
        name: choice.name,
        overwrite: choice.overwrite,
        sheet: choice.sheet
      });
    }
  };

  const retrySkipping = async (job: IImportJob) => {
    await imports.start(job.file, { ...job.request, ignore_errors: true });
  };

  imports.imported.connect(() => void catalog.refresh());

  app.commands.addCommand(CommandIDs.importFile, {
    label: trans.__('Import File…'),
    caption: trans.__(
      'Upload a CSV, Parquet, JSON or Excel file as a workspace table (or drop it on the Workbench sidebar)'
    ),
    icon: args => (args.isPalette ? undefined : fileUploadIcon),
    execute: () =>
      new Promise<void>(resolve => {
        const input = document.createElement('input');
        input.type = 'file';
        input.multiple = true;
        input.accept = ACCEPT;
        input.onchange = () => {
          resolve(importFiles(input.files ?? []));
        };
        input.addEventListener('cancel', () => resolve());
        input.click();
      })
  });

  return { importFiles, retrySkipping };
}
