/** Ids of every Workbench command; features call each other through these, not imports. */
export const CommandIDs = {
  openSidebar: 'mlworkbench:open-sidebar',
  refreshCatalog: 'mlworkbench:refresh-catalog',
  removeSource: 'mlworkbench:remove-source',
  removeTable: 'mlworkbench:remove-table',
  newSqlEditor: 'mlworkbench:new-sql-editor',
  runQuery: 'mlworkbench:run-query',
  stopQuery: 'mlworkbench:stop-query',
  saveResult: 'mlworkbench:save-result',
  exportCsv: 'mlworkbench:export-csv',
  exportParquet: 'mlworkbench:export-parquet',
  openInWorkbench: 'mlworkbench:open-in-workbench'
} as const;

/** The palette category of every Workbench command. */
export const PALETTE_CATEGORY = 'Workbench';
