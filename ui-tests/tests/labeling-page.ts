/**
 * Label sets and the built-in labeler as a user sees them, for the Galata tests (on top of the
 * Workbench page object): the sidebar's "Label data" section, the New label set dialog, the
 * labeler's item, keys, progress, filters and errors. The REST API is used to set up and to
 * check what the server saved.
 */
import { expect } from '@jupyterlab/galata';
import type { Locator } from '@playwright/test';

import { SELECTORS, WorkbenchPage } from './workbench-page';

const API = '/mlworkbench/api';

/** The performance entry the labeler leaves per key press (src/features/labeling/LabelerView.ts). */
export const LATENCY_MEASURE = 'mlwb-labeler:key-to-next-item';

/** An item as GET .../items answers it (the fields the tests read). */
export interface IServerItem {
  key: string;
  mine: string[] | null;
  skipped: boolean;
  disagreement: boolean;
  labels: { labels: string[]; annotator: string }[];
}

export interface IServerProgress {
  total: number;
  labeled: number;
  skipped: number;
  disagreements: number;
}

export class LabelingPage extends WorkbenchPage {
  // --- Setup through the API -------------------------------------------------------------

  /** Register a file of data/labeling/ as a source (its table is named after the file). */
  async ensureSource(path: string): Promise<void> {
    const catalog = await (await this.page.request.get(`${API}/catalog`)).json();
    const known = (catalog.sources ?? []).some((s: { path: string }) =>
      String(s.path).endsWith(path)
    );
    if (!known) {
      const response = await this.page.request.post(`${API}/sources`, { data: { path } });
      expect(response.ok(), await response.text()).toBeTruthy();
      await this.refreshCatalog();
    }
  }

  /** Create (or replace) a label set through the API. */
  async createLabelSet(request: {
    name: string;
    sql: string;
    key: string;
    choices: string[];
    multi?: boolean;
    show?: string[];
  }): Promise<void> {
    await this.removeLabelSetIfExists(request.name);
    const response = await this.page.request.post(`${API}/labelsets`, {
      data: request,
      timeout: 120000
    });
    expect(response.status(), await response.text()).toBe(201);
  }

  async removeLabelSetIfExists(name: string): Promise<void> {
    const response = await this.page.request.delete(
      `${API}/labelsets/${encodeURIComponent(name)}`
    );
    expect([200, 204, 404]).toContain(response.status());
  }

  /** What the server has: a page of items under a filter. */
  async serverItems(
    name: string,
    filter = 'all',
    limit = 100
  ): Promise<{ items: IServerItem[]; total: number }> {
    const response = await this.page.request.post(
      `${API}/labelsets/${encodeURIComponent(name)}/items`,
      { data: { filter, offset: 0, limit } }
    );
    expect(response.ok(), await response.text()).toBeTruthy();
    return response.json();
  }

  async serverProgress(name: string): Promise<IServerProgress> {
    const response = await this.page.request.get(`${API}/labelsets/${encodeURIComponent(name)}`);
    expect(response.ok(), await response.text()).toBeTruthy();
    return (await response.json()).progress;
  }

  /** My labels on the server, by item key (items I labeled only). */
  async serverLabels(name: string): Promise<Record<string, string[]>> {
    const { items } = await this.serverItems(name, 'all', 1000);
    const out: Record<string, string[]> = {};
    for (const item of items) {
      if (item.mine) {
        out[item.key] = item.mine;
      }
    }
    return out;
  }

  // --- Sidebar ----------------------------------------------------------------------------

  get labelSetsSection(): Locator {
    return this.sidebar.locator(SELECTORS.labelSets);
  }

  labelSetRow(name: string): Locator {
    return this.labelSetsSection.locator(
      `${SELECTORS.labelSetItem}[data-name=${JSON.stringify(name)}]`
    );
  }

