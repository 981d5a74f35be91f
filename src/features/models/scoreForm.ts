/**
 * "Score a query"'s state: the rows (a table or a SELECT), the model reference (an alias or a
 * version of the model), the table to write (`<source>_scored` until the user types one), the
 * prediction column and the probability columns; then the scoring as a server task (POST
 * /scoring/task), polled for rows done of the estimated total until its answer or its error;
 * Cancel stops the task (no version is written). Talks only to `IModelsApi`.
 */
import { PromiseDelegate } from '@lumino/coreutils';
import { ISignal, Signal } from '@lumino/signaling';

import { asApiError, WorkbenchApiError } from '../../api/errors';
import { pollTask } from '../../api/tasks';
import {
  DescribeModel,
  IModelsApi,
  ScoreQueryRequest,
  ScoreResponse
} from './types';

export type ScoreSourceKind = 'table' | 'sql';

/** Where a scoring is: being filled in, waiting for the server, or ended one way. */
export type ScoreStatus =
  'editing' | 'running' | 'done' | 'failed' | 'cancelled';

/** What keeps the form from being sent. */
export type ScoreProblem = 'no-rows' | 'no-model' | 'no-into' | 'no-column';

/** A model reference the form offers, with what it reads as. */
export interface IModelRef {
  ref: string;
  label: string;
}

/**
 * The references of a model a user can score with: each alias pointing at a version
 * (`churn@production`), then each version, newest first (`churn@3`).
 */
export function modelRefs(model: DescribeModel): IModelRef[] {
  return [
    ...model.aliases
      .filter(a => a.version !== null)
      .map(a => ({
        ref: `${model.name}@${a.alias}`,
        label: `${a.alias} (v${a.version})`
      })),
    ...model.versions.map(v => ({
      ref: `${model.name}@${v.version}`,
      label: `v${v.version}`
    }))
  ];
}

/**
 * A workspace table name made from a SQL name: the last part of a dotted name, unquoted,
 * with anything but letters, digits and '_' as '_' (`"db"."main"."Orders 2"` -> `Orders_2`).
 */
export function tableBaseName(sqlName: string): string {
  const parts = sqlName.match(/"(?:[^"]|"")*"|[^.]+/g) ?? [sqlName];
  const last = parts[parts.length - 1]
    .replace(/^"|"$/g, '')
    .replace(/""/g, '"');
  const name = last.trim().replace(/[^A-Za-z0-9_]+/g, '_');
  return /^[A-Za-z_]/.test(name) ? name : `t_${name}`;
}

/** The first table a SELECT reads (`FROM x`), or null. */
export function firstTable(sql: string): string | null {
  const match =
    /\bfrom\s+("(?:[^"]|"")*"(?:\.(?:"(?:[^"]|"")*"|\w+))*|[\w.]+)/i.exec(
      sql.replace(/--[^\n]*/g, ' ')
    );
  if (!match || /^(range|generate_series|read_\w+|\()/i.test(match[1])) {
    return null;
  }
  return match[1];
}

export interface IScoreFormOptions {
  api: IModelsApi;
  /** The model whose references are offered. */
  model: DescribeModel;
  /** Start on this reference (`name@alias` or `name@version`); default its first. */
  ref?: string | null;
  /** The tables the picker offers (SQL names). */
  tables?: string[];
  table?: string | null;
  /** Start on this query (wins over `table`). */
  sql?: string | null;
  /** Milliseconds between two reads of the running task (default 400). */
  pollMs?: number;
  /** Wait between two reads (tests pass a fake). */
  sleep?: (ms: number) => Promise<void>;
}

/** Rows scored so far of the planner's estimate (null until the server gives one). */
export interface IScoreProgress {
  done: number;
  total: number | null;
}

/** The task error's code when it was cancelled. */
const CANCELLED = 'cancelled';

export class ScoreFormModel {
  constructor(options: IScoreFormOptions) {
    this.api = options.api;
    this.modelName = options.model.name;
    this.refs = modelRefs(options.model);
    const wanted = options.ref ?? null;
    this._ref =
      wanted && this.refs.some(r => r.ref === wanted)
        ? wanted
        : (this.refs[0]?.ref ?? '');
    this._tables = options.tables ?? [];
    this._pollMs = options.pollMs ?? 400;
    this._sleep = options.sleep;
    if (options.sql) {
      this._source = 'sql';
      this._sql = options.sql;
    } else if (options.table) {
      this._table = options.table;
    }
  }

  readonly api: IModelsApi;
  readonly modelName: string;
  readonly refs: IModelRef[];

  get changed(): ISignal<this, void> {
    return this._changed;
  }

  get source(): ScoreSourceKind {
    return this._source;
  }

  get tables(): readonly string[] {
    return this._tables;
  }

  get table(): string | null {
    return this._table;
  }

  get sql(): string {
    return this._sql;
  }

  get ref(): string {
    return this._ref;
  }

  /** The table to write: the user's, or `<source>_scored`. */
  get into(): string {
    return this._into ?? this.defaultInto;
  }

  /** `<table>_scored`, `<first table of the query>_scored`, or `<model>_scored`. */
  get defaultInto(): string {
    const from = this._source === 'table' ? this._table : firstTable(this._sql);
    return `${from ? tableBaseName(from) : this.modelName}_scored`;
  }

  get column(): string {
    return this._column;
  }

