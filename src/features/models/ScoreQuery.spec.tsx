import { nullTranslator } from '@jupyterlab/translation';
import { Widget } from '@lumino/widgets';

import { settle, typeInto } from './domTesting';
import { FakeModelsApi } from './fakeApi';
import { ScoreFormModel } from './scoreForm';
import { offsetOf, ScoreQueryBody } from './ScoreQuery';

const trans = nullTranslator.load('mlworkbench');

async function mount(options: { table?: string; sql?: string } = {}) {
  const api = new FakeModelsApi();
  await api.publish(1, 'churn');
  await api.publish(2, 'churn');
  const form = new ScoreFormModel({
    api,
    model: await api.describeModel('churn'),
    ref: 'churn@2',
    tables: ['customers', 'orders'],
    pollMs: 0,
    ...options
  });
  const opened: string[] = [];
  const body = new ScoreQueryBody({
    form,
    trans,
    onOpenTable: table => opened.push(table)
  });
  Widget.attach(body, document.body);
  await settle();
  const $ = (testid: string) =>
    body.node.querySelector(`[data-testid="${testid}"]`) as HTMLElement | null;
  return { api, form, body, opened, $ };
}

describe('ScoreQuery', () => {
  afterEach(() => {
    document.body.innerHTML = '';
  });

  it('finds the offset of a line and column', () => {
    expect(offsetOf('SELECT *\nFORM t', 2, 1)).toBe(9);
    expect(offsetOf('SELECT 1', 1, 8)).toBe(7);
    expect(offsetOf('x', 5, 5)).toBe(1);
  });

  it('scores a picked table with a progress bar while it runs, then opens the table', async () => {
    const { api, $, opened } = await mount();
    expect(($('mlwb-score-run') as HTMLButtonElement).disabled).toBe(true);
    typeInto($('mlwb-score-table'), 'customers');
    await settle();
    expect(($('mlwb-score-into') as HTMLInputElement).value).toBe(
      'customers_scored'
    );
    expect(($('mlwb-score-model') as HTMLSelectElement).value).toBe('churn@2');
    ($('mlwb-score-probabilities') as HTMLInputElement).click();
    api.holdScoring = true;
    $('mlwb-score-run')!.click();
    await settle();
    // Until the server's first report: an indeterminate bar.
    const bar = () => $('mlwb-score-progress')!;
    expect(bar().classList).toContain('mlwb-mod-indeterminate');
    expect($('mlwb-score-cancel')).not.toBeNull();
    api.reportScoring(120, 300);
    await settle();
    expect(bar().classList).not.toContain('mlwb-mod-indeterminate');
    expect(bar().getAttribute('aria-valuenow')).toBe('120');
    expect(bar().getAttribute('aria-valuemax')).toBe('300');
    const fill = bar().querySelector('.mlwb-ProgressBar-fill') as HTMLElement;
    expect(fill.style.width).toBe('40%');
    expect($('mlwb-score-progress-text')!.textContent).toContain(
      '120 of about 300 rows'
    );
    api.releaseScoring();
    await settle();
    expect($('mlwb-score-progress')).toBeNull();
    const result = $('mlwb-score-result')!;
    expect(result.dataset.rows).toBe('240');
    expect(result.dataset.table).toBe('customers_scored');
    expect(result.dataset.version).toBe('1');
    expect(result.textContent).toContain('churn v2');
    expect(api.scorings[0].probabilities).toBe(true);
    $('mlwb-score-open')!.click();
    expect(opened).toEqual(['customers_scored']);
  });

  it('cancels the server task and says the previous version is kept', async () => {
    const { api, $ } = await mount({ table: 'orders' });
    api.holdScoring = true;
    $('mlwb-score-run')!.click();
    await settle();
    $('mlwb-score-cancel')!.click();
    await settle();
    expect(api.cancelled).toEqual(['scoring-1']);
    const said = $('mlwb-score-cancelled')!.textContent;
    expect(said).toContain('no new version was written');
    expect(said).toContain('orders_scored keeps its previous version');
    expect($('mlwb-score-run')).not.toBeNull();
    expect(api.tables.has('orders_scored')).toBe(false);
  });

  it('shows a bad query’s message and detail and selects where DuckDB stopped', async () => {
    const { $ } = await mount({ sql: 'SELECT *\nFORM customers' });
    $('mlwb-score-run')!.click();
    await settle();
    const error = $('mlwb-score-error')!;
    expect(error.dataset.code).toBe('query_error');
    expect(error.textContent).toContain('syntax error at or near "FORM"');
    expect(error.textContent).toContain('line: 2');
    const sql = $('mlwb-score-sql') as HTMLTextAreaElement;
    expect(sql.selectionStart).toBe(9);
    expect(sql.selectionEnd).toBe(10);
  });

  it('shows a signature mismatch (422) with the missing column', async () => {
    const { $ } = await mount({ sql: 'SELECT plan FROM customers' });
    $('mlwb-score-run')!.click();
    await settle();
    const error = $('mlwb-score-error')!;
    expect(error.dataset.code).toBe('signature_mismatch');
    expect(error.textContent).toContain('missing: ["age"]');
  });
});
