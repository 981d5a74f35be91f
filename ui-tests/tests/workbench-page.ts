/**
 * The Workbench as a user sees it, for the Galata tests: the sidebar, the file browser's
 * "Open in Workbench", SQL editors, their status line, error box and results grid.
 *
 * The selectors are the frontend's own table (src/features/selectors.ts). The results
 * grid paints on a canvas, so `grid()` reads it through the widget in `window.jupyterapp`
 * (Galata exposes the app): what the data model answers for a row, where the grid is scrolled,
 * which row is painted at the bottom of the viewport.
 */
import { expect, IJupyterLabPageFixture } from '@jupyterlab/galata';
import type { APIRequestContext, Locator } from '@playwright/test';

import { SELECTORS } from '../../src/features/selectors';

/** The frontend's own DOM hooks table, used as is so the two never drift apart. */
export { SELECTORS };

/** JupyterLab's own DOM (not ours), used around the Workbench. */
const LAB = {
  dirItem: '.jp-DirListing-item',
  contextMenu: '.lm-Menu',
  menuItem: '.lm-Menu-item',
  dialog: '.jp-Dialog',
  dialogAccept: '.jp-Dialog .jp-mod-accept',
  editorLine: '.cm-line'
} as const;

/** The REST API of the server extension (the tests use it only to set up and to wait). */
const API = '/mlworkbench/api';

export type CatalogKind = 'group' | 'source' | 'table' | 'column';

/** The selector of a catalog row by name and kind (as catalogItemSelector in the frontend). */
export function catalogItemSelector(name: string, kind?: CatalogKind): string {
  const kindFilter = kind ? `[data-kind="${kind}"]` : '';
  return `${SELECTORS.catalogItem}[data-name=${JSON.stringify(name)}]${kindFilter}`;
}

/** Final states of a run, as the status element's data-state says. */
export type FinalState = 'ready' | 'counting' | 'error';

/** What the results grid shows, read from its widget (the grid paints on a canvas). */
export interface IGridSnapshot {
  /** Rows the grid has (the data model's row count). */
  rowCount: number;
  /** Column header texts (name · type, with ▲/▼ when sorted). */
  headers: string[];
  /** The server-side sort, if any. */
  sort: { column: string; descending: boolean } | null;
  scrollY: number;
  maxScrollY: number;
  /** The selection cursor's row (-1 when none). */
  cursorRow: number;
  /** The row painted at the bottom of the viewport (-1 when none). */
  lastVisibleRow: number;
  /** Text of the asked rows: row header (1-based number) then every body cell. */
  rows: Record<number, string[]>;
}

export class WorkbenchPage {
  constructor(readonly page: IJupyterLabPageFixture) {}

  /** A locator for one key of the selectors table. */
  locator(key: keyof typeof SELECTORS): Locator {
    return this.page.locator(SELECTORS[key]);
  }

  // --- Sidebar ----------------------------------------------------------------------------

  get sidebar(): Locator {
    return this.locator('sidebar');
  }

  get sidebarTab(): Locator {
    return this.page.locator(`.jp-SideBar ${SELECTORS.sidebarTab}`);
  }

  /** Click the Workbench tab in the left side bar and wait for the catalog to load. */
  async openSidebar(): Promise<void> {
    if (!(await this.sidebar.isVisible())) {
      await this.sidebarTab.click();
    }
    await expect(this.sidebar).toBeVisible();
    await this.waitForCatalog();
  }

  /** Wait until the catalog shows its two groups (no "Loading…"). */
  async waitForCatalog(): Promise<void> {
    await expect(this.catalogItem('Sources', 'group')).toBeVisible();
    await expect(this.catalogItem('Workspace tables', 'group')).toBeVisible();
  }

  /** A catalog row by name (a group title, a source, a table's SQL name or a column). */
  catalogItem(name: string, kind?: CatalogKind): Locator {
    return this.sidebar.locator(catalogItemSelector(name, kind));
  }

  /** The tree item (`li`) holding a catalog row and its children. */
  private _treeItem(name: string, kind: CatalogKind): Locator {
    // `has` is matched inside each li: give it a locator relative to the li.
    return this.sidebar
      .locator('li', { has: this.page.locator(`:scope > ${catalogItemSelector(name, kind)}`) })
      .first();
  }

  /** A table's row under a source, or under "Workspace tables". */
  tableRow(name: string, under: { source: string } | 'workspace'): Locator {
    const parent =
      under === 'workspace'
        ? this._treeItem('Workspace tables', 'group')
        : this._treeItem(under.source, 'source');
    return parent.locator(catalogItemSelector(name, 'table'));
  }

