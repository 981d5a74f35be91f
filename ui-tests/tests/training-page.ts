/**
 * Training as a user sees it, for the Galata tests (on top of the Workbench page object): the
 * sidebar's "Experiments" section, the "Train a model" form, a run's live view and result.
 * The REST API is used only to set up (demo sources) and to clean up runs.
 */
import { expect } from '@jupyterlab/galata';
import type { Locator } from '@playwright/test';

import { JoinPage } from './join-page';
import { SELECTORS, WorkbenchPage } from './workbench-page';

export { SELECTORS };

const API = '/mlworkbench/api';

/** What @jupyterlab/vega5-extension renders a Vega-Lite spec into. */
export const VEGA = '.jp-RenderedVegaLite';

/**
 * How a drawn chart's background looks: 'dark' or 'light' (the top-left pixel of Vega's canvas;
 * an SVG answers 'not a canvas', since its colours cannot be read as simply).
 */
export function chartBackground(drawing: Locator): Promise<string> {
  return drawing.evaluate(node => {
    if (!(node instanceof HTMLCanvasElement)) {
      return 'not a canvas';
    }
    const [r, g, b, a] = node.getContext('2d')!.getImageData(2, 2, 1, 1).data;
    return a === 255 && r + g + b < 3 * 128 ? 'dark' : 'light';
  });
}

export class TrainingPage extends WorkbenchPage {
  /** Register the demo files as sources under their demo_* names unless they are there. */
  async ensureDemoSources(): Promise<void> {
    await new JoinPage(this.page).ensureDemoSources();
  }

  /** The sidebar's "Experiments" section. */
  get experiments(): Locator {
    return this.sidebar.locator(SELECTORS.experiments);
  }

  /** A run's row in the Experiments section. */
  experimentRow(id: string | number): Locator {
    return this.experiments.locator(`${SELECTORS.experimentItem}[data-run-id="${id}"]`);
  }

  /** Open the form from the Experiments section's "Train a model…" button. */
  async openFormFromSidebar(): Promise<void> {
    await this.openSidebar();
    await expect(this.experiments).toBeVisible();
    const before = await this.page.locator(SELECTORS.trainForm).count();
    await this.experiments.locator(SELECTORS.trainNew).click();
    await expect(this.page.locator(SELECTORS.trainForm)).toHaveCount(before + 1);
  }

  /** The training tab in front. */
  get panel(): Locator {
    return this.page.locator(SELECTORS.trainingPanel).filter({ visible: true });
  }

  /** Something inside the training tab in front. */
  in(key: keyof typeof SELECTORS): Locator {
    return this.panel.locator(SELECTORS[key]);
  }

  /** A feature row of the form's checklist. */
  feature(name: string): Locator {
    return this.panel.locator(`${SELECTORS.trainFeature}[data-column=${JSON.stringify(name)}]`);
  }

  /** Pick the form's table and wait for its columns. */
  async pickTable(name: string): Promise<void> {
    await this.in('trainTable').selectOption(name);
    await expect(this.in('trainRows')).toBeVisible({ timeout: 30000 });
    await expect(this.in('trainTarget')).toBeEnabled();
  }

  /** Pick the target and wait for the feature report made for it. */
  async pickTarget(name: string): Promise<void> {
    await this.in('trainTarget').selectOption(name);
    await expect(this.in('trainFeatures')).toBeVisible({ timeout: 30000 });
    await expect(this.in('trainTarget')).toBeEnabled();
  }

  /** Set a budget in seconds through "Custom…". */
  async setBudget(seconds: number): Promise<void> {
    await this.in('trainBudget').selectOption('custom');
    await this.in('trainBudgetCustom').fill(String(seconds));
  }

  /** The run view in front, once it shows this status. */
  async waitForStatus(status: string, timeout = 60000): Promise<void> {
    await expect(this.in('trainingRun')).toHaveAttribute('data-status', status, { timeout });
  }

  /** The drawn chart (Vega's canvas or SVG) of a result chart. */
  chartDrawing(name: string): Locator {
    return this.panel
      .locator(`${SELECTORS.trainChart}[data-chart="${name}"]`)
      .locator(`${VEGA} canvas, ${VEGA} svg`)
      .first();
  }

  /** Delete every training run (between tests). */
  async deleteAllRuns(): Promise<void> {
    const request = this.page.request;
    const listing = await (await request.get(`${API}/training/runs`)).json();
    for (const run of listing.runs ?? []) {
      if (run.status === 'running') {
        await request.post(`${API}/training/runs/${run.run_id}/stop`, { data: {} });
      }
    }
    for (const run of listing.runs ?? []) {
      await expect
        .poll(async () => (await request.delete(`${API}/training/runs/${run.run_id}`)).status(), {
          timeout: 30000
        })
        .toBe(204);
    }
  }
}
