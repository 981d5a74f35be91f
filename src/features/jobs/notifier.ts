/**
 * Notifications when a run ends: while the page is open, ask the server every few seconds
 * which runs ended since the last answer (GET /jobs/runs?finished_after=) and tell each one
 * once (succeeded, failed, timed out, cancelled), with an action that opens the run. A failed
 * read doubles the wait (up to a limit); a good one brings it back.
 */
import { ISignal, Signal } from '@lumino/signaling';

import { IJobsApi, isFinished, JobRunInfo } from './types';

export interface IRunNotifierOptions {
  api: IJobsApi;
  /** Tell the user that `run` ended. */
  notify: (run: JobRunInfo) => void;
  /** Milliseconds between two reads (default 5 s). */
  interval?: number;
  /** The longest wait after failed reads (default 2 min). */
  maxInterval?: number;
  /** Whether the page is shown (hidden pages skip reads; default: document.hidden). */
  visible?: () => boolean;
  /** The time to ask from at first (default: the newest end the server lists, else now). */
  since?: string;
}

export class RunNotifier {
  constructor(options: IRunNotifierOptions) {
    this._api = options.api;
    this._notify = options.notify;
    this._interval = options.interval ?? 5000;
    this._maxInterval = options.maxInterval ?? 120000;
    this._wait = this._interval;
    this._visible =
      options.visible ??
      (() => typeof document === 'undefined' || !document.hidden);
    this._since = options.since ?? null;
  }

  /** Emitted with the runs that ended since the last read (none: not emitted). */
  get runsEnded(): ISignal<this, JobRunInfo[]> {
    return this._runsEnded;
  }

  /** The wait before the next read (grows after failures). */
  get wait(): number {
    return this._wait;
  }

  /**
   * Note which runs have ended already (they are not news), then read every `interval`.
   * Resolves once that first read is done.
   */
  async start(): Promise<void> {
    if (this._stopped || this._started) {
      return;
    }
    this._started = true;
    await this.check();
    if (!this._stopped) {
      this._schedule();
    }
  }

  stop(): void {
    this._stopped = true;
    if (this._timer !== null) {
      clearTimeout(this._timer);
      this._timer = null;
    }
    Signal.clearData(this);
  }

  /** One read: the runs ended since the last one, each told once. */
  async check(): Promise<void> {
    // The first read happens even in a hidden page: it only notes what has ended already.
    if (this._since !== null && !this._visible()) {
      return;
    }
    try {
      if (this._since === null) {
        // Runs that ended before the page opened are not news: start after the newest.
        const { runs } = await this._api.listRuns({ limit: 20 });
        runs
          .filter(r => isFinished(r.status))
          .forEach(r => this._told.add(r.id));
        this._since = newestEnd(runs) ?? new Date().toISOString();
        this._wait = this._interval;
        return;
      }
      const { runs } = await this._api.listRuns({
        finished_after: this._since
      });
      this._wait = this._interval;
      const ended = runs.filter(
        r => isFinished(r.status) && !this._told.has(r.id)
      );
      this._since = newestEnd(runs) ?? this._since;
      if (!ended.length) {
        return;
      }
      // Oldest first, as they happened.
      for (const run of [...ended].reverse()) {
        this._told.add(run.id);
        this._notify(run);
      }
      this._runsEnded.emit(ended);
    } catch {
      this._wait = Math.min(this._wait * 2, this._maxInterval);
    }
  }

  private _schedule(): void {
    this._timer = setTimeout(async () => {
      this._timer = null;
      await this.check();
      if (!this._stopped) {
        this._schedule();
      }
    }, this._wait);
  }

  private readonly _api: IJobsApi;
  private readonly _notify: (run: JobRunInfo) => void;
  private readonly _interval: number;
  private readonly _maxInterval: number;
  private readonly _visible: () => boolean;
  private _wait: number;
  private _since: string | null;
  private readonly _told = new Set<number>();
  private _timer: ReturnType<typeof setTimeout> | null = null;
  private _stopped = false;
  private _started = false;
  private readonly _runsEnded = new Signal<this, JobRunInfo[]>(this);
}

/** The latest `ended_at` of the runs (ISO, as the server wrote it), or null. */
export function newestEnd(runs: readonly JobRunInfo[]): string | null {
  let newest: string | null = null;
  for (const run of runs) {
    if (
      run.ended_at &&
      (newest === null || Date.parse(run.ended_at) > Date.parse(newest))
    ) {
      newest = run.ended_at;
    }
  }
  return newest;
}
