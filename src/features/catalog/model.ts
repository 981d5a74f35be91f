/**
 * State of the Workbench catalog: the server's sources and tables, the health of the server
 * extension, and the names the SQL editor completes. Talks only to the API client.
 */
import { ISignal, Signal } from '@lumino/signaling';

import {
  DescribeCatalog,
  DescribeStatus,
  WorkbenchApiError,
  WorkbenchClient
} from '../../api/client';
import { buildCatalogTree, ICatalogNode, IGroupTitles } from './tree';

/** `loading` before the first answer; `missing` when the server extension is not there. */
export type CatalogState = 'loading' | 'ready' | 'error' | 'missing';

export class CatalogModel {
  constructor(
    readonly client: WorkbenchClient,
    private readonly _titles?: IGroupTitles
  ) {}

  get changed(): ISignal<this, void> {
    return this._changed;
  }

  get state(): CatalogState {
    return this._state;
  }

  get status(): DescribeStatus | null {
    return this._status;
  }

  get catalog(): DescribeCatalog | null {
    return this._catalog;
  }

  get tree(): ICatalogNode[] {
    return this._tree;
  }

  /** The last error (state `error` or `missing`). */
  get error(): WorkbenchApiError | null {
    return this._error;
  }

  /** Table name -> column names, for the SQL editor's completion. */
  get completionNames(): { [table: string]: string[] } {
    return this._names;
  }

  get refreshing(): boolean {
    return this._refreshing !== null;
  }

  isExpanded(id: string): boolean {
    return this._expanded.has(id);
  }

  toggle(id: string): void {
    if (!this._expanded.delete(id)) {
      this._expanded.add(id);
    }
    this._changed.emit();
  }

  /** Check the server, then load the catalog and the completion names. */
  refresh(): Promise<void> {
    if (!this._refreshing) {
      this._refreshing = this._refresh().finally(() => {
        this._refreshing = null;
        this._changed.emit();
      });
      this._changed.emit();
    }
    return this._refreshing;
  }

  /** Remove a registered source (its data stays where it is). */
  async removeSource(name: string): Promise<void> {
    await this.client.removeSource(name);
    await this.refresh();
  }

  /** Remove a workspace table and its versions. */
  async removeTable(name: string): Promise<void> {
    await this.client.removeTable(name);
    await this.refresh();
  }

  private async _refresh(): Promise<void> {
    try {
      this._status = await this.client.getStatus();
      const [catalog, names] = await Promise.all([
        this.client.getCatalog(),
        this.client.getCompletionNames()
      ]);
      this._catalog = catalog;
      this._names = names.tables ?? {};
      this._tree = buildCatalogTree(catalog, this._titles);
      if (this._state !== 'ready') {
        // Open both groups the first time, so a new user sees what is there.
        this._tree.forEach(group => this._expanded.add(group.id));
      }
      this._state = 'ready';
      this._error = null;
    } catch (error) {
      this._error =
        error instanceof WorkbenchApiError
          ? error
          : new WorkbenchApiError(String(error), 0, 'unexpected_response');
      this._state = this._error.extensionMissing ? 'missing' : 'error';
    }
  }

  private _state: CatalogState = 'loading';
  private _status: DescribeStatus | null = null;
  private _catalog: DescribeCatalog | null = null;
  private _tree: ICatalogNode[] = [];
  private _names: { [table: string]: string[] } = {};
  private _error: WorkbenchApiError | null = null;
  private _expanded = new Set<string>();
  private _refreshing: Promise<void> | null = null;
  private _changed = new Signal<this, void>(this);
}
