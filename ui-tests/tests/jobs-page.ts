/**
 * Notebook jobs as a user sees them, for the Galata tests (on top of the Workbench page
 * object): a notebook's "Run as Job…" in the file browser, the run dialog's form, a run's tab
 * and the sidebar's "Jobs" section. The contents API only puts the notebook in place.
 */
import { expect } from '@jupyterlab/galata';
import type { Locator } from '@playwright/test';

import { JOB_SELECTORS } from '../../src/features/jobs/selectors';
import { WorkbenchPage } from './workbench-page';

export { JOB_SELECTORS };

/**
 * A tiny notebook: a `parameters` cell (`n: int`, `region` a str) and a cell that records
 * `total = n * 10` and the region with `mlwb.record`.
 */
export function tinyJobNotebook(): string {
  const cell = (source: string, tags: string[] = []) => ({
    cell_type: 'code',
    execution_count: null,
    metadata: tags.length ? { tags } : {},
    outputs: [],
    source
  });
  return JSON.stringify({
    cells: [
      cell('n: int = 3  # how many\nregion = "north"', ['parameters']),
      cell(
        'import mlworkbench as mlwb\n' +
          'total = n * 10\n' +
          'print("total is", total)\n' +
          'mlwb.record("total", total)\n' +
          'mlwb.record("region", region)'
      )
    ],
    metadata: {
      kernelspec: { display_name: 'Python 3', language: 'python', name: 'python3' },
      language_info: { name: 'python' }
    },
    nbformat: 4,
    nbformat_minor: 4
  });
}

export class JobsPage extends WorkbenchPage {
  /** Something of the jobs panel, anywhere on the page. */
  job(key: keyof typeof JOB_SELECTORS): Locator {
    return this.page.locator(JOB_SELECTORS[key]);
  }

  /** Put the tiny notebook at `path` and show it in the file browser. */
  async createNotebook(folder: string, name: string): Promise<void> {
    await this.page.contents.uploadContent(tinyJobNotebook(), 'text', `${folder}/${name}`);
    await this.page.filebrowser.refresh();
    await expect(this.fileItem(name)).toBeVisible();
  }

  /** Right-click the notebook, pick "Run as Job…" and wait for the form to be read. */
  async runAsJobFromBrowser(name: string): Promise<void> {
    const menu = await this.contextMenuOf(name);
    await menu.locator('.lm-Menu-item', { hasText: 'Run as Job…' }).click();
    await expect(this.job('form')).toHaveAttribute('data-state', 'ready');
  }

  /** A parameter's field of the open form. */
  param(name: string): Locator {
    return this.page.locator(`${JOB_SELECTORS.param}[data-name="${name}"]`);
  }

  /** Type into a parameter's input. */
  async setParam(name: string, value: string): Promise<void> {
    await this.param(name).locator(JOB_SELECTORS.paramInput).fill(value);
  }

  /** A button of the run dialog by its label ("Run now", "Save job", "Cancel"). */
  dialogButtonLocator(label: string): Locator {
    return this.page.locator('.jp-Dialog-footer button', { hasText: label });
  }

  /** Press a button of the run dialog. */
  async dialogButton(label: string): Promise<void> {
    await this.dialogButtonLocator(label).click();
  }

  /** The run tab in front. */
  get runView(): Locator {
    return this.job('runView').filter({ visible: true });
  }

  /** Something inside the run tab in front. */
  inRun(key: keyof typeof JOB_SELECTORS): Locator {
    return this.runView.locator(JOB_SELECTORS[key]);
  }

  /** A recorded value of the run in front. */
  recorded(name: string): Locator {
    return this.inRun('values').locator(`tr[data-name="${name}"]`);
  }
}
