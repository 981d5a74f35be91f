/**
 * The shapes of the jobs routes (generated from the server's pydantic models, under their
 * short names in src/api/shapes.ts) and `IJobsApi`, what the jobs panel asks of the server
 * (`JobsClient` in src/api/jobs.ts; `FakeJobsApi` in tests).
 */
import type * as S from '../../api/shapes';

export type {
  JobCreateRequest,
  JobInfo,
  JobRunInfo,
  JobRunLog,
  JobRunStatus,
  JobUpdateRequest,
  ListJobRuns,
  ListJobRunsQuery,
  ListJobs,
  NotebookParameters,
  RunJobRequest,
  RunNotebookRequest,
  SchedulePreview,
  SchedulerStatus
} from '../../api/shapes';

/** One parameter of a notebook's `parameters` cell. */
export type NotebookParameter = S.NotebookParameterInfo;

/** What the jobs panel asks of the server: one method per route. */
export interface IJobsApi {
  notebookParameters(notebook: string): Promise<S.NotebookParameters>;
  runNotebook(request: S.RunNotebookRequest): Promise<S.JobRunInfo>;
  listRuns(query?: Partial<S.ListJobRunsQuery>): Promise<S.ListJobRuns>;
  describeRun(runId: number): Promise<S.JobRunInfo>;
  stopRun(runId: number): Promise<S.JobRunInfo>;
  runLog(runId: number, offset?: number): Promise<S.JobRunLog>;
  /** The run's executed notebook as HTML (GET /jobs/runs/{id}/html). */
  runHtml(runId: number): Promise<string>;
  listJobs(): Promise<S.ListJobs>;
  createJob(request: S.JobCreateRequest): Promise<S.JobInfo>;
  describeJob(name: string): Promise<S.JobInfo>;
  updateJob(name: string, change: S.JobUpdateRequest): Promise<S.JobInfo>;
  deleteJob(name: string): Promise<void>;
  pauseJob(name: string): Promise<S.JobInfo>;
  resumeJob(name: string): Promise<S.JobInfo>;
  runJob(name: string, request?: S.RunJobRequest): Promise<S.JobRunInfo>;
  previewSchedule(
    schedule: string,
    timezone?: string
  ): Promise<S.SchedulePreview>;
  schedulerStatus(): Promise<S.SchedulerStatus>;
}

/** Whether a run has ended (it will not change any more). */
export function isFinished(status: S.JobRunStatus | string): boolean {
  return !['queued', 'running'].includes(status);
}
