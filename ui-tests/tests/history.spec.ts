/**
 * Query history, saved queries and file imports in the Workbench sidebar (issue 4): a run
 * lands in History and reopens from there, a failure shows its error, a saved query is
 * listed and opens, a CSV dropped from the "operating system" becomes a table with its row
 * count, a ragged CSV names its bad line. Each test stands on its own.
 */
import { expect, test } from '@jupyterlab/galata';

import { SELECTORS } from './workbench-page';
import { csvText, HistoryPage } from './history-page';

test.describe('History, saved queries and imports', () => {
  test('a query run in a SQL editor appears in History and reopens from it', async ({
    page
  }) => {
    const hp = new HistoryPage(page);
    await hp.openSidebar();
    await hp.clearHistory();
    const sql = `SELECT 42 AS answer, 'history-ok' AS tag\nFROM range(3)`;
    await hp.newEditor(sql);
    await hp.runWithKeyboard();

    const item = hp.historyItem("SELECT 42 AS answer, 'history-ok' AS tag");
    await expect(item).toHaveCount(1);
    await expect(item).toHaveAttribute('data-status', 'ok');
    await expect(item).toContainText('3 rows');
    // The whole SQL is the row's tooltip.
    await expect(item).toHaveAttribute(
      'title',
      new RegExp('FROM range\\(3\\)')
    );

    const editors = await page.locator(SELECTORS.sqlEditorPanel).count();
    await item.click();
    await expect(page.locator(SELECTORS.sqlEditorPanel)).toHaveCount(
      editors + 1
    );
    await expect.poll(() => hp.editorText()).toBe(sql);
  });

  test('a failing query shows its error in History, and the search finds it', async ({
    page
  }) => {
    const hp = new HistoryPage(page);
    await hp.openSidebar();
    await hp.clearHistory();
    await hp.newEditor('SELECT 1 AS fine');
    await hp.runWithKeyboard();
    await hp.newEditor('SELECT *\nFROM no_such_table_for_history');
    await hp.runWithKeyboard('error');

    const failed = hp.historyItem('SELECT *');
    await expect(failed).toHaveAttribute('data-status', 'error');
    const status = failed.locator(SELECTORS.historyStatus);
    await expect(status).toHaveAttribute('title', /no_such_table_for_history/);
    await expect(status).toHaveAttribute('title', /^Line 2: /);
    await expect(hp.historyItem('SELECT 1 AS fine')).toHaveAttribute(
      'data-status',
      'ok'
    );

    // Newest first.
    const rows = hp.historySection.locator(SELECTORS.historySql);
    await expect(rows.first()).toHaveText('SELECT *');

    await hp.historySection
      .locator(SELECTORS.historySearch)
      .fill('no_such_table');
    await expect(hp.historySection.locator(SELECTORS.historyItem)).toHaveCount(
      1
    );
    await expect(hp.historyItem('SELECT 1 AS fine')).toHaveCount(0);
    await hp.historySection.locator(SELECTORS.historySearch).fill('');
    await expect(hp.historySection.locator(SELECTORS.historyItem)).toHaveCount(
      2
    );
  });

  test('a saved query is listed under Saved queries, opens, is renamed and deleted', async ({
    page
  }) => {
    const hp = new HistoryPage(page);
    await hp.openSidebar();
    await hp.deleteSavedQueryIfExists('big orders');
    await hp.deleteSavedQueryIfExists('big-orders-2');
    const sql = 'SELECT 7 AS seven\n-- kept as a .sql file';
    await hp.newEditor(sql);

    await hp.savedSection.locator(SELECTORS.saveQuery).click();
    await hp.answerNameDialog('big orders');
    await expect(hp.savedQuery('big orders')).toBeVisible();
    expect(await hp.currentTabLabel()).toBe('big orders');

    const editors = await page.locator(SELECTORS.sqlEditorPanel).count();
    await hp.savedQuery('big orders').click();
    await expect(page.locator(SELECTORS.sqlEditorPanel)).toHaveCount(
      editors + 1
    );
    await expect.poll(() => hp.editorText()).toBe(sql);
    expect(await hp.currentTabLabel()).toBe('big orders');

    // Saving again under a taken name asks before replacing.
    await hp.setSql('SELECT 8 AS eight');
    await hp.startCommand('mlworkbench:save-query');
    await hp.answerNameDialog('big orders');
    await expect(hp.dialog).toContainText('exists');
    await hp.acceptDialog('Replace');
    await expect
      .poll(
        async () =>
          (
            await (
              await page.request.get(
                '/mlworkbench/api/saved-queries/big%20orders'
              )
            ).json()
          ).sql
      )
      .toContain('SELECT 8 AS eight');

    await hp.savedQuery('big orders').hover();
    await hp
      .savedQuery('big orders')
      .locator(SELECTORS.savedQueryRename)
      .click();
    await hp.answerNameDialog('big-orders-2');
    await expect(hp.savedQuery('big-orders-2')).toBeVisible();
    await expect(hp.savedQuery('big orders')).toHaveCount(0);

    await hp.savedQuery('big-orders-2').hover();
    await hp
      .savedQuery('big-orders-2')
      .locator(SELECTORS.savedQueryDelete)
      .click();
    await hp.acceptDialog('Delete');
    await expect(hp.savedQuery('big-orders-2')).toHaveCount(0);
  });

  test('a CSV dropped on the sidebar becomes a table with its row count', async ({
    page
  }) => {
    const hp = new HistoryPage(page);
    await hp.openSidebar();
    await hp.dropTableIfExists('dropped_sales');

    // While files are dragged over, the drop zone shows; leaving hides it.
    await hp.dropFile('Dropped Sales.csv', csvText(150), { drop: false });
    await expect(hp.locator('dropZone')).toBeVisible();
    await hp.leaveDrag();
    await expect(hp.locator('dropZone')).toBeHidden();

    await hp.dropFile('Dropped Sales.csv', csvText(150));
    // The name is derived from the file name.
    await expect(hp.dialog.locator(SELECTORS.importDialogName)).toHaveValue(
      'dropped_sales'
    );
    await hp.answerImportDialog();

    const job = hp.importJob('Dropped Sales.csv');
    await expect(job).toHaveAttribute('data-state', 'done');
    await expect(job).toContainText('150 rows');
    const row = hp.tableRow('dropped_sales', 'workspace');
    await expect(hp.rowCount(row)).toHaveText('150');

    // The same name again: the dialog offers a new version of the table.
    await hp.dropFile('Dropped Sales.csv', csvText(180));
    await expect(hp.dialog).toContainText('exists');
    await hp.answerImportDialog({ overwrite: true });
    await expect(hp.rowCount(row)).toHaveText('180');
  });

  test('a big upload shows its progress and the sidebar stays usable', async ({
    page
  }) => {
    const hp = new HistoryPage(page);
    await hp.openSidebar();
    await hp.dropTableIfExists('big_upload');
    await hp.throttleUploads(4 * 1024 * 1024);
    try {
      await hp.dropFile('big_upload.csv', csvText(10), {
        size: 12 * 1024 * 1024
      });
      await hp.answerImportDialog();
      const progress = hp
        .importJob('big_upload.csv')
        .locator(SELECTORS.importProgress);
      await expect(progress).toBeVisible();
      await expect
        .poll(
          async () => Number(await progress.getAttribute('aria-valuenow')),
          { timeout: 10000 }
        )
        .toBeGreaterThan(0);
      // The page answers while the bytes go out.
      await hp.historySection
        .locator(SELECTORS.historySearch)
        .fill('typing during upload');
      await expect(
        hp.historySection.locator(SELECTORS.historySearch)
      ).toHaveValue('typing during upload');
      await hp.historySection.locator(SELECTORS.historySearch).fill('');
      await expect(hp.importJob('big_upload.csv')).toHaveAttribute(
        'data-state',
        'done',
        {
          timeout: 60000
        }
      );
    } finally {
      await hp.throttleUploads(null);
    }
    await expect(hp.tableRow('big_upload', 'workspace')).toBeVisible();
  });

  test('a ragged CSV: the error names the line, and it imports skipping that line', async ({
    page
  }) => {
    const hp = new HistoryPage(page);
    await hp.openSidebar();
    await hp.dropTableIfExists('ragged');
    await hp.dropFile('ragged.csv', 'a,b\n1,2\n3,4\n5,6,7\n8,9\n');
    await hp.answerImportDialog();

    const job = hp.importJob('ragged.csv');
    await expect(job).toHaveAttribute('data-state', 'error');
    const error = job.locator(SELECTORS.importError);
    await expect(error).toHaveAttribute('data-line', '4');
    await expect(error).toContainText('Line 4');
    await expect(hp.tableRow('ragged', 'workspace')).toHaveCount(0);

    await job.locator(SELECTORS.importRetry).click();
    await expect(job).toHaveAttribute('data-state', 'done');
    await expect(job).toContainText('1 line skipped');
    await expect(hp.rowCount(hp.tableRow('ragged', 'workspace'))).toHaveText(
      '3'
    );
  });

  test('screenshot: history, saved queries and an import in the sidebar', async ({
    page
  }) => {
    const hp = new HistoryPage(page);
    await hp.openSidebar();
    await hp.clearHistory();
    await hp.dropTableIfExists('sales');
    await hp.deleteSavedQueryIfExists('sales by region');
    await hp.dropFile('sales.csv', salesCsv());
    await hp.answerImportDialog();
    await expect(hp.importJob('sales.csv')).toHaveAttribute(
      'data-state',
      'done'
    );

    await hp.newEditor('SELECT count(*) AS n FROM sales');
    await hp.runWithKeyboard();
    await hp.newEditor(
      'SELECT region, sum(amount)\nFROM sales GROUP BY regoin'
    );
    await hp.runWithKeyboard('error');
    const sql =
      'SELECT region, count(*) AS orders, round(sum(amount), 2) AS total\nFROM sales\nGROUP BY region\nORDER BY total DESC';
    await hp.newEditor(sql);
    await hp.runWithKeyboard();
    await hp.startCommand('mlworkbench:save-query');
    await hp.answerNameDialog('sales by region');
    await expect(hp.savedQuery('sales by region')).toBeVisible();
    await expect(hp.historySection.locator(SELECTORS.historyItem)).toHaveCount(
      3
    );
    await hp.historyItem('SELECT region, sum(amount)').hover();
    await hp.screenshot('history');
  });
});

/** A small sales table: 120 orders over four regions. */
function salesCsv(): string {
  const regions = ['north', 'south', 'east', 'west'];
  const lines = ['order_id,region,amount'];
  for (let i = 1; i <= 120; i++) {
    lines.push(`${i},${regions[i % 4]},${((i * 37) % 500) + 0.5}`);
  }
  return lines.join('\n') + '\n';
}
