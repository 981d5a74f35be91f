import { FakeModelsApi } from './fakeApi';
import {
  firstTable,
  modelRefs,
  ScoreFormModel,
  tableBaseName
} from './scoreForm';

async function churn(): Promise<FakeModelsApi> {
  const api = new FakeModelsApi();
  await api.publish(1, 'churn');
  await api.publish(2, 'churn');
  await api.setAlias('churn', 'production', 1);
  return api;
}

describe('scoreForm helpers', () => {
  it('names a table from a SQL name and finds the first table of a SELECT', () => {
    expect(tableBaseName('customers')).toBe('customers');
    expect(tableBaseName('"db"."main"."Orders 2"')).toBe('Orders_2');
    expect(tableBaseName('"2026 sales"')).toBe('t_2026_sales');
    expect(firstTable('SELECT * FROM customers WHERE age > 3')).toBe(
      'customers'
    );
    expect(firstTable('select a\n-- from nothing\nfrom "db"."t" x')).toBe(
      '"db"."t"'
    );
    expect(firstTable('SELECT * FROM range(10) t(i)')).toBeNull();
    expect(firstTable('SELECT 1')).toBeNull();
  });

  it('offers the aliases that point at a version, then every version', async () => {
    const api = await churn();
    const refs = modelRefs(await api.describeModel('churn'));
    expect(refs.map(r => r.ref)).toEqual([
      'churn@production',
      'churn@2',
      'churn@1'
    ]);
    expect(refs[0].label).toBe('production (v1)');
  });
});

describe('ScoreFormModel', () => {
  it('defaults the output to <source>_scored until the user names it, and builds the request', async () => {
    const api = await churn();
    const form = new ScoreFormModel({
      api,
      model: await api.describeModel('churn'),
      ref: 'churn@2',
      tables: ['customers', 'orders']
    });
    expect(form.ref).toBe('churn@2');
    expect(form.problem).toBe('no-rows');
    expect(form.into).toBe('churn_scored');
    form.setTable('customers');
    expect(form.into).toBe('customers_scored');
    expect(form.problem).toBeNull();
    form.setSource('sql');
    expect(form.sql).toBe('SELECT * FROM customers');
    form.setSql('SELECT age, plan FROM orders WHERE age > 30');
    expect(form.into).toBe('orders_scored');
    form.setInto('my_scores');
    form.setSql('SELECT * FROM customers');
    expect(form.into).toBe('my_scores');
    form.setInto('');
    expect(form.into).toBe('customers_scored');
    form.setColumn('churn_pred');
    form.setProbabilities(true);
    expect(form.request).toEqual({
      sql: 'SELECT * FROM customers',
      model: 'churn@2',
      into: 'customers_scored',
      column: 'churn_pred',
      probabilities: true
    });
    form.setColumn(' ');
    expect(form.problem).toBe('no-column');
  });

  it('scores into a new version each time, then keeps the result', async () => {
    const api = await churn();
    const form = new ScoreFormModel({
      api,
      model: await api.describeModel('churn'),
      tables: ['customers'],
      table: 'customers'
    });
    expect(form.ref).toBe('churn@production');
    const first = await form.score();
    expect(form.status).toBe('done');
    expect(first?.table.version).toBe(1);
    expect(first?.version).toBe(1);
    expect((await form.score())?.table.version).toBe(2);
    expect(api.scorings[0]).toMatchObject({
      sql: 'SELECT * FROM customers',
      model: 'churn@production',
      into: 'customers_scored'
    });
  });

  it('keeps the server error with the line and column of a bad query', async () => {
    const api = await churn();
    const form = new ScoreFormModel({
      api,
      model: await api.describeModel('churn'),
      sql: 'SELECT *\nFORM customers'
    });
    expect(await form.score()).toBeNull();
    expect(form.status).toBe('failed');
    // Found while reading the rows: the task's error, with the server's code and detail.
    expect(form.error?.code).toBe('query_error');
    expect(form.error?.position).toEqual({ line: 2, column: 1 });
    api.models.delete('churn');
    form.setSql('SELECT * FROM customers');
    await form.score();
    expect(form.error?.status).toBe(404);
    expect(form.error?.message).toContain("No model 'churn'");
  });

  it('follows the task’s progress, and cancels the task on cancel', async () => {
    const api = await churn();
    api.holdScoring = true;
    const form = new ScoreFormModel({
      api,
      model: await api.describeModel('churn'),
      table: 'customers',
      pollMs: 0
    });
    const seen: (number | null)[][] = [];
    form.changed.connect(() =>
      seen.push([form.progress.done, form.progress.total])
    );
    const scoring = form.score();
    expect(form.status).toBe('running');
    // A second Score while one runs is ignored.
    expect(await form.score()).toBeNull();
    api.reportScoring(131072, 400000);
    await new Promise(resolve => setTimeout(resolve, 5));
    expect(form.progress).toEqual({ done: 131072, total: 400000 });
    form.cancel();
    expect(form.cancelling).toBe(true);
    expect(await scoring).toBeNull();
    expect(api.cancelled).toEqual(['scoring-1']);
    expect(form.status).toBe('cancelled');
    expect(form.error).toBeNull();
    expect(await form.finished).toBeNull();
    expect(seen).toContainEqual([131072, 400000]);
    // No version was written: the next scoring writes version 1.
    api.holdScoring = false;
    expect((await form.score())?.table.version).toBe(1);
  });
});
