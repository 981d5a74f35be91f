/**
 * Sections other features add to the Workbench sidebar under the catalog (e.g. "Label data"),
 * so the sidebar need not know them.
 */
import { DisposableDelegate, IDisposable } from '@lumino/disposable';
import { ISignal, Signal } from '@lumino/signaling';

export interface ISidebarSection {
  /** Unique id (the React key). */
  id: string;
  /** Lower ranks show first. */
  rank: number;
  /** The section's view (it re-renders itself on its own model's signal). */
  render: () => JSX.Element;
  /** Reload what it shows (the sidebar's Refresh button, and when the sidebar loads). */
  refresh?: () => Promise<void>;
}

export class SidebarSections {
  get changed(): ISignal<this, void> {
    return this._changed;
  }

  /** The sections by rank. */
  get sections(): readonly ISidebarSection[] {
    return this._sections;
  }

  add(section: ISidebarSection): IDisposable {
    this._sections = [...this._sections, section].sort(
      (a, b) => a.rank - b.rank
    );
    this._changed.emit();
    return new DisposableDelegate(() => {
      this._sections = this._sections.filter(s => s !== section);
      this._changed.emit();
    });
  }

  /** Refresh every section that can. */
  async refresh(): Promise<void> {
    await Promise.all(this._sections.map(s => s.refresh?.()));
  }

  private _sections: ISidebarSection[] = [];
  private readonly _changed = new Signal<this, void>(this);
}
