/** Services one Workbench plugin provides to the others. */
import { Token } from '@lumino/coreutils';

import type { CatalogModel } from './catalog/model';
import type { SidebarSections } from './catalog/sections';
import type { GridStyle } from './results/style';

/** The catalog shared by the sidebar, the SQL editors and the file browser menu. */
export const ICatalogModel = new Token<CatalogModel>(
  'mlworkbench:ICatalogModel',
  'The Workbench catalog (sources, tables) and its API client.'
);

/** Results grid colours read from JupyterLab's CSS variables; follows the theme. */
export const IGridStyle = new Token<GridStyle>(
  'mlworkbench:IGridStyle',
  'Colours of the Workbench results grid, following the JupyterLab theme.'
);

/** Sections other features add to the Workbench sidebar (e.g. "Label data"). */
export const IWorkbenchSidebarSections = new Token<SidebarSections>(
  'mlworkbench:IWorkbenchSidebarSections',
  'Sections of the Workbench sidebar under the catalog, added by other features.'
);
