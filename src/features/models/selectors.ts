/**
 * Stable DOM hooks of the Models panel for UI tests (ui-tests/tests/models-page.ts uses this
 * table; keep it in sync).
 *
 * | key                | what it is                                                          |
 * |--------------------|---------------------------------------------------------------------|
 * | modelsSection      | the sidebar's "Models" section                                      |
 * | modelItem          | a model's row there; data-name, data-aliases ("production=2 ...")   |
 * | modelView          | a model's tab content; data-name, data-version (the version shown)  |
 * | versionRow         | a row of the versions table; data-version                           |
 * | aliasRow           | a row of the aliases table; data-alias, data-version                |
 * | promoteAlias       | the "Promote to…" alias picker                                      |
 * | promoteNewAlias    | the new alias's name (when "New alias…" is picked)                  |
 * | promoteVersion     | the version picker of the promotion                                 |
 * | promote            | the Promote button                                                  |
 * | rollback           | an alias row's "Roll back" button                                   |
 * | gateRefusal        | the refused move: failing checks and metric values                  |
 * | historyRow         | a row of the alias history; data-moved                              |
 * | card               | the rendered model card                                             |
 * | cardEdit           | "Edit card"; cardText the textarea, cardSave its Save               |
 * | signatureRow       | a signature column; data-column, data-type                          |
 * | tryInput           | a "Try it" input; data-column                                       |
 * | tryPredict         | the Predict button                                                  |
 * | prediction         | the prediction shown; data-value                                    |
 * | snippetCurl        | the curl snippet; snippetPython the Python one                      |
 * | error              | an error box (message and detail)                                   |
 * | editGates          | an alias row's "Gates…" button (shows its gates in the editor)      |
 * | gates              | the gates editor; data-alias, data-gates (saved checks, one a line) |
 * | gatesAlias         | its alias picker; gatesCheck a check's input (data-index)           |
 * | gatesAdd           | "Add check"; gatesRemove a check's remove, gatesSave "Save gates"   |
 * | gatesMetrics       | the shown version's metrics (the names a check can use)             |
 * | gatesError         | a refused save (the server's message and detail)                    |
 * | scoreQuery         | the version's "Score a query…" button                               |
 * | score*             | the scoring dialog: scoreTable, scoreSql, scoreModel, scoreInto,    |
 * |                    | scoreRun, scoreProgress, scoreCancel, scoreResult (data-rows,       |
 * |                    | data-table, data-version), scoreOpen, scoreError                    |
 * | exportVersion      | the version's "Export as MLflow model…" button                      |
 * | exportPath         | the export dialog's folder; exportOverwrite "Replace it" (on 409)   |
 * | exportError        | the export dialog's refusal (message and detail)                    |
 * | removeAlias        | an alias row's "Remove" button (asks first)                         |
 */
export const MODEL_SELECTORS = {
  modelsSection: '[data-testid="mlwb-models"]',
  modelItem: '.mlwb-Models-item',
  modelView: '.mlwb-ModelView',
  versionRow: '.mlwb-ModelView-versionRow',
  aliasRow: '.mlwb-ModelView-aliasRow',
  promoteAlias: '[data-testid="mlwb-model-promote-alias"]',
  promoteNewAlias: '[data-testid="mlwb-model-promote-new"]',
  promoteVersion: '[data-testid="mlwb-model-promote-version"]',
  promote: '[data-testid="mlwb-model-promote"]',
  rollback: '[data-testid="mlwb-model-rollback"]',
  gateRefusal: '[data-testid="mlwb-model-gate-refusal"]',
  historyRow: '.mlwb-ModelView-historyRow',
  card: '[data-testid="mlwb-model-card"]',
  cardEdit: '[data-testid="mlwb-model-card-edit"]',
  cardText: '[data-testid="mlwb-model-card-text"]',
  cardSave: '[data-testid="mlwb-model-card-save"]',
  signatureRow: '.mlwb-ModelView-signatureRow',
  tryInput: '.mlwb-ModelView-tryInput',
  tryPredict: '[data-testid="mlwb-model-predict"]',
  prediction: '[data-testid="mlwb-model-prediction"]',
  snippetCurl: '[data-testid="mlwb-model-snippet-curl"]',
  snippetPython: '[data-testid="mlwb-model-snippet-python"]',
  error: '.mlwb-Train-error',
  editGates: '[data-testid="mlwb-model-edit-gates"]',
  gates: '[data-testid="mlwb-gates"]',
  gatesToggle: '[data-testid="mlwb-gates-toggle"]',
  gatesAlias: '[data-testid="mlwb-gates-alias"]',
  gatesCheck: '[data-testid="mlwb-gates-check"]',
  gatesAdd: '[data-testid="mlwb-gates-add"]',
  gatesRemove: '[data-testid="mlwb-gates-remove"]',
  gatesSave: '[data-testid="mlwb-gates-save"]',
  gatesMetrics: '[data-testid="mlwb-gates-metrics"]',
  gatesError: '[data-testid="mlwb-gates-error"]',
  scoreQuery: '[data-testid="mlwb-model-score"]',
  scoreDialog: '.mlwb-ScoreQueryDialog',
  scoreSourceSql: '[data-testid="mlwb-score-source-sql"]',
  scoreTable: '[data-testid="mlwb-score-table"]',
  scoreSql: '[data-testid="mlwb-score-sql"]',
  scoreModel: '[data-testid="mlwb-score-model"]',
  scoreInto: '[data-testid="mlwb-score-into"]',
  scoreRun: '[data-testid="mlwb-score-run"]',
  scoreProgress: '[data-testid="mlwb-score-progress"]',
  scoreCancel: '[data-testid="mlwb-score-cancel"]',
  scoreResult: '[data-testid="mlwb-score-result"]',
  scoreOpen: '[data-testid="mlwb-score-open"]',
  scoreError: '[data-testid="mlwb-score-error"]',
  exportVersion: '[data-testid="mlwb-model-export"]',
  exportPath: '[data-testid="mlwb-export-path"]',
  exportOverwrite: '[data-testid="mlwb-export-overwrite"]',
  exportError: '[data-testid="mlwb-export-error"]',
  removeAlias: '[data-testid="mlwb-model-remove-alias"]'
} as const;