  get probabilities(): boolean {
    return this._probabilities;
  }

  get status(): ScoreStatus {
    return this._status;
  }

  /** While running: rows done of the estimated total, as the task last reported. */
  get progress(): IScoreProgress {
    return this._progress;
  }

  /** Cancel was asked and the server has not stopped yet. */
  get cancelling(): boolean {
    return this._cancelling;
  }

  get result(): ScoreResponse | null {
    return this._result;
  }

  get error(): WorkbenchApiError | null {
    return this._error;
  }

  /** The SELECT sent: the table's, or the user's. */
  get selectSql(): string {
    if (this._source === 'table') {
      return this._table ? `SELECT * FROM ${this._table}` : '';
    }
    return this._sql.trim();
  }

  get problem(): ScoreProblem | null {
    if (!this.selectSql) {
      return 'no-rows';
    }
    if (!this._ref) {
      return 'no-model';
    }
    if (!this.into.trim()) {
      return 'no-into';
    }
    if (!this._column.trim()) {
      return 'no-column';
    }
    return null;
  }

  get request(): ScoreQueryRequest {
    return {
      sql: this.selectSql,
      model: this._ref,
      into: this.into.trim(),
      column: this._column.trim(),
      probabilities: this._probabilities
    };
  }

  /** Resolves with the answer once a started scoring ends (null: it failed or was cancelled). */
  get finished(): Promise<ScoreResponse | null> {
    return this._finished.promise;
  }

  setSource(source: ScoreSourceKind): void {
    if (source === 'sql' && !this._sql.trim() && this._table) {
      this._sql = `SELECT * FROM ${this._table}`;
    }
    this._source = source;
    this._edited();
  }

  setTables(tables: string[]): void {
    this._tables = tables;
    this._changed.emit();
  }

  setTable(table: string): void {
    this._table = table || null;
    this._edited();
  }

  setSql(sql: string): void {
    this._sql = sql;
    this._edited();
  }

  setRef(ref: string): void {
    this._ref = ref;
    this._edited();
  }

  /** The table to write; an empty text goes back to the default. */
  setInto(into: string): void {
    this._into = into.trim() ? into : null;
    this._edited();
  }

  setColumn(column: string): void {
    this._column = column;
    this._edited();
  }

  setProbabilities(probabilities: boolean): void {
    this._probabilities = probabilities;
    this._edited();
  }

  /**
   * Start the scoring as a server task and follow it to its end; answers the result (null:
   * refused, failed or cancelled).
   */
  async score(): Promise<ScoreResponse | null> {
    if (this.problem || this._status === 'running') {
      return null;
    }
    this._status = 'running';
    this._result = null;
    this._error = null;
    this._progress = { done: 0, total: null };
    this._cancelling = false;
    this._taskId = null;
    this._finished = new PromiseDelegate();
    this._changed.emit();
    let result: ScoreResponse | null = null;
    try {
      this._taskId = (await this.api.startScoring(this.request)).task_id;
      if (this._cancelling) {
        await this.api.cancelTask(this._taskId); // Cancel was clicked while starting
      }
      const task = await pollTask(this._taskId, {
        describe: taskId => this.api.describeTask(taskId),
        sleep: this._sleep,
        pollMs: this._pollMs,
        onProgress: running => {
          this._progress = { done: running.done, total: running.total ?? null };
          this._changed.emit();
        }
      });
      if (task?.error) {
        const { message, code, detail } = task.error;
        if (code === CANCELLED) {
          this._status = 'cancelled';
        } else {
          this._error = new WorkbenchApiError(message, 0, code, detail ?? {});
          this._status = 'failed';
        }
      } else {
        // A cancel that came after the version was written: the result stands.
        result = (task?.result ?? null) as ScoreResponse | null;
        this._result = result;
        this._status = result ? 'done' : 'failed';
      }
    } catch (error) {
      this._error = asApiError(error);
      this._status = 'failed';
    } finally {
      this._taskId = null;
      this._cancelling = false;
      this._finished.resolve(result);
      this._changed.emit();
    }
    return result;
  }

  /**
   * Ask the server to stop the scoring: it stops at its next batch and writes no version (the
   * table keeps its previous one). The form stays 'running' until the task ends.
   */
  cancel(): void {
    if (this._status !== 'running' || this._cancelling) {
      return;
    }
    this._cancelling = true;
    this._changed.emit();
    if (this._taskId) {
      this.api.cancelTask(this._taskId).catch(error => {
        this._cancelling = false;
        this._error = asApiError(error);
        this._changed.emit();
      });
    }
  }

  /** An edit keeps the last answer or error in view until the next scoring. */
  private _edited(): void {
    this._changed.emit();
  }

  private _source: ScoreSourceKind = 'table';
  private _tables: string[];
  private _table: string | null = null;
  private _sql = '';
  private _ref: string;
  private _into: string | null = null;
  private _column = 'prediction';
  private _probabilities = false;
  private _status: ScoreStatus = 'editing';
  private _result: ScoreResponse | null = null;
  private _error: WorkbenchApiError | null = null;
  private _progress: IScoreProgress = { done: 0, total: null };
  private _cancelling = false;
  private _taskId: string | null = null;
  private readonly _pollMs: number;
  private readonly _sleep?: (ms: number) => Promise<void>;
  private _finished = new PromiseDelegate<ScoreResponse | null>();
  private readonly _changed = new Signal<this, void>(this);
}
