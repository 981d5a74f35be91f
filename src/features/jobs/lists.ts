/**
 * What the sidebar's "Jobs" section lists: the saved jobs (with their next fire times and last
 * run) and the recent runs (newest first). Talk only to `IJobsApi`.
 */
import { asApiError, WorkbenchApiError } from '../../api/errors';
import { ServerList } from '../shared/serverList';
import {
  IJobsApi,
  isFinished,
  JobInfo,
  JobRunInfo,
  SchedulerStatus
} from './types';

/** How many recent runs the section shows. */
export const RECENT_RUNS = 15;

export class SavedJobsModel extends ServerList<JobInfo, WorkbenchApiError> {
  constructor(readonly api: IJobsApi) {
    super();
  }

  get jobs(): readonly JobInfo[] {
    return this.items;
  }

  /** Whether scheduled jobs fire: this server's scheduler and the lease (null: unknown). */
  get scheduler(): SchedulerStatus | null {
    return this._scheduler;
  }

  /**
   * Whether scheduled jobs would not fire: some job has a schedule (not paused), yet no
   * scheduler runs here and none holds the workspace's lease.
   */
  get schedulesIdle(): boolean {
    const status = this._scheduler;
    const scheduled = this.items.some(j => j.schedule && !j.paused);
    return (
      !!status && scheduled && !status.running_here && !status.lease_active
    );
  }

  protected async read(): Promise<JobInfo[]> {
    const [list, scheduler] = await Promise.all([
      this.api.listJobs(),
      this.api.schedulerStatus().catch(() => null)
    ]);
    this._read = scheduler;
    return list.jobs;
  }

  protected received(): boolean {
    const changed =
      JSON.stringify(this._read) !== JSON.stringify(this._scheduler);
    this._scheduler = this._read;
    return changed;
  }

  protected asError(error: unknown): WorkbenchApiError {
    return asApiError(error);
  }

  private _scheduler: SchedulerStatus | null = null;
  private _read: SchedulerStatus | null = null;
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
