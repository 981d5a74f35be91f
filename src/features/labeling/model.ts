/**
 * The labeler's state: the items of one label set under a filter, paged from the server and
 * fetched ahead of the cursor, and the user's labels saved in the background.
 *
 * A key press changes local state and emits at once (the next item is already here); the
 * POST runs after, one write at a time in the order made (a label, a skip and an undo of it
 * reach the server in that order). A failed write puts its item back in front with the
 * server's message: nothing is lost silently. Talks only to `ILabelingApi`.
 */
import { ISignal, Signal } from '@lumino/signaling';

import {
  asLabelingError,
  ILabelerError,
  ILabelerNotice,
  WriteAction
} from './errors';
import { ItemPager } from './pager';
import {
  IDescribeLabelSet,
  ILabelingApi,
  ILabelItem,
  ILabelProgress,
  LabelFilter
} from './types';
import { IUndoEntry, leaves, negate, UndoHistory } from './undo';
import { WriteQueue } from './writes';

/** Fetch the next page when fewer than this many items are left ahead of the cursor. */
export const PREFETCH_AHEAD = 25;

/** Where the cursor is: on an item, waiting for a page, or past the last item. */
export type CursorState = 'item' | 'loading' | 'done';

export { asLabelingError } from './errors';
export type { ILabelerError, ILabelerNotice } from './errors';
export { keyId, PAGE_SIZE } from './pager';

export class LabelerModel {
  constructor(options: {
    api: ILabelingApi;
    labelSet: IDescribeLabelSet;
    filter?: LabelFilter;
  }) {
    this._api = options.api;
    this._set = options.labelSet;
    this._pager = new ItemPager(
      options.api,
      options.labelSet.name,
      options.filter ?? 'unlabeled'
    );
    this._progress = { ...options.labelSet.progress };
  }

  /** The current item (or the cursor state) changed. */
  get itemChanged(): ISignal<this, void> {
    return this._itemChanged;
  }

  /** The labeled/total figures changed. */
  get progressChanged(): ISignal<this, void> {
    return this._progressChanged;
  }

  /** The server answered a save, skip or undo with the label set's progress (it carries it). */
  get progressSaved(): ISignal<this, ILabelProgress> {
    return this._progressSaved;
  }

  /** The filter, the notice or the error changed. */
  get stateChanged(): ISignal<this, void> {
    return this._stateChanged;
  }

  get labelSet(): IDescribeLabelSet {
    return this._set;
  }

  get choices(): string[] {
    return this._set.choices;
  }

  get multi(): boolean {
    return this._set.multi;
  }

  get filter(): LabelFilter {
    return this._pager.filter;
  }

  /** Items fetched so far under the filter, in order. */
  get items(): readonly ILabelItem[] {
    return this._pager.items;
  }

  get index(): number {
    return this._index;
  }

  get current(): ILabelItem | null {
    return this._pager.items[this._index] ?? null;
  }

  get cursorState(): CursorState {
    if (this.current) {
      return 'item';
    }
    return this._pager.exhausted && !this._pager.fetching ? 'done' : 'loading';
  }

  /** Items matching the filter on the server at the last fetch. */
  get filterTotal(): number | null {
    return this._pager.total;
  }

  /** The progress with the writes still in flight counted. */
  get progress(): ILabelProgress {
    return this._writes.counted(this._progress);
  }

  /** The labels picked on the current item and not yet confirmed (multi-label). */
  get draft(): ReadonlySet<string> {
    return this._draft;
  }

  /** Labels shown as chosen on the current item: the draft, else my saved labels. */
  get chosen(): ReadonlySet<string> {
    if (this._draft.size > 0) {
      return this._draft;
    }
    return new Set(this.current?.mine ?? []);
  }

  /** A hint or the server's message for an empty filter (e.g. no queue yet). */
  get notice(): ILabelerNotice | null {
    return this._notice;
  }

  get error(): ILabelerError | null {
    return this._error;
  }

  /** The queue model is being trained (see `refreshQueue`). */
  get training(): boolean {
    return this._training;
  }

  /**
   * Train the queue model on the labels so far, then walk "lowest confidence first" from its
   * start. A refusal (too few labels yet) is shown as the server's message.
   */
  async refreshQueue(): Promise<void> {
    if (this._training) {
      return;
    }
    this._training = true;
    this._notice = null;
    this._stateChanged.emit();
    try {
      await this.flush(); // the labels just made count
      await this._api.refreshQueue(this._set.name);
      this._training = false;
      await this.setFilter('uncertain', true);
    } catch (error) {
      this._training = false;
      this._notice = {
        code: 'server',
        message: asLabelingError(error).message
      };
      this._stateChanged.emit();
    }
  }

  /** Writes not answered yet. */
  get pendingWrites(): number {
    return this._writes.pending;
  }

