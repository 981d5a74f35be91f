import { FakeJobsApi } from './fakeApi';
import { RunNotifier } from './notifier';
import { JobRunModel } from './runModel';
import { JobRunInfo } from './types';

const settle = async () => {
  for (let i = 0; i < 5; i++) {
    await new Promise(resolve => setTimeout(resolve, 0));
  }
};

describe('JobRunModel', () => {
  it('follows a run: log tail while running, ended once, then its siblings', async () => {
    const api = new FakeJobsApi();
    const first = await api.runNotebook({
      notebook: 'report.ipynb',
      parameters: { n: 1 }
    });
    api.finishRun(first.id, 'succeeded', { values: { auc: 0.8 } });
    const run = await api.runNotebook({
      notebook: 'report.ipynb',
      parameters: { n: 2 }
    });
    api.startRun(run.id);
    api.appendLog(run.id, 'cell 1\n');
    const model = new JobRunModel({ api, id: run.id, pollInterval: 1 });
    const ended: JobRunInfo[] = [];
    model.ended.connect((_, r) => ended.push(r));
    const following = model.start();
    await settle();
    expect(model.active).toBe(true);
    expect(model.log).toBe('cell 1\n');
    api.appendLog(run.id, 'cell 2\n');
    api.finishRun(run.id, 'succeeded', { values: { auc: 0.9 } });
    await following;
    await settle();
    expect(model.run?.status).toBe('succeeded');
    expect(model.log).toBe('cell 1\ncell 2\n');
    expect(ended.map(r => r.id)).toEqual([run.id]);
    // The log was asked from where the last piece ended.
    const offsets = api.calls
      .filter(c => c.method === 'runLog')
      .map(c => c.args[1]);
    expect(offsets[0]).toBe(0);
    expect(offsets).toContain(7);
    expect(model.siblings.map(r => r.values)).toEqual([
      { auc: 0.9 },
      { auc: 0.8 }
    ]);
    model.dispose();
  });

  it('stops a running run', async () => {
    const api = new FakeJobsApi();
    const run = await api.runNotebook({ notebook: 'report.ipynb' });
    api.startRun(run.id);
    const model = new JobRunModel({ api, id: run.id, pollInterval: 50 });
    void model.start();
    await settle();
    await model.stop();
    expect(model.run?.status).toBe('cancelled');
    expect(model.active).toBe(false);
    model.dispose();
  });

  it('says when the run does not exist, and stops reading', async () => {
    const api = new FakeJobsApi();
    const model = new JobRunModel({ api, id: 42, pollInterval: 1 });
    await model.start();
    expect(model.error?.status).toBe(404);
    expect(api.calls.filter(c => c.method === 'describeRun')).toHaveLength(1);
  });
});

describe('RunNotifier', () => {
  it('tells each run that ends once, not those that ended before', async () => {
    const api = new FakeJobsApi();
    const old = await api.runNotebook({ notebook: 'report.ipynb' });
    api.finishRun(old.id, 'succeeded');
    const told: string[] = [];
    const notifier = new RunNotifier({
      api,
      notify: run => told.push(`${run.id} ${run.status}`),
      visible: () => true
    });
    // A run going on when the page opens is news when it ends.
    const a = await api.runNotebook({ notebook: 'report.ipynb' });
    await notifier.check(); // what has ended already
    const b = await api.runNotebook({ notebook: 'report.ipynb' });
    await notifier.check();
    expect(told).toEqual([]);
    api.finishRun(a.id, 'failed', { exit_reason: 'ZeroDivisionError' });
    api.finishRun(b.id, 'timed_out');
    await notifier.check();
    await notifier.check();
    expect(told).toEqual([`${a.id} failed`, `${b.id} timed_out`]);
    const asked = api.calls.filter(c => c.method === 'listRuns');
    expect((asked[asked.length - 1].args[0] as any).finished_after).toBe(
      api.runs[b.id - 1].ended_at
    );
    notifier.stop();
  });

  it('waits longer after failed reads, and back after a good one', async () => {
    const api = new FakeJobsApi();
    const notifier = new RunNotifier({
      api,
      notify: () => undefined,
      interval: 5000,
      maxInterval: 30000,
      visible: () => true
    });
    const fail = async () => {
      api.failNext = new Error('offline') as any;
      await notifier.check();
    };
    await fail();
    expect(notifier.wait).toBe(10000);
    await fail();
    await fail();
    await fail();
    expect(notifier.wait).toBe(30000);
    await notifier.check();
    expect(notifier.wait).toBe(5000);
  });

  it('does not read while the page is hidden (but for the first read)', async () => {
    const api = new FakeJobsApi();
    const notifier = new RunNotifier({
      api,
      notify: () => undefined,
      visible: () => false
    });
    await notifier.check(); // what has ended already
    await notifier.check();
    expect(api.calls.map(c => c.method)).toEqual(['listRuns']);
  });
});
