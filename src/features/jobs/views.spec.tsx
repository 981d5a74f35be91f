import { nullTranslator } from '@jupyterlab/translation';
import { ReactWidget } from '@jupyterlab/ui-components';
import { Widget } from '@lumino/widgets';
import * as React from 'react';

import { settle, typeInto } from '../models/domTesting';
import { fakeRenderers } from '../shared/fakeRenderers';
import { FakeJobsApi } from './fakeApi';
import { RunFormModel } from './form';
import { JobFormWidget } from './JobDialog';
import { JobsSidebarSection } from './JobsSection';
import { RecentRunsModel, SavedJobsModel } from './lists';
import { JobRunModel } from './runModel';
import { RunPanel } from './RunPanel';
import { openable } from './RunView';
import { JOB_SELECTORS as S } from './selectors';
import { valuesChart } from './ValuesCompare';

const trans = nullTranslator.load('mlworkbench');

function query(root: HTMLElement) {
  const $ = (key: keyof typeof S, within: ParentNode = root) =>
    within.querySelector(S[key]) as HTMLElement | null;
  const $$ = (key: keyof typeof S) =>
    Array.from(root.querySelectorAll(S[key])) as HTMLElement[];
  return { $, $$ };
}

describe('the run form', () => {
  afterEach(() => {
    document.body.innerHTML = '';
  });

  async function mountForm(api = new FakeJobsApi()) {
    const form = new RunFormModel({
      api,
      notebook: 'report.ipynb',
      previewDelay: 0
    });
    const widget = new JobFormWidget(form, trans);
    Widget.attach(widget, document.body);
    await form.load();
    await settle();
    return { api, form, widget, ...query(widget.node) };
  }

  const param = (root: HTMLElement, name: string) =>
    root.querySelector(`${S.param}[data-name="${name}"]`) as HTMLElement;

  it('has one input per parameter by type, with its default', async () => {
    const { widget, $$ } = await mountForm();
    const inputs = $$('param').map(p => {
      const input = p.querySelector(S.paramInput) as HTMLInputElement;
      return `${p.dataset.name}:${input.type}=${
        input.type === 'checkbox' ? input.checked : input.value
      }`;
    });
    expect(inputs).toEqual([
      'since:date=',
      'n:number=5',
      'rate:number=0.5',
      'verbose:checkbox=false',
      'region:text=north',
      'tags:text=["a"]'
    ]);
    expect(param(widget.node, 'since').textContent).toContain(
      'default date(2026, 1, 1) · first day'
    );
  });

  it('shows a wrong-typed value next to its field, and the server refusal too', async () => {
    const { api, form, widget } = await mountForm();
    typeInto(param(widget.node, 'n').querySelector('input'), '2.5');
    await settle();
    expect(
      param(widget.node, 'n').querySelector(S.paramError)?.textContent
    ).toMatch(/whole number/);

    typeInto(param(widget.node, 'n').querySelector('input'), '3');
    typeInto(param(widget.node, 'region').querySelector('input'), 'x');
    await settle();
    expect(widget.node.querySelectorAll(S.paramError)).toHaveLength(0);
    api.notebooks['report.ipynb'] = api.notebooks['report.ipynb'].map(p =>
      p.name === 'region' ? { ...p, type: 'int' } : p
    ); // the notebook changed since the form read it
    await form.runNow();
    await settle();
    expect(
      param(widget.node, 'region').querySelector(S.paramError)?.textContent
    ).toMatch(/Parameter 'region' expects int/);
  });

  it('previews the schedule as it is typed, or says why it does not read', async () => {
    const { widget, $ } = await mountForm();
    expect($('preview')?.dataset.state).toBe('none');
    typeInto($('schedule'), 'daily at 07:30');
    await new Promise(resolve => setTimeout(resolve, 5));
    await settle();
    expect($('preview')?.dataset.state).toBe('ok');
    expect($('preview')?.textContent).toContain('every day at 07:30');
    expect($('preview')?.querySelectorAll('li')).toHaveLength(5);
    typeInto($('schedule'), 'at noonish');
    await new Promise(resolve => setTimeout(resolve, 5));
    await settle();
    expect($('preview')?.dataset.state).toBe('error');
    expect($('preview')?.textContent).toMatch(/Cannot read 'at noonish'/);
    expect(widget.node.querySelector('select')?.value).toBe('python3');
  });
});

