/**
 * Notebook jobs (issue 8) in the browser, against the real server and a real papermill run:
 * a tiny notebook put in place through the contents API, "Run as Job…" from the file
 * browser's context menu, a wrong-typed parameter refused next to its field, then a typed
 * value run: the run's tab shows it succeeded with the value the notebook recorded, and a
 * notification says so; then the same notebook saved as a scheduled job (the schedule's
 * preview, and its error for a schedule that does not read; a bad timezone first: the server's
 * refusal next to the field) and run from the sidebar's "Jobs" section, where the runs are
 * listed; edited and run again (the run's tab compares the job's runs), paused, resumed and
 * deleted there. Also the notebook toolbar's "Run as job". The screenshots go to
 * ui-tests/screenshots/jobs-run.png and jobs-section.png for the README.
 */
import { expect, test } from '@jupyterlab/galata';
import type { APIRequestContext } from '@playwright/test';

import { JOB_SELECTORS, JobsPage } from './jobs-page';

const JOB = 'ui-daily-report';

/** Delete the test's saved job (so the test can run again on the same server). */
async function deleteJob(request: APIRequestContext): Promise<void> {
  const response = await request.delete(`/mlworkbench/api/jobs/${JOB}`);
  expect([204, 404]).toContain(response.status());
}

test.describe('Notebook jobs', () => {
  test('run a notebook with a typed parameter from the file browser, see what it recorded; save it as a scheduled job and run it from the sidebar', async ({
    page,
    tmpPath
  }) => {
    test.setTimeout(180000); // a kernel starts in a process of its own
    const wb = new JobsPage(page);
    await deleteJob(page.request);
    await wb.createNotebook(tmpPath, 'report.ipynb');

    // The notebook's toolbar has "Run as job" (the form of that notebook).
    expect(await page.notebook.open('report.ipynb')).toBeTruthy();
    await page.locator('.jp-NotebookPanel .mlwb-RunAsJobButton').filter({ visible: true }).click();
    await expect(wb.job('form')).toHaveAttribute('data-notebook', `${tmpPath}/report.ipynb`);
    await wb.dialogButton('Cancel');
    await page.notebook.close();

    await wb.runAsJobFromBrowser('report.ipynb');

    // The form: one input per parameter by type, the defaults shown, the notebook's kernel.
    await expect(wb.param('n')).toHaveAttribute('data-type', 'int');
    await expect(wb.param('n').locator('input')).toHaveValue('3');
    await expect(wb.param('region')).toHaveAttribute('data-type', 'str');
    await expect(wb.param('region').locator('input')).toHaveValue('north');
    await expect(wb.job('kernel')).toHaveValue('python3');

    // A wrong-typed value is refused next to its field, and cannot be sent.
    await wb.setParam('n', '2.5');
    await expect(wb.param('n').locator(JOB_SELECTORS.paramError)).toContainText(
      'Expects a whole number'
    );
    await wb.dialogButton('Run now');
    await expect(wb.job('form')).toBeVisible();
    await expect(wb.param('n').locator(JOB_SELECTORS.paramError)).toContainText(
      'Expects a whole number'
    );

    // A typed value and a string with no quotes; the executed notebook goes under the root.
    await wb.job('schedule').fill('daily at 07:30'); // typing elsewhere keeps the error
    await expect(wb.param('n').locator(JOB_SELECTORS.paramError)).toHaveCount(1);
    await wb.job('schedule').fill('');
    await wb.setParam('n', '7');
    await expect(wb.param('n').locator(JOB_SELECTORS.paramError)).toHaveCount(0);
    await wb.setParam('region', 'south east');
    await wb.job('output').fill(`${tmpPath}/out`);
    await wb.dialogButton('Run now');
    await expect(wb.job('form')).toBeHidden();

    // The run's tab follows it to the end (papermill in its own process).
    await expect(wb.runView).toBeVisible();
    await expect(wb.runView).toHaveAttribute('data-status', 'succeeded', { timeout: 120000 });
    await expect(wb.inRun('status')).toHaveText('Succeeded');
    await expect(wb.recorded('total')).toHaveAttribute('data-value', '70');
    await expect(wb.recorded('region')).toHaveAttribute('data-value', 'south east');
    await expect(wb.inRun('runParams').locator('tr[data-name="n"]')).toHaveAttribute(
      'data-value',
      '7'
    );
    await expect(wb.inRun('log')).toContainText('total is 70');
    await expect(wb.inRun('openNotebook')).toBeVisible();

    // A notification says the run ended, with "Open run".
    await expect(page.locator('.Toastify__toast', { hasText: 'succeeded' }).first()).toBeVisible();

    // The executed notebook opens in JupyterLab, with the value the parameter set.
    await wb.inRun('openNotebook').click();
    await expect(page.locator('.jp-NotebookPanel').filter({ visible: true })).toContainText(
      'total is 70'
    );

    // Saved as a scheduled job: the preview reads the schedule, or says why it does not.
    await page.sidebar.openTab('filebrowser');
    await wb.runAsJobFromBrowser('report.ipynb');
    await wb.job('schedule').fill('every full moon');
    await expect(wb.job('preview')).toHaveAttribute('data-state', 'error');
    await expect(wb.job('preview')).toContainText('every full moon');
    await wb.job('schedule').fill('daily at 07:30');
    await expect(wb.job('preview')).toHaveAttribute('data-state', 'ok');
    await expect(wb.job('preview').locator('li')).toHaveCount(5);
    await wb.job('jobName').fill(JOB);
    await wb.setParam('n', '2');
    // The server's refusal shows next to the field it names; the dialog stays open.
    const timezone = await wb.job('timezone').inputValue();
    await wb.job('timezone').fill('Mars/Olympus_Mons');
    await wb.dialogButton('Save job');
    await expect(
      page.locator(`${JOB_SELECTORS.optionError}[data-field="timezone"]`)
    ).toContainText("Unknown timezone 'Mars/Olympus_Mons'");
    await wb.job('timezone').fill(timezone);
    await wb.dialogButton('Save job');
    await expect(wb.job('form')).toBeHidden();

    // The sidebar's Jobs section: the job with its schedule, run now from there.
    await wb.openSidebar();
    const job = page.locator(`${JOB_SELECTORS.jobItem}[data-name="${JOB}"]`);
    await expect(job).toHaveAttribute('data-paused', 'false');
    await expect(job).toContainText('next ');
    await job.locator(JOB_SELECTORS.jobRun).click();
    await expect(wb.runView).toHaveAttribute('data-status', 'succeeded', { timeout: 120000 });
    await expect(wb.recorded('total')).toHaveAttribute('data-value', '20');
    // Its HTML export, made by the server on demand, in a tab of its own.
    await wb.inRun('openHtml').click();
    await expect(
      page.frameLocator('.mlwb-JobHtml-frame').locator('body')
    ).toContainText('total is 20', { timeout: 60000 });
    const runs = wb.job('runItem');
    await expect(runs.first()).toHaveAttribute('data-status', 'succeeded');
    await expect(runs.first()).toContainText(JOB);
    await expect(runs.nth(1)).toContainText('n=7');
    // The screenshot for the README: the section at the top of the sidebar, beside the run.
    await page.locator('.lm-TabBar-tab', { hasText: `: ${JOB}` }).click();
    await wb.job('section').evaluate(node => node.scrollIntoView({ block: 'start' }));
    await wb.screenshot('jobs-section');

    // Edit: the form shows the job's values; the changes are saved.
    await job.locator(JOB_SELECTORS.jobEdit).click();
    await expect(wb.job('form')).toHaveAttribute('data-state', 'ready');
    await expect(wb.param('n').locator('input')).toHaveValue('2');
    await wb.setParam('n', '5');
    await wb.job('output').fill(`${tmpPath}/out`);
    await wb.job('schedule').fill('hourly');
    await expect(wb.job('preview')).toContainText('every hour');
    await wb.dialogButton('Save');
    await expect(job).toContainText('every hour');

    // Run again: the run's tab compares what the job's runs recorded (a table and a chart).
    await job.locator(JOB_SELECTORS.jobRun).click();
    await expect(wb.recorded('total')).toHaveAttribute('data-value', '50', { timeout: 120000 });
    await expect(wb.inRun('compare').locator('tbody tr')).toHaveCount(2);
    await expect(wb.inRun('compare').locator('tbody td[data-name="total"]')).toHaveText(['50', '20']);
    await expect(wb.runView.locator('[data-testid="mlwb-job-chart"]')).toHaveAttribute(
      'data-state',
      'rendered'
    );
    await wb.sidebarTab.click(); // the run's tab alone, for the README's screenshot
    await expect(wb.sidebar).toBeHidden();
    await wb.screenshot('jobs-run');
    await wb.openSidebar();
    // Pause and resume; delete after a confirmation.
    await job.locator(JOB_SELECTORS.jobPause).click();
    await expect(job).toHaveAttribute('data-paused', 'true');
    await job.locator(JOB_SELECTORS.jobResume).click();
    await expect(job).toHaveAttribute('data-paused', 'false');
    await job.locator(JOB_SELECTORS.jobDelete).click();
    await page.locator('.jp-Dialog .jp-mod-warn').click();
    await expect(job).toHaveCount(0);
    await deleteJob(page.request);
  });
});
