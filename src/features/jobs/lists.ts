/**
 * What the sidebar's "Jobs" section lists: the saved jobs (with their next fire times and last
 * run) and the recent runs (newest first). Talk only to `IJobsApi`.
 */
import { asApiError, WorkbenchApiError } from '../../api/errors';
import { ServerList } from '../shared/serverList';
import { IJobsApi, isFinished, JobInfo, JobRunInfo } from './types';

/** How many recent runs the section shows. */
export const RECENT_RUNS = 15;

export class SavedJobsModel extends ServerList<JobInfo, WorkbenchApiError> {
  constructor(readonly api: IJobsApi) {
    super();
  }

  get jobs(): readonly JobInfo[] {
    return this.items;
  }

  protected async read(): Promise<JobInfo[]> {
    return (await this.api.listJobs()).jobs;
  }

  protected asError(error: unknown): WorkbenchApiError {
    return asApiError(error);
  }
}

export class RecentRunsModel extends ServerList<JobRunInfo, WorkbenchApiError> {
  constructor(readonly api: IJobsApi) {
    super();
  }

  get runs(): readonly JobRunInfo[] {
    return this.items;
  }

  /** Whether a listed run is queued or running (the list is then read again soon). */
  get anyActive(): boolean {
    return this.items.some(r => !isFinished(r.status));
  }

  protected async read(): Promise<JobRunInfo[]> {
    return (await this.api.listRuns({ limit: RECENT_RUNS })).runs;
  }

  protected asError(error: unknown): WorkbenchApiError {
    return asApiError(error);
  }
}
