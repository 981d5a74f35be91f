/**
 * The join builder and the Transform dialog as a user sees them, for the Galata tests. Built
 * on WorkbenchPage (sidebar, SQL editors); the selectors are the frontend's own table.
 */
import { expect, IJupyterLabPageFixture } from '@jupyterlab/galata';
import type { Locator } from '@playwright/test';

import { SELECTORS, WorkbenchPage } from './workbench-page';

const API = '/mlworkbench/api';

/** The demo star schema the test server writes under demo/, and the names the tests give it. */
export const DEMO_SOURCES: Record<string, string> = {
  demo_customers: 'demo/customers.csv',
  demo_orders: 'demo/orders.parquet',
  demo_order_items: 'demo/order_items.parquet',
  demo_products: 'demo/products.csv'
};

/** Rows of the demo tables at the test server's scale (0.02). */
export const DEMO_ROWS = { demo_customers: 200, demo_orders: 1200 };

export class JoinPage {
  constructor(readonly page: IJupyterLabPageFixture) {
    this.wb = new WorkbenchPage(page);
  }

  readonly wb: WorkbenchPage;

  /** Register the demo files as sources (POST /sources with a name) unless they are there. */
  async ensureDemoSources(): Promise<void> {
    const request = this.page.request;
    const catalog = await (await request.get(`${API}/catalog`)).json();
    const names = new Set((catalog.sources ?? []).map((s: { name: string }) => s.name));
    for (const [name, path] of Object.entries(DEMO_SOURCES)) {
      if (!names.has(name)) {
        const response = await request.post(`${API}/sources`, { data: { path, name } });
        expect(response.ok(), await response.text()).toBeTruthy();
      }
    }
    await this.wb.refreshCatalog();
  }

  /** Right-click a catalog row (a source or a table) and pick a context-menu entry. */
  async catalogMenu(name: string, entry: string, kind: 'source' | 'table' = 'source'): Promise<void> {
    await this.wb.openSidebar();
    const row = this.wb.catalogItem(name, kind);
    await expect(row).toBeVisible();
    await row.click({ button: 'right' });
    const menu = this.page.locator('.lm-Menu').first();
    await expect(menu).toBeVisible();
    await menu.locator('.lm-Menu-item', { hasText: entry }).click();
  }

  /** Start a command without waiting for it (a dialog's command ends when the dialog does). */
  async start(command: string, args: Record<string, unknown> = {}): Promise<void> {
    await this.page.evaluate(
      ({ command, args }) => {
        void (window as any).jupyterapp.commands.execute(command, args);
      },
      { command, args }
    );
  }

  /** The join builder in front. */
  get builder(): Locator {
    return this.page.locator(SELECTORS.joinBuilder).filter({ visible: true });
  }

  in(key: keyof typeof SELECTORS): Locator {
    return this.builder.locator(SELECTORS[key]);
  }

  /** The key pairs of the builder, best first. */
  get suggestions(): Locator {
    return this.in('joinSuggestion');
  }

  /** Add a table to the join through the "Add a table" picker. */
  async addTable(name: string): Promise<void> {
    await this.in('joinAddTable').selectOption(name);
    await expect(this.in('joinTable').last()).toHaveValue(name);
  }

  /** The SQL the builder shows, once the server wrote it. */
  async sql(): Promise<string> {
    const pre = this.in('joinSql');
    await expect(pre).toContainText('SELECT');
    return (await pre.textContent()) ?? '';
  }

  /** Press Preview and wait for the rows. */
  async preview(): Promise<void> {
    await this.in('joinPreview').click();
    await expect(this.in('joinPreviewTable')).toBeVisible();
  }

  /** The Transform dialog. */
  get form(): Locator {
    return this.page.locator(`.jp-Dialog ${SELECTORS.transformForm}`);
  }

  /** Accept the open dialog. */
  async acceptDialog(): Promise<void> {
    await this.page.locator('.jp-Dialog .jp-mod-accept').click();
  }
}
