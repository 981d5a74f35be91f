/**
 * Scoring and gates (issue 7) from a model's tab, against the real server: a real training run
 * published over REST, "Score a query…" writes a table version that opens in a SQL editor with
 * the prediction column, and a gate saved in the Gates editor refuses the next promotion with
 * the failing check, the alias is removed, and the version is exported as an MLflow model
 * folder that the notification's "Open folder" shows in the file browser (a second export to
 * the same folder asks to replace it). The dialog's screenshot goes to
 * ui-tests/screenshots/models-score.png.
 */
import { expect, test } from '@jupyterlab/galata';

import { MODEL_SELECTORS, ModelsPage, TINY_SQL } from './models-page';

const NAME = 'ui_score';
const INTO = 'ui_score_scored';

// As models.spec.ts: the page is opened here with a long wait for the app on a loaded machine.
test.use({ autoGoto: false });

test.describe('Models: scoring and gates', () => {
  test('score a query from the model tab, open the scored table, and a gate refuses a promotion', async ({
    page,
    baseURL
  }) => {
    test.setTimeout(300000);
    const wb = new ModelsPage(page);
    await wb.openLab(`${baseURL}/lab`);
    await wb.deleteModel(NAME);
    await wb.dropTableIfExists(INTO);
    const runId = await wb.trainTinyRun();
    const version = await wb.publishRun(runId, NAME);
    await wb.execute('mlworkbench:open-model', { name: NAME });
    await expect(wb.view).toHaveAttribute('data-name', NAME);
    await expect(wb.view).toHaveAttribute('data-version', String(version));

    // Score a query: the rows of a SELECT (without the target) with the shown version.
    await wb.inView('scoreQuery').click();
    await expect(wb.scoreDialog).toBeVisible();
    await expect(wb.inScoreDialog('scoreModel')).toHaveValue(`${NAME}@${version}`);
    await wb.inScoreDialog('scoreSourceSql').check();
    const rows = TINY_SQL.replace(/,\s*CASE WHEN[\s\S]*AS churned/, '');
    await wb.inScoreDialog('scoreSql').fill(rows);
    await expect(wb.inScoreDialog('scoreInto')).toHaveValue(`${NAME}_scored`);
    await wb.inScoreDialog('scoreInto').fill(INTO);
    await wb.inScoreDialog('scoreRun').click();
    const result = wb.inScoreDialog('scoreResult');
    await expect(result).toHaveAttribute('data-rows', '240', { timeout: 60000 });
    await expect(result).toHaveAttribute('data-version', '1');
    await expect(result).toContainText(`${NAME} v${version}`);
    await result.scrollIntoViewIfNeeded();
    await wb.scoreDialog.locator('.jp-Dialog-content').screenshot({
      path: 'screenshots/models-score.png'
    });

    // A bad query: the server's message, with where DuckDB stopped.
    await wb.inScoreDialog('scoreSql').fill('SELECT *\nFORM t');
    await wb.inScoreDialog('scoreRun').click();
    await expect(wb.inScoreDialog('scoreError')).toHaveAttribute('data-code', 'query_error');
    await expect(wb.scoreDialog).toContainText('At line 2');
    await wb.inScoreDialog('scoreSql').fill(rows);
    await wb.inScoreDialog('scoreRun').click();
    await expect(result).toHaveAttribute('data-version', '2', { timeout: 60000 });

    // Open the table: a SQL editor on its rows, with the prediction column.
    await wb.inScoreDialog('scoreOpen').click();
    await wb.scoreDialog.locator('.jp-mod-reject').click();
    await expect(wb.scoreDialog).toHaveCount(0);
    await wb.waitForRows(240);
    expect(await wb.columnNames()).toEqual(['age', 'plan', 'prediction']);

    // Gates: a check the shown version cannot pass refuses the promotion, named in the refusal.
    await wb.execute('mlworkbench:open-model', { name: NAME });
    await expect(wb.view).toHaveAttribute('data-name', NAME);
    const metric = await wb.unitMetric(NAME, version);
    await wb.inView('gatesToggle').click();
    await expect(wb.inView('gates')).toHaveAttribute('data-alias', 'production');
    await wb.inView('gatesAdd').click();
    await wb.inView('gatesCheck').fill('no_such_metric > 0.5');
    await wb.inView('gatesSave').click();
    await expect(wb.inView('gatesError')).toContainText('no_such_metric');
    const check = `${metric} > 1.5`;
    await wb.inView('gatesCheck').fill(check);
    await wb.inView('gatesSave').click();
    await expect(wb.inView('gates')).toHaveAttribute('data-gates', check);
    await expect(wb.inView('gatesError')).toHaveCount(0);
    await wb.inView('promoteAlias').selectOption('production');
    await wb.inView('promote').click();
    await expect(wb.inView('gateRefusal')).toHaveAttribute('data-failed', check);
    await expect(wb.inView('gateRefusal')).toContainText('failed');
    await expect(wb.inView('historyRow').first()).toHaveAttribute('data-moved', 'false');
    await expect(
      wb.view.locator(`${MODEL_SELECTORS.aliasRow}[data-alias="production"]`)
    ).toHaveAttribute('data-version', '');

    // Remove the alias (and its gates): asked first.
    await wb.view
      .locator(`${MODEL_SELECTORS.aliasRow}[data-alias="production"] ${MODEL_SELECTORS.removeAlias}`)
      .click();
    const confirm = page.locator('.jp-Dialog');
    await expect(confirm).toContainText('Remove alias production?');
    await confirm.locator('.jp-mod-accept').click();
    await expect(wb.inView('aliasRow')).toHaveCount(0);

    // Export as an MLflow model: the default folder, then "Open folder" in the file browser.
    const folder = `mlflow-models/${NAME}-v${version}`;
    await wb.inView('exportVersion').click();
    const exportDialog = page.locator('.jp-Dialog');
    await expect(exportDialog.locator(MODEL_SELECTORS.exportPath)).toHaveValue(folder);
    await exportDialog.locator('.jp-mod-accept').click();
    const openFolder = page.getByRole('button', { name: 'Open folder' });
    await expect(openFolder).toBeVisible({ timeout: 60000 });
    await expect(page.locator('.jp-toast-message').filter({ hasText: folder }).first()).toContainText(
      'mlflow models serve -m'
    );
    await openFolder.click();
    await expect(page.locator('.jp-DirListing-itemText', { hasText: 'MLmodel' })).toBeVisible();
    await expect(page.locator('.jp-BreadCrumbs')).toContainText(`${NAME}-v${version}`);

    // The same folder again: refused with the server's message, replaced once ticked.
    await wb.execute('mlworkbench:open-model', { name: NAME });
    await wb.inView('exportVersion').click();
    await exportDialog.locator('.jp-mod-accept').click();
    await expect(exportDialog.locator(MODEL_SELECTORS.exportError)).toContainText(folder);
    await exportDialog.locator(MODEL_SELECTORS.exportOverwrite).check();
    await exportDialog.locator('.jp-mod-accept').click();
    await expect(exportDialog).toHaveCount(0);
    await expect(page.getByRole('button', { name: 'Open folder' }).first()).toBeVisible();
  });
});
