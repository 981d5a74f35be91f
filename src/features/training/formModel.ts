/**
 * The "Train a model" form's state: the data (a table or a SELECT), its preview (columns with
 * their kinds and flags, the inferred task, the metrics), the target, features, task, metric
 * and budget the user picks, and the start of a run. Talks only to `ITrainingApi`.
 */
import { ISignal, Signal } from '@lumino/signaling';

import { asApiError } from '../../api/client';
import {
  IFeatureColumn,
  IMetricChoice,
  ITrainingApi,
  ITrainingError,
  ITrainingPreview,
  ITrainingRun,
  ITrainRequest,
  TaskKind
} from './types';

/** Budgets offered, in seconds. */
export const BUDGETS: readonly number[] = [10, 30, 60, 300];
export const DEFAULT_BUDGET = 60;

export type SourceKind = 'table' | 'sql';

export interface ITrainFormOptions {
  api: ITrainingApi;
  /** Tables to pick from (catalog SQL names). */
  tables?: string[];
  /** Start on this table (its `SELECT *`). */
  table?: string | null;
  /** Start on this query (wins over `table`). */
  sql?: string | null;
  target?: string | null;
}

/** The SELECT of a whole table. */
export function selectAll(table: string): string {
  return `SELECT * FROM ${table}`;
}

export class TrainFormModel {
  constructor(options: ITrainFormOptions) {
    this.api = options.api;
    this._tables = options.tables ?? [];
    if (options.sql) {
      this._source = 'sql';
      this._sql = options.sql;
    } else if (options.table) {
      this._table = options.table;
      this._sql = selectAll(options.table);
    }
    this._pendingTarget = options.target ?? null;
  }

  readonly api: ITrainingApi;

  get changed(): ISignal<this, void> {
    return this._changed;
  }

  get tables(): readonly string[] {
    return this._tables;
  }
  get source(): SourceKind {
    return this._source;
  }
  get table(): string | null {
    return this._table;
  }
  get sql(): string {
    return this._sql;
  }
  get preview(): ITrainingPreview | null {
    return this._preview;
  }
  /** Whether a preview is being read. */
  get previewing(): boolean {
    return this._previewing;
  }
  get previewError(): ITrainingError | null {
    return this._previewError;
  }
  /** Whether the SQL changed since the preview was read. */
  get stale(): boolean {
    return this._preview !== null && this._previewSql !== this._sql;
  }
  get target(): string | null {
    return this._target;
  }
  /** The columns the user may pick as features (every column but the target). */
  get columns(): readonly IFeatureColumn[] {
    return this._preview?.columns.filter(c => c.name !== this._target) ?? [];
  }
  get features(): ReadonlySet<string> {
    return this._features;
  }
  /** The task the engine inferred for the target (null: no target yet). */
  get inferredTask(): TaskKind | null {
    return this._target ? (this._preview?.task ?? null) : null;
  }
  /** The user's override, if any. */
  get taskOverride(): TaskKind | null {
    return this._task;
  }
  /** The task the run will have. */
  get task(): TaskKind | null {
    return this._task ?? this.inferredTask;
  }
  /** The metrics of that task, as the preview lists them. */
  get metrics(): IMetricChoice[] {
    const task = this.task;
    const preview = this._preview;
    if (!task || !preview) {
      return [];
    }
    if (task === this.inferredTask && preview.metrics.length) {
      return preview.metrics;
    }
    return preview.metricsByTask[task] ?? [];
  }
  /** The metric the run will optimise. */
  get metric(): string | null {
    const names = this.metrics.map(m => m.name);
    if (this._metric && names.includes(this._metric)) {
      return this._metric;
    }
    const task = this.task;
    if (!task) {
      return null;
    }
    const preferred = [
      task === this.inferredTask ? this._preview?.defaultMetric : null,
      this._preview?.defaultMetricByTask[task]
    ].find(name => name && names.includes(name));
    return preferred ?? names[0] ?? null;
  }
  get budget(): number {
    return this._budget;
  }
  /** The column whose values the held-out metrics are reported per (null: none). */
  get sliceBy(): string | null {
    return this._sliceBy &&
      this._preview?.allColumns.includes(this._sliceBy) &&
      this._sliceBy !== this._target
      ? this._sliceBy
      : null;
  }
  /** Whether the best model is refitted on every row once evaluated. */
  get refitAll(): boolean {
    return this._refitAll;
  }
  get submitting(): boolean {
    return this._submitting;
  }
  get submitError(): ITrainingError | null {
    return this._submitError;
  }

  /** Why Train cannot be pressed yet (null: it can). */
  get problem(): string | null {
    if (!this._sql.trim()) {
      return 'no-sql';
    }
    if (!this._preview || this.stale) {
      return 'no-preview';
    }
    if (!this._target) {
      return 'no-target';
    }
    if (this._features.size === 0) {
      return 'no-features';
    }
    if (!(this._budget > 0)) {
      return 'no-budget';
    }
    return null;
  }

  setTables(tables: string[]): void {
    this._tables = tables;
    this._changed.emit();
  }

