/**
 * Label Studio in the panel (issue 5) against a REAL Label Studio server, which
 * jupyter_server_test_config.py starts (labelstudio_service.py) when `make labelstudio` has
 * installed it: a label set is connected, pushed (progress, then counts), annotated in Label
 * Studio through its own REST API with its token (as a person would in its UI), pulled from
 * the sidebar and from the command palette; the labels land in the built-in label set.
 *
 * The screenshot goes to ui-tests/screenshots/labelstudio-panel.png for the README.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

import { expect, test } from '@jupyterlab/galata';
import { request as playwrightRequest } from '@playwright/test';
import type { APIRequestContext, Locator } from '@playwright/test';

import { LabelingPage } from './labeling-page';
import { ProfilePage } from './profile-page';
import { SELECTORS } from './workbench-page';

const NAME = 'ls_reviews';

const LS_INFO = path.join(
  os.tmpdir(),
  `mlworkbench-ui-labelstudio-${process.env.UI_TEST_PORT || '18931'}.json`
);

/** Whether labelstudio_service.py is starting a Label Studio beside the test server. */
function labelStudioExpected(): boolean {
  return fs.existsSync(LS_INFO);
}

/** Its URL and token once it is up (a first start migrates a new database: minutes, loaded). */
async function labelStudio(): Promise<{ url: string; token: string }> {
  let info: { state: string; url: string; token: string; error?: string } | null = null;
  await expect
    .poll(
      () => {
        info = fs.existsSync(LS_INFO) ? JSON.parse(fs.readFileSync(LS_INFO, 'utf-8')) : null;
        return info?.state;
      },
      { timeout: 600000, intervals: [1000] }
    )
    .toMatch(/^(ready|failed)$/);
  expect(info!.error ?? null, 'Label Studio did not start').toBeNull();
  return info!;
}

/** Annotate the task of an item key in Label Studio, as its UI would (POST an annotation). */
async function annotate(
  ls: APIRequestContext,
  projectId: number,
  key: string,
  choice: string
): Promise<void> {
  const listed = await ls.get('/api/tasks/', {
    params: { project: projectId, page_size: 100, fields: 'all' }
  });
  expect(listed.ok(), await listed.text()).toBeTruthy();
  const tasks: { id: number; data: Record<string, unknown> }[] = (await listed.json()).tasks;
  const task = tasks.find(t => t.data.mlwb_key === key);
  expect(task, `a task for item ${key}`).toBeTruthy();
  const created = await ls.post(`/api/tasks/${task!.id}/annotations/`, {
    data: {
      result: [
        { from_name: 'label', to_name: 'item', type: 'choices', value: { choices: [choice] } }
      ]
    }
  });
  expect(created.status(), await created.text()).toBe(201);
}

/** Record every state the row's progress bar shows (a push of 40 items can be quick). */
async function watchProgress(row: Locator): Promise<void> {
  await row.evaluate((node, selector) => {
    const seen: Record<string, string | null>[] = [];
    (window as any).mlwbStudioProgress = seen;
    const look = () => {
      const bar = node.querySelector(selector);
      if (bar) {
        seen.push({
          action: bar.getAttribute('data-action'),
          done: bar.getAttribute('data-done'),
          total: bar.getAttribute('data-total')
        });
      }
    };
    new MutationObserver(look).observe(node, {
      subtree: true,
      childList: true,
      attributes: true
    });
  }, SELECTORS.studioProgress);
}

