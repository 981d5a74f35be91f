/**
 * Publishing (issue 7) in the browser: a real training run published through the
 * "Publish Model…" command (its name asked in a dialog), seen in the sidebar's Models section,
 * promoted to production from its tab, its card rendered, and a prediction from "Try it".
 * The screenshot goes to ui-tests/screenshots/models-view.png for the README.
 */
import { expect, test } from '@jupyterlab/galata';

import { MODEL_SELECTORS, ModelsPage } from './models-page';

const NAME = 'ui_churn';

// Galata's own start waits 15 s for the Launcher, which a loaded CI machine can miss: this file
// opens the page itself and waits for the app (and the Workbench tab) as long as the test may.
test.use({ autoGoto: false });

test.describe('Models', () => {
  test('publish a run, see it in the sidebar, promote it to production and try it', async ({
    page,
    baseURL
  }) => {
    // A real training run first (its own process), on a machine other suites load too.
    test.setTimeout(300000);
    const wb = new ModelsPage(page);
    await wb.openLab(`${baseURL}/lab`);
    await wb.deleteModel(NAME);
    const runId = await wb.trainTinyRun();

    // The command asks for the name (defaulting to the run's target) and opens the model.
    await wb.startCommand('mlworkbench:publish-model', { runId });
    const dialog = page.locator('.jp-Dialog');
    const name = dialog.locator('input');
    await expect(name).toHaveValue('churned');
    await name.fill(NAME);
    await dialog.locator('.jp-mod-accept').click();
    await expect(wb.view).toHaveAttribute('data-name', NAME);
    await expect(wb.view).toHaveAttribute('data-version', '1');
    await expect(wb.inView('versionRow')).toHaveCount(1);
    await expect(wb.inView('card').locator('.jp-RenderedMarkdown h1, .jp-RenderedMarkdown h2').first()).toBeVisible();
    await expect(wb.view.locator(`${MODEL_SELECTORS.signatureRow}[data-column="age"]`)).toHaveAttribute('data-type', 'integer');
    await expect(wb.view.locator(`${MODEL_SELECTORS.signatureRow}[data-column="plan"]`)).toHaveAttribute('data-type', 'string');

    await wb.openSidebar();
    await expect(wb.modelItem(NAME)).toBeVisible();

    // Promote v1 to production: the alias row and the sidebar badge follow.
    await wb.inView('promoteAlias').selectOption('production');
    await wb.inView('promote').click();
    await expect(
      wb.view.locator(`${MODEL_SELECTORS.aliasRow}[data-alias="production"]`)
    ).toHaveAttribute('data-version', '1');
    await expect(wb.modelItem(NAME)).toHaveAttribute('data-aliases', 'production=1');
    await expect(wb.inView('historyRow')).toHaveCount(1);

    // Try it: a row typed by the signature, predicted by the server.
    await wb.tryInput('age').fill('40');
    await wb.tryInput('plan').fill('pro');
    // Playwright's own scrolling reported the button 'outside of the viewport' in this tall
    // tab (the tab does scroll): scroll it in as the browser does and press it.
    await wb.inView('tryPredict').evaluate(node => node.scrollIntoView({ block: 'center' }));
    await wb.inView('tryPredict').dispatchEvent('click');
    await expect(wb.inView('prediction')).toHaveAttribute('data-value', /^(yes|no)$/);
    await expect(wb.inView('prediction')).toContainText('Prediction:');
    await expect(wb.inView('snippetCurl')).toContainText(`/mlworkbench/api/models/${NAME}@1/predict`);

    // The screenshot for the README: the model tab alone (the side bar collapsed), from its top.
    await wb.sidebarTab.click();
    await expect(wb.sidebar).toBeHidden();
    await wb.view.locator('.mlwb-ModelView-header').evaluate(node => node.scrollIntoView());
    await page.screenshot({ path: 'screenshots/models-view.png' });
  });
});