  /** Resolves once every write made so far is answered (saved or failed). */
  flush(): Promise<void> {
    return this._writes.flush();
  }

  /** Load the first page (the model starts empty). */
  start(): Promise<void> {
    return this.setFilter(this.filter, true);
  }

  /** Walk another filter: the list starts again from its first page. */
  async setFilter(filter: LabelFilter, force = false): Promise<void> {
    if (filter === this.filter && !force) {
      return;
    }
    this._pager.dispose();
    this._pager = new ItemPager(this._api, this._set.name, filter);
    this._generation++;
    this._index = 0;
    this._draft = new Set();
    this._notice = null;
    this._undo.clear();
    this._stateChanged.emit();
    this._itemChanged.emit();
    await this._fetchMore();
  }

  /** Key 1-9: pick the n-th choice (0-based). Single-label: saves it and moves on. */
  pick(choice: number): void {
    const label = this._set.choices[choice];
    const item = this.current;
    if (label === undefined || !item) {
      return;
    }
    this._clearNotice();
    if (!this._set.multi) {
      this._label(item, [label]);
      return;
    }
    const draft = new Set(this.chosen);
    if (draft.has(label)) {
      draft.delete(label);
    } else {
      draft.add(label);
    }
    this._draft = draft;
    this._itemChanged.emit();
  }

  /** Enter: save the picked labels (multi-label), or keep my saved label and move on. */
  confirm(): void {
    const item = this.current;
    if (!item) {
      return;
    }
    const mine = item.mine ?? [];
    if (this._set.multi && this._draft.size > 0) {
      const labels = this._set.choices.filter(c => this._draft.has(c));
      if (!sameLabels(labels, mine)) {
        this._label(item, labels);
        return;
      }
    }
    if (mine.length > 0) {
      this.next();
      return;
    }
    this._setNotice({ code: this._set.multi ? 'pick-multi' : 'pick-single' });
  }

  /** S: skip the current item (kept unlabeled; the server records the skip). */
  skip(): void {
    const item = this.current;
    if (!item) {
      return;
    }
    this._clearNotice();
    const entry: IUndoEntry = {
      kind: 'skip',
      item,
      prevMine: item.mine ?? null,
      prevSkipped: item.skipped,
      delta: item.skipped ? {} : { skipped: 1 }
    };
    // The server leaves my skipped items out of the unlabeled list.
    const settled = this._leave(entry);
    item.skipped = true;
    this._undo.push(entry);
    this._advance();
    this._write(
      entry.delta,
      async () => {
        this._setProgress(
          await this._api.skipItem(this._set.name, { key: item.key })
        );
      },
      error => {
        item.skipped = entry.prevSkipped;
        this._undo.drop(entry);
        this._putBack(item, { action: 'skip', key: item.key }, error);
      },
      { action: 'skip', key: item.key },
      settled
    );
  }

  /** U or Backspace: take back my last label or skip, and show that item again. */
  undo(): void {
    const entry = this._undo.pop();
    if (!entry) {
      this._setNotice({ code: 'nothing-to-undo' });
      return;
    }
    this._clearNotice();
    const { item } = entry;
    const labeled = item.mine ?? null;
    const skipped = item.skipped;
    item.mine = entry.prevMine;
    item.skipped = entry.prevSkipped;
    const undoDelta = negate(entry.delta);
    const index = this.items.indexOf(item);
    if (index >= 0) {
      this._index = index;
    }
    this._draft = new Set();
    this._itemChanged.emit();
    this._progressChanged.emit();
    const pager = this._pager;
    const comesBack = leaves(pager, entry);
    this._write(
      undoDelta,
      async () => {
        const answer = await this._api.undo(this._set.name);
        if (comesBack) {
          pager.cameBack();
        }
        this._setProgress(answer.progress);
      },
      error => {
        // The server still has it: show it as it is there.
        item.mine = labeled;
        item.skipped = skipped;
        this._error = {
          ...asLabelingError(error),
          action: 'undo',
          key: item.key
        };
        this._stateChanged.emit();
        this._itemChanged.emit();
      },
      { action: 'undo', key: item.key }
    );
  }

  /** Arrow right: the next item, without labeling this one. */
  next(): void {
    this._advance();
  }

  /** Arrow left: the previous item. */
  previous(): void {
    if (this._index > 0) {
      this._index--;
      this._draft = new Set();
      this._clearNotice();
      this._itemChanged.emit();
    }
  }

  /** Hide the error box. */
  dismissError(): void {
    if (this._error) {
      this._error = null;
      this._stateChanged.emit();
    }
  }

  /** Forget pages and signals (the widget closed). */
  dispose(): void {
    this._generation++;
    this._pager.dispose();
    Signal.clearData(this);
  }

