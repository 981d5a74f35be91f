import { nullTranslator } from '@jupyterlab/translation';
import { Widget } from '@lumino/widgets';

import { FakeLabelingApi, settle } from './fakeApi';
import { LabelerView } from './LabelerView';
import { LabelerModel } from './model';

const trans = nullTranslator.load('mlworkbench');

async function mounted(api = new FakeLabelingApi()) {
  const model = new LabelerModel({
    api,
    labelSet: await api.describeLabelSet()
  });
  const view = new LabelerView({
    model,
    trans,
    imageUrl: url => api.imageUrl(url)
  });
  Widget.attach(view, document.body);
  await model.start();
  const q = (selector: string) =>
    view.node.querySelector(selector) as HTMLElement;
  const press = (key: string) =>
    view.node.dispatchEvent(
      new KeyboardEvent('keydown', { key, bubbles: true })
    );
  return { api, model, view, q, press };
}

describe('LabelerView', () => {
  afterEach(() => {
    document.body.innerHTML = '';
  });

  it('shows the item’s text, the choices with their keys and the progress', async () => {
    const { q, view } = await mounted();
    expect(q('[data-testid="mlwb-labeler-item"]').dataset.key).toBe('0');
    expect(q('.mlwb-Labeler-text').textContent).toBe('review number 0');
    const choices = [...view.node.querySelectorAll('.mlwb-Labeler-choice')];
    expect(choices.map(c => c.textContent)).toEqual([
      '1pos',
      '2neg',
      '3neutral'
    ]);
    const progress = q('[data-testid="mlwb-labeler-progress"]');
    expect(progress.getAttribute('aria-valuenow')).toBe('0');
    expect(progress.getAttribute('aria-valuemax')).toBe('120');
  });

  it('a key press replaces only the item, and Backspace undoes', async () => {
    const { q, press, api, model } = await mounted();
    const item = q('[data-testid="mlwb-labeler-item"]');
    const choices = q('.mlwb-Labeler-choices');
    press('2');
    expect(item.dataset.key).toBe('1');
    // The same nodes: the panel is not rebuilt.
    expect(q('[data-testid="mlwb-labeler-item"]')).toBe(item);
    expect(q('.mlwb-Labeler-choices')).toBe(choices);
    expect(q('[data-testid="mlwb-labeler-progress"]').dataset.labeled).toBe(
      '1'
    );
    await model.flush();
    expect(api.labels.get(0)).toEqual(['neg']);
    press('Backspace');
    expect(item.dataset.key).toBe('0');
    press('s');
    expect(item.dataset.key).toBe('1');
    press('ArrowLeft');
    expect(item.dataset.key).toBe('0');
    expect(item.dataset.skipped).toBe('true');
  });

  it('shows a failed save and the item again', async () => {
    const { q, press, api, model } = await mounted();
    api.failNext = 'database is locked';
    press('1');
    await model.flush();
    await settle();
    const error = q('[data-testid="mlwb-labeler-error"]');
    expect(error.hidden).toBe(false);
    expect(error.textContent).toContain('database is locked');
    expect(error.textContent).toContain('item 0');
    expect(q('[data-testid="mlwb-labeler-item"]').dataset.key).toBe('0');
  });

  it('images: a missing one shows a placeholder, the item can be skipped', async () => {
    const api = new FakeLabelingApi();
    const item = api.item.bind(api);
    api.item = (i: number) => ({
      ...item(i),
      fields: { path: `img/${i}.png`, caption: `photo ${i}` },
      images: { path: { url: `img?key=${i}`, local: true, missing: i === 0 } }
    });
    api.set = { ...api.set, kind: 'image' };
    const { q, press, view } = await mounted(api);
    const image = q('.mlwb-Labeler-image');
    expect(image.dataset.missing).toBe('true');
    expect(image.textContent).toContain('missing');
    press('s');
    const next = view.node.querySelector(
      '.mlwb-Labeler-image img'
    ) as HTMLImageElement;
    expect(next.getAttribute('src')).toBe('/base/img?key=1');
    expect(next.alt).toBe('path of item 1');
    expect(q('.mlwb-Labeler-card').textContent).toContain('photo 1');
  });

  it('shows who labeled what on a disagreement', async () => {
    const api = new FakeLabelingApi();
    api.others.set(0, ['neg']);
    api.labels.set(0, ['pos']);
    const { q, model } = await mounted(api);
    await model.setFilter('disagreements');
    const others = q('[data-testid="mlwb-labeler-others"]');
    expect(others.dataset.disagreement).toBe('true');
    expect(others.textContent).toContain('bobneg');
    expect(others.textContent).toContain('mepos');
  });

  it('shows the server’s message for a filter it cannot serve', async () => {
    const { q, model } = await mounted();
    const select = q(
      '[data-testid="mlwb-labeler-filter"]'
    ) as HTMLSelectElement;
    select.value = 'uncertain';
    select.dispatchEvent(new Event('change'));
    await settle();
    expect(model.filter).toBe('uncertain');
    const notice = q('[data-testid="mlwb-labeler-notice"]');
    expect(notice.hidden).toBe(false);
    expect(notice.textContent).toContain('Train the queue model first');
    expect(q('[data-testid="mlwb-labeler-item"]').dataset.state).toBe('done');
  });
});
