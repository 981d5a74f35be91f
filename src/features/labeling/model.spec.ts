import { FakeLabelingApi, settle } from './fakeApi';
import { LabelerModel, PAGE_SIZE } from './model';

async function started(api = new FakeLabelingApi(), filter?: 'all') {
  const model = new LabelerModel({
    api,
    labelSet: await api.describeLabelSet(),
    filter
  });
  await model.start();
  return { api, model };
}

/** Press a key's action, then let the background work run. */
async function labelAll(model: LabelerModel, choice = 0) {
  const seen: unknown[] = [];
  for (let guard = 0; guard < 1000; guard++) {
    await settle();
    if (model.cursorState !== 'item') {
      break;
    }
    seen.push(model.current!.key);
    model.pick(choice);
  }
  await model.flush();
  await settle();
  return seen;
}

describe('LabelerModel', () => {
  it('starts on the first unlabeled item with the set’s progress', async () => {
    const { api, model } = await started();
    expect(api.fetches[0]).toEqual({
      filter: 'unlabeled',
      offset: 0,
      limit: PAGE_SIZE
    });
    expect(model.current?.key).toBe(0);
    expect(model.cursorState).toBe('item');
    expect(model.progress).toMatchObject({ total: 120, labeled: 0 });
  });

  it('single-label: a pick shows the next item at once and saves in the background', async () => {
    const api = new FakeLabelingApi();
    let open!: () => void;
    api.gate = new Promise(resolve => (open = resolve));
    const { model } = await started(api);
    model.pick(1);
    // Shown before the server answered.
    expect(model.current?.key).toBe(1);
    expect(model.progress.labeled).toBe(1);
    expect(model.pendingWrites).toBe(1);
    expect(api.labels.size).toBe(0);
    open();
    await model.flush();
    expect(api.labels.get(0)).toEqual(['neg']);
    expect(model.pendingWrites).toBe(0);
    expect(model.progress.labeled).toBe(1);
  });

  it('pages through every unlabeled item once, in order, while labels shift the offsets', async () => {
    const { api, model } = await started();
    const seen = await labelAll(model);
    expect(seen).toEqual(Array.from({ length: 120 }, (_, i) => i));
    expect(api.labels.size).toBe(120);
    expect(model.cursorState).toBe('done');
    expect(model.progress.labeled).toBe(120);
    // Never the whole set at once.
    expect(Math.max(...api.fetches.map(f => f.limit))).toBe(PAGE_SIZE);
  });

  it('pages through every item once when some are skipped (the server leaves them out)', async () => {
    const { api, model } = await started();
    const seen: unknown[] = [];
    for (let i = 0; i < 300 && model.cursorState !== 'done'; i++) {
      await settle();
      if (model.cursorState === 'item') {
        seen.push(model.current!.key);
        if (i % 3 === 0) {
          model.skip();
        } else {
          model.pick(0);
        }
      }
    }
    await model.flush();
    expect(seen).toEqual(Array.from({ length: 120 }, (_, i) => i));
    expect(api.labels.size + api.skipped.size).toBe(120);
  });

  it('keeps showing items while saves are slow, and skips none when they land', async () => {
    const api = new FakeLabelingApi();
    let open!: () => void;
    api.gate = new Promise(resolve => (open = resolve));
    const { model } = await started(api);
    const seen: unknown[] = [];
    for (let i = 0; i < 70; i++) {
      await settle(2);
      seen.push(model.current?.key);
      model.pick(0);
    }
    expect(api.labels.size).toBe(0); // nothing answered yet
    open();
    const rest = await labelAll(model);
    expect([...seen, ...rest]).toEqual(
      Array.from({ length: 120 }, (_, i) => i)
    );
    expect(api.labels.size).toBe(120);
  });

  it('puts an item whose save failed back in front, with the server’s message', async () => {
    const { api, model } = await started();
    model.pick(0);
    await model.flush();
    api.failNext = 'disk full';
    model.pick(1); // item 1 fails
    model.pick(2); // item 2 is saved
    expect(model.current?.key).toBe(3);
    await model.flush();
    expect(model.current?.key).toBe(1);
    expect(model.current?.mine ?? null).toBeNull();
    expect(model.error).toMatchObject({
      action: 'save',
      key: 1,
      labels: ['neg'],
      message: 'disk full'
    });
    expect([...api.labels.keys()].sort()).toEqual([0, 2]);
    expect(model.progress.labeled).toBe(2);
    // Labeling it again works.
    model.pick(0);
    await model.flush();
    expect(api.labels.get(1)).toEqual(['pos']);
  });

  it('undo takes back the last label and shows that item again', async () => {
    const { api, model } = await started();
    model.pick(0);
    model.pick(1);
    expect(model.current?.key).toBe(2);
    model.undo();
    expect(model.current?.key).toBe(1);
    expect(model.current?.mine ?? null).toBeNull();
    expect(model.progress.labeled).toBe(1);
    await model.flush();
    expect([...api.labels.keys()]).toEqual([0]);
    expect(api.writes).toEqual(['label 0 pos', 'label 1 neg', 'undo']);
    expect(model.progress.labeled).toBe(1);
  });

  it('skip moves on without labeling; undo brings a skipped item back', async () => {
    const { api, model } = await started();
    model.skip();
    expect(model.current?.key).toBe(1);
    expect(model.progress.skipped).toBe(1);
    await model.flush();
    expect(api.skipped.has(0)).toBe(true);
    model.undo();
    expect(model.current?.key).toBe(0);
    expect(model.current?.skipped).toBe(false);
    await model.flush();
    expect(api.skipped.size).toBe(0);
    expect(model.progress.skipped).toBe(0);
  });

  it('says so when there is nothing to undo', async () => {
    const { model } = await started();
    model.undo();
    expect(model.notice?.code).toBe('nothing-to-undo');
  });

  it('multi-label: keys toggle, Enter saves the picked labels in choice order', async () => {
    const { api, model } = await started(new FakeLabelingApi({ multi: true }));
    model.confirm();
    expect(model.notice?.code).toBe('pick-multi');
    model.pick(2);
    model.pick(0);
    model.pick(1);
    model.pick(1); // off again
    expect([...model.chosen].sort()).toEqual(['neutral', 'pos']);
    expect(model.current?.key).toBe(0);
    model.confirm();
    expect(model.current?.key).toBe(1);
    expect(model.chosen.size).toBe(0);
    await model.flush();
    expect(api.labels.get(0)).toEqual(['pos', 'neutral']);
  });

  it('arrows move without labeling; Enter on a labeled item keeps its label', async () => {
    const { api, model } = await started(new FakeLabelingApi(), 'all');
    model.pick(0);
    model.previous();
    expect(model.current?.key).toBe(0);
    expect([...model.chosen]).toEqual(['pos']);
    model.confirm();
    expect(model.current?.key).toBe(1);
    model.next();
    expect(model.current?.key).toBe(2);
    await model.flush();
    expect(api.writes).toEqual(['label 0 pos']);
  });

  it('relabeling an item saves the new label without counting it twice', async () => {
    const { api, model } = await started(new FakeLabelingApi(), 'all');
    model.pick(0);
    model.previous();
    model.pick(1);
    expect(model.progress.labeled).toBe(1);
    await model.flush();
    expect(api.labels.get(0)).toEqual(['neg']);
    expect(model.progress.labeled).toBe(1);
  });

  it('shows the server’s message when there is no queue for "lowest confidence first"', async () => {
    const { model } = await started();
    await model.setFilter('uncertain');
    expect(model.cursorState).toBe('done');
    expect(model.notice).toEqual({
      code: 'server',
      message: 'Train the queue model first: no queue for reviews_labels.'
    });
    expect(model.error).toBeNull();
  });

  it('trains the queue model, then walks "lowest confidence first"; a refusal is the server’s message', async () => {
    const { api, model } = await started();
    await model.setFilter('uncertain');
    expect(model.notice?.code).toBe('server');
    await model.refreshQueue();
    expect(model.notice?.message).toBe(
      'Label at least 2 different labels first.'
    );
    expect(model.training).toBe(false);
    api.labels.set(0, ['pos']);
    api.labels.set(1, ['neg']);
    await model.refreshQueue();
    expect(model.notice).toBeNull();
    expect(model.filter).toBe('uncertain');
    expect(model.current?.key).toBe(2);
  });

  it('lists disagreements, and reopening shows my saved labels', async () => {
    const api = new FakeLabelingApi();
    api.others.set(3, ['neg']);
    api.labels.set(3, ['pos']);
    api.labels.set(4, ['neg']);
    const { model } = await started(api);
    await model.setFilter('disagreements');
    expect(model.items.map(i => i.key)).toEqual([3]);
    expect(model.current?.disagreement).toBe(true);
    expect(model.current?.labels.map(l => l.annotator)).toEqual(['bob', 'me']);
    await model.setFilter('all');
    model.next();
    model.next();
    model.next();
    model.next();
    expect(model.current?.key).toBe(4);
    expect([...model.chosen]).toEqual(['neg']);
  });
});