  /** The row count shown on a table's row. */
  rowCount(row: Locator): Locator {
    return row.locator(SELECTORS.catalogRowCount);
  }

  /** Expand a row (click its caret) unless it is open already. */
  async expand(name: string, kind: CatalogKind): Promise<void> {
    const li = this._treeItem(name, kind);
    if ((await li.getAttribute('aria-expanded')) !== 'true') {
      await li.locator(`:scope > ${SELECTORS.catalogItem} ${SELECTORS.catalogToggle}`).click();
    }
    await expect(li).toHaveAttribute('aria-expanded', 'true');
  }

  /** Reload the catalog (the palette's "Refresh Catalog"), after changes made through the API. */
  async refreshCatalog(): Promise<void> {
    await this.execute('mlworkbench:refresh-catalog');
  }

  // --- File browser -----------------------------------------------------------------------

  /** The file browser row of a file in the current folder. */
  fileItem(name: string): Locator {
    return this.page.locator(`${LAB.dirItem}[data-isdir="false"]`, {
      has: this.page.locator(`.jp-DirListing-itemText >> text="${name}"`)
    });
  }

  /** Open the root's `data` folder in JupyterLab's file browser. */
  async openDataFolder(): Promise<void> {
    await this.page.sidebar.openTab('filebrowser');
    await this.page.filebrowser.openHomeDirectory();
    await this.page.filebrowser.openDirectory('data');
    await expect(this.fileItem('customers.csv')).toBeVisible();
  }

  /** Right-click a file of the current folder; resolves with the open context menu. */
  async contextMenuOf(name: string): Promise<Locator> {
    await this.fileItem(name).click({ button: 'right' });
    const menu = this.page.locator(LAB.contextMenu).first();
    await expect(menu).toBeVisible();
    return menu;
  }

  /** The "Open in Workbench" entry of an open context menu. */
  openInWorkbenchEntry(menu: Locator): Locator {
    return menu.locator(LAB.menuItem, { hasText: 'Open in Workbench' });
  }

  // --- SQL editors ------------------------------------------------------------------------

  /** The SQL editor in front (one per test is the rule; several may be open). */
  get editor(): Locator {
    return this.page.locator(SELECTORS.sqlEditorPanel).filter({ visible: true });
  }

  /** Something inside the SQL editor in front. */
  inEditor(key: keyof typeof SELECTORS): Locator {
    return this.editor.locator(SELECTORS[key]);
  }

  get status(): Locator {
    return this.inEditor('status');
  }

  get errorBox(): Locator {
    return this.inEditor('errorBox');
  }

  /** Open a new SQL editor from the sidebar's "SQL" button; it comes to the front. */
  async newEditor(sql?: string): Promise<void> {
    await this.openSidebar();
    const before = await this.page.locator(SELECTORS.sqlEditorPanel).count();
    await this.locator('catalogNewEditor').click();
    await expect(this.page.locator(SELECTORS.sqlEditorPanel)).toHaveCount(before + 1);
    await expect(this.status).toHaveAttribute('data-state', 'idle');
    if (sql !== undefined) {
      await this.setSql(sql);
    }
  }

  /** Replace the editor's text (inserted as typed text, without completion popups). */
  async setSql(sql: string): Promise<void> {
    const input = this.inEditor('sqlEditorInput');
    await input.click();
    await this.page.keyboard.press('Control+A');
    await this.page.keyboard.press('Delete');
    await this.page.keyboard.insertText(sql);
    await expect.poll(() => this.editorText()).toBe(sql);
  }

  /** The editor's text, line by line. */
  async editorText(): Promise<string> {
    const lines = await this.inEditor('sqlEditorInput').locator(LAB.editorLine).allInnerTexts();
    return lines.map(line => line.replace(/\u200b/g, '')).join('\n');
  }

  /** Focus the editor text (at its end) without changing it. */
  async focusEditor(): Promise<void> {
    await this.inEditor('sqlEditorInput').locator(LAB.editorLine).last().click();
  }

  /**
   * Run the editor's SQL with Shift+Enter and wait for the run to end.
   * The editor must be new or the previous run must have ended (a state other than `idle`
   * would be ambiguous otherwise): this waits for data-state to leave `idle`/`running`.
   */
  async runWithKeyboard(expected: FinalState | FinalState[] = ['ready', 'counting']): Promise<void> {
    await this.focusEditor();
    await this.page.keyboard.press('Shift+Enter');
    await this.waitForState(expected);
  }

  /** Wait until the status says one of these states. */
  async waitForState(expected: FinalState | FinalState[] | 'running', timeout = 60000): Promise<void> {
    const states = Array.isArray(expected) ? expected : [expected];
    await expect(this.status).toHaveAttribute(
      'data-state',
      new RegExp(`^(${states.join('|')})$`),
      { timeout }
    );
  }

