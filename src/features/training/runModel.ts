/**
 * One training run as its view follows it: read once (a past run) or polled about every second
 * while it runs, until it finishes, stops or fails; Stop asks the server to end the search and
 * keep the best model found. Polling ends when the model is disposed (its tab closed).
 */
import { IDisposable } from '@lumino/disposable';
import { ISignal, Signal } from '@lumino/signaling';

import { asApiError } from '../../api/client';
import { ITrainingApi, ITrainingError, ITrainingRun } from './types';

export interface IRunModelOptions {
  api: ITrainingApi;
  /** The run's id. */
  id: number;
  /** What the server answered already (the start of the run), if anything. */
  run?: ITrainingRun | null;
  /** Milliseconds between two reads while the run runs. */
  pollInterval?: number;
}

export class RunModel implements IDisposable {
  constructor(options: IRunModelOptions) {
    this.api = options.api;
    this.id = options.id;
    this._run = options.run ?? null;
    this._interval = options.pollInterval ?? 1000;
  }

  readonly api: ITrainingApi;
  readonly id: number;

  /** Emitted on every change. */
  get changed(): ISignal<this, void> {
    return this._changed;
  }

  /** Emitted once, when the run is seen to end (finished, stopped or failed). */
  get ended(): ISignal<this, ITrainingRun> {
    return this._ended;
  }

  get run(): ITrainingRun | null {
    return this._run;
  }

  /** A failed read of the run (the run may still be going: reads are retried). */
  get error(): ITrainingError | null {
    return this._error;
  }

  /** A refused Stop. */
  get stopError(): ITrainingError | null {
    return this._stopError;
  }

  /** Whether Stop was pressed and the run has not ended yet. */
  get stopping(): boolean {
    return this.running && (this._stopping || this._run!.stopRequested);
  }

  get running(): boolean {
    return this._run?.status === 'running';
  }

  get isDisposed(): boolean {
    return this._disposed;
  }

  /** Read the run, and keep reading it while it runs. */
  async start(): Promise<void> {
    if (this._run && !this.running) {
      return;
    }
    await this._poll();
  }

  /** Ask the server to stop the search; it keeps (and evaluates) the best model so far. */
  async stop(): Promise<void> {
    if (!this.running || this.stopping) {
      return;
    }
    this._stopping = true;
    this._stopError = null;
    this._changed.emit();
    try {
      this._update(await this.api.stopRun(this.id));
    } catch (error) {
      this._stopping = false;
      this._stopError = asApiError(error);
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
      this._timer = null;
    }
    Signal.clearData(this);
  }

  private async _poll(): Promise<void> {
    this._timer = null;
    if (this._disposed) {
      return;
    }
    try {
      const run = await this.api.describeRun(this.id);
      if (this._disposed) {
        return;
      }
      this._error = null;
      this._update(run);
    } catch (error) {
      if (this._disposed) {
        return;
      }
      this._error = asApiError(error);
      this._changed.emit();
      if (this._error.status === 404) {
        return; // the run was deleted: nothing more to read
      }
    }
    if (!this._disposed && (this._run === null || this.running)) {
      this._timer = setTimeout(() => void this._poll(), this._interval);
    }
  }

  private _update(run: ITrainingRun): void {
    const wasRunning = this._run === null || this._run.status === 'running';
    if (!wasRunning && run.status === 'running') {
      return; // an answer sent before the run ended (Stop's, say) arrived late: keep the end
    }
    this._run = run;
    if (run.status !== 'running') {
      this._stopping = false;
    }
    this._changed.emit();
    if (wasRunning && run.status !== 'running') {
      this._ended.emit(run);
    }
  }

  private _run: ITrainingRun | null;
  private _error: ITrainingError | null = null;
  private _stopError: ITrainingError | null = null;
  private _stopping = false;
  private _disposed = false;
  private _timer: ReturnType<typeof setTimeout> | null = null;
  private readonly _interval: number;
  private readonly _changed = new Signal<this, void>(this);
  private readonly _ended = new Signal<this, ITrainingRun>(this);
}
