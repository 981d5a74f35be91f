/**
 * Stable DOM hooks of the jobs panel for UI tests (ui-tests/tests/jobs-page.ts uses this
 * table; keep it in sync).
 *
 * | key              | what it is                                                            |
 * |------------------|-----------------------------------------------------------------------|
 * | section          | the sidebar's "Jobs" section                                          |
 * | jobItem          | a saved job's row; data-name, data-paused                             |
 * | jobRun/Pause/    | a job row's buttons: run now, pause, resume, edit, delete (asks)       |
 * | Resume/Edit/Del  |                                                                       |
 * | runItem          | a recent run's row; data-run-id, data-status                          |
 * | runOpen          | a run row's button that opens the run                                 |
 * | runStop          | Stop of a queued or running run (row and run view)                    |
 * | form             | the run dialog's form; data-notebook                                  |
 * | param            | a parameter's field; data-name, data-type                             |
 * | paramInput       | its input (number, checkbox, date, text, JSON)                        |
 * | paramError       | why its value is refused (by type, or the server's message)           |
 * | kernel/timeout/  | the run options: kernel picker, timeout (s), retries, the wait before  |
 * | retries/backoff/ | the first retry (s), output folder                                    |
 * | output           |                                                                       |
 * | jobName/schedule | the job fields: name, schedule, timezone, overlap, catch-up            |
 * | timezone/overlap |                                                                       |
 * | catchUp          |                                                                       |
 * | preview          | the schedule preview (description, next fire times); data-state        |
 * | optionError      | the server's refusal of an option; data-field                         |
 * | formError        | a refusal that names no field                                         |
 * | runView          | a run's tab; data-run-id, data-status                                 |
 * | progress         | the indeterminate progress bar while queued or running                |
 * | log              | the log tail                                                          |
 * | runParams        | the parameters table (tr[data-name])                                  |
 * | values           | the recorded values table (tr[data-name], data-value)                 |
 * | failure          | the failing cell and traceback; exitReason why the run ended          |
 * | openNotebook     | "Open executed notebook"; openHtml "Open HTML"                        |
 * | compare          | recorded values across runs of the same job (tr[data-run-id])          |
 */
export const JOB_SELECTORS = {
  section: '[data-testid="mlwb-jobs"]',
  jobsNew: '[data-testid="mlwb-jobs-new"]',
  jobItem: '.mlwb-Jobs-job',
  jobRun: '[data-testid="mlwb-job-run-now"]',
  jobPause: '[data-testid="mlwb-job-pause"]',
  jobResume: '[data-testid="mlwb-job-resume"]',
  jobEdit: '[data-testid="mlwb-job-edit"]',
  jobDelete: '[data-testid="mlwb-job-delete"]',
  runItem: '.mlwb-Jobs-run',
  runOpen: '.mlwb-Jobs-runOpen',
  runStop: '[data-testid="mlwb-job-stop"]',
  form: '.mlwb-JobForm',
  param: '.mlwb-JobForm-param',
  paramInput: '.mlwb-JobForm-input',
  paramError: '.mlwb-JobForm-fieldError',
  kernel: '[data-testid="mlwb-job-kernel"]',
  timeout: '[data-testid="mlwb-job-timeout"]',
  retries: '[data-testid="mlwb-job-retries"]',
  backoff: '[data-testid="mlwb-job-backoff"]',
  output: '[data-testid="mlwb-job-output"]',
  jobName: '[data-testid="mlwb-job-name"]',
  schedule: '[data-testid="mlwb-job-schedule"]',
  timezone: '[data-testid="mlwb-job-timezone"]',
  overlap: '[data-testid="mlwb-job-overlap"]',
  catchUp: '[data-testid="mlwb-job-catch-up"]',
  preview: '[data-testid="mlwb-job-preview"]',
  optionError: '.mlwb-JobForm-optionError',
  formError: '[data-testid="mlwb-job-form-error"]',
  runView: '.mlwb-JobRun',
  status: '[data-testid="mlwb-job-status"]',
  progress: '[data-testid="mlwb-job-progress"]',
  log: '[data-testid="mlwb-job-log"]',
  runParams: '[data-testid="mlwb-job-params"]',
  values: '[data-testid="mlwb-job-values"]',
  failure: '[data-testid="mlwb-job-failure"]',
  exitReason: '[data-testid="mlwb-job-exit-reason"]',
  openNotebook: '[data-testid="mlwb-job-open-notebook"]',
  openHtml: '[data-testid="mlwb-job-open-html"]',
  compare: '[data-testid="mlwb-job-compare"]'
} as const;
