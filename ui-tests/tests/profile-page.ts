/**
 * Column profiles and the cost preview as a user sees them, on top of the Workbench page object:
 * the catalog's context menu, the Profile widget and its cards, the SQL editor's cost preview.
 */
import { expect, IJupyterLabPageFixture } from '@jupyterlab/galata';
import type { Locator } from '@playwright/test';

import {
  SELECTORS,
  WorkbenchPage,
  catalogItemSelector
} from './workbench-page';

export { SELECTORS };

/** JupyterLab's own DOM (not ours). */
const LAB = {
  contextMenu: '.lm-Menu',
  menuItem: '.lm-Menu-item',
  dialog: '.jp-Dialog',
  dialogAccept: '.jp-Dialog .jp-mod-accept',
  palette: '#modal-command-palette',
  paletteItem: '.lm-CommandPalette-item',
  /** What @jupyterlab/vega5-extension renders a Vega-Lite spec into. */
  vegaLite: '.jp-RenderedVegaLite'
} as const;

export class ProfilePage extends WorkbenchPage {
  constructor(page: IJupyterLabPageFixture) {
    super(page);
  }

  /** Right-click a catalog row and click "Profile" in its context menu. */
  async profileFromCatalog(
    name: string,
    kind: 'source' | 'table'
  ): Promise<void> {
    await this.openSidebar();
    const row = this.sidebar
      .locator(`${catalogItemSelector(name, kind)}`)
      .first();
    await row.locator(SELECTORS.catalogItemLabel).click({ button: 'right' });
    const menu = this.page.locator(LAB.contextMenu).first();
    await expect(menu).toBeVisible();
    await menu.locator(LAB.menuItem, { hasText: /^Profile$/ }).click();
  }

  /** The Profile widget in front. */
  get profile(): Locator {
    return this.page.locator(SELECTORS.profilePanel).filter({ visible: true });
  }

  /** Something inside the Profile widget in front. */
  inProfile(key: keyof typeof SELECTORS): Locator {
    return this.profile.locator(SELECTORS[key]);
  }

  /** Wait for the profile's header (it is there once the profile is in). */
  async waitForProfile(totalRows: number): Promise<void> {
    await expect(this.profile).toHaveCount(1);
    await expect(this.inProfile('profileSummary')).toHaveAttribute(
      'data-total-rows',
      String(totalRows),
      { timeout: 60000 }
    );
    await expect(this.inProfile('profileProgress')).toHaveCount(0);
  }

  /** A column's card. */
  card(column: string): Locator {
    return this.profile.locator(
      `${SELECTORS.profileCard}[data-column=${JSON.stringify(column)}]`
    );
  }

  /** The drawn chart (Vega's canvas or SVG) of a column's card. */
  chartDrawing(column: string): Locator {
    return this.card(column)
      .locator(`${LAB.vegaLite} canvas, ${LAB.vegaLite} svg`)
      .first();
  }

  /** The cost preview line of the SQL editor in front. */
  get costPreview(): Locator {
    return this.inEditor('costPreview');
  }

  /** Run a command from the command palette, by its label. */
  async runFromPalette(label: string): Promise<void> {
    await this.page.keyboard.press('Control+Shift+C');
    const palette = this.page.locator(LAB.palette);
    await expect(palette).toBeVisible();
    await palette.locator('input').fill(label);
    await palette.locator(LAB.paletteItem, { hasText: label }).first().click();
  }

  /** Pick a value in the open input dialog (a list or a text box) and accept it. */
  async pickInDialog(value: string): Promise<void> {
    const dialog = this.page.locator(LAB.dialog);
    await expect(dialog).toBeVisible();
    // An editable list is a text box with suggestions; a closed list is a <select>.
    const input = dialog.locator('input');
    if (await input.count()) {
      await input.fill(value);
    } else {
      await dialog.locator('select').selectOption(value);
    }
    await this.page.locator(LAB.dialogAccept).click();
    await expect(dialog).toHaveCount(0);
  }
}