  /** Wait until the result is complete: `ready` with this total row count. */
  async waitForRows(total: number): Promise<void> {
    await this.waitForState('ready');
    await expect(this.status).toHaveAttribute('data-total-rows', String(total));
  }

  /** Wait until the server runs this many queries (a Stop before that would reach nothing). */
  async waitForRunningQueries(count: number): Promise<void> {
    const request = this.page.request;
    await expect
      .poll(async () => (await serverStatus(request)).running_queries, { timeout: 30000 })
      .toBe(count);
  }

  // --- Results grid -----------------------------------------------------------------------

  get grid(): Locator {
    return this.inEditor('grid');
  }

  /**
   * Read the results grid of the editor in front through its widget: the data model's text
   * for the given rows (asking for a row not loaded yet starts its fetch and answers
   * "Loading…" meanwhile), the scroll position and the row painted at the bottom.
   */
  async readGrid(
    rows: number[] = [],
    panelClass = 'mlwb-SqlEditorPanel'
  ): Promise<IGridSnapshot> {
    return this.page.evaluate(
      ({ rows, gridTestId, panelClass }) => {
        const app = (window as any).jupyterapp;
        const panels = Array.from(app.shell.widgets('main') as Iterable<any>).filter(
          (w: any) => w.hasClass(panelClass) && w.isVisible
        );
        if (panels.length !== 1) {
          throw new Error(`expected one visible ${panelClass}, found ${panels.length}`);
        }
        // Panels list their widgets; a notebook's output areas only through their layouts.
        const children = (widget: any): any[] =>
          widget.widgets ?? (widget.layout ? Array.from(widget.layout) : []);
        const find = (widget: any): any => {
          if (widget.node?.dataset?.testid === gridTestId) {
            return widget;
          }
          for (const child of children(widget)) {
            const found = find(child);
            if (found) {
              return found;
            }
          }
          return null;
        };
        const grid = find(panels[0].content);
        const model = grid?.dataModel;
        if (!model) {
          throw new Error(`the ${panelClass} shows no result grid`);
        }
        const columns = model.columnCount('body');
        const text: Record<number, string[]> = {};
        for (const row of rows) {
          const cells = [String(model.data('row-header', row, 0))];
          for (let c = 0; c < columns; c++) {
            cells.push(String(model.data('body', row, c)));
          }
          text[row] = cells;
        }
        // The bottom body row: hit-test just above the viewport's bottom edge.
        const box = grid.node.getBoundingClientRect();
        const hit = grid.hitTest(box.left + grid.headerWidth + 4, box.top + grid.viewportHeight - 3);
        return {
          rowCount: model.rowCount('body'),
          headers: Array.from({ length: columns }, (_, c) => String(model.data('column-header', 0, c))),
          sort: model.sort ?? null,
          scrollY: grid.scrollY,
          maxScrollY: grid.maxScrollY,
          cursorRow: grid.selectionModel?.cursorRow ?? -1,
          lastVisibleRow: hit.region === 'body' ? hit.row : -1,
          rows: text
        };
      },
      { rows, gridTestId: 'mlwb-results-grid', panelClass }
    );
  }

  /** Client coordinates of the middle of a column's header (by column name). */
  async columnHeaderPoint(name: string): Promise<{ x: number; y: number }> {
    return this.page.evaluate(
      ({ name, gridTestId }) => {
        const node = Array.from(document.querySelectorAll(`[data-testid="${gridTestId}"]`)).find(
          n => (n as HTMLElement).offsetParent !== null
        );
        const app = (window as any).jupyterapp;
        const panel = Array.from(app.shell.widgets('main') as Iterable<any>).find(
          (w: any) => w.isVisible && w.node.contains(node)
        );
        const find = (widget: any): any =>
          widget.node === node
            ? widget
            : (widget.widgets ?? []).map(find).find((w: any) => w) ?? null;
        const grid = find((panel as any).content);
        const model = grid.dataModel;
        const index = model.columns.findIndex((c: any) => c.name === name);
        if (index < 0) {
          throw new Error(`no column ${name}`);
        }
        let x = grid.headerWidth - grid.scrollX;
        for (let c = 0; c < index; c++) {
          x += grid.columnSize('body', c);
        }
        x += grid.columnSize('body', index) / 2;
        const box = (node as HTMLElement).getBoundingClientRect();
        return { x: box.left + x, y: box.top + grid.headerHeight / 2 };
      },
      { name, gridTestId: 'mlwb-results-grid' }
    );
  }

