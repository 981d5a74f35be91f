/**
 * State of one SQL editor: run, stop, the current result session, its row count and errors.
 * Talks only to the API client.
 */
import { UUID } from '@lumino/coreutils';
import { IDisposable } from '@lumino/disposable';
import { ISignal, Signal } from '@lumino/signaling';

import {
  asApiError,
  DescribeTable,
  ExportFormat,
  IDownload,
  QueryResult,
  WorkbenchApiError,
  WorkbenchClient
} from '../../api/client';
import { ResultsDataModel } from '../results/model';

/** idle: nothing run yet; counting: rows shown, total still being counted. */
export type RunState =
  'idle' | 'running' | 'counting' | 'ready' | 'cancelled' | 'error';

export interface ISqlEditorModelOptions {
  client: WorkbenchClient;
  /** Rows per page (first page and each block the grid fetches). */
  pageSize?: number;
  /** Waits between status polls; replaced in tests. */
  sleep?: (ms: number) => Promise<void>;
  /** Makes the client-side query id; replaced in tests. */
  newQueryId?: () => string;
}

export class SqlEditorModel implements IDisposable {
  constructor(options: ISqlEditorModelOptions) {
    this._client = options.client;
    this.pageSize = options.pageSize ?? 500;
    this._sleep =
      options.sleep ?? (ms => new Promise(resolve => setTimeout(resolve, ms)));
    this._newQueryId = options.newQueryId ?? (() => UUID.uuid4());
  }

  /** Rows per page for the next run. */
  pageSize: number;

  get stateChanged(): ISignal<this, RunState> {
    return this._stateChanged;
  }

  get state(): RunState {
    return this._state;
  }

  /** Percent done of the running query; null while unknown (an indeterminate bar). */
  get progress(): number | null {
    return this._progress;
  }

  /** Emitted with each progress reading while a query runs. */
  get progressChanged(): ISignal<this, number | null> {
    return this._progressChanged;
  }

  get isRunning(): boolean {
    return this._state === 'running';
  }

  /** True when there is a result to save or export. */
  get hasResult(): boolean {
    return this._result !== null && this._state !== 'running';
  }

  get result(): QueryResult | null {
    return this._result;
  }

  get results(): ResultsDataModel | null {
    return this._results;
  }

  get error(): WorkbenchApiError | null {
    return this._error;
  }

  /** Total rows of the current result; null while counting or before a run. */
  get totalRows(): number | null {
    return this._results?.totalRows ?? this._result?.total_rows ?? null;
  }

  /** The id of the running query (to cancel it). */
  get queryId(): string | null {
    return this._queryId;
  }

  get isDisposed(): boolean {
    return this._disposed;
  }

  /** Run SQL; the last statement's result replaces the current one. */
  async run(sqlText: string): Promise<void> {
    if (this.isRunning || !sqlText.trim()) {
      return;
    }
    const queryId = this._newQueryId();
    this._queryId = queryId;
    this._error = null;
    this._progress = null;
    this._setState('running');
    void this._pollProgress(queryId);
    try {
      const result = await this._client.runQuery({
        sql: sqlText,
        query_id: queryId,
        page_size: this.pageSize
      });
      if (this._disposed) {
        void this._client.closeResult(result.session_id).catch(() => undefined);
        return;
      }
      this._replaceResult(result);
      this._setState(result.status === 'counting' ? 'counting' : 'ready');
      if (result.status === 'counting') {
        void this._pollCount(result.session_id);
      }
    } catch (error) {
      const apiError = asApiError(error);
      // Stopping a query is what the user asked for: a neutral state, not an error.
      const cancelled = apiError.code === 'cancelled';
      this._error = cancelled ? null : apiError;
      this._setState(cancelled ? 'cancelled' : 'error');
    } finally {
      if (this._queryId === queryId) {
        this._queryId = null;
      }
    }
  }

