/**
 * `ILabelingApi` over the Workbench REST client: the label-set routes of the server extension.
 */
import { LabelItem, WorkbenchClient } from '../../api/client';
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

export class ClientLabelingApi implements ILabelingApi {
  constructor(readonly client: WorkbenchClient) {}

  async listLabelSets(): Promise<IDescribeLabelSet[]> {
    return (await this.client.listLabelSets()).label_sets;
  }

  createLabelSet(request: ICreateLabelSet): Promise<IDescribeLabelSet> {
    return this.client.createLabelSet(request);
  }

  describeLabelSet(name: string): Promise<IDescribeLabelSet> {
    return this.client.describeLabelSet(name);
  }

  removeLabelSet(name: string): Promise<void> {
    return this.client.removeLabelSet(name);
  }

  async fetchItems(
    name: string,
    request: { filter: LabelFilter; offset: number; limit: number }
  ): Promise<IItemPage> {
    const page = await this.client.fetchLabelItems(name, request);
    return { ...page, items: page.items.map(normalizeItem) };
  }

  recordLabel(
    name: string,
    request: { key: ItemKey; labels: string[] }
  ): Promise<{ progress: ILabelProgress }> {
    return this.client.recordLabel(name, {
      ...request,
      key: String(request.key)
    });
  }

  skipItem(name: string, request: { key: ItemKey }): Promise<ILabelProgress> {
    return this.client.skipLabelItem(name, { key: String(request.key) });
  }

  undo(
    name: string
  ): Promise<{ key?: ItemKey | null; progress: ILabelProgress }> {
    return this.client.undoLabel(name);
  }

  refreshQueue(name: string): Promise<{ scored: number }> {
    return this.client.refreshQueue(name);
  }

  imageUrl(url: string): string {
    return this.client.labelImageUrl(url);
  }

  /** The columns of a SELECT: its empty first page (the result session is closed at once). */
  async describeColumns(
    sql: string
  ): Promise<{ name: string; type: string }[]> {
    const result = await this.client.runQuery({
      sql: `SELECT * FROM (${sql}) AS labeled_items LIMIT 0`
    });
    void this.client.closeResult(result.session_id).catch(() => undefined);
    return result.columns.map(c => ({ name: c.name, type: c.type }));
  }
}

/** The server's item with its defaults filled in. */
export function normalizeItem(item: LabelItem): ILabelItem {
  return {
    key: item.key,
    position: item.position,
    fields: item.fields ?? {},
    images: item.images ?? {},
    labels: item.labels ?? [],
    mine: item.mine ?? null,
    skipped: item.skipped ?? false,
    disagreement: item.disagreement ?? false
  };
}
