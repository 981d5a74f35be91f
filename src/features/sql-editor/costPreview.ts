/**
 * The cost preview of the editor's SQL: DuckDB's estimated row count (POST /queries/estimate),
 * asked when the user pauses typing. It must never get in the way: one request at a time (a
 * newer text waits for the answer in flight, texts typed meanwhile are skipped), answers for an
 * older text are dropped, and errors (SQL that does not bind yet) show nothing.
 */
import { IDisposable } from '@lumino/disposable';
import { ISignal, Signal } from '@lumino/signaling';

import type { QueryEstimate, WorkbenchClient } from '../../api/client';

export interface ICostPreviewOptions {
  client: Pick<WorkbenchClient, 'estimateQuery'>;
  /** Quiet time after the last keystroke before asking (ms). */
  delayMs?: number;
  /** Warn above this many estimated rows (the server's default when unset). */
  thresholdRows?: number | null;
}

/** Whether the text starts like a query that returns rows (comments and parentheses skipped). */
export function looksLikeSelect(sql: string): boolean {
  const text = sql
    .replace(/\/\*[\s\S]*?\*\//g, ' ')
    .replace(/--[^\n]*/g, ' ')
    .replace(/^[\s(]+/, '');
  return /^(select|with|from|values|table|pivot|unpivot)\b/i.test(text);
}

export class CostPreview implements IDisposable {
  constructor(private readonly _options: ICostPreviewOptions) {
    this.delayMs = _options.delayMs ?? 600;
    this.thresholdRows = _options.thresholdRows ?? null;
  }

  /** Quiet time after the last change before asking (ms). */
  delayMs: number;

  /** Warn above this many rows; null leaves it to the server. */
  thresholdRows: number | null;

  /** Off: nothing is asked and nothing shown. */
  get enabled(): boolean {
    return this._enabled;
  }

  set enabled(value: boolean) {
    this._enabled = value;
    if (!value) {
      this._cancelTimer();
      this._set(null, null);
    }
  }

  /** The estimate of the current text, or null (none yet, not a SELECT, or an error). */
  get estimate(): QueryEstimate | null {
    return this._estimate;
  }

  /** The text `estimate` is for (its LIMIT and sample rewrites replace exactly this). */
  get estimatedSql(): string | null {
    return this._estimatedSql;
  }

  /** Emitted when the estimate shown changes (null: show nothing). */
  get changed(): ISignal<this, QueryEstimate | null> {
    return this._changed;
  }

  get isDisposed(): boolean {
    return this._disposed;
  }

  /** The text changed: forget the old estimate now and ask for the new one after a pause. */
  textChanged(sql: string): void {
    if (this._disposed || !this._enabled) {
      return;
    }
    if (sql === this._current) {
      return;
    }
    this._current = sql;
    this._cancelTimer();
    this._set(null, null);
    if (!looksLikeSelect(sql)) {
      return;
    }
    this._timer = setTimeout(() => {
      this._timer = null;
      this._ask(sql);
    }, this.delayMs);
  }

  /** Ask at once for the pending text (the user runs it before the pause ended). */
  flush(): void {
    if (this._timer !== null && this._current !== null) {
      this._cancelTimer();
      this._ask(this._current);
    }
  }

  dispose(): void {
    if (this._disposed) {
      return;
    }
    this._disposed = true;
    this._cancelTimer();
    Signal.clearData(this);
  }

  private _ask(sql: string): void {
    if (this._inFlight) {
      this._queued = sql; // asked when the answer in flight is in
      return;
    }
    this._inFlight = true;
    const request: Parameters<WorkbenchClient['estimateQuery']>[0] = { sql };
    if (this.thresholdRows) {
      request.threshold_rows = this.thresholdRows;
    }
    this._options.client
      .estimateQuery(request)
      .then(
        estimate => {
          if (!this._disposed && sql === this._current) {
            this._set(estimate, sql);
          }
        },
        () => undefined // a query that does not bind (yet) has no estimate: show nothing
      )
      .finally(() => {
        this._inFlight = false;
        const queued = this._queued;
        this._queued = null;
        if (
          queued !== null &&
          queued === this._current &&
          queued !== sql &&
          !this._disposed
        ) {
          this._ask(queued);
        }
      });
  }

  private _set(estimate: QueryEstimate | null, sql: string | null): void {
    if (estimate === this._estimate) {
      return;
    }
    this._estimate = estimate;
    this._estimatedSql = sql;
    this._changed.emit(estimate);
  }

  private _cancelTimer(): void {
    if (this._timer !== null) {
      clearTimeout(this._timer);
      this._timer = null;
    }
  }

  private _enabled = true;
  private _disposed = false;
  private _current: string | null = null;
  private _estimate: QueryEstimate | null = null;
  private _estimatedSql: string | null = null;
  private _timer: ReturnType<typeof setTimeout> | null = null;
  private _inFlight = false;
  private _queued: string | null = null;
  private _changed = new Signal<this, QueryEstimate | null>(this);
}
