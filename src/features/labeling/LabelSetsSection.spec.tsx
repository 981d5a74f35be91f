import { nullTranslator } from '@jupyterlab/translation';
import { ReactWidget } from '@jupyterlab/ui-components';
import { Widget } from '@lumino/widgets';
import * as React from 'react';

import { SELECTORS } from '../selectors';
import { FakeLabelingApi, settle } from './fakeApi';
import { LabelSetsModel } from './labelSets';
import { LabelSetsSidebarSection } from './LabelSetsSection';
import { LabelerModel } from './model';

const trans = nullTranslator.load('mlworkbench');

async function mount(api: FakeLabelingApi) {
  const model = new LabelSetsModel(api);
  const handlers = { onOpen: jest.fn(), onNew: jest.fn(), onRemove: jest.fn() };
  const widget = ReactWidget.create(
    <LabelSetsSidebarSection model={model} trans={trans} {...handlers} />
  );
  Widget.attach(widget, document.body);
  await model.refresh();
  await settle();
  return { model, widget, handlers };
}

describe('LabelSetsSection', () => {
  afterEach(() => {
    document.body.innerHTML = '';
  });

  it('lists label sets with their progress; a click opens one, + makes a new one', async () => {
    const api = new FakeLabelingApi();
    api.labels.set(0, ['pos']);
    api.labels.set(1, ['neg']);
    const { widget, handlers } = await mount(api);
    const row = widget.node.querySelector(
      `${SELECTORS.labelSetItem}[data-name="reviews_labels"]`
    ) as HTMLElement;
    expect(row.dataset.labeled).toBe('2');
    expect(row.dataset.total).toBe('120');
    expect(row.textContent).toContain('2 / 120');
    expect(
      row.querySelector('[role="progressbar"]')?.getAttribute('aria-valuenow')
    ).toBe('2');

    (row.querySelector(SELECTORS.labelSetOpen) as HTMLElement).click();
    expect(handlers.onOpen).toHaveBeenCalledWith('reviews_labels');
    (widget.node.querySelector(SELECTORS.newLabelSet) as HTMLElement).click();
    expect(handlers.onNew).toHaveBeenCalled();
    (row.querySelector(SELECTORS.labelSetDelete) as HTMLElement).click();
    expect(handlers.onRemove).toHaveBeenCalledWith('reviews_labels');
  });

  it("follows a labeler's saves from their answers, without reading the list again", async () => {
    const api = new FakeLabelingApi();
    const { widget, model } = await mount(api);
    const row = () =>
      widget.node.querySelector(
        `${SELECTORS.labelSetItem}[data-name="reviews_labels"]`
      ) as HTMLElement;
    expect(row().dataset.labeled).toBe('0');
    const labeler = new LabelerModel({
      api,
      labelSet: await api.describeLabelSet()
    });
    await labeler.start();
    model.follow(labeler);
    const lists = api.lists;

    labeler.pick(0);
    labeler.pick(1);
    labeler.skip();
    await labeler.flush();
    await settle();
    expect(row().dataset.labeled).toBe('2');
    expect(row().textContent).toContain('2 / 120');
    labeler.undo(); // the skip
    labeler.undo(); // the second label
    await labeler.flush();
    await settle();
    expect(row().dataset.labeled).toBe('1');
    expect(api.lists).toBe(lists);

    // The list is still read when asked (another annotator labeled meanwhile).
    api.others.set(5, ['pos']);
    await model.refresh();
    await settle();
    expect(row().dataset.labeled).toBe('2');
    expect(api.lists).toBe(lists + 1);
  });

  it('says how to start when there is none, and shows a load error', async () => {
    const api = new FakeLabelingApi();
    api.listLabelSets = async () => [];
    const { widget, model } = await mount(api);
    expect(widget.node.textContent).toContain('No label sets');
    api.listLabelSets = async () => {
      throw new Error('server down');
    };
    await model.refresh();
    await settle();
    expect(widget.node.textContent).toContain('server down');
  });
});
