import { Notification } from '@jupyterlab/apputils';
import { nullTranslator } from '@jupyterlab/translation';

import { WorkbenchApiError } from '../../api/client';
import { runAction } from './commands';
import { FakeStudioApi, labelSet, linkOf } from './fakeApi';
import { StudioModel } from './model';

const trans = nullTranslator.load('mlworkbench');

async function setUp() {
  const api = new FakeStudioApi();
  api.sets = [labelSet('reviews', true)];
  api.links.set('reviews', linkOf('reviews'));
  const model = new StudioModel(api, { sleep: async () => undefined });
  await model.refresh();
  return { api, model };
}

describe('runAction (the palette commands and the row buttons)', () => {
  let success: jest.SpyInstance;
  let error: jest.SpyInstance;
  let info: jest.SpyInstance;
  beforeEach(() => {
    success = jest.spyOn(Notification, 'success');
    error = jest.spyOn(Notification, 'error');
    info = jest.spyOn(Notification, 'info');
  });
  afterEach(() => jest.restoreAllMocks());

  it('tells how a push ended', async () => {
    const { api, model } = await setUp();
    api.nextTask = [{ finished: true, result: { pushed: 3, skipped: 37 } }];
    const task = await runAction(model, 'reviews', 'push', trans);
    expect(task).toMatchObject({ finished: true, kind: 'push' });
    expect(success).toHaveBeenCalledWith(
      'reviews: Pushed 3 new tasks (37 already there)',
      expect.anything()
    );
    expect(error).not.toHaveBeenCalled();
  });

  it("tells the server's error", async () => {
    const { api, model } = await setUp();
    api.failNext = new WorkbenchApiError(
      'Label Studio at http://ls.test refused the API key (401): check c.MLWorkbench.label_studio_api_key',
      502,
      'labelstudio_key_refused'
    );
    expect(await runAction(model, 'reviews', 'pull', trans)).toBeNull();
    expect(error).toHaveBeenCalledWith(
      'reviews: Label Studio at http://ls.test refused the API key (401): check c.MLWorkbench.label_studio_api_key',
      expect.anything()
    );
    expect(success).not.toHaveBeenCalled();
  });

  it('does not start a second action while one runs', async () => {
    const { api, model } = await setUp();
    let release: () => void = () => undefined;
    const slow = new StudioModel(api, {
      sleep: () => new Promise<void>(resolve => (release = resolve))
    });
    await slow.refresh();
    api.nextTask = [{ finished: true, result: {} }];
    const first = slow.pull('reviews');
    await new Promise(resolve => setTimeout(resolve, 0));
    expect(await runAction(slow, 'reviews', 'push', trans)).toBeNull();
    expect(info).toHaveBeenCalledWith(
      'reviews: a push or pull is already running.',
      expect.anything()
    );
    release();
    await first;
    expect(api.calls.filter(c => c.startsWith('push'))).toEqual([]);
    void model;
  });
});
