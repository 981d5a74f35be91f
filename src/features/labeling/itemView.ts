/**
 * One item as the labeler shows it: text columns as text, image columns as images (a missing
 * image as a "missing" placeholder), every other column in a record card, and who labeled
 * what when others have labeled it too.
 */
import { TranslationBundle } from '@jupyterlab/translation';

import { IItemImage, ILabelItem } from './types';

export interface IItemViewOptions {
  /** The label set's kind: "text", "image" or "record". */
  kind: string;
  trans: TranslationBundle;
  imageUrl: (url: string) => string;
  doc: Document;
}

/** Text longer than this is shown as a text block even in a record card. */
const LONG_TEXT = 80;

export function renderItem(
  item: ILabelItem,
  options: IItemViewOptions
): DocumentFragment {
  const { doc, trans } = options;
  const out = doc.createDocumentFragment();
  const el = <K extends keyof HTMLElementTagNameMap>(
    tag: K,
    className: string,
    parent: Node,
    text?: string
  ): HTMLElementTagNameMap[K] => {
    const node = doc.createElement(tag);
    node.className = className;
    if (text !== undefined) {
      node.textContent = text;
    }
    parent.appendChild(node);
    return node;
  };

  const head = el('div', 'mlwb-Labeler-itemHead', out);
  el('span', 'mlwb-Labeler-key', head, String(item.key)).title =
    trans.__('Item key');
  if (item.skipped) {
    el('span', 'mlwb-Labeler-badge', head, trans.__('skipped'));
  }
  if (item.disagreement) {
    el(
      'span',
      'mlwb-Labeler-badge mlwb-mod-disagreement',
      head,
      trans.__('disagreement')
    );
  }

  const images = Object.entries(item.images ?? {});
  if (images.length > 0) {
    const gallery = el('div', 'mlwb-Labeler-images', out);
    for (const [column, image] of images) {
      gallery.appendChild(renderImage(column, image, item, options));
    }
  }

  const card: [string, unknown][] = [];
  for (const [column, value] of Object.entries(item.fields ?? {})) {
    if (column in (item.images ?? {})) {
      continue;
    }
    const isText =
      typeof value === 'string' &&
      (options.kind === 'text' || value.length > LONG_TEXT);
    if (isText && options.kind !== 'record') {
      const block = el('div', 'mlwb-Labeler-textBlock', out);
      el('div', 'mlwb-Labeler-fieldName', block, column);
      el('div', 'mlwb-Labeler-text', block, value as string);
    } else {
      card.push([column, value]);
    }
  }
  if (card.length > 0) {
    const dl = el('dl', 'mlwb-Labeler-card', out);
    dl.setAttribute('aria-label', trans.__('Columns of the item'));
    for (const [column, value] of card) {
      el('dt', '', dl, column);
      const dd = el('dd', '', dl, formatValue(value));
      if (value === null || value === undefined) {
        dd.classList.add('mlwb-mod-null');
      }
    }
  }

  const others = item.labels ?? [];
  if (others.length > 0) {
    const box = el('div', 'mlwb-Labeler-others', out);
    box.dataset.testid = 'mlwb-labeler-others';
    box.dataset.disagreement = String(item.disagreement);
    el('span', 'mlwb-Labeler-othersTitle', box, trans.__('Labeled by'));
    const list = el('ul', '', box);
    for (const label of others) {
      const li = el('li', 'mlwb-Labeler-other', list);
      li.dataset.annotator = label.annotator;
      el('span', 'mlwb-Labeler-annotator', li, label.annotator);
      el('span', 'mlwb-Labeler-otherLabels', li, label.labels.join(', '));
      if (label.source && label.source !== 'builtin') {
        el('span', 'mlwb-Labeler-source', li, label.source);
      }
      if (label.status && label.status !== 'ok') {
        el('span', 'mlwb-Labeler-badge', li, label.status);
      }
    }
  }
  return out;
}

function renderImage(
  column: string,
  image: IItemImage,
  item: ILabelItem,
  options: IItemViewOptions
): HTMLElement {
  const { doc, trans } = options;
  const figure = doc.createElement('figure');
  figure.className = 'mlwb-Labeler-image';
  figure.dataset.column = column;
  const caption = doc.createElement('figcaption');
  caption.textContent = column;
  const missing = () => {
    figure.dataset.missing = 'true';
    const placeholder = doc.createElement('div');
    placeholder.className = 'mlwb-Labeler-missing';
    placeholder.setAttribute('role', 'img');
    placeholder.setAttribute(
      'aria-label',
      trans.__('Image missing: %1 of item %2', column, String(item.key))
    );
    placeholder.textContent = trans.__('missing');
    const path = item.fields?.[column];
    if (typeof path === 'string') {
      placeholder.title = path;
    }
    figure.replaceChildren(placeholder, caption);
  };
  if (image.missing || !image.url) {
    missing();
    return figure;
  }
  figure.dataset.missing = 'false';
  const img = doc.createElement('img');
  img.alt = trans.__('%1 of item %2', column, String(item.key));
  img.src = options.imageUrl(image.url);
  img.decoding = 'async';
  img.addEventListener('error', missing, { once: true });
  figure.append(img, caption);
  return figure;
}

/** A cell value as text in the record card. */
export function formatValue(value: unknown): string {
  if (value === null || value === undefined) {
    return 'null';
  }
  if (typeof value === 'object') {
    return JSON.stringify(value);
  }
  return String(value);
}

const warmed = new Set<string>();

/** Ask the browser for the next items' images now, so they show at once. */
export function prefetchImages(
  items: readonly ILabelItem[],
  imageUrl: (url: string) => string
): void {
  if (typeof Image === 'undefined') {
    return;
  }
  for (const item of items) {
    for (const image of Object.values(item.images ?? {})) {
      if (!image.missing && image.url) {
        const url = imageUrl(image.url);
        if (!warmed.has(url)) {
          warmed.add(url);
          if (warmed.size > 500) {
            warmed.clear();
          }
          new Image().src = url;
        }
      }
    }
  }
}
