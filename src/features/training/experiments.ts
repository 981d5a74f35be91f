/**
 * The training runs the sidebar's "Experiments" section lists, which of them are ticked for
 * a comparison, and their deletion. Talks only to `ITrainingApi`.
 */
import { asApiError } from '../../api/client';
import { ServerList } from '../shared/serverList';
import { IRunSummary, ITrainingApi, ITrainingError } from './types';

/** How many runs a comparison shows side by side. */
export const COMPARE_MAX = 2;

export class ExperimentsModel extends ServerList<IRunSummary, ITrainingError> {
  constructor(readonly api: ITrainingApi) {
    super();
  }

  /** Newest first. */
  get runs(): readonly IRunSummary[] {
    return this.items;
  }

  /** The ticked runs, in the order they were ticked (at most COMPARE_MAX). */
  get selected(): readonly number[] {
    return this._selected;
  }

  /** Whether some listed run still runs (the list is read again while one does). */
  get anyRunning(): boolean {
    return this.items.some(r => r.status === 'running');
  }

  /** Tick or untick a run for the comparison; a third tick drops the oldest one. */
  toggleSelected(id: number): void {
    if (this._selected.includes(id)) {
      this._selected = this._selected.filter(s => s !== id);
    } else {
      this._selected = [...this._selected, id].slice(-COMPARE_MAX);
    }
    this.emitChanged();
  }

  /** Delete a run (its models and lineage too) and reload. */
  async remove(id: number): Promise<void> {
    await this.api.deleteRun(id);
    this._selected = this._selected.filter(s => s !== id);
    await this.refresh();
  }

  protected async read(): Promise<IRunSummary[]> {
    return [...(await this.api.listRuns())].sort((a, b) => b.id - a.id);
  }

  protected asError(error: unknown): ITrainingError {
    return asApiError(error);
  }

  /** A deleted run is no longer ticked. */
  protected received(runs: readonly IRunSummary[]): boolean {
    const ids = new Set(runs.map(r => r.id));
    const selected = this._selected.filter(id => ids.has(id));
    const changed = selected.length !== this._selected.length;
    this._selected = selected;
    return changed;
  }

  private _selected: number[] = [];
}
