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
  error: '.mlwb-Train-error'
} as const;
