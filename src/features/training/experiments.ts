/**
 * The training runs the sidebar's "Experiments" section lists, which of them are ticked for
 * a comparison, and their deletion. Talks only to `ITrainingApi`.
 */
import { ISignal, Signal } from '@lumino/signaling';

import { asApiError } from '../../api/client';
import { IRunSummary, ITrainingApi, ITrainingError } from './types';

/** How many runs a comparison shows side by side. */
export const COMPARE_MAX = 2;

export class ExperimentsModel {
  constructor(readonly api: ITrainingApi) {}

  get changed(): ISignal<this, void> {
    return this._changed;
  }

  /** Newest first. */
  get runs(): readonly IRunSummary[] {
    return this._runs;
  }

  get loaded(): boolean {
    return this._loaded;
  }

  get error(): ITrainingError | null {
    return this._error;
  }

  /** The ticked runs, in the order they were ticked (at most COMPARE_MAX). */
  get selected(): readonly number[] {
    return this._selected;
  }

  /** Whether some listed run still runs (the list is read again while one does). */
  get anyRunning(): boolean {
    return this._runs.some(r => r.status === 'running');
  }

  /** Reload the list; emits only when something differs. */
  async refresh(): Promise<void> {
    const generation = ++this._generation;
    try {
      const runs = [...(await this.api.listRuns())].sort((a, b) => b.id - a.id);
      if (generation !== this._generation) {
        return;
      }
      const next = JSON.stringify(runs);
      const ids = new Set(runs.map(r => r.id));
      const selected = this._selected.filter(id => ids.has(id));
      if (
        next !== this._last ||
        this._error ||
        !this._loaded ||
        selected.length !== this._selected.length
      ) {
        this._last = next;
        this._runs = runs;
        this._selected = selected;
        this._error = null;
        this._loaded = true;
        this._changed.emit();
      }
    } catch (error) {
      if (generation === this._generation) {
        this._error = asApiError(error);
        this._loaded = true;
        this._changed.emit();
      }
    }
  }

  /** Tick or untick a run for the comparison; a third tick drops the oldest one. */
  toggleSelected(id: number): void {
    if (this._selected.includes(id)) {
      this._selected = this._selected.filter(s => s !== id);
    } else {
      this._selected = [...this._selected, id].slice(-COMPARE_MAX);
    }
    this._changed.emit();
  }

  /** Delete a run (its models and lineage too) and reload. */
  async remove(id: number): Promise<void> {
    await this.api.deleteRun(id);
    this._selected = this._selected.filter(s => s !== id);
    await this.refresh();
  }

  private _runs: IRunSummary[] = [];
  private _selected: number[] = [];
  private _last = '';
  private _loaded = false;
  private _error: ITrainingError | null = null;
  private _generation = 0;
  private readonly _changed = new Signal<this, void>(this);
}
