/**
 * The label-set API as the labeler uses it: the generated shapes (src/api/types.ts), and
 * `ILabelingApi`, the small surface the labeler needs, so its model is tested against a fake.
 */
import type {
  CreateLabelSetRequest,
  DescribeLabelSet,
  ItemImage,
  ItemLabel,
  LabelProgress
} from '../../api/client';

/** Which items the labeler walks through. */
export type LabelFilter = 'all' | 'unlabeled' | 'disagreements' | 'uncertain';

/** An item key as the server sends it; sent back unchanged. */
export type ItemKey = string | number;

export type ILabelProgress = LabelProgress;
export type IDescribeLabelSet = DescribeLabelSet;
export type IItemLabel = ItemLabel;
export type IItemImage = ItemImage;
export type ICreateLabelSet = CreateLabelSetRequest;

/** An item as the labeler keeps it: the server's `LabelItem` with its defaults filled in. */
export interface ILabelItem {
  key: ItemKey;
  position: number;
  fields: { [column: string]: unknown };
  images: { [column: string]: IItemImage };
  labels: IItemLabel[];
  mine: string[] | null;
  skipped: boolean;
  disagreement: boolean;
}

export interface IItemPage {
  items: ILabelItem[];
  total: number;
  offset: number;
}

/** What the labeler and the sidebar need from the server. */
export interface ILabelingApi {
  listLabelSets(): Promise<IDescribeLabelSet[]>;
  createLabelSet(request: ICreateLabelSet): Promise<IDescribeLabelSet>;
  describeLabelSet(name: string): Promise<IDescribeLabelSet>;
  removeLabelSet(name: string): Promise<void>;
  fetchItems(
    name: string,
    request: { filter: LabelFilter; offset: number; limit: number }
  ): Promise<IItemPage>;
  recordLabel(
    name: string,
    request: { key: ItemKey; labels: string[] }
  ): Promise<{ progress: ILabelProgress }>;
  skipItem(name: string, request: { key: ItemKey }): Promise<ILabelProgress>;
  undo(
    name: string
  ): Promise<{ key?: ItemKey | null; progress: ILabelProgress }>;
  /** Train the queue model on the labels so far: the "uncertain" filter's order. */
  refreshQueue(name: string): Promise<{ scored: number }>;
  /** A URL the browser can load an item's image from (with the Jupyter session). */
  imageUrl(url: string): string;
  /** The columns (name, type) a SELECT gives, to pick the key and shown columns. */
  describeColumns(sql: string): Promise<{ name: string; type: string }[]>;
}

/** An API error as the labeler shows it. */
export interface ILabelingError {
  message: string;
  detail?: { [key: string]: unknown };
  status?: number;
}
