/**
 * State of one join builder: the chosen tables, the server's key suggestions, the chosen keys,
 * join types and columns, the join's SQL and its preview. Talks only to the API client.
 *
 * Every change of the choices asks the server for the join's SQL again (a preview of no rows,
 * debounced), so the SQL shown is always the server's; "Preview" asks for the first rows and
 * the exact count.
 */
import { ISignal, Signal } from '@lumino/signaling';

import {
  asApiError,
  DescribeCatalog,
  JoinPreview,
  JoinSpec,
  JoinSuggestion,
  WorkbenchApiError,
  WorkbenchClient
} from '../../api/client';
import {
  buildSpec,
  catalogTables,
  IColumnChoice,
  IJoinChoice,
  ITableInfo,
  JoinType,
  missingStep,
  planColumns,
  planJoins,
  resolveClashes,
  sameTable
} from './plan';

/** What the builder needs of the catalog (the shared CatalogModel fits). */
export interface ICatalogSource {
  readonly client: WorkbenchClient;
  readonly catalog: DescribeCatalog | null;
  readonly changed: ISignal<any, void>;
  refresh(): Promise<void>;
}

export interface IJoinBuilderOptions {
  catalog: ICatalogSource;
  /** Tables to start with (e.g. the catalog row "Join with…" was chosen on). */
  tables?: string[];
  /** Milliseconds to wait after a change before asking for the SQL (0 in tests). */
  sqlDelay?: number;
  /** Rows of the preview. */
  previewRows?: number;
}

export class JoinBuilderModel {
  constructor(options: IJoinBuilderOptions) {
    this._catalog = options.catalog;
    this._sqlDelay = options.sqlDelay ?? 300;
    this._previewRows = options.previewRows ?? 20;
    this._catalog.changed.connect(this._onCatalogChanged, this);
    this._tables = [...(options.tables ?? [])];
    this._columns = planColumns(this._tableInfos());
  }

  get changed(): ISignal<this, void> {
    return this._changed;
  }

  get client(): WorkbenchClient {
    return this._catalog.client;
  }

  /** Every table of the catalog (the choices of the table pickers). */
  get available(): ITableInfo[] {
    return catalogTables(this._catalog.catalog);
  }

  get tables(): readonly string[] {
    return this._tables;
  }

  get joins(): readonly IJoinChoice[] {
    return this._joins;
  }

  get columns(): readonly IColumnChoice[] {
    return this._columns;
  }

  get suggestions(): readonly JoinSuggestion[] {
    return this._suggestions;
  }

  get suggesting(): boolean {
    return this._suggesting;
  }

  /** The join's SQL as the server wrote it for the current choices (null before that). */
  get sql(): string | null {
    return this._sql;
  }

  /** The last answer about the current choices: SQL, estimate, warnings (and rows, if previewed). */
  get preview(): JoinPreview | null {
    return this._preview;
  }

  /** Whether `preview` has rows of the current choices ("Preview" was pressed since). */
  get previewed(): boolean {
    return this._previewed;
  }

  get busy(): boolean {
    return this._pending > 0;
  }

  /** The last error of the server about the current choices (a 422 names the CAST to use). */
  get error(): WorkbenchApiError | null {
    return this._error;
  }

  /** What is still to choose before there is a join ('tables', 'keys', 'columns'), or null. */
  get missing(): 'tables' | 'keys' | 'columns' | null {
    return missingStep(this._tables, this._joins, this._columns);
  }

  /** The spec the server is asked about, or null while a choice is missing. */
  get spec(): JoinSpec | null {
    return this.missing
      ? null
      : buildSpec(this._tables, this._joins, this._columns);
  }

  get isDisposed(): boolean {
    return this._disposed;
  }

  dispose(): void {
    if (this._disposed) {
      return;
    }
    this._disposed = true;
    clearTimeout(this._timer);
    this._catalog.changed.disconnect(this._onCatalogChanged, this);
    Signal.clearData(this);
  }

  /** Load the catalog if it is not there yet, then suggest keys for the tables given. */
  async start(): Promise<void> {
    if (!this._catalog.catalog) {
      await this._catalog.refresh();
    }
    this._columns = planColumns(this._tableInfos(), this._columns);
    this._emit();
    if (this._tables.length >= 2) {
      await this.suggest();
    }
  }

  /** Choose the tables (in join order: the first is the base). */
  async setTables(tables: string[]): Promise<void> {
    const unique = tables.filter(
      (t, i) => t && tables.findIndex(u => sameTable(u, t)) === i
    );
    this._tables = unique;
    this._columns = planColumns(this._tableInfos(), this._columns);
    this._joins = planJoins(this._tables, this._suggestions, this._joins);
    this._changedChoices();
    await this.suggest();
  }

  addTable(name: string): Promise<void> {
    return this.setTables([...this._tables, name]);
  }

  removeTable(index: number): Promise<void> {
    return this.setTables(this._tables.filter((_, i) => i !== index));
  }

  replaceTable(index: number, name: string): Promise<void> {
    return this.setTables(this._tables.map((t, i) => (i === index ? name : t)));
  }

  /** Ask the server for key suggestions between the chosen tables. */
  async suggest(): Promise<void> {
    const tables = [...this._tables];
    const generation = ++this._suggestGeneration;
    if (tables.length < 2) {
      this._suggestions = [];
      this._joins = [];
      this._emit();
      return;
    }
    this._suggesting = true;
    this._emit();
    try {
      const answer = await this.client.suggestJoins({ tables });
      if (generation !== this._suggestGeneration || this._disposed) {
        return;
      }
      this._suggestions = answer.suggestions;
      this._joins = planJoins(this._tables, this._suggestions, this._joins);
      this._suggesting = false;
      this._changedChoices();
    } catch (error) {
      if (generation !== this._suggestGeneration || this._disposed) {
        return;
      }
      this._suggesting = false;
      this._error = asApiError(error);
      this._emit();
    }
  }

