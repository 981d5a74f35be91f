/**
 * The label sets the sidebar lists, with their progress. Talks only to `ILabelingApi`.
 */
import { ServerList } from '../shared/serverList';
import { asLabelingError, LabelerModel } from './model';
import {
  IDescribeLabelSet,
  ILabelingApi,
  ILabelingError,
  ILabelProgress
} from './types';

export class LabelSetsModel extends ServerList<
  IDescribeLabelSet,
  ILabelingError
> {
  constructor(readonly api: ILabelingApi) {
    super();
  }

  get labelSets(): readonly IDescribeLabelSet[] {
    return this.items;
  }

  /**
   * Show a label set's progress as a save, skip or undo answered it: the sidebar follows the
   * labeler without reading the whole list again. Emits only when the figures differ.
   */
  setProgress(name: string, progress: ILabelProgress): void {
    const set = this.items.find(s => s.name === name);
    if (!set || sameProgress(set.progress, progress)) {
      return;
    }
    this.replace(
      this.items.map(s => (s === set ? { ...s, progress: { ...progress } } : s))
    );
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

  protected read(): Promise<IDescribeLabelSet[]> {
    return this.api.listLabelSets();
  }

  protected asError(error: unknown): ILabelingError {
    return asLabelingError(error);
  }
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
