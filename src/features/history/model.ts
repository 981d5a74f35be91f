/**
 * State of the sidebar's "History" and "Saved queries" sections: the server's query history
 * (newest first, searchable, paged) and the workspace's saved `.sql` files. Talks only to the
 * API client.
 */
import { ISignal, Signal } from '@lumino/signaling';

import {
  asApiError,
  DescribeHistoryEntry,
  DescribeSavedQuery,
  ReadSavedQueryResponse,
  WorkbenchApiError,
  WorkbenchClient
} from '../../api/client';

/** Entries fetched per page of the history. */
export const HISTORY_PAGE = 50;

/** The query history as the sidebar shows it. */
export class HistoryModel {
  constructor(private readonly _client: WorkbenchClient) {}

  get changed(): ISignal<this, void> {
    return this._changed;
  }

  get entries(): readonly DescribeHistoryEntry[] {
    return this._entries;
  }

  /** Entries matching the search on the server (may exceed `entries.length`). */
  get total(): number {
    return this._total;
  }

  get hasMore(): boolean {
    return this._entries.length < this._total;
  }

  /** The text the entries' SQL must contain ('' for all). */
  get search(): string {
    return this._search;
  }

  get loaded(): boolean {
    return this._loaded;
  }

  get error(): WorkbenchApiError | null {
    return this._error;
  }

  /** Search the history (a new first page). */
  setSearch(text: string): Promise<void> {
    if (text === this._search) {
      return Promise.resolve();
    }
    this._search = text;
    this._changed.emit();
    return this.refresh();
  }

  /**
   * Reload what is shown (at least the first page; as many entries as are shown now).
   * Emits `changed` only when something differs, so polling does not re-render.
   */
  async refresh(): Promise<void> {
    const generation = ++this._generation;
    const limit = Math.max(HISTORY_PAGE, Math.min(500, this._entries.length));
    try {
      const page = await this._client.listHistory({
        limit,
        offset: 0,
        q: this._search || undefined
      });
      if (generation !== this._generation) {
        return; // a newer search or refresh answers instead
      }
      this._apply(page.entries, page.total);
    } catch (error) {
      if (generation === this._generation) {
        this._error = asApiError(error);
        this._loaded = true;
        this._changed.emit();
      }
    }
  }

  /** Append the next page. */
  async loadMore(): Promise<void> {
    const generation = this._generation;
    const page = await this._client.listHistory({
      limit: HISTORY_PAGE,
      offset: this._entries.length,
      q: this._search || undefined
    });
    if (generation !== this._generation) {
      return;
    }
    const known = new Set(this._entries.map(entry => entry.id));
    this._apply(
      [...this._entries, ...page.entries.filter(e => !known.has(e.id))],
      page.total
    );
  }

  /** Forget one entry. */
  async remove(id: number): Promise<void> {
    await this._client.deleteHistoryEntry(id);
    this._apply(
      this._entries.filter(entry => entry.id !== id),
      Math.max(0, this._total - 1)
    );
  }

  /** Forget every entry; resolves with how many were removed. */
  async clear(): Promise<number> {
    const answer = await this._client.clearHistory();
    ++this._generation;
    this._apply([], 0);
    return answer.deleted;
  }

  private _apply(entries: DescribeHistoryEntry[], total: number): void {
    const same =
      this._loaded &&
      !this._error &&
      total === this._total &&
      JSON.stringify(entries) === JSON.stringify(this._entries);
    this._entries = entries;
    this._total = total;
    this._error = null;
    this._loaded = true;
    if (!same) {
      this._changed.emit();
    }
  }

  private _entries: DescribeHistoryEntry[] = [];
  private _total = 0;
  private _search = '';
  private _loaded = false;
  private _error: WorkbenchApiError | null = null;
  private _generation = 0;
  private _changed = new Signal<this, void>(this);
}

/** The saved queries (`queries/*.sql` in the workspace). */
export class SavedQueriesModel {
  constructor(private readonly _client: WorkbenchClient) {}

  get changed(): ISignal<this, void> {
    return this._changed;
  }

  get queries(): readonly DescribeSavedQuery[] {
    return this._queries;
  }

  get loaded(): boolean {
    return this._loaded;
  }

  get error(): WorkbenchApiError | null {
    return this._error;
  }

  has(name: string): boolean {
    return this._queries.some(query => query.name === name);
  }

  async refresh(): Promise<void> {
    try {
      const answer = await this._client.listSavedQueries();
      this._queries = answer.queries;
      this._error = null;
    } catch (error) {
      this._error = asApiError(error);
    }
    this._loaded = true;
    this._changed.emit();
  }

  /** The query with its text. */
  read(name: string): Promise<ReadSavedQueryResponse> {
    return this._client.readSavedQuery(name);
  }

  /** Save SQL under a name; a 409 `conflict` when it exists and `overwrite` is false. */
  async save(
    name: string,
    sql: string,
    overwrite = false
  ): Promise<ReadSavedQueryResponse> {
    const saved = await this._client.saveQuery(name, { sql, overwrite });
    await this.refresh();
    return saved;
  }

  async rename(
    name: string,
    newName: string,
    overwrite = false
  ): Promise<ReadSavedQueryResponse> {
    const renamed = await this._client.renameSavedQuery(name, {
      new_name: newName,
      overwrite
    });
    await this.refresh();
    return renamed;
  }

  async remove(name: string): Promise<void> {
    await this._client.deleteSavedQuery(name);
    await this.refresh();
  }

  private _queries: DescribeSavedQuery[] = [];
  private _loaded = false;
  private _error: WorkbenchApiError | null = null;
  private _changed = new Signal<this, void>(this);
}
