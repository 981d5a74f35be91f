import { nullTranslator } from '@jupyterlab/translation';
import { ReactWidget } from '@jupyterlab/ui-components';
import { Widget } from '@lumino/widgets';
import * as React from 'react';

import { fakeRenderers } from '../shared/fakeRenderers';
import { FakeModelsApi } from './fakeApi';
import { ModelViewModel } from './model';
import { ModelPanel } from './ModelPanel';
import { ModelsListModel } from './modelsList';
import { ModelsSidebarSection } from './ModelsSection';
import { MODEL_SELECTORS as S } from './selectors';

const trans = nullTranslator.load('mlworkbench');

async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) {
    await new Promise(resolve => setTimeout(resolve, 0));
  }
}

/** Change a <select> or <input> as a user does (React listens to the native events). */
function choose(element: Element | null, value: string): void {
  const input = element as HTMLSelectElement | HTMLInputElement;
  const proto = Object.getPrototypeOf(input);
  Object.getOwnPropertyDescriptor(proto, 'value')?.set?.call(input, value);
  input.dispatchEvent(new Event('change', { bubbles: true }));
  input.dispatchEvent(new Event('input', { bubbles: true }));
}

async function mountView(api: FakeModelsApi) {
  const model = new ModelViewModel({ api, name: 'churn' });
  const { renderers, rendered } = fakeRenderers();
  const panel = new ModelPanel({
    model,
    trans,
    renderers,
    baseUrl: 'http://127.0.0.1:8888/'
  });
  Widget.attach(panel, document.body);
  await model.load();
  await settle();
  const $ = (key: keyof typeof S) => panel.node.querySelector(S[key]);
  const $$ = (key: keyof typeof S) =>
    Array.from(panel.node.querySelectorAll(S[key])) as HTMLElement[];
  return { model, panel, rendered, $, $$ };
}

