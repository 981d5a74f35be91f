/**
 * The label sets the sidebar lists, with their progress. Talks only to `ILabelingApi`.
 */
import { ISignal, Signal } from '@lumino/signaling';

import { asLabelingError, LabelerModel } from './model';
import {
  IDescribeLabelSet,
  ILabelingApi,
  ILabelingError,
  ILabelProgress
} from './types';

export class LabelSetsModel {
  constructor(readonly api: ILabelingApi) {}

  get changed(): ISignal<this, void> {
    return this._changed;
  }

  get labelSets(): readonly IDescribeLabelSet[] {
    return this._sets;
  }

  get loaded(): boolean {
    return this._loaded;
  }

  get error(): ILabelingError | null {
    return this._error;
  }

  /** Reload the list; emits only when something differs (polling does not re-render). */
  async refresh(): Promise<void> {
    const generation = ++this._generation;
    try {
      const sets = await this.api.listLabelSets();
      if (generation !== this._generation) {
        return;
      }
      const next = JSON.stringify(sets);
      if (next !== this._last || this._error || !this._loaded) {
        this._last = next;
        this._sets = sets;
        this._error = null;
        this._loaded = true;
        this._changed.emit();
      }
    } catch (error) {
      if (generation === this._generation) {
        this._error = asLabelingError(error);
        this._loaded = true;
        this._changed.emit();
      }
    }
  }

  /**
   * Show a label set's progress as a save, skip or undo answered it: the sidebar follows the
   * labeler without reading the whole list again. Emits only when the figures differ.
   */
  setProgress(name: string, progress: ILabelProgress): void {
    const set = this._sets.find(s => s.name === name);
    if (!set || sameProgress(set.progress, progress)) {
      return;
    }
    this._sets = this._sets.map(s =>
      s === set ? { ...s, progress: { ...progress } } : s
    );
    this._last = JSON.stringify(this._sets);
    this._changed.emit();
  }

  /** Keep a labeler's label set row up to date from its saves (until the labeler closes). */
  follow(labeler: LabelerModel): void {
    labeler.progressSaved.connect((_, progress) =>
      this.setProgress(labeler.labelSet.name, progress)
    );
  }

  /** Forget a label set (its labels too) and reload. */
  async remove(name: string): Promise<void> {
    await this.api.removeLabelSet(name);
    await this.refresh();
  }

  private _sets: IDescribeLabelSet[] = [];
  private _last = '';
  private _loaded = false;
  private _error: ILabelingError | null = null;
  private _generation = 0;
  private readonly _changed = new Signal<this, void>(this);
}

/** "12 / 1,000" and the share (0-1) of a label set's progress. */
export function progressOf(set: IDescribeLabelSet): {
  text: string;
  share: number;
} {
  const { labeled, total } = set.progress;
  return {
    text: `${labeled.toLocaleString()} / ${total.toLocaleString()}`,
    share: total > 0 ? Math.min(1, labeled / total) : 0
  };
}

function sameProgress(a: ILabelProgress, b: ILabelProgress): boolean {
  return (Object.keys({ ...a, ...b }) as (keyof ILabelProgress)[]).every(
    key => a[key] === b[key]
  );
}