  private _label(item: ILabelItem, labels: string[]): void {
    const newlyLabeled = !item.mine?.length && item.labels.length === 0;
    const entry: IUndoEntry = {
      kind: 'label',
      item,
      prevMine: item.mine ?? null,
      prevSkipped: item.skipped,
      delta: newlyLabeled ? { labeled: 1 } : {}
    };
    const settled = this._leave(entry);
    item.mine = labels;
    this._undo.push(entry);
    this._advance();
    this._write(
      entry.delta,
      async () => {
        const answer = await this._api.recordLabel(this._set.name, {
          key: item.key,
          labels
        });
        this._setProgress(answer.progress);
      },
      error => {
        item.mine = entry.prevMine;
        this._undo.drop(entry);
        this._putBack(item, { action: 'save', key: item.key, labels }, error);
      },
      { action: 'save', key: item.key, labels },
      settled
    );
  }

  /**
   * Chain a write after the others; `delta` counts in the progress until it is answered,
   * then `settled` is told whether it was saved.
   */
  private _write(
    delta: Partial<ILabelProgress>,
    send: () => Promise<void>,
    failed: (error: unknown) => void,
    what: WriteAction,
    settled?: (saved: boolean) => void
  ): void {
    const generation = this._generation;
    const whenFailed = (error: unknown) => {
      if (generation === this._generation) {
        failed(error);
      } else {
        // Another filter shows other items now; the failure is still said.
        this._error = { ...asLabelingError(error), ...what };
        this._stateChanged.emit();
      }
    };
    this._writes.enqueue(delta, send, whenFailed, settled);
  }

  private _advance(): void {
    if (this._index < this.items.length) {
      this._index++;
    }
    this._draft = new Set();
    this._itemChanged.emit();
    this._maybePrefetch();
  }

  private _putBack(item: ILabelItem, what: WriteAction, error: unknown): void {
    this._error = { ...asLabelingError(error), ...what };
    const index = this.items.indexOf(item);
    if (index >= 0) {
      this._index = index;
    }
    this._draft = new Set();
    this._stateChanged.emit();
    this._itemChanged.emit();
  }

  private _setProgress(progress: ILabelProgress | undefined): void {
    if (progress) {
      this._progress = { ...progress };
      this._progressChanged.emit();
      this._progressSaved.emit({ ...progress });
    }
  }

  /**
   * Tell the pager when a label or skip takes its item out of the filter's list (counted when
   * made); the returned callback tells it how the write ended.
   */
  private _leave(entry: IUndoEntry): ((saved: boolean) => void) | undefined {
    const pager = this._pager;
    if (!leaves(pager, entry)) {
      return undefined;
    }
    pager.left();
    return saved => pager.settled(saved);
  }

  private _maybePrefetch(): void {
    const pager = this._pager;
    if (
      !pager.exhausted &&
      !pager.fetching &&
      pager.items.length - this._index < PREFETCH_AHEAD
    ) {
      void this._fetchMore();
    }
  }

  /** Fetch the next page; emit when the cursor waited for it; say why it failed. */
  private async _fetchMore(): Promise<void> {
    const pager = this._pager;
    const before = pager.items.length;
    try {
      await pager.fetchMore();
    } catch (error) {
      if (pager === this._pager) {
        const e = asLabelingError(error);
        if (pager.filter === 'uncertain' || e.status === 409) {
          // e.g. "train the queue model first": the server's words
          this._notice = { code: 'server', message: e.message };
        } else {
          this._error = { ...e, action: 'load' };
        }
      }
    }
    if (pager !== this._pager) {
      return;
    }
    if (this._index >= before) {
      this._itemChanged.emit(); // the cursor waited for this page (or for the end)
    }
    this._stateChanged.emit();
    this._maybePrefetch();
  }

  private _setNotice(text: ILabelerNotice): void {
    this._notice = text;
    this._stateChanged.emit();
  }

  private _clearNotice(): void {
    if (this._notice !== null && this.cursorState === 'item') {
      this._notice = null;
      this._stateChanged.emit();
    }
  }

  private readonly _api: ILabelingApi;
  private _set: IDescribeLabelSet;
  private _index = 0;
  private _pager: ItemPager;
  private _training = false;
  private _generation = 0;
  private _progress: ILabelProgress;
  private readonly _writes = new WriteQueue(() => this._progressChanged.emit());
  private readonly _undo = new UndoHistory();
  private _draft: Set<string> = new Set();
  private _notice: ILabelerNotice | null = null;
  private _error: ILabelerError | null = null;
  private readonly _itemChanged = new Signal<this, void>(this);
  private readonly _progressChanged = new Signal<this, void>(this);
  private readonly _progressSaved = new Signal<this, ILabelProgress>(this);
  private readonly _stateChanged = new Signal<this, void>(this);
}

function sameLabels(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
