/**
 * Stable DOM hooks for UI tests (Galata's page object uses this table; keep it in sync).
 *
 * | key                   | selector                                   | what it is                                        |
 * |-----------------------|--------------------------------------------|---------------------------------------------------|
 * | sidebar               | [data-testid="mlwb-sidebar"]               | root of the Workbench sidebar panel               |
 * | sidebarTab            | [data-id="mlworkbench-sidebar"]            | its tab in the left side bar                      |
 * | catalogRefresh        | [data-testid="mlwb-catalog-refresh"]       | sidebar Refresh button                            |
 * | catalogNewEditor      | [data-testid="mlwb-catalog-new-editor"]    | sidebar "New SQL editor" button                   |
 * | catalogItem           | .mlwb-CatalogTree-item                     | a tree row; data-name (SQL or column name),       |
 * |                       |                                            | data-kind (group/source/table/column)             |
 * | catalogItemLabel      | .mlwb-CatalogTree-label                    | clickable label of a row (opens a table)          |
 * | catalogToggle         | .mlwb-CatalogTree-toggle                   | expand/collapse caret of a row                    |
 * | catalogRemove         | [data-testid="mlwb-catalog-remove"]        | remove button of a source or table row            |
 * | catalogRowCount       | .mlwb-CatalogTree-rowCount                 | row count shown on a table row                    |
 * | catalogError          | [data-testid="mlwb-catalog-error"]         | error message in the sidebar                      |
 * | extensionMissing      | [data-testid="mlwb-extension-missing"]     | "server extension missing" notice with the fix    |
 * | sqlEditorPanel        | .mlwb-SqlEditorPanel                       | a SQL editor main-area widget (+.mlwb-mod-running) |
 * | sqlEditorInput        | .mlwb-SqlEditor .cm-content                | the editable CodeMirror content                   |
 * | run                   | [data-testid="mlwb-run"]                   | Run toolbar button                                |
 * | stop                  | [data-testid="mlwb-stop"]                  | Stop toolbar button                               |
 * | saveAsTable           | [data-testid="mlwb-save"]                  | Save as table toolbar button                      |
 * | exportCsv             | [data-testid="mlwb-export-csv"]            | Export CSV toolbar button                         |
 * | exportParquet         | [data-testid="mlwb-export-parquet"]        | Export Parquet toolbar button                     |
 * | status                | [data-testid="mlwb-status"]                | status line; data-state (idle/running/counting/   |
 * |                       |                                            | ready/error), data-total-rows (when known)        |
 * | progress              | [data-testid="mlwb-progress"]              | progress bar of a running query (in the status)   |
 * | errorBox              | [data-testid="mlwb-error"]                 | error box (message + detail)                      |
 * | errorLine             | .mlwb-SqlEditor-errorLine                  | the editor line marked as the failing one         |
 * | errorColumn           | .mlwb-SqlEditor-errorColumn                | the character marked at the failing column        |
 * | grid                  | [data-testid="mlwb-results-grid"]          | the results DataGrid                              |
 * | saveDialogName        | .mlwb-SaveDialog-name                      | table name input in the Save as table dialog      |
 * | saveDialogOverwrite   | .mlwb-SaveDialog-overwrite                 | overwrite checkbox in the Save as table dialog    |
 * | cellResult            | [data-testid="mlwb-cell-result"]           | a %%sql cell's result output (grid inside)        |
 * | cellResultStatus      | [data-testid="mlwb-cell-result-status"]    | its status line; data-state (counting/ready),     |
 * |                       |                                            | data-total-rows (when known)                      |
 * | cellResultNotice      | [data-testid="mlwb-cell-result-notice"]    | notice when paging failed (no kernel, gone...);   |
 * |                       |                                            | data-code (no_kernel/not_loaded/not_found/...)    |
 * | cellResultRetry       | [data-testid="mlwb-cell-result-retry"]     | Retry button in the notice (timeouts, errors)     |
 */
export const SELECTORS = {
  sidebar: '[data-testid="mlwb-sidebar"]',
  sidebarTab: '[data-id="mlworkbench-sidebar"]',
  catalogRefresh: '[data-testid="mlwb-catalog-refresh"]',
  catalogNewEditor: '[data-testid="mlwb-catalog-new-editor"]',
  catalogItem: '.mlwb-CatalogTree-item',
  catalogItemLabel: '.mlwb-CatalogTree-label',
  catalogToggle: '.mlwb-CatalogTree-toggle',
  catalogRemove: '[data-testid="mlwb-catalog-remove"]',
  catalogRowCount: '.mlwb-CatalogTree-rowCount',
  catalogError: '[data-testid="mlwb-catalog-error"]',
  extensionMissing: '[data-testid="mlwb-extension-missing"]',
  sqlEditorPanel: '.mlwb-SqlEditorPanel',
  sqlEditorInput: '.mlwb-SqlEditor .cm-content',
  run: '[data-testid="mlwb-run"]',
  stop: '[data-testid="mlwb-stop"]',
  saveAsTable: '[data-testid="mlwb-save"]',
  exportCsv: '[data-testid="mlwb-export-csv"]',
  exportParquet: '[data-testid="mlwb-export-parquet"]',
  status: '[data-testid="mlwb-status"]',
  progress: '[data-testid="mlwb-progress"]',
  errorBox: '[data-testid="mlwb-error"]',
  errorLine: '.mlwb-SqlEditor-errorLine',
  errorColumn: '.mlwb-SqlEditor-errorColumn',
  grid: '[data-testid="mlwb-results-grid"]',
  saveDialogName: '.mlwb-SaveDialog-name',
  saveDialogOverwrite: '.mlwb-SaveDialog-overwrite',
  cellResult: '[data-testid="mlwb-cell-result"]',
  cellResultStatus: '[data-testid="mlwb-cell-result-status"]',
  cellResultNotice: '[data-testid="mlwb-cell-result-notice"]',
  cellResultRetry: '[data-testid="mlwb-cell-result-retry"]'
} as const;

/** The selector of the catalog row for a name (a table's SQL name or a column name). */
export function catalogItemSelector(name: string): string {
  return `${SELECTORS.catalogItem}[data-name=${JSON.stringify(name)}]`;
}
