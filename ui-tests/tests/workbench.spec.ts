/**
 * The Workbench as a user drives it: sidebar, "Open in Workbench", SQL editor, results grid,
 * cancel, save as table, errors, dark theme. The server (jupyter_server_test_config.py) seeds
 * data/customers.csv (200 rows) and data/orders.parquet (2000 rows) in a fresh root.
 *
 * Each test stands on its own (a retry or a single test run works): tests that only query the
 * sample files register them through the API first. Screenshots go to ui-tests/screenshots/ for
 * the README tour; they are not compared.
 */
import { expect, test } from '@jupyterlab/galata';

import { SELECTORS, WorkbenchPage } from './workbench-page';

const JOIN_SQL = `SELECT o.order_id, c.name, c.region, o.amount
FROM orders o JOIN customers c USING (cust_id)
ORDER BY o.order_id`;

const MILLION_SQL = 'SELECT i, i * 2 AS j FROM range(1000000) t(i)';

const LONG_SQL = 'SELECT sum(a.i * b.i) FROM range(300000) a(i), range(300000) b(i)';

const TOP_CUSTOMERS_SQL = `SELECT c.name, c.region, count(*) AS orders, round(sum(o.amount), 2) AS total
FROM orders o JOIN customers c USING (cust_id)
GROUP BY ALL
ORDER BY total DESC
LIMIT 10`;