describe('the Jobs section', () => {
  afterEach(() => {
    document.body.innerHTML = '';
  });

  it('lists jobs and runs; its buttons call back with the job or run', async () => {
    const api = new FakeJobsApi();
    await api.createJob({
      name: 'nightly',
      notebook: 'report.ipynb',
      schedule: 'daily at 02:00'
    });
    await api.createJob({ name: 'adhoc', notebook: 'report.ipynb' });
    await api.pauseJob('nightly');
    const done = await api.runJob('nightly');
    api.finishRun(done.id, 'failed');
    const going = await api.runNotebook({
      notebook: 'report.ipynb',
      parameters: { n: 3 }
    });
    api.startRun(going.id);
    const jobs = new SavedJobsModel(api);
    const runs = new RecentRunsModel(api);
    const called: string[] = [];
    const call = (what: string) => (arg: unknown) =>
      called.push(`${what} ${arg}`);
    const widget = ReactWidget.create(
      <JobsSidebarSection
        jobs={jobs}
        runs={runs}
        trans={trans}
        onNew={() => called.push('new')}
        onRunJob={call('run')}
        onPause={call('pause')}
        onResume={call('resume')}
        onEdit={call('edit')}
        onDelete={call('delete')}
        onOpenRun={call('open')}
        onStopRun={call('stop')}
        onRefresh={() => called.push('refresh')}
      />
    );
    Widget.attach(widget, document.body);
    await Promise.all([jobs.refresh(), runs.refresh()]);
    await settle();
    const { $, $$ } = query(widget.node);
    expect($$('jobItem').map(j => [j.dataset.name, j.dataset.paused])).toEqual([
      ['nightly', 'true'],
      ['adhoc', 'false']
    ]);
    const nightly = $$('jobItem')[0];
    expect(nightly.textContent).toContain('every day at 02:00');
    expect(nightly.textContent).toContain('paused');
    expect($('status', nightly)?.dataset.status).toBe('failed');
    expect($$('jobItem')[1].textContent).toContain('on demand');
    expect($('jobPause', $$('jobItem')[1])).toBeNull(); // no schedule to pause

    $('jobResume', nightly)!.click();
    $('jobRun', nightly)!.click();
    $('jobEdit', nightly)!.click();
    $('jobDelete', nightly)!.click();
    expect($$('runItem').map(r => [r.dataset.runId, r.dataset.status])).toEqual(
      [
        [String(going.id), 'running'],
        [String(done.id), 'failed']
      ]
    );
    expect($$('runItem')[0].textContent).toContain('n=3');
    $('runStop', $$('runItem')[0])!.click();
    expect($('runStop', $$('runItem')[1])).toBeNull();
    $('runOpen', $$('runItem')[1])!.click();
    expect(called).toEqual([
      'resume nightly',
      'run nightly',
      'edit nightly',
      'delete nightly',
      `stop ${going.id}`,
      `open ${done.id}`
    ]);
  });
});

describe('the scheduler warning', () => {
  it('shows when a job has a schedule and no scheduler runs anywhere', async () => {
    const api = new FakeJobsApi();
    const jobs = new SavedJobsModel(api);
    await api.createJob({ name: 'a', notebook: 'report.ipynb' });
    api.scheduler = {
      ...api.scheduler,
      running_here: false,
      lease_active: false
    };
    await jobs.refresh();
    expect(jobs.schedulesIdle).toBe(false); // no schedule: nothing to fire
    await api.updateJob('a', { schedule: 'hourly' });
    await jobs.refresh();
    expect(jobs.schedulesIdle).toBe(true);
    api.scheduler = { ...api.scheduler, lease_active: true }; // the CLI's holds it
    await jobs.refresh();
    expect(jobs.schedulesIdle).toBe(false);
  });
});