  /** Cancel the running query (POST /queries/{id}/cancel). */
  async stop(): Promise<boolean> {
    const queryId = this._queryId;
    if (!this.isRunning || !queryId) {
      return false;
    }
    const answer = await this._client.cancelQuery(queryId);
    return answer.cancelled;
  }

  /** Save the current result as a workspace table. A 409 means the name exists. */
  save(name: string, overwrite = false): Promise<DescribeTable> {
    const session = this._requireSession();
    return this._client.saveResult(session, { name, overwrite });
  }

  /** Download the whole current result as a file. */
  export(format: ExportFormat): Promise<IDownload> {
    return this._client.exportResult(this._requireSession(), format);
  }

  dispose(): void {
    if (this._disposed) {
      return;
    }
    this._disposed = true;
    if (this._queryId && this.isRunning) {
      void this._client.cancelQuery(this._queryId).catch(() => undefined);
    }
    this._closeSession();
    Signal.clearData(this);
  }

  private _replaceResult(result: QueryResult): void {
    this._closeSession();
    this._result = result;
    this._results = new ResultsDataModel({
      fetchPage: request => this._client.fetchPage(result.session_id, request),
      columns: result.columns,
      firstRows: result.rows,
      totalRows: result.total_rows ?? null,
      blockSize: this.pageSize
    });
  }

  /** Poll GET /results/{id} until the row count is known. */
  private async _pollCount(sessionId: string): Promise<void> {
    let delay = 200;
    while (!this._disposed && this._result?.session_id === sessionId) {
      await this._sleep(delay);
      delay = Math.min(delay * 2, 2000);
      if (this._disposed || this._result?.session_id !== sessionId) {
        return;
      }
      try {
        const described = await this._client.describeResult(sessionId);
        if (this._result?.session_id !== sessionId) {
          return;
        }
        if (described.status === 'ready' && described.total_rows !== null) {
          this._results?.setTotalRows(described.total_rows);
          this._setState('ready');
          return;
        }
        if (described.status === 'failed') {
          this._error = new WorkbenchApiError(
            described.error ?? 'Counting the rows failed.',
            500,
            'count_failed'
          );
          this._setState('error');
          return;
        }
      } catch (error) {
        this._error = asApiError(error);
        this._setState('error');
        return;
      }
    }
  }

  private _closeSession(): void {
    const previous = this._result?.session_id;
    this._result = null;
    this._results = null;
    if (previous) {
      void this._client.closeResult(previous).catch(() => undefined);
    }
  }

  private _requireSession(): string {
    if (!this._result) {
      throw new WorkbenchApiError('Run a query first.', 0, 'no_result');
    }
    return this._result.session_id;
  }

  /**
   * While the query runs, ask the server every half second how far it is (DuckDB's estimate),
   * so that anything longer than a moment shows a progress bar.
   */
  private async _pollProgress(queryId: string): Promise<void> {
    await this._sleep(PROGRESS_POLL_MS);
    while (this._queryId === queryId && this.isRunning && !this._disposed) {
      let described;
      try {
        described = await this._client.describeQuery(queryId);
      } catch {
        return; // progress is a nicety: never let it disturb the run
      }
      if (!described.running || this._queryId !== queryId || !this.isRunning) {
        return;
      }
      this._progress = described.progress ?? null;
      this._progressChanged.emit(this._progress);
      await this._sleep(PROGRESS_POLL_MS);
    }
  }

  private _setState(state: RunState): void {
    this._state = state;
    this._stateChanged.emit(state);
  }

  private readonly _client: WorkbenchClient;
  private readonly _sleep: (ms: number) => Promise<void>;
  private readonly _newQueryId: () => string;
  private _state: RunState = 'idle';
  private _result: QueryResult | null = null;
  private _results: ResultsDataModel | null = null;
  private _error: WorkbenchApiError | null = null;
  private _queryId: string | null = null;
  private _disposed = false;
  private _stateChanged = new Signal<this, RunState>(this);
  private _progress: number | null = null;
  private _progressChanged = new Signal<this, number | null>(this);
}

/** How often a running query's progress is read. */
const PROGRESS_POLL_MS = 500;
