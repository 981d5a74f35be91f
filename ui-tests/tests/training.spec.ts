/**
 * Training a model as a user does it, against the real server: the form from the sidebar's
 * Experiments section on the demo orders (1,200 rows, jupyter_server_test_config.py), a
 * small budget, the live progress, the result with its leaderboard and a Vega-Lite chart drawn
 * by JupyterLab's renderer, reopening the run from the sidebar; and a refused Train.
 * The screenshot goes to ui-tests/screenshots/training-result.png for the README.
 */
import { expect, test } from '@jupyterlab/galata';

import { chartBackground, SELECTORS, TrainingPage } from './training-page';

/** The form's "Refit on all rows" checkbox, and the result's note that it was. */
const REFIT_ALL = '[data-testid="mlwb-train-refit-all"]';

test.describe('Training', () => {
  test('trains on a demo table from the sidebar: live progress, result, reopened from Experiments', async ({
    page
  }) => {
    test.setTimeout(240000); // a busy machine slows the training process down
    const wb = new TrainingPage(page);
    await wb.ensureDemoSources();
    await wb.deleteAllRuns();

    await wb.openFormFromSidebar();
    await wb.pickTable('demo_orders');
    await expect(wb.in('trainRows')).toContainText('1,200 rows');
    await wb.pickTarget('channel');
    // Inferred: three channels; the order id is flagged, so left out, with the reason shown.
    await expect(wb.in('trainTask').locator('option:checked')).toHaveText(
      'Multiclass classification (inferred)'
    );
    await expect(wb.feature('order_id')).toHaveAttribute('data-checked', 'false');
    await expect(wb.feature('order_id')).toHaveAttribute('data-flags', /id_like/);
    await expect(wb.feature('order_id').locator(SELECTORS.trainFlag)).not.toBeEmpty();
    await expect(wb.feature('shipping_cost')).toHaveAttribute('data-checked', 'true');
    await wb.setBudget(5);
    // The saved model is refitted on every row once evaluated (the metrics stay held-out ones).
    await wb.panel.locator(REFIT_ALL).check();

    await wb.in('trainSubmit').click();
    // Live: the run's view replaces the form while it trains.
    await expect(wb.in('trainingRun')).toBeVisible();
    await expect(wb.in('trainForm')).toHaveCount(0);
    const runId = await wb.in('trainingRun').getAttribute('data-run-id');
    expect(Number(runId)).toBeGreaterThan(0);
    await expect(wb.in('trainProgress')).toBeVisible();
    await expect(wb.in('trainStop')).toBeVisible();

    // The run's own process starts, reads, searches for 5 s, refits, evaluates and saves.
    await wb.waitForStatus('finished', 150000);
    await expect(wb.in('trainMessage')).not.toBeEmpty();
    await expect(wb.in('trainMetrics').locator('tr[data-metric="balanced_accuracy"]')).toBeVisible();
    const leaders = Number(await wb.in('trainLeaderboard').getAttribute('data-rows'));
    expect(leaders).toBeGreaterThanOrEqual(1);
    await expect(wb.chartDrawing('confusion_matrix')).toBeVisible();
    await expect(
      wb.panel.locator(`${SELECTORS.trainChart}[data-chart="confusion_matrix"]`)
    ).toHaveAttribute('data-state', 'rendered');
    await expect(wb.in('trainLineage')).toContainText('demo_orders');
    await expect(wb.panel.locator(REFIT_ALL)).toContainText('refitted on all 1,200 rows');
    // For the screenshot: fold the labeling sections so the Experiments section shows.
    for (const section of [SELECTORS.labelSets, SELECTORS.studio]) {
      await wb.sidebar.locator(`${section} .mlwb-Section-toggle`).click();
    }
    await wb.screenshot('training-result');

    // The run is listed; closing its tab and clicking it there reopens the result.
    await expect(wb.experimentRow(runId!)).toHaveAttribute('data-status', 'finished');
    await expect(wb.experimentRow(runId!)).toHaveAttribute('data-target', 'channel');
    await page
      .locator('.lm-DockPanel-tabBar .lm-TabBar-tab', { hasText: `Run ${runId}:` })
      .locator('.lm-TabBar-tabCloseIcon')
      .click();
    await expect(page.locator(SELECTORS.trainingPanel)).toHaveCount(0);
    await wb.experimentRow(runId!).locator(SELECTORS.experimentOpen).click();
    await wb.waitForStatus('finished', 20000);
    await expect(wb.in('trainLeaderboard')).toHaveAttribute('data-rows', String(leaders));
    await expect(wb.chartDrawing('confusion_matrix')).toBeVisible();

    // The dark theme: the charts are drawn again by the Vega renderer in its dark theme.
    await wb.execute('apputils:change-theme', { theme: 'JupyterLab Dark' });
    await expect(page.locator('body')).toHaveAttribute('data-jp-theme-light', 'false');
    await expect.poll(() => chartBackground(wb.chartDrawing('confusion_matrix'))).toBe('dark');
    await wb.execute('apputils:change-theme', { theme: 'JupyterLab Light' });

    // Reloading the page reopens the run's tab (JupyterLab's layout restorer).
    await page.reload({ waitForIsReady: false }); // the run's tab is in front, not the Launcher
    await wb.waitForStatus('finished', 30000);
    await expect(wb.in('trainLeaderboard')).toHaveAttribute('data-rows', String(leaders));
  });

  test("a target with one value: the form warns, and Train shows the server's refusal", async ({
    page
  }) => {
    const wb = new TrainingPage(page);
    await wb.execute('mlworkbench:train-model', {});
    await expect(wb.in('trainForm')).toBeVisible();
    await wb.in('trainSource').getByLabel('SQL query').check();
    await wb.in('trainSql').fill('SELECT range AS n, range % 5 AS bucket, 1 AS one FROM range(100)');
    await wb.in('trainRead').click();
    await expect(wb.in('trainRows')).toContainText('100 rows', { timeout: 30000 });
    await wb.pickTarget('one');
    await expect(wb.in('trainPreviewProblem')).toContainText('one value only');
    // Tick every column (the id-like n starts unticked): Train is refused for the target alone.
    await wb.in('trainForm').getByRole('button', { name: 'All', exact: true }).click();

    await wb.in('trainSubmit').click();
    await expect(wb.in('trainError')).toContainText('one value only');
    await expect(wb.in('trainError')).toHaveAttribute('data-code', /.+/);
    // Nothing started: still the form.
    await expect(wb.in('trainForm')).toBeVisible();
    await expect(wb.in('trainingRun')).toHaveCount(0);
  });
});
