/**
 * `%%sql` cells in a notebook, as a user meets them: the result renders in the Workbench grid,
 * paging and sorting go through the kernel, a notebook reopened without a kernel still shows
 * the first page and says why it cannot page further, cells are highlighted as SQL, and the
 * kernel completes column names.
 *
 * The server (jupyter_server_test_config.py) gives kernels the same MLWORKBENCH_HOME as
 * itself, so a source registered through the REST API is a table in the notebook too.
 */
import { expect, IJupyterLabPageFixture, test } from '@jupyterlab/galata';

import { SELECTORS, WorkbenchPage } from './workbench-page';

const MILLION_SQL = 'SELECT i, i * 2 AS j FROM range(1000000) t(i)';

/** A notebook with the extension loaded and one `%%sql` cell over a million rows. */
function millionNotebook(): string {
  const cell = (source: string) => ({
    cell_type: 'code',
    execution_count: null,
    metadata: {},
    outputs: [],
    source
  });
  return JSON.stringify({
    cells: [cell('%load_ext mlworkbench'), cell(`%%sql\n${MILLION_SQL}`)],
    metadata: {
      kernelspec: { display_name: 'Python 3', language: 'python', name: 'python3' },
      language_info: { name: 'python' }
    },
    nbformat: 4,
    nbformat_minor: 5
  });
}

/** The grid of the notebook in front (read from its widget: the grid paints on a canvas). */
function readCellGrid(page: IJupyterLabPageFixture, rows: number[] = []) {
  return new WorkbenchPage(page).readGrid(rows, 'jp-NotebookPanel');
}

/** Upload the notebook, open it and run every cell; wait for the grid. */
async function runMillionNotebook(
  page: IJupyterLabPageFixture,
  tmpPath: string,
  name: string
): Promise<void> {
  await page.contents.uploadContent(millionNotebook(), 'text', `${tmpPath}/${name}`);
  await page.filebrowser.refresh();
  expect(await page.notebook.open(name)).toBeTruthy();
  await page.notebook.activate(name);
  await page.notebook.run();
  await expect(page.locator(SELECTORS.cellResult)).toBeVisible();
}

test.describe('%%sql cells in a notebook', () => {
  test('the result is a grid that pages and sorts through the kernel', async ({ page, tmpPath }) => {
    await runMillionNotebook(page, tmpPath, 'sql-grid.ipynb');

    await expect(page.locator(SELECTORS.cellResultStatus)).toContainText('1,000,000 rows');
    await expect(page.locator(`${SELECTORS.cellResult} ${SELECTORS.grid}`)).toBeVisible();

    // The first page came with the output; the last row is fetched from the kernel's session.
    const first = await readCellGrid(page, [0]);
    expect(first.rowCount).toBe(1000000);
    expect(first.rows[0]).toEqual(['1', '0', '0']);
    await expect
      .poll(async () => (await readCellGrid(page, [999999])).rows[999999])
      .toEqual(['1000000', '999999', '1999998']);

    // Sorting runs in the kernel over the whole result, not over the first page.
    const header = await page.evaluate(() => {
      const node = document.querySelector('[data-testid="mlwb-results-grid"]') as HTMLElement;
      const box = node.getBoundingClientRect();
      return { x: box.left + 64 + 40, y: box.top + 13 };
    });
    await page.mouse.click(header.x, header.y);
    await page.mouse.click(header.x, header.y);
    await expect
      .poll(async () => {
        const grid = await readCellGrid(page, [0]);
        return { sort: grid.sort, first: grid.rows[0] };
      })
      .toEqual({
        sort: { column: 'i', descending: true },
        first: ['1', '999999', '1999998']
      });
    await page.screenshot({ path: 'screenshots/notebook-sql-grid.png' });
  });

  test('reopened without a kernel: the first page and the count stay, paging says why not', async ({
    page,
    tmpPath
  }) => {
    await runMillionNotebook(page, tmpPath, 'sql-nokernel.ipynb');
    await expect(page.locator(SELECTORS.cellResultStatus)).toContainText('1,000,000 rows');
    await page.notebook.save();
    await page.notebook.close(false);

    expect(await page.notebook.open('sql-nokernel.ipynb', { noKernel: true })).toBeTruthy();
    await expect(page.locator(SELECTORS.cellResult)).toBeVisible();
    await expect(page.locator(SELECTORS.cellResultStatus)).toContainText('1,000,000 rows');
    const first = await readCellGrid(page, [0, 99]);
    expect(first.rows[0]).toEqual(['1', '0', '0']);
    expect(first.rows[99]).toEqual(['100', '99', '198']);

    // Asking past the saved page fails visibly, with what to do.
    await readCellGrid(page, [5000]);
    await expect(page.locator(SELECTORS.cellResultNotice)).toContainText('kernel');
  });

  test('a %%sql cell is highlighted as SQL and the kernel completes column names', async ({
    page
  }) => {
    const wb = new WorkbenchPage(page);
    await wb.openSidebar();
    await wb.ensureSampleSources();

    await page.notebook.createNew('sql-complete.ipynb');
    await page.notebook.setCell(0, 'code', '%load_ext mlworkbench');
    await page.notebook.runCell(0, true);

    await page.notebook.addCell('code', '%%sql\nSELECT region FROM customers');
    const cell = await page.notebook.getCellLocator(1);
    // The cell's editor speaks SQL (the CodeMirror content says its language) and SELECT is a
    // highlighted token; in Python it would be a plain name, with no token of its own.
    await expect(cell!.locator('.cm-content')).toHaveAttribute('data-language', 'sql');
    await expect(cell!.locator('.cm-content span', { hasText: /^SELECT$/ }).first()).toBeVisible();
    await expect(
      (await page.notebook.getCellLocator(0))!.locator('.cm-content')
    ).not.toHaveAttribute('data-language', 'sql');

    // Run it once (the kernel's first SQL cell opens the workspace), then complete a column
    // of the table the cell names: `WHERE cust` + Tab offers `cust_id`.
    await page.notebook.runCell(1, true);
    await expect(page.locator(SELECTORS.cellResultStatus)).toContainText('200 rows');
    await page.notebook.enterCellEditingMode(1);
    const editor = cell!.getByRole('textbox');
    await editor.press('Control+End');
    await editor.pressSequentially('\nWHERE cust');
    await editor.press('Tab');
    // One match is inserted at once; several open the completer: either way cust_id is offered.
    const completer = page.locator('.jp-Completer');
    await expect
      .poll(async () =>
        (await completer.isVisible())
          ? (await completer.locator('.jp-Completer-item').allTextContents()).join(' ')
          : await cell!.locator('.cm-content').textContent()
      )
      .toContain('cust_id');
    await page.screenshot({ path: 'screenshots/notebook-sql-completion.png' });
  });
});
