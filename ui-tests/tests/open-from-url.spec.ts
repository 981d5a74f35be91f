/**
 * `/lab?mlworkbench=open` (what `make lab` opens) shows the Workbench sidebar once the app is
 * restored. In its own file: `autoGoto: false` applies to a whole spec file.
 */
import { expect, test } from '@jupyterlab/galata';

import { WorkbenchPage } from './workbench-page';

test.use({ autoGoto: false });

test.describe('Workbench from the URL', () => {
  test('/lab?mlworkbench=open opens the Workbench sidebar', async ({ page }) => {
    const wb = new WorkbenchPage(page);
    await page.goto('?mlworkbench=open');

    await expect(wb.sidebar).toBeVisible();
    await expect(wb.sidebarTab).toHaveClass(/lm-mod-current/);
    await wb.waitForCatalog();
    await wb.screenshot('sidebar-from-url');
  });

  test('without the parameter the default sidebar stays', async ({ page }) => {
    const wb = new WorkbenchPage(page);
    await page.goto();

    await expect(page.locator('#filebrowser')).toBeVisible();
    await expect(wb.sidebar).toBeHidden();
  });
});
