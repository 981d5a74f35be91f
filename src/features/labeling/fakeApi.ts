/**
 * An in-memory label-set server for the jest tests: items 0..n-1, one annotator, the same
 * filters and paging as the REST contract. Writes can be made to fail or to wait.
 */
import {
  ICreateLabelSet,
  IDescribeLabelSet,
  IItemPage,
  ILabelingApi,
  ILabelItem,
  ILabelProgress,
  ItemKey,
  LabelFilter
} from './types';

export class FakeApiError extends Error {
  constructor(
    message: string,
    readonly status: number
  ) {
    super(message);
  }
}

export class FakeLabelingApi implements ILabelingApi {
  constructor(
    options: { count?: number; multi?: boolean; choices?: string[] } = {}
  ) {
    this.count = options.count ?? 120;
    this.set = {
      name: 'reviews_labels',
      sql: 'SELECT * FROM reviews',
      key: 'id',
      choices: options.choices ?? ['pos', 'neg', 'neutral'],
      multi: options.multi ?? false,
      show: ['text'],
      kind: 'text',
      progress: this.progressNow(),
      version: 1,
      created_at: '2026-11-27T10:00:00Z'
    };
  }

  readonly count: number;
  set: IDescribeLabelSet;
  /** key -> my labels */
  readonly labels = new Map<ItemKey, string[]>();
  readonly skipped = new Set<ItemKey>();
  /** Another annotator's labels, for disagreements. */
  readonly others = new Map<ItemKey, string[]>();
  readonly fetches: { filter: LabelFilter; offset: number; limit: number }[] =
    [];
  readonly writes: string[] = [];
  /** Times the label set list was read. */
  lists = 0;
  /** Make the next write fail with this message. */
  failNext: string | null = null;
  /** When set, writes wait for it. */
  gate: Promise<void> | null = null;
  private readonly _journal: {
    kind: 'label' | 'skip';
    key: ItemKey;
    prev: string[] | undefined;
    prevSkipped: boolean;
  }[] = [];

  progressNow(): ILabelProgress {
    const labeled = new Set([
      ...(this.labels?.keys() ?? []),
      ...(this.others?.keys() ?? [])
    ]);
    return {
      total: this.count,
      labeled: labeled.size,
      skipped: this.skipped?.size ?? 0,
      disagreements: [...(this.others?.keys() ?? [])].filter(k =>
        this._disagrees(k)
      ).length,
      unknown_labels: 0
    };
  }

  item(i: number): ILabelItem {
    const key = i;
    const labels = [];
    if (this.others.has(key)) {
      labels.push({
        labels: this.others.get(key)!,
        annotator: 'bob',
        source: 'builtin',
        status: 'ok',
        labeled_at: null
      });
    }
    if (this.labels.has(key)) {
      labels.push({
        labels: this.labels.get(key)!,
        annotator: 'me',
        source: 'builtin',
        status: 'ok',
        labeled_at: null
      });
    }
    return {
      key,
      position: i,
      fields: { text: `review number ${i}` },
      images: {},
      labels,
      mine: this.labels.get(key) ?? null,
      skipped: this.skipped.has(key),
      disagreement: this._disagrees(key)
    };
  }

  async listLabelSets(): Promise<IDescribeLabelSet[]> {
    this.lists++;
    return [{ ...this.set, progress: this.progressNow() }];
  }

  async createLabelSet(request: ICreateLabelSet): Promise<IDescribeLabelSet> {
    this.set = {
      ...this.set,
      ...request,
      show: request.show ?? ['text'],
      multi: request.multi ?? false,
      kind: 'text',
      progress: this.progressNow()
    };
    return this.set;
  }

  async describeLabelSet(): Promise<IDescribeLabelSet> {
    return { ...this.set, progress: this.progressNow() };
  }

  async removeLabelSet(): Promise<void> {
    return;
  }

  async fetchItems(
    _name: string,
    request: { filter: LabelFilter; offset: number; limit: number }
  ): Promise<IItemPage> {
    this.fetches.push({ ...request });
    if (request.filter === 'uncertain' && !this.queue) {
      throw new FakeApiError(
        'Train the queue model first: no queue for reviews_labels.',
        409
      );
    }
    const all = Array.from({ length: this.count }, (_, i) => i);
    const keys = all.filter(k => {
      switch (request.filter) {
        case 'unlabeled':
        case 'uncertain':
          return (
            !this.labels.has(k) && !this.others.has(k) && !this.skipped.has(k)
          );
        case 'disagreements':
          return this._disagrees(k);
        default:
          return true;
      }
    });
    return {
      items: keys
        .slice(request.offset, request.offset + request.limit)
        .map(k => this.item(k)),
      total: keys.length,
      offset: request.offset
    };
  }

  async recordLabel(
    _name: string,
    request: { key: ItemKey; labels: string[] }
  ): Promise<{ progress: ILabelProgress }> {
    await this._write(`label ${request.key} ${request.labels.join('+')}`);
    this._journal.push({
      kind: 'label',
      key: request.key,
      prev: this.labels.get(request.key),
      prevSkipped: this.skipped.has(request.key)
    });
    this.labels.set(request.key, request.labels);
    return { progress: this.progressNow() };
  }

  async skipItem(
    _name: string,
    request: { key: ItemKey }
  ): Promise<ILabelProgress> {
    await this._write(`skip ${request.key}`);
    this._journal.push({
      kind: 'skip',
      key: request.key,
      prev: this.labels.get(request.key),
      prevSkipped: this.skipped.has(request.key)
    });
    this.skipped.add(request.key);
    return this.progressNow();
  }

  async undo(): Promise<{ key?: ItemKey | null; progress: ILabelProgress }> {
    await this._write('undo');
    const last = this._journal.pop();
    if (last) {
      if (last.prev) {
        this.labels.set(last.key, last.prev);
      } else {
        this.labels.delete(last.key);
      }
      if (!last.prevSkipped) {
        this.skipped.delete(last.key);
      }
    }
    return { key: last?.key ?? null, progress: this.progressNow() };
  }

  /** Set by refreshQueue: the "uncertain" filter then lists unlabeled items. */
  queue = false;

  async refreshQueue(): Promise<{ scored: number }> {
    const labels = new Set([...this.labels.values()].flat());
    if (labels.size < 2) {
      throw new FakeApiError('Label at least 2 different labels first.', 409);
    }
    this.queue = true;
    return { scored: this.count - this.labels.size };
  }

  imageUrl(url: string): string {
    return `/base/${url}`;
  }

  async describeColumns(): Promise<{ name: string; type: string }[]> {
    return [
      { name: 'id', type: 'BIGINT' },
      { name: 'text', type: 'VARCHAR' }
    ];
  }

  private async _write(what: string): Promise<void> {
    if (this.gate) {
      await this.gate;
    }
    if (this.failNext) {
      const message = this.failNext;
      this.failNext = null;
      throw new FakeApiError(message, 500);
    }
    this.writes.push(what);
  }

  private _disagrees(key: ItemKey): boolean {
    const other = this.others?.get(key);
    const mine = this.labels?.get(key);
    return !!other && !!mine && other.join() !== mine.join();
  }
}

/** Let pending promises run. */
export async function settle(times = 5): Promise<void> {
  for (let i = 0; i < times; i++) {
    await new Promise(resolve => setTimeout(resolve, 0));
  }
}
