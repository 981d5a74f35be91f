import { nullTranslator } from '@jupyterlab/translation';
import { Widget } from '@lumino/widgets';

import { fakeRenderers } from '../shared/fakeRenderers';
import { settle, typeInto } from './domTesting';
import { FakeModelsApi } from './fakeApi';
import { ModelViewModel } from './model';
import { ModelPanel } from './ModelPanel';
import { MODEL_SELECTORS as S } from './selectors';

const trans = nullTranslator.load('mlworkbench');

async function mount() {
  const api = new FakeModelsApi();
  await api.publish(1, 'churn');
  await api.publish(2, 'churn');
  const model = new ModelViewModel({ api, name: 'churn' });
  const scored: number[] = [];
  const panel = new ModelPanel({
    model,
    trans,
    renderers: fakeRenderers().renderers,
    baseUrl: 'http://127.0.0.1:8888/',
    onScoreQuery: version => scored.push(version)
  });
  Widget.attach(panel, document.body);
  await model.load();
  await settle();
  const $ = (key: keyof typeof S) =>
    panel.node.querySelector(S[key]) as HTMLElement;
  const $$ = (key: keyof typeof S) =>
    Array.from(panel.node.querySelectorAll(S[key])) as HTMLElement[];
  return { api, model, panel, scored, $, $$ };
}

describe('GatesEditor', () => {
  afterEach(() => {
    document.body.innerHTML = '';
  });

  it('adds a check, saves it, and the next promotion is refused by it', async () => {
    const { api, $, $$ } = await mount();
    expect($('gates').dataset.alias).toBe('production');
    expect($('gates').textContent).toContain('production has no gates');
    expect($('gatesMetrics').textContent).toContain('roc_auc 0.82');
    $('gatesAdd').click();
    await settle();
    typeInto($('gatesCheck'), 'roc_auc >= 0.95');
    await settle();
    $('gatesSave').click();
    await settle();
    expect($('gates').dataset.gates).toBe('roc_auc >= 0.95');
    expect(
      $$('aliasRow').map(r => [
        r.dataset.alias,
        r.textContent?.includes('roc_auc >= 0.95')
      ])
    ).toEqual([['production', true]]);
    expect((await api.describeModel('churn')).aliases[0].gates).toEqual([
      'roc_auc >= 0.95'
    ]);

    $('promote').click();
    await settle();
    expect($('gateRefusal').dataset.failed).toBe('roc_auc >= 0.95');

    // Remove the check: the promotion goes through.
    $('gatesRemove').click();
    await settle();
    $('gatesSave').click();
    await settle();
    expect($('gates').dataset.gates).toBe('');
    $('promote').click();
    await settle();
    expect($('gateRefusal')).toBeNull();
    expect(
      $$('aliasRow').map(r => [r.dataset.alias, r.dataset.version])
    ).toEqual([['production', '2']]);
  });

  it('shows the server’s refusal of a check and keeps the draft', async () => {
    const { $, model } = await mount();
    $('gatesAdd').click();
    await settle();
    typeInto($('gatesCheck'), 'roc_acu >= 0.9');
    await settle();
    $('gatesSave').click();
    await settle();
    const error = $('gatesError');
    expect(error.textContent).toContain("The gate 'roc_acu >= 0.9'");
    expect(error.textContent).toContain('roc_auc');
    expect(($('gatesCheck') as HTMLInputElement).value).toBe('roc_acu >= 0.9');
    expect(model.model?.aliases).toEqual([]);
  });

  it('edits the gates of an alias row, and offers Score a query for the shown version', async () => {
    const { api, $, $$, model, scored } = await mount();
    await model.promote('staging', 1);
    await api.setGates('churn', 'staging', ['accuracy > 0.5']);
    await model.load();
    await settle();
    const staging = $$('aliasRow').find(r => r.dataset.alias === 'staging')!;
    (staging.querySelector(S.editGates) as HTMLElement).click();
    await settle();
    expect($('gates').dataset.alias).toBe('staging');
    expect(($('gatesCheck') as HTMLInputElement).value).toBe('accuracy > 0.5');
    $('scoreQuery').click();
    expect(scored).toEqual([2]);
  });
});