  /** Train on this table: its SELECT *, previewed at once. */
  setTable(table: string): Promise<void> {
    this._source = 'table';
    this._table = table;
    this._sql = selectAll(table);
    this._target = null;
    this._changed.emit();
    return this.readPreview();
  }

  /** Switch between a table and a query (a query starts from the table's SELECT). */
  setSource(source: SourceKind): void {
    this._source = source;
    this._changed.emit();
  }

  /** The query as typed (read its columns with `readPreview`). */
  setSql(sql: string): void {
    this._sql = sql;
    this._changed.emit();
  }

  /** Read the columns (and, with a target, the feature report and task) of the query. */
  async readPreview(): Promise<void> {
    const sql = this._sql;
    if (!sql.trim()) {
      return;
    }
    const generation = ++this._generation;
    const target = this._target ?? this._pendingTarget;
    this._previewing = true;
    this._previewError = null;
    this._changed.emit();
    try {
      let preview = await this.api.preview({ sql, target });
      if (
        target &&
        preview.allColumns.length &&
        !preview.allColumns.includes(target)
      ) {
        preview = await this.api.preview({ sql }); // the target is gone from the new query
      }
      if (generation !== this._generation) {
        return;
      }
      this._applyPreview(sql, preview);
    } catch (error) {
      if (generation === this._generation) {
        this._previewError = asApiError(error);
      }
    } finally {
      if (generation === this._generation) {
        this._previewing = false;
        this._pendingTarget = null;
        this._changed.emit();
      }
    }
  }

  /** Predict this column: the report is read again for it (leaks, task, metrics). */
  setTarget(target: string | null): Promise<void> {
    this._target = target || null;
    this._task = null;
    this._metric = null;
    this._changed.emit();
    return this.readPreview();
  }

  toggleFeature(name: string, on?: boolean): void {
    const next = new Set(this._features);
    if (on ?? !next.has(name)) {
      next.add(name);
    } else {
      next.delete(name);
    }
    this._features = next;
    this._changed.emit();
  }

  /** Every column, or only the unflagged ones (the default). */
  selectFeatures(which: 'all' | 'default' | 'none'): void {
    this._features = new Set(
      which === 'none'
        ? []
        : this.columns
            .filter(c =>
              which === 'all' ? c.kind !== 'unsupported' : c.included
            )
            .map(c => c.name)
    );
    this._changed.emit();
  }

  /** Override the inferred task (null: back to the inferred one). */
  setTask(task: TaskKind | null): void {
    this._task = task && task !== this.inferredTask ? task : null;
    this._changed.emit();
  }

  setMetric(metric: string | null): void {
    this._metric = metric;
    this._changed.emit();
  }

  setSliceBy(column: string | null): void {
    this._sliceBy = column || null;
    this._changed.emit();
  }

  setRefitAll(on: boolean): void {
    this._refitAll = on;
    this._changed.emit();
  }

  setBudget(seconds: number): void {
    this._budget = seconds;
    this._changed.emit();
  }

  /** What POST /training/runs gets (null while a problem remains). */
  request(): ITrainRequest | null {
    if (this.problem || !this._target) {
      return null;
    }
    const defaults = this.columns.filter(c => c.included).map(c => c.name);
    const chosen = this.columns
      .map(c => c.name)
      .filter(n => this._features.has(n));
    const same =
      chosen.length === defaults.length &&
      chosen.every((n, i) => n === defaults[i]);
    return {
      sql: this._sql,
      target: this._target,
      task: this._task,
      features: same ? null : chosen,
      metric: this.metric,
      budget_s: this._budget,
      slice_by: this.sliceBy,
      refit_all: this._refitAll
    };
  }

  /** Start the run; resolves with it (null when refused: see `submitError`). */
  async train(): Promise<ITrainingRun | null> {
    const request = this.request();
    if (!request || this._submitting) {
      return null;
    }
    this._submitting = true;
    this._submitError = null;
    this._changed.emit();
    try {
      return await this.api.startRun(request);
    } catch (error) {
      this._submitError = asApiError(error);
      return null;
    } finally {
      this._submitting = false;
      this._changed.emit();
    }
  }

  private _applyPreview(sql: string, preview: ITrainingPreview): void {
    this._preview = preview;
    this._previewSql = sql;
    this._target =
      preview.target && preview.allColumns.includes(preview.target)
        ? preview.target
        : null;
    // A new report (new data, or a new target whose leaks differ): its default feature set.
    this._features = new Set(
      preview.columns
        .filter(c => c.included && c.name !== this._target)
        .map(c => c.name)
    );
  }

  private _tables: string[];
  private _source: SourceKind = 'table';
  private _table: string | null = null;
  private _sql = '';
  private _preview: ITrainingPreview | null = null;
  private _previewSql = '';
  private _previewing = false;
  private _previewError: ITrainingError | null = null;
  private _pendingTarget: string | null;
  private _target: string | null = null;
  private _features = new Set<string>();
  private _task: TaskKind | null = null;
  private _metric: string | null = null;
  private _budget = DEFAULT_BUDGET;
  private _sliceBy: string | null = null;
  private _refitAll = false;
  private _submitting = false;
  private _submitError: ITrainingError | null = null;
  private _generation = 0;
  private readonly _changed = new Signal<this, void>(this);
}
