/**
 * `mlwb.train(...)` in a notebook, as a user meets it in JupyterLab: the cell shows the run's
 * live progress (one output updated in place), then the summary with held-out metrics and the
 * leaderboard, then the evaluation charts drawn by JupyterLab's own Vega-Lite renderer, which
 * follows the dark theme.
 *
 * The data is a small SELECT over range() (no source to register): 240 customers whose churn
 * depends on tenure, calls and plan, as in tests/notebook/test_train.py.
 */
import { expect, test } from '@jupyterlab/galata';

import { chartBackground, VEGA } from './training-page';
import { WorkbenchPage } from './workbench-page';

const CUSTOMERS = `SELECT i AS customer_id, (i * 37 % 100) / 10.0 AS tenure, i * 53 % 17 AS calls,
       ['basic', 'plus', 'pro'][1 + i % 3] AS plan,
       (i * 37 % 100) / 10.0 - (i * 53 % 17) / 2.0 + (i % 3) < 2 AS churned
FROM range(240) t(i)`;

const TRAIN_CELL = `import mlworkbench as mlwb
run = mlwb.train("""${CUSTOMERS}""", target="churned", budget="5s", experiment="notebook-ui")
run`;

test.describe('mlwb.train in a notebook', () => {
  test('the cell shows live progress, then the leaderboard and Vega-Lite charts, in the dark theme', async ({
    page
  }) => {
    test.setTimeout(240000); // the training process starts slowly on a busy machine
    const wb = new WorkbenchPage(page);
    // Dark from the start: the Vega renderer picks the theme when it draws an output.
    await wb.execute('apputils:change-theme', { theme: 'JupyterLab Dark' });
    await expect(page.locator('body')).toHaveAttribute('data-jp-theme-light', 'false');
    await page.notebook.createNew('train.ipynb');
    await page.notebook.setCell(0, 'code', TRAIN_CELL);
    const cell = page.locator('.jp-Notebook .jp-Cell').first();
    const outputs = cell.locator('.jp-OutputArea-output');
    // Do not wait for the cell: the progress shows while it runs.
    void page.notebook.runCell(0, false);

    // Live: one progress output (an HTML <progress> bar and what the search is at).
    const progress = outputs.first();
    await expect(progress.locator('progress')).toBeVisible({ timeout: 120000 });
    await expect(progress).toContainText('Training run');
    await expect(progress).toContainText('Interrupt the kernel to stop');

    // Ended: the progress says so; the summary, metrics and leaderboard follow as HTML.
    await expect(progress).toContainText('Done.', { timeout: 150000 });
    const summary = cell.locator('.mlwb-train');
    await expect(summary).toBeVisible();
    await expect(summary).toContainText(/Training run \d+: finished/);
    await expect(summary).toContainText('Held-out metrics');
    await expect(summary).toContainText('roc_auc');
    await expect(summary).toContainText('Leaderboard');
    const leaders = summary.locator('h4:has-text("Leaderboard") + table tbody tr');
    expect(await leaders.count()).toBeGreaterThanOrEqual(1);
    // Its text takes the theme's (light) font colour.
    const brightness = await summary.evaluate(node => {
      const [r, g, b] = getComputedStyle(node).color.match(/\d+/g)!.map(Number);
      return r + g + b;
    });
    expect(brightness).toBeGreaterThan(3 * 128);

    // The charts: one Vega-Lite output drawn by JupyterLab's renderer, on a dark background.
    const drawing = cell.locator(`${VEGA} canvas, ${VEGA} svg`).first();
    await expect(drawing).toBeVisible({ timeout: 30000 });
    await expect.poll(() => chartBackground(drawing)).toBe('dark');
    await summary.evaluate(node => node.scrollIntoView({ block: 'start' }));
    await wb.screenshot('training-notebook');
    await wb.execute('apputils:change-theme', { theme: 'JupyterLab Light' });
  });
});
