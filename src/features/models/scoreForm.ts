/**
 * "Score a query"'s state: the rows (a table or a SELECT), the model reference (an alias or a
 * version of the model), the table to write (`<source>_scored` until the user types one), the
 * prediction column and the probability columns; then the request to POST /scoring while it
 * runs (a Cancel stops waiting), its answer or its error. Talks only to `IModelsApi`.
 */
import { PromiseDelegate } from '@lumino/coreutils';
import { ISignal, Signal } from '@lumino/signaling';

import { asApiError, WorkbenchApiError } from '../../api/errors';
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
}

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

  /** Send the request; answers the result (null: refused, failed or cancelled). */
  async score(): Promise<ScoreResponse | null> {
    if (this.problem || this._status === 'running') {
      return null;
    }
    const controller = new AbortController();
    this._controller = controller;
    this._status = 'running';
    this._result = null;
    this._error = null;
    this._finished = new PromiseDelegate();
    this._changed.emit();
    let result: ScoreResponse | null = null;
    try {
      result = await this.api.score(this.request, controller.signal);
      this._result = result;
      this._status = 'done';
    } catch (error) {
      if (controller.signal.aborted) {
        this._status = 'cancelled';
      } else {
        this._error = asApiError(error);
        this._status = 'failed';
      }
    } finally {
      this._controller = null;
      this._finished.resolve(result);
      this._changed.emit();
    }
    return result;
  }

  /**
   * Stop waiting for the answer. The request is synchronous on the server: the version it
   * writes may still appear (the view says so).
   */
  cancel(): void {
    this._controller?.abort();
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
  private _controller: AbortController | null = null;
  private _finished = new PromiseDelegate<ScoreResponse | null>();
  private readonly _changed = new Signal<this, void>(this);
}
