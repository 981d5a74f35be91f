import { compareRuns } from './compare';
import { ExperimentsModel } from './experiments';
import { WorkbenchApiError } from '../../api/client';
import { FakeTrainingApi, settle } from './fakeApi';
import { TrainFormModel } from './formModel';
import { RunModel } from './runModel';

describe('TrainFormModel', () => {
  it("previews a table's SELECT and leaves flagged columns out of the default features", async () => {
    const api = new FakeTrainingApi();
    const form = new TrainFormModel({ api, tables: ['customers'] });
    expect(form.problem).toBe('no-sql');

    await form.setTable('customers');
    expect(form.sql).toBe('SELECT * FROM customers');
    expect(api.previews).toEqual([
      { sql: 'SELECT * FROM customers', target: null }
    ]);
    expect(form.problem).toBe('no-target');

    await form.setTarget('churned');
    expect(api.previews[1]).toEqual({
      sql: 'SELECT * FROM customers',
      target: 'churned'
    });
    expect(form.columns.map(c => c.name)).toEqual([
      'id',
      'age',
      'plan',
      'churn_date'
    ]);
    // The id-like and the leaking columns are flagged, so not ticked.
    expect([...form.features]).toEqual(['age', 'plan']);
    expect(form.inferredTask).toBe('binary');
    expect(form.metric).toBe('roc_auc');
    expect(form.problem).toBeNull();
    expect(form.request()).toEqual({
      sql: 'SELECT * FROM customers',
      target: 'churned',
      task: null,
      features: null, // the default set: the server picks it the same way
      metric: 'roc_auc',
      budget_s: 60,
      slice_by: null,
      refit_all: false
    });
  });

  it('sends the features, task, metric and budget the user picked', async () => {
    const api = new FakeTrainingApi();
    const form = new TrainFormModel({ api, table: 'customers' });
    await form.readPreview();
    await form.setTarget('churned');
    form.toggleFeature('churn_date', true);
    form.toggleFeature('plan', false);
    form.setTask('regression');
    expect(form.task).toBe('regression');
    // the preview's list and default for the task picked
    expect(form.metrics.map(m => m.name)).toEqual(['r2', 'mae', 'rmse']);
    expect(form.metric).toBe('r2');
    form.setMetric('mae');
    form.setBudget(10);
    form.setSliceBy('plan');
    form.setRefitAll(true);

    const run = await form.train();
    expect(run?.status).toBe('running');
    expect(api.started).toEqual([
      {
        sql: 'SELECT * FROM customers',
        target: 'churned',
        task: 'regression',
        features: ['age', 'churn_date'],
        metric: 'mae',
        budget_s: 10,
        slice_by: 'plan',
        refit_all: true
      }
    ]);

    form.setTask('binary'); // back to the inferred task: no override
    expect(form.taskOverride).toBeNull();
    expect(form.metric).toBe('roc_auc');
  });

  it('asks to read the columns again once the query changes, and keeps a typed target', async () => {
    const api = new FakeTrainingApi();
    const form = new TrainFormModel({
      api,
      sql: 'SELECT * FROM customers',
      target: 'churned'
    });
    expect(form.source).toBe('sql');
    await form.readPreview();
    expect(form.target).toBe('churned');
    form.setSql('SELECT * FROM customers WHERE age > 30');
    expect(form.stale).toBe(true);
    expect(form.problem).toBe('no-preview');
    await form.readPreview();
    expect(form.stale).toBe(false);
    expect(form.target).toBe('churned');
    expect(form.problem).toBeNull();

    form.selectFeatures('none');
    expect(form.problem).toBe('no-features');
    form.selectFeatures('all');
    expect(form.features.size).toBe(4);
    form.setBudget(0);
    expect(form.problem).toBe('no-budget');
  });

  it("keeps the server's message and detail when Train or the preview is refused", async () => {
    const api = new FakeTrainingApi();
    const form = new TrainFormModel({ api, table: 'customers' });
    api.failNext = {
      method: 'preview',
      error: new WorkbenchApiError(
        'Catalog Error: Table customers does not exist',
        400,
        'query_error',
        {
          line: 1
        }
      )
    };
    await form.readPreview();
    expect(form.previewError).toMatchObject({
      message: 'Catalog Error: Table customers does not exist',
      code: 'query_error',
      status: 400,
      detail: { line: 1 }
    });
    await form.readPreview();
    expect(form.previewError).toBeNull();
    await form.setTarget('churned');

    api.failNext = {
      method: 'startRun',
      error: new WorkbenchApiError(
        "Target 'churned' has one class only.",
        422,
        'training_data',
        {
          target: 'churned'
        }
      )
    };
    expect(await form.train()).toBeNull();
    expect(form.submitError?.message).toBe(
      "Target 'churned' has one class only."
    );
    expect(form.submitError?.detail).toEqual({ target: 'churned' });
    expect(form.submitting).toBe(false);
  });
});