  /** Click a column's header (one click cycles its sort: ascending, descending, none). */
  async clickColumnHeader(name: string): Promise<void> {
    const { x, y } = await this.columnHeaderPoint(name);
    await this.page.mouse.click(x, y);
  }

  /** Click the first body cell of the grid (selects it and gives the grid the keyboard). */
  async focusGrid(): Promise<void> {
    const { x, y } = await this.columnHeaderPoint((await this.columnNames())[0]);
    await this.page.mouse.click(x, y + 26);
  }

  /** The result's column names. */
  async columnNames(): Promise<string[]> {
    const snapshot = await this.readGrid();
    return snapshot.headers.map(h => h.replace(/^[▲▼] /, '').split(' · ')[0]);
  }

  // --- Save as table ----------------------------------------------------------------------

  get dialog(): Locator {
    return this.page.locator(LAB.dialog);
  }

  /** Whether a toolbar button is enabled (jp-button: Playwright's toBeEnabled does not see it). */
  async expectEnabled(key: 'run' | 'stop' | 'saveAsTable', enabled: boolean): Promise<void> {
    await expect(this.inEditor(key)).toHaveAttribute('aria-disabled', enabled ? 'false' : 'true');
  }

  /** Click "Save as table" and fill in the dialog's name (the dialog stays open). */
  async openSaveDialog(name: string): Promise<void> {
    await this.inEditor('saveAsTable').click();
    const input = this.dialog.locator(SELECTORS.saveDialogName);
    await expect(input).toBeVisible();
    await input.fill(name);
  }

  /** Accept the open dialog (its main button) and wait for it to close. */
  async acceptDialog(label?: string): Promise<void> {
    const button = this.page.locator(LAB.dialogAccept);
    if (label) {
      await expect(button).toHaveText(label);
    }
    await button.click();
  }

  // --- Editor marks -----------------------------------------------------------------------

  /** The number (1-based) of the line the editor marks as failing, or null. */
  async errorLineNumber(): Promise<number | null> {
    return this.inEditor('sqlEditorInput').evaluate((content, cls) => {
      const lines = Array.from(content.querySelectorAll('.cm-line'));
      const index = lines.findIndex(line => line.classList.contains(cls));
      return index < 0 ? null : index + 1;
    }, SELECTORS.errorLine.slice(1));
  }

  // --- App-level actions ------------------------------------------------------------------

  /** Run a JupyterLab command (once a plugin has registered it: plugins load after the shell). */
  async execute(command: string, args: Record<string, unknown> = {}): Promise<void> {
    await this.page.waitForFunction(
      command => (window as any).jupyterapp?.commands.hasCommand(command),
      command
    );
    // The command's result (a widget, say) is not sent back: it may not serialize.
    await this.page.evaluate(
      async ({ command, args }) => {
        await (window as any).jupyterapp.commands.execute(command, args);
      },
      { command, args }
    );
  }

  /** Make sure the two sample files are Workbench sources (for tests that only query them). */
  async ensureSampleSources(): Promise<void> {
    const request = this.page.request;
    const catalog = await (await request.get(`${API}/catalog`)).json();
    const paths = new Set((catalog.sources ?? []).map((s: { path: string }) => s.path));
    for (const path of ['data/customers.csv', 'data/orders.parquet']) {
      if (![...paths].some(p => String(p).endsWith(path))) {
        const response = await request.post(`${API}/sources`, { data: { path } });
        expect(response.ok(), await response.text()).toBeTruthy();
      }
    }
    await this.refreshCatalog();
  }

  /** Forget a source if it is registered (so a test can be run again). */
  async removeSourceIfExists(name: string): Promise<void> {
    const response = await this.page.request.delete(`${API}/sources/${encodeURIComponent(name)}`);
    expect([200, 204, 404]).toContain(response.status());
    await this.refreshCatalog();
  }

  /** Delete a workspace table if it exists (so a test can be run again). */
  async dropTableIfExists(name: string): Promise<void> {
    const response = await this.page.request.delete(`${API}/tables/${encodeURIComponent(name)}`);
    expect([200, 204, 404]).toContain(response.status());
    await this.refreshCatalog();
  }

  /** Save a screenshot for the README tour (not compared: look at it). */
  async screenshot(name: string): Promise<void> {
    await this.page.screenshot({ path: `screenshots/${name}.png` });
  }
}

/** GET /status of the server extension. */
export async function serverStatus(
  request: APIRequestContext
): Promise<{ running_queries: number; open_results: number }> {
  const response = await request.get(`${API}/status`);
  expect(response.ok()).toBeTruthy();
  return response.json();
}