  /** Open the labeler from the sidebar row (reloading the list first). */
  async openFromSidebar(name: string): Promise<void> {
    await this.openSidebar();
    await this.execute('mlworkbench:refresh-label-sets');
    await this.labelSetRow(name).locator(SELECTORS.labelSetOpen).click();
    await this.waitForLabeler(name);
  }

  /** Open the labeler with the palette command's id (args: the label set's name). */
  async openLabeler(name: string): Promise<void> {
    await this.execute('mlworkbench:open-labeler', { name });
    await this.waitForLabeler(name);
  }

  // --- The labeler ------------------------------------------------------------------------

  /** The labeler in front. */
  get labeler(): Locator {
    return this.page.locator(SELECTORS.labeler).filter({ visible: true });
  }

  inLabeler(key: keyof typeof SELECTORS): Locator {
    return this.labeler.locator(SELECTORS[key]);
  }

  get item(): Locator {
    return this.inLabeler('labelerItem');
  }

  get progress(): Locator {
    return this.inLabeler('labelerProgress');
  }

  choice(label: string): Locator {
    return this.labeler.locator(`${SELECTORS.labelerChoice}[data-label=${JSON.stringify(label)}]`);
  }

  /** Wait for the labeler of a label set to show its first item (or its end). */
  async waitForLabeler(name: string): Promise<void> {
    await expect(this.labeler).toHaveCount(1);
    await expect(this.labeler.locator('.mlwb-Labeler-title')).toHaveText(name);
    await expect(this.item).toHaveAttribute('data-state', /^(item|done)$/, { timeout: 60000 });
    await this.labeler.focus();
  }

  /** The key of the item shown. */
  async shownKey(): Promise<string | null> {
    return this.item.getAttribute('data-key');
  }

  /** Press a key in the labeler and wait until the item shown is another one. */
  async pressForNext(key: string): Promise<string | null> {
    const before = await this.shownKey();
    await this.page.keyboard.press(key);
    await expect(this.item).not.toHaveAttribute('data-key', before ?? '');
    return this.shownKey();
  }

  /** Wait until every save has been answered, and the progress shows this many labeled. */
  async waitForSaved(labeled: number): Promise<void> {
    await expect(this.progress).toHaveAttribute('data-pending', '0');
    await expect(this.progress).toHaveAttribute('data-labeled', String(labeled));
  }

  /** Pick a filter in the labeler's menu and wait for its first item (or its end). */
  async setFilter(filter: 'unlabeled' | 'all' | 'disagreements' | 'uncertain'): Promise<void> {
    await this.inLabeler('labelerFilter').selectOption(filter);
    await expect(this.item).toHaveAttribute('data-state', /^(item|done)$/);
    await this.labeler.focus();
  }

  /**
   * The labeler's key press -> next item painted measures: their durations (ms), and the
   * part spent in the key's own handler (to the end of its DOM update).
   */
  async latencies(): Promise<{ total: number; handled: number }[]> {
    return this.page.evaluate(
      name =>
        performance.getEntriesByName(name).map(entry => ({
          total: entry.duration,
          handled: (entry as PerformanceMeasure).detail?.handled_ms ?? NaN
        })),
      LATENCY_MEASURE
    );
  }

  async clearLatencies(): Promise<void> {
    await this.page.evaluate(name => performance.clearMeasures(name), LATENCY_MEASURE);
  }

  // --- New label set dialog ---------------------------------------------------------------

  get form(): Locator {
    return this.dialog.locator(SELECTORS.labelSetForm);
  }

  /** Click + in the "Label data" section and wait for the dialog. */
  async openNewLabelSetDialog(): Promise<void> {
    await this.openSidebar();
    await this.labelSetsSection.locator(SELECTORS.newLabelSet).click();
    await expect(this.form).toBeVisible();
  }
}

/** Median, 95th percentile and count of a list of times. */
export function summarize(values: number[]): { median_ms: number; p95_ms: number; n: number } {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
  return { median_ms: at(0.5), p95_ms: at(0.95), n: sorted.length };
}