test.describe('Workbench', () => {
  test('the sidebar tab shows the catalog', async ({ page }) => {
    const wb = new WorkbenchPage(page);
    await expect(wb.sidebar).toBeHidden();

    await wb.sidebarTab.click();

    await expect(wb.sidebar).toBeVisible();
    await wb.waitForCatalog();
    const sources = await wb.sidebar.locator(`${SELECTORS.catalogItem}[data-kind="source"]`).count();
    if (sources === 0) {
      // A new workspace says how to add data.
      await expect(wb.sidebar).toContainText('No sources yet');
      await expect(wb.sidebar).toContainText('Open in Workbench');
    }
    await expect(wb.locator('catalogNewEditor')).toBeVisible();
    await wb.screenshot('sidebar-catalog');
  });

  test('"Open in Workbench" in the file browser adds a CSV and a Parquet file', async ({ page }) => {
    const wb = new WorkbenchPage(page);
    await wb.removeSourceIfExists('customers');
    await wb.removeSourceIfExists('orders');
    await wb.openSidebar();
    await expect(wb.catalogItem('customers', 'source')).toHaveCount(0);

    await wb.openDataFolder();
    const menu = await wb.contextMenuOf('customers.csv');
    await expect(wb.openInWorkbenchEntry(menu)).toBeVisible();
    await wb.screenshot('open-in-workbench-menu');
    await wb.openInWorkbenchEntry(menu).click();
    // It opens a SQL editor on a preview of the new source.
    await expect(wb.editor).toHaveCount(1);
    await expect.poll(() => wb.editorText()).toBe('SELECT * FROM "customers" LIMIT 1000');

    const parquetMenu = await wb.contextMenuOf('orders.parquet');
    await wb.openInWorkbenchEntry(parquetMenu).click();
    await expect.poll(() => wb.editorText()).toBe('SELECT * FROM "orders" LIMIT 1000');

    await wb.openSidebar();
    await wb.expand('customers', 'source');
    await wb.expand('orders', 'source');
    await expect(wb.rowCount(wb.tableRow('customers', { source: 'customers' }))).toHaveText('200');
    await expect(wb.rowCount(wb.tableRow('orders', { source: 'orders' }))).toHaveText('2,000');
    // The columns are listed under each table.
    await wb.expand('orders', 'table');
    await expect(wb.catalogItem('amount', 'column')).toBeVisible();
    await wb.screenshot('catalog-sources');
  });

  test('Shift+Enter runs a join and the grid shows its rows', async ({ page }) => {
    const wb = new WorkbenchPage(page);
    await wb.ensureSampleSources();
    await wb.newEditor(JOIN_SQL);

    await wb.runWithKeyboard();

    await wb.waitForRows(2000);
    await expect(wb.status).toContainText('2,000 rows');
    await expect(wb.errorBox).toBeHidden();
    const grid = await wb.readGrid([0, 1999]);
    expect(grid.rowCount).toBe(2000);
    expect(grid.headers.map(h => h.split(' · ')[0])).toEqual(['order_id', 'name', 'region', 'amount']);
    expect(grid.rows[0].slice(0, 4)).toEqual(['1', '1', 'Customer 2', 'east']);
    await expect
      .poll(async () => (await wb.readGrid([1999])).rows[1999].slice(0, 3))
      .toEqual(['2000', '2000', 'Customer 1']);
    await wb.screenshot('join-result');
  });

  test('a million rows: the grid scrolls to the last one', async ({ page }) => {
    const wb = new WorkbenchPage(page);
    await wb.newEditor(MILLION_SQL);

    await wb.runWithKeyboard();

    await wb.waitForRows(1000000);
    await expect(wb.status).toContainText('1,000,000 rows');
    // Control+ArrowDown in the grid jumps to the last row, as in a spreadsheet.
    await wb.focusGrid();
    await page.keyboard.press('Control+ArrowDown');
    await expect
      .poll(async () => {
        const grid = await wb.readGrid([999999]);
        return {
          cursorRow: grid.cursorRow,
          atBottom: grid.scrollY === grid.maxScrollY && grid.maxScrollY > 0,
          lastVisibleRow: grid.lastVisibleRow,
          last: grid.rows[999999]
        };
      })
      .toEqual({
        cursorRow: 999999,
        atBottom: true,
        lastVisibleRow: 999999,
        last: ['1000000', '999999', '1999998']
      });
    await wb.screenshot('million-rows-last');
  });

  test('clicking a column header twice sorts descending', async ({ page }) => {
    const wb = new WorkbenchPage(page);
    await wb.newEditor(MILLION_SQL);
    await wb.runWithKeyboard();
    await wb.waitForRows(1000000);

    await wb.clickColumnHeader('i');
    await expect
      .poll(async () => {
        const grid = await wb.readGrid([0]);
        return { sort: grid.sort, header: grid.headers[0], first: grid.rows[0] };
      })
      .toEqual({
        sort: { column: 'i', descending: false },
        header: '▲ i · BIGINT',
        first: ['1', '0', '0']
      });

    await wb.clickColumnHeader('i');
    await expect
      .poll(async () => {
        const grid = await wb.readGrid([0, 1]);
        return { sort: grid.sort, header: grid.headers[0], first: grid.rows[0], second: grid.rows[1] };
      })
      .toEqual({
        sort: { column: 'i', descending: true },
        header: '▼ i · BIGINT',
        first: ['1', '999999', '1999998'],
        second: ['2', '999998', '1999996']
      });
    await wb.screenshot('sorted-descending');
  });

  test('a long query stops with the Stop button and with Escape', async ({ page }) => {
    const wb = new WorkbenchPage(page);
    await wb.newEditor(LONG_SQL);

    // The Stop button.
    await wb.focusEditor();
    await page.keyboard.press('Shift+Enter');
    await wb.waitForState('running');
    await expect(wb.editor).toHaveClass(/mlwb-mod-running/);
    await wb.expectEnabled('run', false);
    await wb.waitForRunningQueries(1);
    await expect(wb.inEditor('progress')).toBeVisible();
    await wb.screenshot('long-query-running');
    await wb.expectEnabled('stop', true);
    await wb.inEditor('stop').click();
    await wb.waitForState('cancelled');
    await expect(wb.status).toContainText('Cancelled');
    await expect(wb.errorBox).toBeHidden();
    await wb.expectEnabled('run', true);
    await wb.waitForRunningQueries(0);
    await wb.screenshot('long-query-cancelled');

    // Escape, from the editor.
    await wb.focusEditor();
    await page.keyboard.press('Shift+Enter');
    await wb.waitForState('running');
    await expect(wb.errorBox).toBeHidden();
    await wb.waitForRunningQueries(1);
    await page.keyboard.press('Escape');
    await wb.waitForState('cancelled');
    await expect(wb.status).toContainText('Cancelled');
    await wb.waitForRunningQueries(0);

    // The editor is usable again: edit and run.
    await wb.setSql('SELECT 42 AS answer');
    await wb.runWithKeyboard();
    await wb.waitForRows(1);
    await expect(wb.errorBox).toBeHidden();
    expect((await wb.readGrid([0])).rows[0]).toEqual(['1', '42']);
  });

  test('a result saved as a table appears in the catalog; saving again writes a new version', async ({
    page
  }) => {
    const wb = new WorkbenchPage(page);
    await wb.ensureSampleSources();
    await wb.dropTableIfExists('top_customers');
    await wb.newEditor(TOP_CUSTOMERS_SQL);
    await wb.runWithKeyboard();
    await wb.waitForRows(10);

    await wb.openSaveDialog('top_customers');
    await wb.screenshot('save-dialog');
    await wb.acceptDialog('Save');
    await expect(wb.dialog).toHaveCount(0);

    const table = wb.tableRow('top_customers', 'workspace');
    await expect(table).toBeVisible();
    await expect(wb.rowCount(table)).toHaveText('10');
    await expect(table).toHaveAttribute('title', /v1/);
    await wb.screenshot('catalog-saved-table');

    // The same name again: the server answers 409 and the editor offers a new version.
    await wb.openSaveDialog('top_customers');
    await wb.acceptDialog('Save');
    await expect(wb.dialog).toContainText('Table top_customers exists');
    await expect(wb.dialog).toContainText('already has a table named top_customers');
    await expect(wb.dialog).not.toContainText('overwrite=true');
    await wb.screenshot('save-new-version');
    await wb.acceptDialog('Write New Version');
    await expect(wb.dialog).toHaveCount(0);
    await expect(table).toHaveAttribute('title', /v2/);
    await expect(wb.rowCount(table)).toHaveText('10');
  });

  test('an error shows its message and marks the failing line', async ({ page }) => {
    const wb = new WorkbenchPage(page);
    await wb.newEditor('SELECT 1;\nSELEC oops');

    await wb.runWithKeyboard('error');

    await expect(wb.errorBox).toBeVisible();
    await expect(wb.errorBox).toContainText('syntax error');
    await expect(wb.errorBox).toContainText('SELEC');
    await expect(wb.inEditor('errorLine')).toHaveCount(1);
    expect(await wb.errorLineNumber()).toBe(2);
    await expect(wb.inEditor('errorColumn')).toHaveText('S');
    await expect(wb.status).toHaveText('Error');
    await wb.screenshot('query-error');
  });

  test('the dark theme colours the sidebar, the editor and the grid', async ({ page }) => {
    const wb = new WorkbenchPage(page);
    await wb.ensureSampleSources();
    await wb.newEditor(JOIN_SQL);
    await wb.runWithKeyboard();
    await wb.waitForRows(2000);

    await wb.execute('apputils:change-theme', { theme: 'JupyterLab Dark' });

    await expect(page.locator('body')).toHaveAttribute('data-jp-theme-name', 'JupyterLab Dark');
    await expect(page.locator('body')).toHaveAttribute('data-jp-theme-light', 'false');
    await wb.openSidebar();
    await wb.expand('orders', 'source');
    // The grid repaints with the theme's colours (read from CSS variables on the next frame).
    await expect
      .poll(() =>
        wb.grid.evaluate(node => {
          // A pixel in the first body cell's left padding (numbers are right-aligned).
          const canvas = node.querySelector('canvas') as HTMLCanvasElement;
          const scale = canvas.width / canvas.clientWidth;
          const x = Math.round((72 + 3) * scale);
          const y = Math.round((26 + 11) * scale);
          const [r, g, b] = canvas.getContext('2d')!.getImageData(x, y, 1, 1).data;
          return r + g + b < 3 * 128;
        })
      )
      .toBe(true);
    await wb.screenshot('dark-theme');
  });
});
