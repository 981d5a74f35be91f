/**
 * Published models as a user sees them, for the Galata tests (on top of the Workbench page
 * object): the sidebar's "Models" section and a model's tab. The REST API is used only to set
 * up (a tiny training run) and to clean up (delete the model).
 */
import { expect } from '@jupyterlab/galata';
import type { Locator } from '@playwright/test';

import { MODEL_SELECTORS } from '../../src/features/models/selectors';
import { WorkbenchPage } from './workbench-page';

export { MODEL_SELECTORS };

const API = '/mlworkbench/api';

/** A small table with a yes/no target the tests train on (no workspace file needed). */
export const TINY_SQL = `SELECT 18 + i % 47 AS age,
  CASE i % 3 WHEN 0 THEN 'basic' WHEN 1 THEN 'pro' ELSE 'team' END AS plan,
  CASE WHEN (i * 7) % 10 < 4 OR i % 47 > 30 THEN 'yes' ELSE 'no' END AS churned
FROM range(1, 241) t(i)`;

export class ModelsPage extends WorkbenchPage {
  /** Open JupyterLab at `url` and wait until its plugins have started and the Workbench tab shows. */
  async openLab(url: string): Promise<void> {
    await this.page.evaluate(target => window.location.assign(target), url);
    await this.page.waitForFunction(
      async () => {
        const app = (window as any).jupyterapp;
        if (typeof app !== 'object') {
          return false;
        }
        await app.started;
        await app.restored;
        return true;
      },
      undefined,
      { timeout: 90000 }
    );
    await expect(this.sidebarTab).toBeVisible({ timeout: 30000 });
  }

  /** Train a tiny model through the REST API and wait for its run to end; answers its id. */
  async trainTinyRun(): Promise<number> {
    const request = this.page.request;
    const started = await request.post(`${API}/training/runs`, {
      data: { sql: TINY_SQL, target: 'churned', budget_s: 2 }
    });
    expect(started.status()).toBe(202);
    const runId = (await started.json()).run_id as number;
    await expect
      .poll(
        async () => (await (await request.get(`${API}/training/runs/${runId}`)).json()).status,
        { timeout: 150000, intervals: [1000] }
      )
      .toBe('finished');
    return runId;
  }

  /** Publish a finished run as the next version of `name` over REST; answers the version. */
  async publishRun(runId: number, name: string): Promise<number> {
    const response = await this.page.request.post(`${API}/models`, {
      data: { run_id: runId, name }
    });
    expect(response.status()).toBe(201);
    return (await response.json()).version as number;
  }

  /** A metric of a version whose value lies in [0, 1] (a gate over it above 1 always fails). */
  async unitMetric(name: string, version: number): Promise<string> {
    const response = await this.page.request.get(
      `${API}/models/${encodeURIComponent(name)}/versions/${version}`
    );
    const metrics = (await response.json()).metrics as Record<string, unknown>;
    const found = Object.entries(metrics).find(
      ([, value]) => typeof value === 'number' && value >= 0 && value <= 1
    );
    expect(found).toBeTruthy();
    return found![0];
  }

  /** The "Score a query" dialog. */
  get scoreDialog(): Locator {
    return this.page.locator(MODEL_SELECTORS.scoreDialog);
  }

  /** Something inside the "Score a query" dialog. */
  inScoreDialog(key: keyof typeof MODEL_SELECTORS): Locator {
    return this.scoreDialog.locator(MODEL_SELECTORS[key]);
  }

  /** Delete a model and its versions if it exists. */
  async deleteModel(name: string): Promise<void> {
    const response = await this.page.request.delete(
      `${API}/models/${encodeURIComponent(name)}?force=true`
    );
    expect([204, 404]).toContain(response.status());
  }

  /** Start a command without waiting for it (one that opens a dialog the test answers). */
  async startCommand(command: string, args: Record<string, unknown> = {}): Promise<void> {
    await this.page.evaluate(
      ({ command, args }) => {
        void (window as any).jupyterapp.commands.execute(command, args);
      },
      { command, args }
    );
  }

  /** The sidebar's "Models" section. */
  get modelsSection(): Locator {
    return this.sidebar.locator(MODEL_SELECTORS.modelsSection);
  }

  /** A model's row in the Models section. */
  modelItem(name: string): Locator {
    return this.modelsSection.locator(
      `${MODEL_SELECTORS.modelItem}[data-name=${JSON.stringify(name)}]`
    );
  }

  /** The model tab in front. */
  get view(): Locator {
    return this.page.locator(MODEL_SELECTORS.modelView).filter({ visible: true });
  }

  /** Something inside the model tab in front. */
  inView(key: keyof typeof MODEL_SELECTORS): Locator {
    return this.view.locator(MODEL_SELECTORS[key]);
  }

  /** A "Try it" input of the model tab in front. */
  tryInput(column: string): Locator {
    return this.view.locator(`${MODEL_SELECTORS.tryInput}[data-column=${JSON.stringify(column)}]`);
  }
}