/** A 60 s run on the fake server with one trial scored `score` so far. */
async function runningWithBest(score: number) {
  const api = new FakeTrainingApi();
  const started = await api.startRun({
    sql: 'SELECT 1',
    target: 'churned',
    budget_s: 60
  });
  api.advance(started.id, score);
  return { api, started };
}

describe('RunModel', () => {
  it('reads the run about every interval while it runs, and stops reading once it ends', async () => {
    const api = new FakeTrainingApi();
    const started = await api.startRun({
      sql: 'SELECT 1',
      target: 'churned',
      budget_s: 5
    });
    const model = new RunModel({
      api,
      id: started.id,
      run: started,
      pollInterval: 0
    });
    const ended = jest.fn();
    model.ended.connect((_, run) => ended(run.status));
    await model.start();
    expect(model.running).toBe(true);

    api.advance(started.id, 0.5);
    api.advance(started.id, 0.8);
    await settle();
    expect(model.run?.progress?.trials_done).toBe(2);
    expect(model.run?.progress?.best_score).toBe(0.8);
    expect(model.run?.progress?.leaderboard.map(t => t.score)).toEqual([
      0.8, 0.5
    ]);

    api.finish(started.id);
    await settle();
    expect(model.run?.status).toBe('finished');
    expect(model.run?.result?.metrics.roc_auc).toBe(0.91);
    expect(ended).toHaveBeenCalledTimes(1);
    expect(ended).toHaveBeenCalledWith('finished');
    const reads = api.reads;
    await settle();
    expect(api.reads).toBe(reads);
    model.dispose();
  });

  it('stops reading when disposed (its tab closed)', async () => {
    const api = new FakeTrainingApi();
    const started = await api.startRun({
      sql: 'SELECT 1',
      target: 'churned',
      budget_s: 5
    });
    const model = new RunModel({ api, id: started.id, pollInterval: 0 });
    await model.start();
    await settle();
    expect(api.reads).toBeGreaterThan(1);
    model.dispose();
    await settle();
    const reads = api.reads;
    await settle();
    expect(api.reads).toBe(reads);
  });

  it('Stop ends the search keeping the best model; a refused Stop says why', async () => {
    const { api, started } = await runningWithBest(0.7);
    const model = new RunModel({
      api,
      id: started.id,
      run: started,
      pollInterval: 50
    });
    await model.start();

    api.failNext = {
      method: 'stopRun',
      error: new WorkbenchApiError('The run has ended.', 409, 'conflict')
    };
    await model.stop();
    expect(model.stopError?.message).toBe('The run has ended.');
    expect(model.stopping).toBe(false);

    await model.stop();
    expect(api.stops).toEqual([started.id]);
    expect(model.run?.status).toBe('stopped');
    expect(model.run?.result?.best?.score).toBe(0.7);
    expect(model.run?.result?.stopped_by).toBe('user');
    model.dispose();
  });

  it("keeps a run's end when Stop's answer, sent while it still ran, arrives after it", async () => {
    const { api, started } = await runningWithBest(0.7);
    const model = new RunModel({ api, id: started.id, pollInterval: 10_000 });
    await model.start();
    const ended = jest.fn();
    model.ended.connect((_, run) => ended(run.status));
    // The server accepts Stop and answers the run as it was (still running)...
    const stillRunning = { ...model.run!, stopRequested: true };
    let answerStop: (run: typeof stillRunning) => void = () => undefined;
    jest
      .spyOn(api, 'stopRun')
      .mockReturnValueOnce(new Promise(resolve => (answerStop = resolve)));
    const stopping = model.stop();
    // ...but a read sees it stopped before that answer arrives.
    api.finish(started.id, 'stopped');
    await (model as any)._poll();
    expect(model.run?.status).toBe('stopped');
    answerStop(stillRunning);
    await stopping;
    expect(model.run?.status).toBe('stopped');
    expect(model.running).toBe(false);
    expect(ended).toHaveBeenCalledTimes(1);
    model.dispose();
  });

  it('a run reopened after Stop was asked for shows it stopping, and Stop is not sent again', async () => {
    const api = new FakeTrainingApi();
    const started = await api.startRun({
      sql: 'SELECT 1',
      target: 'churned',
      budget_s: 60
    });
    api.runs.get(started.id)!.stopRequested = true;
    const model = new RunModel({ api, id: started.id, pollInterval: 50 });
    await model.start();
    expect(model.stopping).toBe(true);
    await model.stop();
    expect(api.stops).toEqual([]);
    model.dispose();
  });

  it('reads a past run once, and stops on a deleted one', async () => {
    const api = new FakeTrainingApi();
    const started = await api.startRun({
      sql: 'SELECT 1',
      target: 'churned',
      budget_s: 5
    });
    api.finish(started.id, 'failed');
    const model = new RunModel({ api, id: started.id, pollInterval: 0 });
    await model.start();
    await settle();
    expect(model.run?.status).toBe('failed');
    expect(model.run?.error?.message).toBe(
      "Target 'churned' has one class only."
    );
    expect(api.reads).toBe(1);

    const gone = new RunModel({ api, id: 99, pollInterval: 0 });
    await gone.start();
    await settle();
    expect(gone.error?.status).toBe(404);
    expect(api.reads).toBe(2); // the one read that found no run, not retried
    await settle();
    expect(api.reads).toBe(2);
  });
});