test.describe('Label Studio in the panel', () => {
  test('connect, push with progress, annotate in Label Studio, pull from the panel and the palette', async ({
    page
  }) => {
    test.skip(
      !labelStudioExpected(),
      'No Label Studio beside the test server: run `make labelstudio` (UI_TEST_LABEL_STUDIO unset)'
    );
    test.setTimeout(900000);
    const server = await labelStudio();
    const ls = await playwrightRequest.newContext({
      baseURL: server.url,
      extraHTTPHeaders: { Authorization: `Token ${server.token}` }
    });
    const lp = new LabelingPage(page);
    await lp.ensureSource('data/labeling/reviews.csv');
    await lp.createLabelSet({
      name: NAME,
      sql: 'SELECT * FROM reviews',
      key: 'id',
      choices: ['pos', 'neg', 'neutral'],
      show: ['text']
    });
    await lp.openSidebar();
    await lp.execute('mlworkbench:refresh-label-studio');
    const section = lp.sidebar.locator(SELECTORS.studio);
    const row = section.locator(`${SELECTORS.studioItem}[data-name="${NAME}"]`);
    await expect(row).toHaveAttribute('data-state', 'not_connected');
    await expect(row.locator(SELECTORS.studioPush)).toHaveCount(0);
    // Before any click, the section says once what Connect does (the server has a URL and
    // key); the row has its own Connect.
    await expect(section.locator(SELECTORS.studioHint)).toHaveCount(1);
    await expect(section.locator(SELECTORS.studioHint)).toContainText(
      'Connect creates a project'
    );
    await expect(row.locator(SELECTORS.studioHint)).toHaveCount(0);
    await expect(row.locator(SELECTORS.studioConnect)).toHaveCount(1);
    await expect(section.locator(SELECTORS.studioConfigHelp)).toHaveCount(0);

    // Connect: a new project, linked from the row (a new tab).
    await row.locator(SELECTORS.studioConnect).click();
    await expect(row).toHaveAttribute('data-state', 'ok', { timeout: 60000 });
    const project = row.locator(SELECTORS.studioProject);
    await expect(project).toHaveAttribute('target', '_blank');
    const href = (await project.getAttribute('href'))!;
    expect(href.startsWith(`${server.url}/projects/`)).toBeTruthy();
    const projectId = Number(/\/projects\/(\d+)/.exec(href)![1]);
    const described = await ls.get(`/api/projects/${projectId}`);
    expect(described.ok()).toBeTruthy();
    expect((await described.json()).label_config).toContain('<Choice value="neutral"');
    const counts = row.locator(SELECTORS.studioCounts);
    await expect(counts).toHaveAttribute('data-pushed', '0');

    // Push: the progress bar while the server works, then the counts.
    await watchProgress(row);
    await row.locator(SELECTORS.studioPush).click();
    await expect(row.locator(SELECTORS.studioOutcome)).toHaveText('Pushed 40 new tasks', {
      timeout: 60000
    });
    const seen: Record<string, string | null>[] = await page.evaluate(
      () => (window as any).mlwbStudioProgress
    );
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every(s => s.action === 'push')).toBeTruthy();
    expect(seen.every(s => s.total === null || s.total === '40')).toBeTruthy();
    await expect(row.locator(SELECTORS.studioProgress)).toHaveCount(0);
    await expect(counts).toHaveAttribute('data-pushed', '40');
    await expect(counts).toHaveAttribute('data-tasks', '40');
    await expect(counts).toHaveAttribute('data-annotated', '0');
    await expect(counts).toContainText('Never pulled');

    // Someone labels two items in Label Studio, one with a label the set does not have.
    await annotate(ls, projectId, 'r05', 'neg');
    await annotate(ls, projectId, 'r06', 'sarcastic');

    await row.locator(SELECTORS.studioPull).click();
    await expect(row.locator(SELECTORS.studioOutcome)).toHaveText(
      'Pulled 2 annotations (2 new or changed, 1 with an unknown label)',
      { timeout: 60000 }
    );
    await expect(counts).toHaveAttribute('data-pulled', '2');
    await expect(counts).toHaveAttribute('data-annotated', '2');
    await expect(counts).toHaveAttribute('data-unknown-labels', '1');
    await expect(counts).toHaveAttribute('data-last-pull', /^\d{4}-\d\d-\d\dT/);
    await expect(counts).toContainText('Last pull ');
    await expect(row.locator(SELECTORS.studioFlagged)).toHaveText('1 unknown label');

    // The labels are in the built-in label set, from Label Studio, the unknown one flagged.
    const { items } = await lp.serverItems(NAME, 'all', 100);
    const labelsOf = (key: string) => items.find(i => i.key === key)!.labels as any[];
    expect(labelsOf('r05')).toEqual([
      expect.objectContaining({ labels: ['neg'], source: 'labelstudio', status: 'ok' })
    ]);
    expect(labelsOf('r06')).toEqual([
      expect.objectContaining({
        labels: ['sarcastic'],
        source: 'labelstudio',
        status: 'unknown_label'
      })
    ]);
    expect(labelsOf('r07')).toEqual([]);
    await lp.screenshot('labelstudio-panel');

    // The palette command asks which label set, and pulls only what changed since.
    await annotate(ls, projectId, 'r07', 'pos');
    await new ProfilePage(page).runFromPalette('Pull Annotations from Label Studio');
    await new ProfilePage(page).pickInDialog(NAME);
    // (Tasks changed within a second of the last pull are read again: written only if changed.)
    await expect(row.locator(SELECTORS.studioOutcome)).toHaveText(
      /^Pulled \d annotations? \(1 new or changed\b/,
      { timeout: 60000 }
    );
    await expect(counts).toHaveAttribute('data-pulled', '3');
    const after = await lp.serverItems(NAME, 'all', 100);
    expect(after.items.find(i => i.key === 'r07')!.labels).toEqual([
      expect.objectContaining({ labels: ['pos'], source: 'labelstudio' })
    ]);
    await ls.dispose();
  });
});
