/**
 * Join builder and transform commands: "New Join…" (palette), "Join with…" and "Transform…"
 * (palette and the catalog's table and source rows).
 */
import { JupyterFrontEnd } from '@jupyterlab/application';
import { MainAreaWidget, showErrorMessage } from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';

import { CatalogModel } from '../catalog/model';
import { CommandIDs } from '../commandIds';
import { JoinBuilderView } from './JoinBuilderPanel';
import { catalogTables, tableOfCatalogRow } from './plan';
import { askTransformSql } from './TransformDialog';

/** The catalog rows the context-menu items are on (Lumino takes one selector per item). */
export const CATALOG_ROW_SELECTORS = [
  '.mlwb-CatalogTree-item[data-kind="table"]',
  '.mlwb-CatalogTree-item[data-kind="source"]'
];

/** The table of the catalog row the context menu was opened on, if any. */
export function contextMenuTable(
  app: JupyterFrontEnd,
  catalog: CatalogModel
): string | null {
  const node = app.contextMenuHitTest(
    node =>
      node.classList.contains('mlwb-CatalogTree-item') &&
      (node.dataset.kind === 'table' || node.dataset.kind === 'source')
  );
  return node
    ? tableOfCatalogRow(catalog.catalog, node.dataset.kind, node.dataset.name)
    : null;
}

export interface IJoinBuilderCommandOptions {
  app: JupyterFrontEnd;
  catalog: CatalogModel;
  trans: TranslationBundle;
  /** Opens a join builder on these tables. */
  create: (tables: string[]) => MainAreaWidget<JoinBuilderView>;
}

export function addJoinBuilderCommands(
  options: IJoinBuilderCommandOptions
): void {
  const { app, catalog, trans } = options;

  const rowTable = () => contextMenuTable(app, catalog);
  const tableArg = (args: { [key: string]: unknown }): string | null =>
    typeof args.table === 'string' && args.table ? args.table : null;

  app.commands.addCommand(CommandIDs.newJoin, {
    label: trans.__('New Join…'),
    caption: trans.__(
      'Join two or more tables with suggested keys, preview it and get its SQL'
    ),
    execute: args => {
      const tables = Array.isArray(args.tables)
        ? (args.tables as unknown[]).filter(
            (t): t is string => typeof t === 'string'
          )
        : [];
      return options.create(tables);
    }
  });

  app.commands.addCommand(CommandIDs.joinWith, {
    label: trans.__('Join with…'),
    caption: trans.__('Open the join builder on this table'),
    execute: args => {
      const table = tableArg(args) ?? rowTable();
      return options.create(table ? [table] : []);
    }
  });

  app.commands.addCommand(CommandIDs.transformTable, {
    label: args =>
      args.isPalette ? trans.__('Transform a Table…') : trans.__('Transform…'),
    caption: trans.__(
      'Filter, derive a column, cast, drop duplicates or fill nulls: as SQL in an editor'
    ),
    execute: async args => {
      const table = tableArg(args) ?? rowTable();
      if (!catalog.catalog) {
        await catalog.refresh();
      }
      try {
        const sql = await askTransformSql({
          client: catalog.client,
          tables: catalogTables(catalog.catalog),
          table,
          trans
        });
        if (sql) {
          await app.commands.execute(CommandIDs.newSqlEditor, { sql });
        }
      } catch (error) {
        await showErrorMessage(trans.__('Transform'), error as Error);
      }
    }
  });

  for (const selector of CATALOG_ROW_SELECTORS) {
    app.contextMenu.addItem({
      command: CommandIDs.joinWith,
      selector,
      rank: 20
    });
    app.contextMenu.addItem({
      command: CommandIDs.transformTable,
      selector,
      rank: 21
    });
  }
}