describe('ExperimentsModel', () => {
  it('lists runs newest first, ticks at most two for a comparison, deletes one', async () => {
    const api = new FakeTrainingApi();
    for (let i = 0; i < 3; i++) {
      await api.startRun({ sql: 'SELECT 1', target: 'churned', budget_s: 5 });
    }
    api.finish(1);
    const model = new ExperimentsModel(api);
    await model.refresh();
    expect(model.runs.map(r => r.id)).toEqual([3, 2, 1]);
    expect(model.runs[2].score).toBe(0.91);
    expect(model.anyRunning).toBe(true);

    model.toggleSelected(1);
    model.toggleSelected(2);
    model.toggleSelected(3);
    expect(model.selected).toEqual([2, 3]);
    model.toggleSelected(2);
    expect(model.selected).toEqual([3]);

    await model.remove(3);
    expect(model.runs.map(r => r.id)).toEqual([2, 1]);
    expect(model.selected).toEqual([]);

    api.failNext = {
      method: 'listRuns',
      error: new WorkbenchApiError('server down', 500, 'error')
    };
    await model.refresh();
    expect(model.error?.message).toBe('server down');
  });
});

describe('compareRuns', () => {
  it('puts runs side by side and marks the rows that differ', async () => {
    const api = new FakeTrainingApi();
    await api.startRun({ sql: 'SELECT 1', target: 'churned', budget_s: 5 });
    await api.startRun({ sql: 'SELECT 1', target: 'churned', budget_s: 30 });
    api.advance(1, 0.6);
    api.advance(2, 0.6);
    api.advance(2, 0.9);
    api.finish(1);
    api.finish(2);
    const runs = [await api.describeRun(1), await api.describeRun(2)];
    const rows = compareRuns(runs);
    const row = (section: string, name: string) =>
      rows.find(r => r.section === section && r.name === name);
    expect(row('run', 'target')).toMatchObject({
      values: ['churned', 'churned'],
      differs: false
    });
    expect(row('run', 'budget')).toMatchObject({
      values: ['5 s', '30 s'],
      differs: true
    });
    // A baseline (no parameters) won run 1, a boosted model run 2.
    expect(row('run', 'best model')).toMatchObject({
      values: ['Most frequent class', 'hist_gb'],
      differs: true
    });
    expect(row('params', 'best.max_depth')).toMatchObject({
      values: ['—', '2']
    });
    expect(row('metrics', 'ROC AUC')).toMatchObject({
      values: ['0.91', '0.91']
    });
    expect(row('lineage', 'customers')).toMatchObject({
      values: ['v3', 'v3'],
      differs: false
    });
  });
});
