/**
 * The labeler's undo history: each label or skip made, with what the item was before it and
 * what the optimistic progress counted for it, so U/Backspace can put both back.
 */
import { ItemPager } from './pager';
import { ILabelItem, ILabelProgress } from './types';

/** One label or skip that can be taken back. */
export interface IUndoEntry {
  kind: 'label' | 'skip';
  item: ILabelItem;
  prevMine: string[] | null;
  prevSkipped: boolean;
  /** What the optimistic progress counted for it (+1 labeled, +1 skipped). */
  delta: Partial<ILabelProgress>;
}

/** The labels and skips made under the current filter, the last one on top. */
export class UndoHistory {
  push(entry: IUndoEntry): void {
    this._entries.push(entry);
  }

  /** The last entry, taken off; undefined when there is nothing to undo. */
  pop(): IUndoEntry | undefined {
    return this._entries.pop();
  }

  /** Take out an entry whose write failed (it never happened on the server). */
  drop(entry: IUndoEntry): void {
    const at = this._entries.lastIndexOf(entry);
    if (at >= 0) {
      this._entries.splice(at, 1);
    }
  }

  /** Forget everything (another filter). */
  clear(): void {
    this._entries = [];
  }

  private _entries: IUndoEntry[] = [];
}

/** The progress change that takes back `delta`. */
export function negate(
  delta: Partial<ILabelProgress>
): Partial<ILabelProgress> {
  const out: Partial<ILabelProgress> = {};
  for (const [k, v] of Object.entries(delta)) {
    out[k as keyof ILabelProgress] = -(v as number);
  }
  return out;
}

/** Whether an action took its item out of a shrinking filter's list (it was neither labeled
 * nor skipped by me before). */
export function leaves(pager: ItemPager, entry: IUndoEntry): boolean {
  return pager.shrinking && !entry.prevMine?.length && !entry.prevSkipped;
}
