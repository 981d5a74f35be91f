/**
 * The labeler's optimistic saves: writes run one at a time in the order made (a label, a skip
 * and an undo of it reach the server in that order), and each write's progress change counts
 * at once, until the server answers.
 */
import { ILabelProgress } from './types';

export class WriteQueue {
  /** `changed` is called whenever the progress with the writes in flight changes. */
  constructor(private readonly _changed: () => void) {}

  /** Writes not answered yet. */
  get pending(): number {
    return this._pendingDeltas.size;
  }

  /** `progress` with the changes of the writes in flight counted. */
  counted(progress: ILabelProgress): ILabelProgress {
    const p = { ...progress };
    for (const delta of this._pendingDeltas) {
      p.labeled += delta.labeled ?? 0;
      p.skipped += delta.skipped ?? 0;
    }
    p.labeled = Math.max(0, Math.min(p.total, p.labeled));
    return p;
  }

  /** Resolves once every write enqueued so far is answered (saved or failed). */
  flush(): Promise<void> {
    return this._writes;
  }

  /**
   * Chain a write after the others; `delta` counts in the progress until it is answered,
   * `failed` gets its error, then `settled` is told whether it was saved.
   */
  enqueue(
    delta: Partial<ILabelProgress>,
    send: () => Promise<void>,
    failed: (error: unknown) => void,
    settled?: (saved: boolean) => void
  ): void {
    this._pendingDeltas.add(delta);
    this._changed();
    this._writes = this._writes.then(async () => {
      let saved = false;
      try {
        await send();
        saved = true;
      } catch (error) {
        failed(error);
      } finally {
        settled?.(saved);
        this._pendingDeltas.delete(delta);
        this._changed();
      }
    });
  }

  /** The progress change of each write not answered yet (one object per write). */
  private readonly _pendingDeltas = new Set<Partial<ILabelProgress>>();
  private _writes: Promise<void> = Promise.resolve();
}
