/**
 * One notebook run as its view follows it: read, and while queued or running read again about
 * every second with the new part of its log (GET /jobs/runs/{id}/log?offset=); Stop cancels
 * it. The other runs of the same job (or, for a run of no job, of the same notebook) are read
 * once it has ended, to compare recorded values. Polling ends when the model is disposed.
 */
import { IDisposable } from '@lumino/disposable';
import { ISignal, Signal } from '@lumino/signaling';

import { asApiError, WorkbenchApiError } from '../../api/errors';
import { IJobsApi, isFinished, JobRunInfo } from './types';

/** The log kept in the view: its last characters only. */
export const LOG_KEEP = 20000;

export interface IJobRunModelOptions {
  api: IJobsApi;
  id: number;
  /** Milliseconds between two reads while the run goes on. */
  pollInterval?: number;
  /** How many runs the comparison reads. */
  compareLimit?: number;
}

export class JobRunModel implements IDisposable {
  constructor(options: IJobRunModelOptions) {
    this.api = options.api;
    this.id = options.id;
    this._interval = options.pollInterval ?? 1000;
    this._compareLimit = options.compareLimit ?? 20;
  }

  readonly api: IJobsApi;
  readonly id: number;

  get changed(): ISignal<this, void> {
    return this._changed;
  }

  /** Emitted once, when the run is seen to end. */
  get ended(): ISignal<this, JobRunInfo> {
    return this._ended;
  }

  get run(): JobRunInfo | null {
    return this._run;
  }

  /** The log so far (its last `LOG_KEEP` characters). */
  get log(): string {
    return this._log;
  }

  /** Whether the log's start was dropped. */
  get logTruncated(): boolean {
    return this._logTruncated;
  }

  get error(): WorkbenchApiError | null {
    return this._error;
  }

  get stopError(): WorkbenchApiError | null {
    return this._stopError;
  }

  get stopping(): boolean {
    return this._stopping && this.active;
  }

  /** Queued or running. */
  get active(): boolean {
    return !!this._run && !isFinished(this._run.status);
  }

  /** Ended runs of the same job (or notebook), newest first, this one included. */
  get siblings(): readonly JobRunInfo[] {
    return this._siblings;
  }

  get isDisposed(): boolean {
    return this._disposed;
  }

  /** Read the run (and its log), and keep reading while it goes on. */
  async start(): Promise<void> {
    while (await this._read()) {
      await new Promise<void>(resolve => {
        this._wake = resolve;
        this._timer = setTimeout(resolve, this._interval);
      });
    }
  }

  /** Cancel the run. */
  async stop(): Promise<void> {
    if (!this.active || this._stopping) {
      return;
    }
    this._stopping = true;
    this._stopError = null;
    this._changed.emit();
    try {
      this._update(await this.api.stopRun(this.id));
    } catch (error) {
      this._stopError = asApiError(error);
    }
    this._stopping = false;
    this._changed.emit();
  }

  /** Read the runs to compare with (ended runs of the same job or notebook). */
  async readSiblings(): Promise<void> {
    const run = this._run;
    if (!run) {
      return;
    }
    const job = run.job_id ?? null;
    try {
      const { runs } = await this.api.listRuns(
        job !== null
          ? { job_id: job, limit: this._compareLimit }
          : { limit: this._compareLimit * 3 }
      );
      const same = runs.filter(
        r =>
          isFinished(r.status) &&
          (job !== null
            ? r.job_id === job
            : (r.job_id ?? null) === null && r.notebook === run.notebook)
      );
      this._siblings = same.slice(0, this._compareLimit);
    } catch {
      this._siblings = [];
    }
    if (!this._disposed) {
      this._changed.emit();
    }
  }

  dispose(): void {
    if (this._disposed) {
      return;
    }
    this._disposed = true;
    if (this._timer !== null) {
      clearTimeout(this._timer);
    }
    this._wake?.(); // the waiting loop ends
    Signal.clearData(this);
  }

  /** One read of the run and its new log; answers whether to read again. */
  private async _read(): Promise<boolean> {
    if (this._disposed) {
      return false;
    }
    let run: JobRunInfo;
    try {
      run = await this.api.describeRun(this.id);
      await this._readLog();
    } catch (error) {
      if (this._disposed) {
        return false;
      }
      this._error = asApiError(error);
      this._changed.emit();
      return this._error.status !== 404; // an unknown run will not appear
    }
    if (this._disposed) {
      return false;
    }
    this._error = null;
    this._update(run);
    return this.active;
  }

  private async _readLog(): Promise<void> {
    try {
      const part = await this.api.runLog(this.id, this._offset);
      this._offset = part.offset;
      if (part.text) {
        const log = this._log + part.text;
        this._logTruncated = this._logTruncated || log.length > LOG_KEEP;
        this._log = log.slice(-LOG_KEEP);
      }
    } catch {
      // No log yet (a queued run): the next read tries again.
    }
  }

  private _update(run: JobRunInfo): void {
    const wasActive = this._run === null || !isFinished(this._run.status);
    if (!wasActive && !isFinished(run.status)) {
      return; // a late answer from before the end
    }
    this._run = run;
    this._changed.emit();
    if (wasActive && isFinished(run.status)) {
      this._ended.emit(run);
      void this.readSiblings();
    }
  }

  private _run: JobRunInfo | null = null;
  private _log = '';
  private _logTruncated = false;
  private _offset = 0;
  private _error: WorkbenchApiError | null = null;
  private _stopError: WorkbenchApiError | null = null;
  private _stopping = false;
  private _siblings: JobRunInfo[] = [];
  private _disposed = false;
  private _timer: ReturnType<typeof setTimeout> | null = null;
  private _wake: (() => void) | null = null;
  private readonly _interval: number;
  private readonly _compareLimit: number;
  private readonly _changed = new Signal<this, void>(this);
  private readonly _ended = new Signal<this, JobRunInfo>(this);
}