  setHow(index: number, how: JoinType): void {
    this._updateJoin(index, join => ({ ...join, how }));
  }

  /** Use a key pair in a join, or stop using it. */
  toggleKey(index: number, key: number, selected?: boolean): void {
    this._updateJoin(index, join => ({
      ...join,
      keys: join.keys.map((k, i) =>
        i === key ? { ...k, selected: selected ?? !k.selected } : k
      )
    }));
  }

  /** Add a key pair of the user's own to a join (selected). */
  addKey(
    index: number,
    leftTable: string,
    leftColumn: string,
    rightColumn: string
  ): void {
    this._updateJoin(index, join => {
      const existing = join.keys.findIndex(
        k =>
          sameTable(k.leftTable, leftTable) &&
          k.leftColumn === leftColumn &&
          k.rightColumn === rightColumn
      );
      if (existing >= 0) {
        return {
          ...join,
          keys: join.keys.map((k, i) =>
            i === existing ? { ...k, selected: true } : k
          )
        };
      }
      return {
        ...join,
        keys: [
          ...join.keys,
          {
            leftTable,
            leftColumn,
            rightColumn,
            suggestion: null,
            selected: true
          }
        ]
      };
    });
  }

  /** Keep a column or drop it. */
  toggleColumn(table: string, column: string, selected?: boolean): void {
    this._columns = resolveClashes(
      this._columns.map(c =>
        sameTable(c.table, table) && c.column === column
          ? { ...c, selected: selected ?? !c.selected }
          : c
      )
    );
    this._changedChoices();
  }

  /** Keep every column of a table, or none. */
  selectAllColumns(table: string, selected: boolean): void {
    this._columns = resolveClashes(
      this._columns.map(c =>
        sameTable(c.table, table) ? { ...c, selected } : c
      )
    );
    this._changedChoices();
  }

  /** Name a column in the result. */
  setAlias(table: string, column: string, alias: string): void {
    this._columns = resolveClashes(
      this._columns.map(c =>
        sameTable(c.table, table) && c.column === column
          ? { ...c, alias: alias.trim() }
          : c
      )
    );
    this._changedChoices();
  }

  /**
   * Ask the server for the join's SQL (and its estimate and warnings) now, without rows.
   * Resolves with the SQL, or null when a choice is missing or the server refused.
   */
  refreshSql(): Promise<string | null> {
    clearTimeout(this._timer);
    return this._ask(0);
  }

  /** Ask the server for the first rows and the count of the join. */
  async runPreview(): Promise<JoinPreview | null> {
    clearTimeout(this._timer);
    await this._ask(this._previewRows);
    return this._previewed ? this._preview : null;
  }

  private async _ask(limit: number): Promise<string | null> {
    const spec = this.spec;
    const generation = ++this._askGeneration;
    if (!spec) {
      this._sql = null;
      this._preview = null;
      this._previewed = false;
      this._emit();
      return null;
    }
    this._pending++;
    this._emit();
    try {
      const preview = await this.client.previewJoin({
        spec,
        limit,
        // Counting exactly is for the explicit preview; SQL refreshes take the estimate.
        ...(limit === 0 ? { exact_count_rows: 0 } : {})
      });
      if (generation !== this._askGeneration || this._disposed) {
        return preview.sql;
      }
      this._sql = preview.sql;
      this._preview = preview;
      this._previewed = limit > 0;
      this._error = null;
      return preview.sql;
    } catch (error) {
      if (generation === this._askGeneration && !this._disposed) {
        this._error = asApiError(error);
        this._preview = null;
        this._previewed = false;
      }
      return null;
    } finally {
      this._pending--;
      this._emit();
    }
  }

  private _updateJoin(
    index: number,
    update: (join: IJoinChoice) => IJoinChoice
  ): void {
    this._joins = this._joins.map((join, i) =>
      i === index ? update(join) : join
    );
    this._changedChoices();
  }

  /** The choices changed: the preview is out of date; ask for the SQL again soon. */
  private _changedChoices(): void {
    this._previewed = false;
    this._error = null;
    clearTimeout(this._timer);
    if (this.spec) {
      this._timer = setTimeout(() => void this._ask(0), this._sqlDelay);
    } else {
      this._askGeneration++;
      this._sql = null;
      this._preview = null;
    }
    this._emit();
  }

  private _tableInfos(): ITableInfo[] {
    const available = this.available;
    return this._tables.map(
      name =>
        available.find(t => sameTable(t.name, name)) ?? {
          name,
          columns: [],
          rowCount: null
        }
    );
  }

  private _onCatalogChanged(): void {
    const before = this._columns.length;
    this._columns = planColumns(this._tableInfos(), this._columns);
    if (this._columns.length !== before) {
      this._changedChoices();
    } else {
      this._emit();
    }
  }

  private _emit(): void {
    if (!this._disposed) {
      this._changed.emit();
    }
  }

  private readonly _catalog: ICatalogSource;
  private readonly _sqlDelay: number;
  private readonly _previewRows: number;
  private _tables: string[] = [];
  private _joins: IJoinChoice[] = [];
  private _columns: IColumnChoice[] = [];
  private _suggestions: JoinSuggestion[] = [];
  private _suggesting = false;
  private _suggestGeneration = 0;
  private _askGeneration = 0;
  private _pending = 0;
  private _sql: string | null = null;
  private _preview: JoinPreview | null = null;
  private _previewed = false;
  private _error: WorkbenchApiError | null = null;
  private _timer: ReturnType<typeof setTimeout> | undefined = undefined;
  private _disposed = false;
  private _changed = new Signal<this, void>(this);
}
