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
  openInWorkbench: 'mlworkbench:open-in-workbench',
  profileTable: 'mlworkbench:profile-table',
  profileSession: 'mlworkbench:profile-session',
  profileResult: 'mlworkbench:profile-result',
  // Query history, saved queries, file imports (src/features/history).
  saveQuery: 'mlworkbench:save-query',
  openSavedQuery: 'mlworkbench:open-saved-query',
  renameSavedQuery: 'mlworkbench:rename-saved-query',
  deleteSavedQuery: 'mlworkbench:delete-saved-query',
  openHistoryEntry: 'mlworkbench:open-history-entry',
  deleteHistoryEntry: 'mlworkbench:delete-history-entry',
  clearHistory: 'mlworkbench:clear-history',
  refreshHistory: 'mlworkbench:refresh-history',
  importFile: 'mlworkbench:import-file',
  // Join builder and transforms (src/features/join-builder).
  newJoin: 'mlworkbench:new-join',
  joinWith: 'mlworkbench:join-with',
  transformTable: 'mlworkbench:transform-table',
  // Label sets and the built-in labeler (src/features/labeling).
  newLabelSet: 'mlworkbench:new-label-set',
  openLabeler: 'mlworkbench:open-labeler',
  deleteLabelSet: 'mlworkbench:delete-label-set',
  refreshLabelSets: 'mlworkbench:refresh-label-sets',
  // The Label Studio bridge of label sets (src/features/labelstudio).
  connectLabelStudio: 'mlworkbench:connect-label-studio',
  pushToLabelStudio: 'mlworkbench:push-to-label-studio',
  pullFromLabelStudio: 'mlworkbench:pull-from-label-studio',
  refreshLabelStudio: 'mlworkbench:refresh-label-studio',
  // Training and experiments (src/features/training).
  trainModel: 'mlworkbench:train-model',
  openTrainingRun: 'mlworkbench:open-training-run',
  stopTrainingRun: 'mlworkbench:stop-training-run',
  deleteTrainingRun: 'mlworkbench:delete-training-run',
  compareTrainingRuns: 'mlworkbench:compare-training-runs',
  refreshExperiments: 'mlworkbench:refresh-experiments',
  // Published models (src/features/models).
  publishModel: 'mlworkbench:publish-model',
  openModel: 'mlworkbench:open-model',
  refreshModels: 'mlworkbench:refresh-models',
  // Notebook jobs (src/features/jobs).
  runAsJob: 'mlworkbench:run-as-job',
  openJobRun: 'mlworkbench:open-job-run',
  stopJobRun: 'mlworkbench:stop-job-run',
  runJobNow: 'mlworkbench:run-job-now',
  pauseJob: 'mlworkbench:pause-job',
  resumeJob: 'mlworkbench:resume-job',
  editJob: 'mlworkbench:edit-job',
  deleteJob: 'mlworkbench:delete-job',
  refreshJobs: 'mlworkbench:refresh-jobs'
} as const;

/** The palette category of every Workbench command. */
export const PALETTE_CATEGORY = 'Workbench';
