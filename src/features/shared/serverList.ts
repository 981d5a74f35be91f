/**
 * What the sidebar sections share: a list read from the server again and again (on show, after
 * a change, while something runs) that re-renders only when it differs, and the Workbench
 * sidebar being shown as a reason to read it again.
 */
import type { ILabShell, JupyterFrontEnd } from '@jupyterlab/application';
import { ISignal, Signal } from '@lumino/signaling';

import { SIDEBAR_ID } from '../catalog/commands';

/**
 * A list the server holds. `refresh` reads it; an answer older than the latest read is dropped,
 * and `changed` emits only when the list, its error or its loaded state differ (polling does
 * not re-render). Subclasses say how to read it and how a failure is shown.
 */
export abstract class ServerList<T, E> {
  get changed(): ISignal<this, void> {
    return this._changed;
  }

  /** Whether a read has answered (with the list or an error). */
  get loaded(): boolean {
    return this._loaded;
  }

  get error(): E | null {
    return this._error;
  }

  /** Read the list again; emits only when something differs. */
  async refresh(): Promise<void> {
    const generation = ++this._generation;
    try {
      const items = await this.read();
      if (generation !== this._generation) {
        return;
      }
      const next = JSON.stringify(items);
      const moreChanged = this.received(items);
      if (next !== this._last || this._error || !this._loaded || moreChanged) {
        this._last = next;
        this._items = items;
        this._error = null;
        this._loaded = true;
        this._changed.emit();
      }
    } catch (error) {
      if (generation === this._generation) {
        this._error = this.asError(error);
        this._loaded = true;
        this._changed.emit();
      }
    }
  }

  /** The list as last read (or as `replace` changed it). */
  protected get items(): readonly T[] {
    return this._items;
  }

  /** Read the list from the server. */
  protected abstract read(): Promise<T[]>;

  /** A failed read as the section shows it. */
  protected abstract asError(error: unknown): E;

  /**
   * A read answered with `items`: update what depends on them (before `changed` emits) and
   * say whether that changed something, which makes `changed` emit even for the same list.
   */
  protected received(items: readonly T[]): boolean {
    return false;
  }

  /** Change the list without reading it (an answer elsewhere told what changed); emits. */
  protected replace(items: T[]): void {
    this._items = items;
    this._last = JSON.stringify(items);
    this._changed.emit();
  }

  /** Emit `changed` for state a subclass keeps beside the list. */
  protected emitChanged(): void {
    this._changed.emit();
  }

  private _items: T[] = [];
  private _last = '';
  private _loaded = false;
  private _error: E | null = null;
  private _generation = 0;
  private readonly _changed = new Signal<this, void>(this);
}

/**
 * Call `refresh` each time the Workbench sidebar is shown after being hidden: kernels, the CLI
 * or other tabs may have changed what its sections list meanwhile. (The catalog plugin, which
 * the sections' plugins require, has added the sidebar by the time they activate.)
 */
export function refreshWhenSidebarShown(
  app: JupyterFrontEnd,
  labShell: ILabShell | null,
  refresh: () => void
): void {
  const sidebar = Array.from(app.shell.widgets('left')).find(
    w => w.id === SIDEBAR_ID
  );
  let shown = sidebar?.isVisible ?? false;
  labShell?.layoutModified.connect(() => {
    const now = sidebar?.isVisible ?? false;
    if (now && !shown) {
      refresh();
    }
    shown = now;
  });
}