describe('ModelView', () => {
  afterEach(() => {
    document.body.innerHTML = '';
  });

  it('promotes to production, shows a gate refusal with its check, rolls back', async () => {
    const api = new FakeModelsApi();
    await api.publish(1, 'churn');
    await api.publish(2, 'churn');
    const { model, $, $$ } = await mountView(api);

    expect($$('versionRow').map(r => r.dataset.version)).toEqual(['2', '1']);
    expect($$('versionRow')[0].textContent).toContain('ROC AUC 0.82');
    expect($$('versionRow')[0].textContent).toContain('222222222222');

    choose($('promoteVersion'), '1');
    ($('promote') as HTMLElement).click();
    await settle();
    choose($('promoteVersion'), '2');
    ($('promote') as HTMLElement).click();
    await settle();
    expect(
      $$('aliasRow').map(r => [r.dataset.alias, r.dataset.version])
    ).toEqual([['production', '2']]);

    api.setGates('churn', 'staging', ['roc_auc >= 0.95']);
    choose($('promoteAlias'), 'staging');
    ($('promote') as HTMLElement).click();
    await settle();
    const refusal = $('gateRefusal') as HTMLElement;
    expect(refusal.dataset.failed).toBe('roc_auc >= 0.95');
    expect(refusal.textContent).toContain('roc_auc >= 0.95 failed');
    expect(refusal.textContent).toContain('roc_auc = 0.82');
    expect($$('historyRow')[0].dataset.moved).toBe('false');

    // A new alias by name.
    choose($('promoteAlias'), '\u0000new');
    await settle();
    choose($('promoteNewAlias'), 'canary');
    ($('promote') as HTMLElement).click();
    await settle();
    expect($$('aliasRow').map(r => r.dataset.alias)).toContain('canary');
    expect($('gateRefusal')).toBeNull();

    const production = $$('aliasRow').find(
      r => r.dataset.alias === 'production'
    )!;
    (production.querySelector(S.rollback) as HTMLElement).click();
    await settle();
    expect(
      model.model?.aliases.find(a => a.alias === 'production')?.version
    ).toBe(1);
    expect($$('historyRow')[0].dataset.action).toBe('rollback');
  });

  it('renders the card as markdown and saves an edit', async () => {
    const api = new FakeModelsApi();
    await api.publish(1, 'churn');
    const { model, rendered, $ } = await mountView(api);
    expect(rendered).toContain('text/markdown');
    ($('cardEdit') as HTMLElement).click();
    await settle();
    const text = $('cardText') as HTMLTextAreaElement;
    expect(text.value).toContain('# churn v1');
    choose(text, '# churn\n\nIntended use: demos.');
    ($('cardSave') as HTMLElement).click();
    await settle();
    expect(model.version?.card).toBe('# churn\n\nIntended use: demos.');
    expect($('cardText')).toBeNull();
    expect($('card')).not.toBeNull();
  });

  it('builds the Try it form from the signature and shows the prediction', async () => {
    const api = new FakeModelsApi();
    await api.publish(1, 'churn');
    const { $, $$ } = await mountView(api);
    expect(
      $$('signatureRow').map(r => [r.dataset.column, r.dataset.type])
    ).toEqual([
      ['age', 'integer'],
      ['plan', 'string'],
      ['spend', 'float'],
      ['active', 'boolean']
    ]);
    const input = (column: string) =>
      $$('tryInput').find(i => i.dataset.column === column) as HTMLInputElement;
    expect(input('age').type).toBe('number');
    expect(input('active').type).toBe('checkbox');

    // A wrong number keeps Predict disabled and says why.
    choose(input('age'), '4.5');
    await settle();
    expect(($('tryPredict') as HTMLButtonElement).disabled).toBe(true);

    choose(input('age'), '41');
    choose(input('plan'), 'pro');
    input('active').click();
    await settle();
    ($('tryPredict') as HTMLElement).click();
    await settle();
    expect(api.predictions[0]).toEqual({
      ref: 'churn@1',
      rows: [{ age: 41, plan: 'pro', spend: null, active: true }]
    });
    const prediction = $('prediction') as HTMLElement;
    expect(prediction.dataset.value).toBe('yes');
    expect(prediction.textContent).toContain('yes 0.75');

    expect($('snippetCurl')?.textContent).toContain(
      "curl -X POST 'http://127.0.0.1:8888/mlworkbench/api/models/churn@1/predict'"
    );
    expect($('snippetPython')?.textContent).toContain('import requests');
  });

  it('shows a 422 of the predict route with its message', async () => {
    const api = new FakeModelsApi();
    await api.publish(1, 'churn');
    const { $ } = await mountView(api);
    ($('tryPredict') as HTMLElement).click();
    await settle();
    expect($('prediction')).toBeNull();
    expect(document.body.textContent).toContain(
      "Column 'age' may not be null."
    );
  });
});

describe('ModelsSection', () => {
  afterEach(() => {
    document.body.innerHTML = '';
  });

  it('lists models with alias badges and opens one', async () => {
    const api = new FakeModelsApi();
    await api.publish(1, 'churn');
    await api.setAlias('churn', 'production', 1);
    const list = new ModelsListModel(api);
    const onOpen = jest.fn();
    const widget = ReactWidget.create(
      <ModelsSidebarSection
        model={list}
        trans={trans}
        onOpen={onOpen}
        onRefresh={jest.fn()}
      />
    );
    Widget.attach(widget, document.body);
    await list.refresh();
    await settle();
    const item = widget.node.querySelector(S.modelItem) as HTMLElement;
    expect(item.dataset.name).toBe('churn');
    expect(item.dataset.aliases).toBe('production=1');
    expect(item.textContent).toContain('predicts churned');
    (item.querySelector('button') as HTMLElement).click();
    expect(onOpen).toHaveBeenCalledWith('churn');
  });

  it('says when nothing is published', async () => {
    const list = new ModelsListModel(new FakeModelsApi());
    const widget = ReactWidget.create(
      <ModelsSidebarSection
        model={list}
        trans={trans}
        onOpen={jest.fn()}
        onRefresh={jest.fn()}
      />
    );
    Widget.attach(widget, document.body);
    await list.refresh();
    await settle();
    expect(widget.node.textContent).toContain('No published models yet');
  });
});
