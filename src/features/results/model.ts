/**
 * A Lumino DataModel over a server-side result session. Rows are fetched lazily in blocks
 * (POST /results/{id}/page) as the grid asks for them, cached (a bounded number of blocks, so
 * a million-row result never sits whole in the browser) and sorted server-side.
 */
import { DataModel } from '@lumino/datagrid';
import { ISignal, Signal } from '@lumino/signaling';

import type {
  Cell,
  ColumnInfo,
  FetchPageRequest,
  QueryPage,
  SortKey
} from '../../api/client';
import { FAILED_TEXT, formatCell, isNumericType, LOADING_TEXT } from './cells';

/** Fetches one window of the result (the API client's fetchPage, bound to a session). */
export type PageFetcher = (request: FetchPageRequest) => Promise<QueryPage>;

export type SortDirection = 'asc' | 'desc';

export interface IResultsModelOptions {
  fetchPage: PageFetcher;
  columns: ColumnInfo[];
  /** Rows already known (the first page of the run), starting at offset 0. */
  firstRows?: Cell[][];
  /** Total rows; null while the server is still counting. */
  totalRows: number | null;
  /** Rows per block fetched from the server. */
  blockSize?: number;
  /** Blocks kept in memory; the least recently used are dropped past this. */
  maxBlocks?: number;
}

/** Metadata the renderers read: the column's DuckDB type and whether it is numeric. */
export interface IColumnMetadata {
  name: string;
  type: string;
  numeric: boolean;
  [key: string]: unknown;
}

export class ResultsDataModel extends DataModel {
  constructor(options: IResultsModelOptions) {
    super();
    this._fetchPage = options.fetchPage;
    this._columns = options.columns;
    this._blockSize = Math.max(1, options.blockSize ?? 500);
    this._maxBlocks = Math.max(2, options.maxBlocks ?? 200);
    this._totalRows = options.totalRows;
    const first = options.firstRows ?? [];
    this._knownRows = first.length;
    // Seed the cache with the run's first page, whole blocks only.
    for (let b = 0; (b + 1) * this._blockSize <= first.length; b++) {
      this._blocks.set(
        b,
        first.slice(b * this._blockSize, (b + 1) * this._blockSize)
      );
    }
    const rest = first.length % this._blockSize;
    if (rest && this._totalRows !== null && first.length >= this._totalRows) {
      const b = Math.floor(first.length / this._blockSize);
      this._blocks.set(b, first.slice(b * this._blockSize));
    }
  }

  /** Emitted when a page cannot be fetched. */
  get fetchFailed(): ISignal<this, Error> {
    return this._fetchFailed;
  }

  /** Emitted when the sort changes. */
  get sortChanged(): ISignal<this, SortKey | null> {
    return this._sortChanged;
  }

  get columns(): readonly ColumnInfo[] {
    return this._columns;
  }

  get blockSize(): number {
    return this._blockSize;
  }

  get totalRows(): number | null {
    return this._totalRows;
  }

  get sort(): SortKey | null {
    return this._sort;
  }

  /** Block indices in the cache (for tests and debugging). */
  get cachedBlocks(): number[] {
    return [...this._blocks.keys()];
  }

  rowCount(region: DataModel.RowRegion): number {
    if (region === 'column-header') {
      return 1;
    }
    return this._totalRows ?? this._knownRows;
  }

  columnCount(region: DataModel.ColumnRegion): number {
    return region === 'row-header' ? 1 : this._columns.length;
  }

  data(region: DataModel.CellRegion, row: number, column: number): string {
    switch (region) {
      case 'column-header':
        return this.headerText(column);
      case 'row-header':
        return String(row + 1);
      case 'corner-header':
        return '#';
      default:
        return this._cellText(row, column);
    }
  }

  metadata(
    region: DataModel.CellRegion,
    row: number,
    column: number
  ): IColumnMetadata | DataModel.Metadata {
    if (region === 'body' || region === 'column-header') {
      const info = this._columns[column];
      if (info) {
        return {
          name: info.name,
          type: info.type,
          numeric: isNumericType(info.type)
        };
      }
    }
    return DataModel.emptyMetadata;
  }

  /** The header text: name, DuckDB type and the sort indicator. */
  headerText(column: number): string {
    const info = this._columns[column];
    if (!info) {
      return '';
    }
    // The indicator goes first so that an elided header still shows it.
    let arrow = '';
    if (this._sort && this._sort.column === info.name) {
      arrow = this._sort.descending ? '▼ ' : '▲ ';
    }
    return `${arrow}${info.name} · ${info.type}`;
  }

  /** The raw cell value if its block is loaded, `undefined` otherwise (does not fetch). */
  cachedValue(row: number, column: number): Cell | undefined {
    const block = this._blocks.get(Math.floor(row / this._blockSize));
    const values = block?.[row % this._blockSize];
    return values ? values[column] : undefined;
  }