describe('the run view', () => {
  afterEach(() => {
    document.body.innerHTML = '';
  });

  async function mountRun(api: FakeJobsApi, id: number) {
    const model = new JobRunModel({ api, id, pollInterval: 1 });
    const opened: string[] = [];
    const { renderers, rendered } = fakeRenderers();
    const panel = new RunPanel({
      model,
      trans,
      renderers,
      onOpenNotebook: path => opened.push(`notebook ${path}`),
      onOpenHtml: run => opened.push(`html ${run.id}`),
      onOpenRun: other => opened.push(`run ${other}`)
    });
    Widget.attach(panel, document.body);
    return { model, panel, opened, rendered, ...query(panel.node) };
  }

  it('shows a running run with progress, log and Stop; then its recorded values', async () => {
    const api = new FakeJobsApi();
    const earlier = await api.runNotebook({ notebook: 'report.ipynb' });
    api.finishRun(earlier.id, 'succeeded', { values: { rows: 10 } });
    const run = await api.runNotebook({
      notebook: 'report.ipynb',
      parameters: { n: 7, region: 'south' }
    });
    api.startRun(run.id);
    api.appendLog(run.id, 'reading orders\n');
    const { model, $, $$, opened, panel, rendered } = await mountRun(
      api,
      run.id
    );
    const following = model.start();
    await settle();
    expect($('runView')?.dataset.status).toBe('running');
    expect($('progress')).not.toBeNull();
    expect($('log')?.textContent).toBe('reading orders\n');
    expect($('runStop')).not.toBeNull();
    expect(
      Array.from(
        $('runParams')!.querySelectorAll('tr'),
        r => `${r.dataset.name}=${r.dataset.value}`
      )
    ).toEqual(['n=7', 'region=south']);

    api.finishRun(run.id, 'succeeded', { values: { rows: 12, auc: 0.91 } });
    await following;
    await settle();
    expect($('runView')?.dataset.status).toBe('succeeded');
    expect($('progress')).toBeNull();
    expect($('status')?.textContent).toBe('Succeeded');
    expect(
      Array.from(
        $('values')!.querySelectorAll('tr'),
        r => `${r.dataset.name}=${r.dataset.value}`
      )
    ).toEqual(['rows=12', 'auc=0.91']);
    expect(
      Array.from($('compare')!.querySelectorAll('tbody tr'), r =>
        Array.from(r.querySelectorAll('td[data-name]'), c => c.textContent)
      )
    ).toEqual([
      ['12', '0.91'],
      ['10', '—']
    ]);
    // The numbers as a chart over the runs, drawn through rendermime.
    await settle();
    expect(
      panel.node
        .querySelector('[data-testid="mlwb-job-chart"]')
        ?.getAttribute('data-state')
    ).toBe('rendered');
    expect(rendered).toEqual(['application/vnd.vegalite.v5+json']);
    $('openNotebook')!.click();
    $('openHtml')!.click();
    expect(opened).toEqual([
      `notebook jobs/${run.id}/report.ipynb`,
      `html ${run.id}`
    ]);
    expect($$('runStop')).toHaveLength(0);
    panel.dispose();
    expect(model.isDisposed).toBe(true);
  });

  it('shows the failing cell, its traceback and why the run ended', async () => {
    const api = new FakeJobsApi();
    const run = await api.runNotebook({ notebook: 'report.ipynb' });
    api.finishRun(run.id, 'failed', {
      failed_cell: 3,
      traceback: 'ZeroDivisionError: division by zero',
      exit_reason: 'Cell 3 raised ZeroDivisionError.'
    });
    const { model, $ } = await mountRun(api, run.id);
    await model.start();
    await settle();
    expect($('failure')?.textContent).toContain(
      'Failing cell: number 4 in the notebook (index 3)'
    );
    expect($('failure')?.textContent).toContain('division by zero');
    expect($('exitReason')?.textContent).toBe(
      'Cell 3 raised ZeroDivisionError.'
    );
  });

  it('Stop cancels a running run', async () => {
    const api = new FakeJobsApi();
    const run = await api.runNotebook({ notebook: 'report.ipynb' });
    api.startRun(run.id);
    const { model, $ } = await mountRun(api, run.id);
    void model.start();
    await settle();
    $('runStop')!.click();
    await settle();
    expect($('runView')?.dataset.status).toBe('cancelled');
    expect($('exitReason')?.textContent).toBe('Stopped by the user.');
    model.dispose();
  });
});

describe('openable', () => {
  const run = (output_path: string, output_in_root = true) =>
    ({ output_path, output_in_root, output_available: true }) as any;

  it('opens an executed notebook under the root, not outside it or in a hidden folder', () => {
    expect(openable(run('reports/out/report.ipynb'))).toBe(true);
    expect(openable(run('/srv/elsewhere/report.ipynb', false))).toBe(false);
    expect(openable(run('.mlworkbench/jobs/runs/2/report.ipynb'))).toBe(false);
    expect(
      openable({ ...run('out/report.ipynb'), output_available: false })
    ).toBe(false);
  });
});

describe('valuesChart', () => {
  const run = (id: number, values: { [name: string]: unknown }) =>
    ({ id, values }) as any;

  it('plots the numbers of the runs, oldest first; none for a single run', () => {
    const spec = valuesChart([
      run(3, { auc: 0.9, note: 'ok' }),
      run(2, { auc: 0.8, rows: 10 })
    ]) as any;
    expect(spec.data.values).toEqual([
      { run: 2, name: 'auc', value: 0.8 },
      { run: 2, name: 'rows', value: 10 },
      { run: 3, name: 'auc', value: 0.9 }
    ]);
    expect(
      valuesChart([run(3, { auc: 0.9 }), run(2, { note: 'x' })])
    ).toBeNull();
  });
});
