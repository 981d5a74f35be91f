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
 * | profilePanel          | .mlwb-ProfilePanel                         | a Profile main-area widget                        |
 * | profileRefresh        | [data-testid="mlwb-profile-refresh"]       | its Refresh toolbar button                        |
 * | profileProgress       | [data-testid="mlwb-profile-progress"]      | spinner while the profile runs                    |
 * | profileSummary        | [data-testid="mlwb-profile-summary"]       | rows · columns · sampled N of M · time;           |
 * |                       |                                            | data-total-rows, data-sampled (true/false)        |
 * | profileFilter         | [data-testid="mlwb-profile-filter"]        | "Filter columns" search box                       |
 * | profileError          | [data-testid="mlwb-profile-error"]         | the profile's error (message + detail)            |
 * | profileCard           | .mlwb-ProfileCard                          | a column's card; data-column, data-kind           |
 * | profileNulls          | .mlwb-ProfileCard-nulls                    | a card's null share; data-null-share (0-1)        |
 * | profileChart          | .mlwb-ProfileCard-chart                    | a card's chart; data-state pending/rendered/none  |
 * | profileMore           | .mlwb-Profile-more                         | "N of M columns shown" (more load on scroll)      |
 * | profileResult         | [data-testid="mlwb-profile"]               | SQL editor "Profile" toolbar button (the result)  |
 * | costPreview           | [data-testid="mlwb-cost-preview"]          | SQL editor cost preview line; data-state          |
 * |                       |                                            | (none/ok/large), data-estimated-rows              |
 * | costLimit             | [data-testid="mlwb-cost-limit"]            | its "Add LIMIT" button (large estimates)          |
 * | costSample            | [data-testid="mlwb-cost-sample"]           | its "Sample" button (large estimates)             |
 * | savedQueries          | [data-testid="mlwb-saved-queries"]         | sidebar "Saved queries" section                   |
 * | savedQueryItem        | .mlwb-SavedQuery-item                      | a saved query row; data-name (its name)           |
 * | savedQueryRename      | [data-testid="mlwb-saved-rename"]          | rename button of a saved query row                |
 * | savedQueryDelete      | [data-testid="mlwb-saved-delete"]          | delete button of a saved query row                |
 * | saveQuery             | [data-testid="mlwb-save-query"]            | "save the current SQL editor as a query" button   |
 * | nameDialogName        | .mlwb-NameDialog-name                      | name input of the save/rename query dialogs       |
 * | history               | [data-testid="mlwb-history"]               | sidebar "History" section                         |
 * | historyItem           | .mlwb-History-item                         | a history row; data-id, data-status (ok/error/    |
 * |                       |                                            | cancelled)                                        |
 * | historyStatus         | .mlwb-History-status                       | a row's status icon (title: the error)            |
 * | historySql            | .mlwb-History-sql                          | a row's first line of SQL                         |
 * | historySearch         | [data-testid="mlwb-history-search"]        | history search box                                |
 * | historyClear          | [data-testid="mlwb-history-clear"]         | "clear the history" button                        |
 * | historyMore           | [data-testid="mlwb-history-more"]          | "Show more" button under the history              |
 * | importButton          | [data-testid="mlwb-import"]                | sidebar "Import file…" button                     |
 * | dropZone              | [data-testid="mlwb-drop-zone"]             | overlay shown while files are dragged over        |
 * | importJob             | .mlwb-Import-job                           | an upload; data-filename, data-state (uploading/  |
 * |                       |                                            | importing/done/error)                             |
 * | importProgress        | [data-testid="mlwb-import-progress"]       | an upload's progress bar                          |
 * | importError           | [data-testid="mlwb-import-error"]          | an import's error; data-line (the bad line)       |
 * | importRetry           | [data-testid="mlwb-import-retry"]          | "Import, skipping bad lines" button               |
 * | importDialogName      | .mlwb-ImportDialog-name                    | table name input of the import dialog             |
 * | importDialogSheet     | .mlwb-ImportDialog-sheet                   | Excel sheet input of the import dialog            |
 * | importDialogOverwrite | .mlwb-ImportDialog-overwrite               | "new version" checkbox of the import dialog       |
 * | joinBuilder           | .mlwb-JoinBuilder                          | a join builder main-area widget                   |
 * | joinTable             | [data-testid="mlwb-join-table"]            | a chosen table's picker; data-index (0: base)     |
 * | joinAddTable          | [data-testid="mlwb-join-add-table"]        | "Add a table" picker                              |
 * | joinKeys              | [data-testid="mlwb-join-keys"]             | the "Join keys" section                           |
 * | joinHow               | [data-testid="mlwb-join-how"]              | a joined table's join type (inner/left/...)       |
 * | joinSuggestion        | .mlwb-JoinBuilder-suggestion               | a key pair (best first); data-rank,               |
 * |                       |                                            | data-condition, data-cardinality, data-selected   |
 * | joinMatchRate         | [data-testid="mlwb-join-match-rate"]       | a key pair's match rate (bar and percent)         |
 * | joinColumns           | [data-testid="mlwb-join-columns"]          | the folded "Columns" section (a <details>)        |
 * | joinColumn            | .mlwb-JoinBuilder-column                   | an output column row; data-table, data-column     |
 * | joinSql               | [data-testid="mlwb-join-sql"]              | the join's SQL (read-only)                        |
 * | joinPreview           | [data-testid="mlwb-join-preview"]          | "Preview" button                                  |
 * | joinOpenSql           | [data-testid="mlwb-join-open-sql"]         | "Open in SQL editor" button                       |
 * | joinRowCount          | [data-testid="mlwb-join-row-count"]        | row count; data-exact-rows, data-estimated-rows   |
 * | joinPreviewTable      | [data-testid="mlwb-join-preview-table"]    | the preview's first rows                          |
 * | joinWarning           | [data-testid="mlwb-join-warning"]          | a warning (many-to-many rows multiply)            |
 * | joinError             | [data-testid="mlwb-join-error"]            | the server's error (422: keys need a CAST)        |
 * | transformForm         | .mlwb-TransformForm                        | the Transform dialog's form                       |
 * | transformTable        | [data-testid="mlwb-transform-table"]       | its table picker                                  |
 * | transformKind         | [data-testid="mlwb-transform-kind"]        | its kind (filter/derive/cast/drop_duplicates/     |
 * |                       |                                            | fill_nulls)                                       |
 * | transformColumns      | [data-testid="mlwb-transform-columns"]     | its column checkboxes (label[data-column])        |
 * | transformValue        | [data-testid="mlwb-transform-value"]       | its value input                                   |
 * | transformProblem      | [data-testid="mlwb-transform-problem"]     | why the last try gave no SQL                      |
 * | labelSets             | [data-testid="mlwb-label-sets"]            | sidebar "Label data" section                      |
 * | labelSetItem          | .mlwb-LabelSet-item                        | a label set row; data-name, data-labeled,         |
 * |                       |                                            | data-total                                        |
 * | labelSetOpen          | .mlwb-LabelSet-open                        | a row's button that opens the labeler             |
 * | labelSetDelete        | [data-testid="mlwb-label-set-delete"]      | a row's delete button                             |
 * | newLabelSet           | [data-testid="mlwb-new-label-set"]         | "New label set…" button of the section            |
 * | labelSetForm          | .mlwb-LabelSetForm                         | the "New label set" dialog's form                 |
 * | labelSetFormName      | .mlwb-LabelSetForm-name                    | its name input                                    |
 * | labelSetFormTable     | .mlwb-LabelSetForm-table                   | its table picker                                  |
 * | labelSetFormSql       | .mlwb-LabelSetForm-sql                     | its SELECT textarea                               |
 * | labelSetFormRead      | .mlwb-LabelSetForm-readColumns             | its "Read its columns" button                     |
 * | labelSetFormKey       | .mlwb-LabelSetForm-key                     | its key column picker                             |
 * | labelSetFormShow      | .mlwb-LabelSetForm-show                    | its column checkboxes (label[data-column])        |
 * | labelSetFormChoices   | .mlwb-LabelSetForm-choices                 | its label choices input                           |
 * | labelSetFormMulti     | .mlwb-LabelSetForm-multi                   | its multi-label checkbox                          |
 * | labelSetProblem       | [data-testid="mlwb-label-set-problem"]     | why the form was refused (ours or the server's)   |
 * | labeler               | .mlwb-Labeler                              | a labeler main-area widget (focus it for keys)    |
 * | labelerFilter         | [data-testid="mlwb-labeler-filter"]        | filter select (unlabeled/all/disagreements/       |
 * |                       |                                            | uncertain)                                        |
 * | labelerTrain          | [data-testid="mlwb-labeler-train"]         | "Train queue model" (shown for "uncertain")       |
 * | labelerProgress       | [data-testid="mlwb-labeler-progress"]      | progress bar; data-labeled, data-total,           |
 * |                       |                                            | data-skipped, data-pending (writes in flight)     |
 * | labelerItem           | [data-testid="mlwb-labeler-item"]          | the item shown; data-state (item/loading/done),   |
 * |                       |                                            | data-key, data-position, data-skipped,            |
 * |                       |                                            | data-disagreement                                 |
 * | labelerChoice         | .mlwb-Labeler-choice                       | a label button; data-label, aria-pressed          |
 * | labelerImage          | .mlwb-Labeler-image                        | an image column; data-column, data-missing        |
 * | labelerOthers         | [data-testid="mlwb-labeler-others"]        | who labeled what (li[data-annotator])             |
 * | labelerNotice         | [data-testid="mlwb-labeler-notice"]        | a hint or the server's message; data-code         |
 * | labelerError          | [data-testid="mlwb-labeler-error"]         | a failed save/skip/undo/load; data-action         |
 * | labelerSkip           | [data-testid="mlwb-labeler-skip"]          | Skip button                                       |
 * | labelerUndo           | [data-testid="mlwb-labeler-undo"]          | Undo button                                       |
 * | labelerNext           | [data-testid="mlwb-labeler-next"]          | Next button                                       |
 * | labelerPrevious       | [data-testid="mlwb-labeler-previous"]      | Previous button                                   |
 * | labelerHelp           | [data-testid="mlwb-labeler-help"]          | the key help                                      |
 * | studio                | [data-testid="mlwb-studio"]                | sidebar "Label Studio" section                    |
 * | studioItem            | .mlwb-Studio-item                          | a label set row; data-name, data-state            |
 * |                       |                                            | (not_connected/not_configured/loading/ok/         |
 * |                       |                                            | unreachable/key_refused/project_missing),         |
 * |                       |                                            | data-busy                                         |
 * | studioProject         | [data-testid="mlwb-studio-project"]        | a row's link to its Label Studio project          |
 * | studioCounts          | [data-testid="mlwb-studio-counts"]         | a row's counts; data-tasks, data-pushed,          |
 * |                       |                                            | data-annotated, data-pulled, data-unknown-labels, |
 * |                       |                                            | data-deleted-upstream, data-last-pull             |
 * | studioFlagged         | [data-testid="mlwb-studio-flagged"]        | flagged labels (unknown, deleted upstream)        |
 * | studioConnect         | [data-testid="mlwb-studio-connect"]        | a row's Connect button                            |
 * | studioPush            | [data-testid="mlwb-studio-push"]           | a row's Push button                               |
 * | studioPull            | [data-testid="mlwb-studio-pull"]           | a row's Pull button                               |
 * | studioProgress        | [data-testid="mlwb-studio-progress"]       | a running push/pull; data-action, data-done,      |
 * |                       |                                            | data-total                                        |
 * | studioCancel          | [data-testid="mlwb-studio-cancel"]         | its Cancel button                                 |
 * | studioOutcome         | [data-testid="mlwb-studio-outcome"]        | what the last push/pull/connect did               |
 * | studioError           | [data-testid="mlwb-studio-error"]          | the server's error (message + detail); data-code, |
 * |                       |                                            | data-action                                       |
 * | studioConfigHelp      | [data-testid="mlwb-studio-config-help"]    | how to configure the Label Studio URL and key     |
 * | studioWarning         | [data-testid="mlwb-studio-warning"]        | link state message (unreachable, key refused...)  |
 * | studioHint            | [data-testid="mlwb-studio-hint"]           | what Connect and Push do (once, on the section)   |
 * | studioRefresh         | [data-testid="mlwb-studio-refresh"]        | the section's Refresh button                      |
 * | trainingPanel         | .mlwb-TrainingPanel                        | a training main-area widget (form, run, result)   |
 * | trainForm             | .mlwb-TrainForm                            | the "Train a model" form                          |
 * | trainSource           | [data-testid="mlwb-train-source"]          | its Table / SQL query radio buttons               |
 * | trainTable            | [data-testid="mlwb-train-table"]           | its table picker                                  |
 * | trainSql              | [data-testid="mlwb-train-sql"]             | its SELECT textarea                               |
 * | trainRead             | [data-testid="mlwb-train-read"]            | its "Read columns" button                         |
 * | trainRows             | [data-testid="mlwb-train-rows"]            | columns and rows the preview read                 |
 * | trainTarget           | [data-testid="mlwb-train-target"]          | its target column picker                          |
 * | trainTask             | [data-testid="mlwb-train-task"]            | its task picker ("": inferred)                    |
 * | trainMetric           | [data-testid="mlwb-train-metric"]          | its metric picker                                 |
 * | trainSlice            | [data-testid="mlwb-train-slice"]           | its "metrics per value of" column picker          |
 * | trainFeatures         | [data-testid="mlwb-train-features"]        | its feature checklist                             |
 * | trainFeature          | .mlwb-TrainForm-feature                    | a feature row; data-column, data-flags,           |
 * |                       |                                            | data-checked                                      |
 * | trainFlag             | .mlwb-TrainForm-flag                       | a column's flag (text: reason); data-code         |
 * | trainBudget           | [data-testid="mlwb-train-budget"]          | its budget picker (seconds, or custom)            |
 * | trainBudgetCustom     | [data-testid="mlwb-train-budget-custom"]   | its custom budget input (seconds)                 |
 * | trainSubmit           | [data-testid="mlwb-train-submit"]          | its Train button                                  |
 * | trainProblem          | [data-testid="mlwb-train-problem"]         | why Train is disabled                             |
 * | trainError            | [data-testid="mlwb-train-error"]           | the server's refusal of Train; data-code          |
 * | trainPreviewError     | [data-testid="mlwb-train-preview-error"]   | a failed preview (message + detail)               |
 * | trainPreviewProblem   | [data-testid="mlwb-train-preview-problem"] | why the server would refuse this target           |
 * | trainingRun           | .mlwb-TrainingRun                          | a run's view; data-status (running/finished/      |
 * |                       |                                            | stopped/failed), data-run-id                      |
 * | trainProgress         | [data-testid="mlwb-train-progress"]        | a running run's progress bar; data-phase,         |
 * |                       |                                            | data-trials, aria-valuenow (elapsed s)            |
 * | trainTrials           | [data-testid="mlwb-train-trials"]          | trials done                                       |
 * | trainBest             | [data-testid="mlwb-train-best"]            | best score so far                                 |
 * | trainStop             | [data-testid="mlwb-train-stop"]            | Stop button of a running run                      |
 * | trainMessage          | [data-testid="mlwb-train-message"]         | what the search says; data-stopped-by,            |
 * |                       |                                            | data-baseline-only                                |
 * | trainFailure          | [data-testid="mlwb-train-failure"]         | why a run failed (message + detail)               |
 * | trainMetrics          | [data-testid="mlwb-train-metrics"]         | held-out metrics (tr[data-metric])                |
 * | trainLeaderboard      | [data-testid="mlwb-train-leaderboard"]     | leaderboard table; data-rows                      |
 * | trainCharts           | [data-testid="mlwb-train-charts"]          | the result's charts                               |
 * | trainChart            | .mlwb-TrainChart                           | one chart; data-chart (name), data-state          |
 * |                       |                                            | (pending/rendered/none)                           |
 * | trainFeatureReport    | [data-testid="mlwb-train-feature-report"]  | the result's feature report                       |
 * | trainLineage          | [data-testid="mlwb-train-lineage"]         | the run's lineage (SQL, inputs, versions)         |
 * | trainAgain            | [data-testid="mlwb-train-again"]           | "Train again…" on an ended run                    |
 * | trainPublish          | [data-testid="mlwb-train-publish"]         | "Publish…" on a run with a model                  |
 * | experiments           | [data-testid="mlwb-experiments"]           | sidebar "Experiments" section                     |
 * | trainNew              | [data-testid="mlwb-train-new"]             | its "Train a model…" (+) button                   |
 * | experimentItem        | .mlwb-Experiment-item                      | a run row; data-run-id, data-status,              |
 * |                       |                                            | data-target                                       |
 * | experimentOpen        | .mlwb-Experiment-open                      | a run row's button that reopens it                |
 * | experimentSelect      | .mlwb-Experiment-select                    | a run row's compare checkbox                      |
 * | experimentDelete      | [data-testid="mlwb-experiment-delete"]     | a run row's delete button                         |
 * | experimentsCompare    | [data-testid="mlwb-experiments-compare"]   | Compare button (two runs ticked)                  |
 * | trainCompare          | .mlwb-TrainCompare                         | a comparison main-area view                       |
 * | trainCompareRow       | .mlwb-TrainCompare-row                     | a compared row; data-section, data-name,          |
 * |                       |                                            | data-differs                                      |
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
  cellResultRetry: '[data-testid="mlwb-cell-result-retry"]',
  profilePanel: '.mlwb-ProfilePanel',
  profileRefresh: '[data-testid="mlwb-profile-refresh"]',
  profileProgress: '[data-testid="mlwb-profile-progress"]',
  profileSummary: '[data-testid="mlwb-profile-summary"]',
  profileFilter: '[data-testid="mlwb-profile-filter"]',
  profileError: '[data-testid="mlwb-profile-error"]',
  profileCard: '.mlwb-ProfileCard',
  profileNulls: '.mlwb-ProfileCard-nulls',
  profileChart: '.mlwb-ProfileCard-chart',
  profileMore: '.mlwb-Profile-more',
  profileResult: '[data-testid="mlwb-profile"]',
  costPreview: '[data-testid="mlwb-cost-preview"]',
  costLimit: '[data-testid="mlwb-cost-limit"]',
  costSample: '[data-testid="mlwb-cost-sample"]',
  savedQueries: '[data-testid="mlwb-saved-queries"]',
  savedQueryItem: '.mlwb-SavedQuery-item',
  savedQueryRename: '[data-testid="mlwb-saved-rename"]',
  savedQueryDelete: '[data-testid="mlwb-saved-delete"]',
  saveQuery: '[data-testid="mlwb-save-query"]',
  nameDialogName: '.mlwb-NameDialog-name',
  history: '[data-testid="mlwb-history"]',
  historyItem: '.mlwb-History-item',
  historyStatus: '.mlwb-History-status',
  historySql: '.mlwb-History-sql',
  historySearch: '[data-testid="mlwb-history-search"]',
  historyClear: '[data-testid="mlwb-history-clear"]',
  historyMore: '[data-testid="mlwb-history-more"]',
  importButton: '[data-testid="mlwb-import"]',
  dropZone: '[data-testid="mlwb-drop-zone"]',
  importJob: '.mlwb-Import-job',
  importProgress: '[data-testid="mlwb-import-progress"]',
  importError: '[data-testid="mlwb-import-error"]',
  importRetry: '[data-testid="mlwb-import-retry"]',
  importDialogName: '.mlwb-ImportDialog-name',
  importDialogSheet: '.mlwb-ImportDialog-sheet',
  importDialogOverwrite: '.mlwb-ImportDialog-overwrite',
  joinBuilder: '.mlwb-JoinBuilder',
  joinTable: '[data-testid="mlwb-join-table"]',
  joinAddTable: '[data-testid="mlwb-join-add-table"]',
  joinKeys: '[data-testid="mlwb-join-keys"]',
  joinHow: '[data-testid="mlwb-join-how"]',
  joinSuggestion: '.mlwb-JoinBuilder-suggestion',
  joinMatchRate: '[data-testid="mlwb-join-match-rate"]',
  joinColumns: '[data-testid="mlwb-join-columns"]',
  joinColumn: '.mlwb-JoinBuilder-column',
  joinSql: '[data-testid="mlwb-join-sql"]',
  joinPreview: '[data-testid="mlwb-join-preview"]',
  joinOpenSql: '[data-testid="mlwb-join-open-sql"]',
  joinRowCount: '[data-testid="mlwb-join-row-count"]',
  joinPreviewTable: '[data-testid="mlwb-join-preview-table"]',
  joinWarning: '[data-testid="mlwb-join-warning"]',
  joinError: '[data-testid="mlwb-join-error"]',
  transformForm: '.mlwb-TransformForm',
  transformTable: '[data-testid="mlwb-transform-table"]',
  transformKind: '[data-testid="mlwb-transform-kind"]',
  transformColumns: '[data-testid="mlwb-transform-columns"]',
  transformValue: '[data-testid="mlwb-transform-value"]',
  transformProblem: '[data-testid="mlwb-transform-problem"]',
  labelSets: '[data-testid="mlwb-label-sets"]',
  labelSetItem: '.mlwb-LabelSet-item',
  labelSetOpen: '.mlwb-LabelSet-open',
  labelSetDelete: '[data-testid="mlwb-label-set-delete"]',
  newLabelSet: '[data-testid="mlwb-new-label-set"]',
  labelSetForm: '.mlwb-LabelSetForm',
  labelSetFormName: '.mlwb-LabelSetForm-name',
  labelSetFormTable: '.mlwb-LabelSetForm-table',
  labelSetFormSql: '.mlwb-LabelSetForm-sql',
  labelSetFormRead: '.mlwb-LabelSetForm-readColumns',
  labelSetFormKey: '.mlwb-LabelSetForm-key',
  labelSetFormShow: '.mlwb-LabelSetForm-show',
  labelSetFormChoices: '.mlwb-LabelSetForm-choices',
  labelSetFormMulti: '.mlwb-LabelSetForm-multi',
  labelSetProblem: '[data-testid="mlwb-label-set-problem"]',
  labeler: '.mlwb-Labeler',
  labelerFilter: '[data-testid="mlwb-labeler-filter"]',
  labelerTrain: '[data-testid="mlwb-labeler-train"]',
  labelerProgress: '[data-testid="mlwb-labeler-progress"]',
  labelerItem: '[data-testid="mlwb-labeler-item"]',
  labelerChoice: '.mlwb-Labeler-choice',
  labelerImage: '.mlwb-Labeler-image',
  labelerOthers: '[data-testid="mlwb-labeler-others"]',
  labelerNotice: '[data-testid="mlwb-labeler-notice"]',
  labelerError: '[data-testid="mlwb-labeler-error"]',
  labelerSkip: '[data-testid="mlwb-labeler-skip"]',
  labelerUndo: '[data-testid="mlwb-labeler-undo"]',
  labelerNext: '[data-testid="mlwb-labeler-next"]',
  labelerPrevious: '[data-testid="mlwb-labeler-previous"]',
  labelerHelp: '[data-testid="mlwb-labeler-help"]',
  studio: '[data-testid="mlwb-studio"]',
  studioItem: '.mlwb-Studio-item',
  studioProject: '[data-testid="mlwb-studio-project"]',
  studioCounts: '[data-testid="mlwb-studio-counts"]',
  studioFlagged: '[data-testid="mlwb-studio-flagged"]',
  studioConnect: '[data-testid="mlwb-studio-connect"]',
  studioPush: '[data-testid="mlwb-studio-push"]',
  studioPull: '[data-testid="mlwb-studio-pull"]',
  studioProgress: '[data-testid="mlwb-studio-progress"]',
  studioCancel: '[data-testid="mlwb-studio-cancel"]',
  studioOutcome: '[data-testid="mlwb-studio-outcome"]',
  studioError: '[data-testid="mlwb-studio-error"]',
  studioConfigHelp: '[data-testid="mlwb-studio-config-help"]',
  studioWarning: '[data-testid="mlwb-studio-warning"]',
  studioHint: '[data-testid="mlwb-studio-hint"]',
  studioRefresh: '[data-testid="mlwb-studio-refresh"]',
  trainingPanel: '.mlwb-TrainingPanel',
  trainForm: '.mlwb-TrainForm',
  trainSource: '[data-testid="mlwb-train-source"]',
  trainTable: '[data-testid="mlwb-train-table"]',
  trainSql: '[data-testid="mlwb-train-sql"]',
  trainRead: '[data-testid="mlwb-train-read"]',
  trainRows: '[data-testid="mlwb-train-rows"]',
  trainTarget: '[data-testid="mlwb-train-target"]',
  trainTask: '[data-testid="mlwb-train-task"]',
  trainMetric: '[data-testid="mlwb-train-metric"]',
  trainSlice: '[data-testid="mlwb-train-slice"]',
  trainFeatures: '[data-testid="mlwb-train-features"]',
  trainFeature: '.mlwb-TrainForm-feature',
  trainFlag: '.mlwb-TrainForm-flag',
  trainBudget: '[data-testid="mlwb-train-budget"]',
  trainBudgetCustom: '[data-testid="mlwb-train-budget-custom"]',
  trainSubmit: '[data-testid="mlwb-train-submit"]',
  trainProblem: '[data-testid="mlwb-train-problem"]',
  trainError: '[data-testid="mlwb-train-error"]',
  trainPreviewError: '[data-testid="mlwb-train-preview-error"]',
  trainPreviewProblem: '[data-testid="mlwb-train-preview-problem"]',
  trainingRun: '.mlwb-TrainingRun',
  trainProgress: '[data-testid="mlwb-train-progress"]',
  trainTrials: '[data-testid="mlwb-train-trials"]',
  trainBest: '[data-testid="mlwb-train-best"]',
  trainStop: '[data-testid="mlwb-train-stop"]',
  trainMessage: '[data-testid="mlwb-train-message"]',
  trainFailure: '[data-testid="mlwb-train-failure"]',
  trainMetrics: '[data-testid="mlwb-train-metrics"]',
  trainLeaderboard: '[data-testid="mlwb-train-leaderboard"]',
  trainCharts: '[data-testid="mlwb-train-charts"]',
  trainChart: '.mlwb-TrainChart',
  trainFeatureReport: '[data-testid="mlwb-train-feature-report"]',
  trainLineage: '[data-testid="mlwb-train-lineage"]',
  trainAgain: '[data-testid="mlwb-train-again"]',
  trainPublish: '[data-testid="mlwb-train-publish"]',
  experiments: '[data-testid="mlwb-experiments"]',
  trainNew: '[data-testid="mlwb-train-new"]',
  experimentItem: '.mlwb-Experiment-item',
  experimentOpen: '.mlwb-Experiment-open',
  experimentSelect: '.mlwb-Experiment-select',
  experimentDelete: '[data-testid="mlwb-experiment-delete"]',
  experimentsCompare: '[data-testid="mlwb-experiments-compare"]',
  trainCompare: '.mlwb-TrainCompare',
  trainCompareRow: '.mlwb-TrainCompare-row'
} as const;

/** The selector of the catalog row for a name (a table's SQL name or a column name). */
export function catalogItemSelector(name: string): string {
  return `${SELECTORS.catalogItem}[data-name=${JSON.stringify(name)}]`;
}
