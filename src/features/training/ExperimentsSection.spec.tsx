import { nullTranslator } from '@jupyterlab/translation';
import { ReactWidget } from '@jupyterlab/ui-components';
import { Widget } from '@lumino/widgets';
import * as React from 'react';

import { SELECTORS } from '../selectors';
import { CompareView } from './CompareView';
import { ExperimentsModel } from './experiments';
import { ExperimentsSidebarSection } from './ExperimentsSection';
import { FakeTrainingApi, settle } from './fakeApi';

const trans = nullTranslator.load('mlworkbench');

async function mount(api: FakeTrainingApi) {
  const model = new ExperimentsModel(api);
  const handlers = {
    onNew: jest.fn(),
    onOpen: jest.fn(),
    onCompare: jest.fn(),
    onRemove: jest.fn(),
    onRefresh: jest.fn()
  };
  const widget = ReactWidget.create(
    <ExperimentsSidebarSection model={model} trans={trans} {...handlers} />
  );
  Widget.attach(widget, document.body);
  await model.refresh();
  await settle();
  return { model, widget, handlers };
}

describe('ExperimentsSection', () => {
  afterEach(() => {
    document.body.innerHTML = '';
  });

  it('lists runs with status, target and score; opens, compares two and deletes', async () => {
    const api = new FakeTrainingApi();
    await api.startRun({ sql: 'SELECT 1', target: 'churned', budget_s: 5 });
    await api.startRun({ sql: 'SELECT 1', target: 'age', budget_s: 5 });
    api.finish(1);
    const { widget, handlers } = await mount(api);
    const row = (id: number) =>
      widget.node.querySelector(
        `${SELECTORS.experimentItem}[data-run-id="${id}"]`
      ) as HTMLElement;
    expect(row(1).dataset.status).toBe('finished');
    expect(row(1).dataset.target).toBe('churned');
    expect(row(1).textContent).toContain('0.91');
    expect(row(1).textContent).toContain('ROC AUC · ');
    expect(row(2).dataset.status).toBe('running');
    expect(row(2).textContent).toContain('running…');

    (row(1).querySelector(SELECTORS.experimentOpen) as HTMLElement).click();
    expect(handlers.onOpen).toHaveBeenCalledWith(1);

    const compare = widget.node.querySelector(
      SELECTORS.experimentsCompare
    ) as HTMLButtonElement;
    expect(compare.disabled).toBe(true);
    (row(1).querySelector(SELECTORS.experimentSelect) as HTMLElement).click();
    (row(2).querySelector(SELECTORS.experimentSelect) as HTMLElement).click();
    await settle();
    expect(compare.disabled).toBe(false);
    compare.click();
    expect(handlers.onCompare).toHaveBeenCalledWith([1, 2]);

    (row(2).querySelector(SELECTORS.experimentDelete) as HTMLElement).click();
    expect(handlers.onRemove).toHaveBeenCalledWith(2);
    (widget.node.querySelector(SELECTORS.trainNew) as HTMLElement).click();
    expect(handlers.onNew).toHaveBeenCalled();
  });

  it('says how to start when there is no run, and shows a load error', async () => {
    const api = new FakeTrainingApi();
    const { widget, model } = await mount(api);
    expect(widget.node.textContent).toContain('No training runs yet');
    api.listRuns = async () => {
      throw new Error('server down');
    };
    await model.refresh();
    await settle();
    expect(widget.node.textContent).toContain('server down');
  });
});

describe('CompareView', () => {
  afterEach(() => {
    document.body.innerHTML = '';
  });

  it('reads both runs and shows them side by side, differing rows marked', async () => {
    const api = new FakeTrainingApi();
    await api.startRun({ sql: 'SELECT 1', target: 'churned', budget_s: 5 });
    await api.startRun({ sql: 'SELECT 1', target: 'churned', budget_s: 30 });
    api.finish(1);
    api.finish(2);
    const onOpen = jest.fn();
    const view = new CompareView({ api, ids: [1, 2], trans, onOpen });
    Widget.attach(view, document.body);
    await view.load();
    await settle();
    const row = (section: string, name: string) =>
      view.node.querySelector(
        `${SELECTORS.trainCompareRow}[data-section="${section}"][data-name="${name}"]`
      ) as HTMLElement;
    expect(row('run', 'budget').dataset.differs).toBe('true');
    expect(row('run', 'budget').textContent).toBe('budget5 s30 s');
    expect(row('metrics', 'ROC AUC').dataset.differs).toBe('false');
    expect(row('lineage', 'customers').textContent).toBe('customersv3v3');
    (view.node.querySelector('.mlwb-TrainCompare-open') as HTMLElement).click();
    expect(onOpen).toHaveBeenCalledWith(1);
  });
});
