/**
 * The items of a label set under one filter, fetched a page at a time.
 *
 * In the "unlabeled" and "uncertain" filters an item leaves the server's list once labeled or
 * skipped, so the offset of the next page moves while the user labels. The pager estimates it
 * on the low side (every label and skip made here counts at once, even before the server has
 * it; a page read while saves were in flight counts them as not applied) and drops items it
 * has already seen: an item may be fetched twice, never passed over.
 */
import { ILabelingApi, ILabelItem, ItemKey, LabelFilter } from './types';

/** Items asked per page. */
export const PAGE_SIZE = 50;
/** Items asked again before the estimated offset of a shrinking filter (dropped as seen). */
const OVERLAP = 10;
/** Pages that can be all already-seen items in a row before the pager stops asking. */
const MAX_EMPTY_PAGES = 20;

/** Filters whose items leave the list once labeled or skipped by me. */
const SHRINKING: ReadonlySet<LabelFilter> = new Set(['unlabeled', 'uncertain']);

/** A stable string for an item key (keys may be numbers). */
export function keyId(key: ItemKey): string {
  return `${typeof key}:${key}`;
}

export class ItemPager {
  constructor(
    private readonly _api: ILabelingApi,
    private readonly _name: string,
    readonly filter: LabelFilter
  ) {}

  /** Items fetched so far, in order, each once. */
  readonly items: ILabelItem[] = [];

  /** Whether items leave this filter's list when labeled or skipped. */
  get shrinking(): boolean {
    return SHRINKING.has(this.filter);
  }

  /** No more pages: the last was short, or a fetch failed. */
  get exhausted(): boolean {
    return this._exhausted;
  }

  get fetching(): boolean {
    return this._fetching !== null;
  }

  /** Items matching the filter on the server at the last fetch. */
  get total(): number | null {
    return this._total;
  }

  /** A label or skip made here took a fetched item out of the list (not answered yet). */
  left(): void {
    this._shiftEnd(-1);
    this._pendingRemovals++;
  }

  /** The write behind `left()` was answered; a failed one leaves the item in the list. */
  settled(saved: boolean): void {
    this._pendingRemovals = Math.max(0, this._pendingRemovals - 1);
    if (!saved) {
      this._shiftEnd(1);
    }
  }

  /** An undo the server made put a fetched item back in the list. */
  cameBack(): void {
    this._shiftEnd(1);
  }

  /** Stop: answers still coming are dropped. */
  dispose(): void {
    this._disposed = true;
  }

  /** Fetch the next page (the one in flight, if any). Rejects with the server's error. */
  fetchMore(): Promise<void> {
    if (!this._fetching) {
      this._fetching = this._fetch().finally(() => {
        this._fetching = null;
      });
    }
    return this._fetching;
  }

  private async _fetch(): Promise<void> {
    let emptyPages = 0;
    // A few items again from before the estimated end, in case others labeled some there.
    let offset = Math.max(0, this._rawEnd - (this.shrinking ? OVERLAP : 0));
    while (!this._disposed && !this._exhausted) {
      // The page comes in the server's order as it is when it runs, which may not have the
      // removals in flight yet: count them all as not there (a low estimate, safe).
      this._removedInFlight = 0;
      const pendingAtStart = this._pendingRemovals;
      let page;
      try {
        page = await this._api.fetchItems(this._name, {
          filter: this.filter,
          offset,
          limit: PAGE_SIZE
        });
      } catch (error) {
        this._exhausted = true;
        throw error;
      }
      if (this._disposed) {
        return;
      }
      this._total = page.total;
      this._rawEnd = Math.max(
        0,
        offset + page.items.length - pendingAtStart - this._removedInFlight
      );
      const fresh = page.items.filter(item => !this._seen.has(keyId(item.key)));
      for (const item of fresh) {
        this._seen.add(keyId(item.key));
        this.items.push(item);
      }
      if (page.items.length < PAGE_SIZE) {
        this._exhausted = true;
      }
      if (fresh.length > 0) {
        return;
      }
      if (page.items.length > 0 && ++emptyPages < MAX_EMPTY_PAGES) {
        offset += page.items.length; // all seen: the estimate was low; step past them
        continue;
      }
      this._exhausted = true;
    }
  }

  /** Fetched items left (-) or came back (+) on the server. */
  private _shiftEnd(by: number): void {
    if (!this.shrinking) {
      return;
    }
    this._rawEnd = Math.max(0, this._rawEnd + by);
    if (this._fetching && by < 0) {
      this._removedInFlight -= by;
    }
  }

  private readonly _seen = new Set<string>();
  /** The server offset just after the last item fetched, as the list will be (estimate). */
  private _rawEnd = 0;
  private _removedInFlight = 0;
  /** Removals made here and not answered yet. */
  private _pendingRemovals = 0;
  private _exhausted = false;
  private _fetching: Promise<void> | null = null;
  private _total: number | null = null;
  private _disposed = false;
}
