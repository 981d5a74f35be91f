/** Profile commands: profile a table or source (catalog menu, palette) and a result session. */
import { JupyterFrontEnd } from '@jupyterlab/application';
import { InputDialog } from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';

import type { DescribeCatalog } from '../../api/client';
import { CatalogModel } from '../catalog/model';
import { CommandIDs } from '../commandIds';
import { catalogTables } from '../join-builder/plan';
import { ProfileTarget } from './model';
import { ProfileWidget } from './ProfileWidget';

/** The catalog rows that offer "Profile" in their context menu. */
export const PROFILE_MENU_SELECTORS = [
  '.mlwb-CatalogTree-item[data-kind="table"]',
  '.mlwb-CatalogTree-item[data-kind="source"]'
];

export interface IProfileCommandOptions {
  app: JupyterFrontEnd;
  catalog: CatalogModel;
  trans: TranslationBundle;
  /** Opens a profile widget for the target and starts it. */
  open: (target: ProfileTarget) => ProfileWidget;
}

/** Every table name of the catalog (sources' tables first), for the "Profile table…" list. */
export function tableNames(catalog: DescribeCatalog | null): string[] {
  return catalogTables(catalog).map(t => t.name);
}

/**
 * The table to profile for a catalog row: a table row is itself; a source row is its only
 * table, or null when it holds several (the user then picks one).
 */
export function tableOfRow(
  catalog: DescribeCatalog | null,
  kind: string,
  name: string
): string | null {
  if (kind !== 'source') {
    return name;
  }
  const source = (catalog?.sources ?? []).find(s => s.name === name);
  const tables = source?.tables ?? [];
  if (tables.length === 1) {
    return tables[0].name;
  }
  return source ? null : name;
}

export function addProfileCommands(options: IProfileCommandOptions): void {
  const { app, catalog, trans } = options;

  /** The catalog row the context menu was opened on, if that is how the command runs. */
  const menuRow = (): { kind: string; name: string } | null => {
    const node = app.contextMenuHitTest(
      n => n.classList?.contains('mlwb-CatalogTree-item') ?? false
    );
    if (!node?.dataset.name) {
      return null;
    }
    return { kind: node.dataset.kind ?? 'table', name: node.dataset.name };
  };

  const askTable = async (choices: string[]): Promise<string | null> => {
    const result = choices.length
      ? await InputDialog.getItem({
          title: trans.__('Profile Table'),
          label: trans.__('Table'),
          items: choices,
          editable: true,
          okLabel: trans.__('Profile')
        })
      : await InputDialog.getText({
          title: trans.__('Profile Table'),
          label: trans.__('Table name'),
          okLabel: trans.__('Profile')
        });
    return result.button.accept && result.value ? result.value : null;
  };

  app.commands.addCommand(CommandIDs.profileTable, {
    label: args =>
      args.name || args.fromMenu
        ? trans.__('Profile')
        : trans.__('Profile Table…'),
    caption: trans.__(
      'Per column: type, nulls, distinct values, min/max/mean, top values and a chart'
    ),
    execute: async args => {
      let name = (args.name as string | undefined) ?? null;
      if (!name) {
        // The hit test remembers the last context menu: ask it only when run from a menu.
        const row = args.fromMenu ? menuRow() : null;
        if (row) {
          name = tableOfRow(catalog.catalog, row.kind, row.name);
          if (!name) {
            const source = (catalog.catalog?.sources ?? []).find(
              s => s.name === row.name
            );
            name = await askTable((source?.tables ?? []).map(t => t.name));
          }
        } else {
          if (!catalog.catalog) {
            await catalog.refresh();
          }
          name = await askTable(tableNames(catalog.catalog));
        }
      }
      return name ? options.open({ kind: 'table', name }) : undefined;
    }
  });

  app.commands.addCommand(CommandIDs.profileSession, {
    label: trans.__('Profile Result'),
    caption: trans.__('Profile the columns of a query result'),
    execute: args => {
      const sessionId = args.sessionId as string | undefined;
      if (!sessionId) {
        return;
      }
      const label = (args.label as string | undefined) || trans.__('result');
      return options.open({ kind: 'result', sessionId, label });
    }
  });
}