  /** Next sort of a column: ascending, then descending, then none. */
  cycleSort(column: number): void {
    const info = this._columns[column];
    if (!info) {
      return;
    }
    const current = this._sort?.column === info.name ? this._sort : null;
    if (!current) {
      this.setSort({ column: info.name, descending: false });
    } else if (!current.descending) {
      this.setSort({ column: info.name, descending: true });
    } else {
      this.setSort(null);
    }
  }

  /** Sort server-side; drops every cached block. */
  setSort(sort: SortKey | null): void {
    this._sort = sort;
    this._generation++;
    this._blocks.clear();
    this._pending.clear();
    this._failed.clear();
    this._sortChanged.emit(sort);
    this.emitChanged({ type: 'model-reset' });
  }

  /** The server finished counting: grow (or shrink) the grid to the real row count. */
  setTotalRows(total: number): void {
    const before = this.rowCount('body');
    this._totalRows = total;
    if (total > before) {
      this.emitChanged({
        type: 'rows-inserted',
        region: 'body',
        index: before,
        span: total - before
      });
    } else if (total < before) {
      this.emitChanged({
        type: 'rows-removed',
        region: 'body',
        index: total,
        span: before - total
      });
    }
  }

  /** Fetch the block holding `row` unless it is cached or on its way. */
  ensureBlock(block: number): Promise<void> {
    if (this._blocks.has(block)) {
      this._touch(block);
      return Promise.resolve();
    }
    const pending = this._pending.get(block);
    if (pending) {
      return pending;
    }
    const generation = this._generation;
    const offset = block * this._blockSize;
    const request: FetchPageRequest = {
      offset,
      limit: this._blockSize,
      sort: this._sort ? [this._sort] : []
    };
    const promise = this._fetchPage(request)
      .then(page => {
        if (generation !== this._generation) {
          return; // the sort changed meanwhile; this page is stale
        }
        this._blocks.set(block, page.rows);
        this._knownRows = Math.max(this._knownRows, offset + page.rows.length);
        this._evict();
        if (
          page.total_rows !== null &&
          page.total_rows !== undefined &&
          page.total_rows !== this._totalRows
        ) {
          this.setTotalRows(page.total_rows);
        }
        this._emitBlock(block, page.rows.length);
      })
      .catch(error => {
        if (generation !== this._generation) {
          return;
        }
        this._failed.add(block);
        this._fetchFailed.emit(
          error instanceof Error ? error : new Error(String(error))
        );
        this._emitBlock(block, this._blockSize);
      })
      .finally(() => {
        if (generation === this._generation) {
          this._pending.delete(block);
        }
      });
    this._pending.set(block, promise);
    return promise;
  }

  /** Forget failed blocks so they are fetched again on the next paint. */
  retryFailed(): void {
    const failed = [...this._failed];
    this._failed.clear();
    failed.forEach(block => this._emitBlock(block, this._blockSize));
  }

  private _cellText(row: number, column: number): string {
    const block = Math.floor(row / this._blockSize);
    const rows = this._blocks.get(block);
    if (rows) {
      if (row % this._blockSize === 0 && column === 0) {
        this._touch(block); // once per block per paint keeps the LRU order cheap
      }
      const values = rows[row % this._blockSize];
      return values ? formatCell(values[column]) : '';
    }
    if (this._failed.has(block)) {
      return FAILED_TEXT;
    }
    void this.ensureBlock(block);
    return LOADING_TEXT;
  }

  private _emitBlock(block: number, span: number): void {
    const row = block * this._blockSize;
    const rowSpan = Math.max(
      0,
      Math.min(span || this._blockSize, this.rowCount('body') - row)
    );
    if (rowSpan === 0 || this._columns.length === 0) {
      return;
    }
    this.emitChanged({
      type: 'cells-changed',
      region: 'body',
      row,
      column: 0,
      rowSpan,
      columnSpan: this._columns.length
    });
  }

  /** Move a block to the most-recently-used end of the Map's order. */
  private _touch(block: number): void {
    const rows = this._blocks.get(block);
    if (rows) {
      this._blocks.delete(block);
      this._blocks.set(block, rows);
    }
  }

  private _evict(): void {
    while (this._blocks.size > this._maxBlocks) {
      const oldest = this._blocks.keys().next().value as number;
      this._blocks.delete(oldest);
    }
  }

  private readonly _fetchPage: PageFetcher;
  private readonly _columns: ColumnInfo[];
  private readonly _blockSize: number;
  private readonly _maxBlocks: number;
  private _totalRows: number | null;
  private _knownRows: number;
  private _sort: SortKey | null = null;
  private _generation = 0;
  private _blocks = new Map<number, Cell[][]>();
  private _pending = new Map<number, Promise<void>>();
  private _failed = new Set<number>();
  private _fetchFailed = new Signal<this, Error>(this);
  private _sortChanged = new Signal<this, SortKey | null>(this);
}
