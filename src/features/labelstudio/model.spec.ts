import { WorkbenchApiError } from '../../api/client';
import { FakeStudioApi, labelSet, linkOf } from './fakeApi';
import {
  asProblem,
  countsOf,
  describeOutcome,
  IStudioJob,
  jobShare,
  namesFor,
  newEntry,
  StudioModel
} from './model';

/** A model whose polls do not wait; `seen` records the job after each poll. */
function setUp(onPoll?: (model: StudioModel, poll: number) => Promise<void>) {
  const api = new FakeStudioApi();
  const seen: (IStudioJob | null)[] = [];
  let model: StudioModel;
  const sleep = async () => {
    seen.push(model.entry('reviews')?.job ?? null);
    await onPoll?.(model, seen.length);
  };
  model = new StudioModel(api, { sleep, maxPollFailures: 3 });
  return { api, model, seen };
}

describe('StudioModel.refresh', () => {
  it('lists every label set and reads the links of the linked ones and of one unlinked one', async () => {
    const { api, model } = setUp();
    api.sets = [labelSet('reviews', true), labelSet('photos')];
    api.links.set(
      'reviews',
      linkOf('reviews', { annotated: 3, unknown_labels: 1 })
    );
    await model.refresh();
    expect(model.entries.map(e => [e.name, e.linked])).toEqual([
      ['reviews', true],
      ['photos', false]
    ]);
    // One unlinked label set's description tells whether the server is configured.
    expect(api.calls).toEqual(['list', 'describe reviews', 'describe photos']);
    expect(model.configuration).toEqual({ configured: true, message: null });
    expect(model.entry('reviews')!.counts).toEqual({
      tasks: 10,
      annotated: 3,
      pushed: 10,
      pulled: 2,
      unknownLabels: 1,
      deletedUpstream: 0
    });
    expect(model.entry('photos')!.counts).toBeNull();
  });

  it('learns from one unlinked label set that the server has no Label Studio URL or key', async () => {
    const { api, model } = setUp();
    api.sets = [labelSet('a'), labelSet('b'), labelSet('c')];
    api.links.set('a', {
      label_set: 'a',
      state: 'not_connected',
      configured: false,
      message: 'No Label Studio URL: set c.MLWorkbench.label_studio_url'
    });
    expect(model.configuration).toBeNull();
    await model.refresh();
    expect(api.calls).toEqual(['list', 'describe a']);
    expect(model.configuration).toEqual({
      configured: false,
      message: 'No Label Studio URL: set c.MLWorkbench.label_studio_url'
    });
    expect(model.entries.map(e => e.linked)).toEqual([false, false, false]);
  });

  it('forgets removed label sets and reports a status that cannot be read', async () => {
    const { api, model } = setUp();
    api.sets = [labelSet('reviews', true), labelSet('gone', true)];
    api.failNext = new WorkbenchApiError(
      'Label set not found',
      404,
      'not_found'
    );
    await model.refresh();
    const problems = model.entries.map(e => e.problem?.message ?? null);
    expect(problems.filter(Boolean)).toEqual(['Label set not found']);
    api.sets = [labelSet('reviews', true)];
    api.links.set('reviews', linkOf('reviews'));
    await model.refresh();
    expect(model.entries.map(e => e.name)).toEqual(['reviews']);
    expect(model.entry('reviews')!.problem).toBeNull();
  });

  it('keeps the list error when the label sets cannot be listed', async () => {
    const { api, model } = setUp();
    api.listLabelSets = async () => {
      throw new WorkbenchApiError(
        'Cannot reach the Jupyter server',
        0,
        'network_error'
      );
    };
    await model.refresh();
    expect(model.loaded).toBe(true);
    expect(model.error?.message).toBe('Cannot reach the Jupyter server');
  });
});

describe('StudioModel actions', () => {
  it('connects a label set and shows its project and counts', async () => {
    const { api, model } = setUp();
    api.sets = [labelSet('reviews')];
    await model.refresh();
    const link = await model.connect('reviews');
    expect(link?.project_id).toBe(7);
    const entry = model.entry('reviews')!;
    expect(entry.linked).toBe(true);
    expect(entry.counts?.pushed).toBe(0);
    expect(entry.outcome).toBe('Linked to Label Studio project 7');
  });

  it('says how to configure Label Studio when the server has no URL or key', async () => {
    const { api, model } = setUp();
    api.sets = [labelSet('reviews')];
    await model.refresh();
    api.failNext = new WorkbenchApiError(
      "No Label Studio URL: set c.MLWorkbench.label_studio_url in the Jupyter server's config or $LABEL_STUDIO_URL.",
      422,
      'invalid_request',
      { field: 'url' }
    );
    expect(await model.connect('reviews')).toBeNull();
    const problem = model.entry('reviews')!.problem!;
    expect(problem).toMatchObject({ action: 'connect', needsConfig: true });
    expect(problem.message).toContain('label_studio_url');
    expect(model.entry('reviews')!.linked).toBe(false);
  });

  it('a refused key is an error with its detail, not a configuration problem', () => {
    const problem = asProblem(
      'connect',
      new WorkbenchApiError(
        'Label Studio at http://ls.test refused the API key',
        502,
        'labelstudio_key_refused',
        { url: 'http://ls.test', status: 401 }
      )
    );
    expect(problem).toEqual({
      action: 'connect',
      message: 'Label Studio at http://ls.test refused the API key',
      detail: 'url: http://ls.test\nstatus: 401',
      code: 'labelstudio_key_refused',
      needsConfig: false
    });
  });

  it('pushes in the background: progress while it runs, the outcome and new counts after', async () => {
    const { api, model, seen } = setUp();
    api.sets = [labelSet('reviews', true)];
    api.links.set('reviews', linkOf('reviews', { pushed: 0, tasks: 0 }));
    await model.refresh();
    api.nextTask = [
      { done: 0, total: 40, message: 'Reading items' },
      { done: 20, total: 40, message: 'Pushed 20 of 20 items' },
      {
        done: 40,
        total: 40,
        finished: true,
        result: { pushed: 40, skipped: 0, predictions: 0 }
      }
    ];
    const pushing = model.push('reviews');
    api.links.set('reviews', linkOf('reviews', { pushed: 40, tasks: 40 }));
    const task = await pushing;
    expect(task?.finished).toBe(true);
    // Before each poll: the job as last seen (started, then the progress of each poll).
    expect(seen.map(j => j && [j.taskId, j.done, j.total])).toEqual([
      ['t1', 0, null],
      ['t1', 0, 40],
      ['t1', 20, 40]
    ]);
    const entry = model.entry('reviews')!;
    expect(entry.job).toBeNull();
    expect(entry.outcome).toBe('Pushed 40 new tasks');
    expect(entry.counts?.pushed).toBe(40);
  });

  it('a pull re-reads the link: its flagged labels change', async () => {
    const { api, model } = setUp();
    api.sets = [labelSet('reviews', true)];
    api.links.set('reviews', linkOf('reviews'));
    await model.refresh();
    expect(model.entry('reviews')!.counts?.unknownLabels).toBe(0);
    api.nextTask = [
      {
        finished: true,
        result: { annotations: 2, written: 2, unknown_labels: 1 }
      }
    ];
    const pulling = model.pull('reviews');
    api.links.set('reviews', linkOf('reviews', { unknown_labels: 1 }));
    await pulling;
    expect(api.calls.slice(-2)).toEqual(['poll t1', 'describe reviews']);
    expect(model.entry('reviews')!.counts?.unknownLabels).toBe(1);
    expect(model.entry('reviews')!.outcome).toBe(
      'Pulled 2 annotations (2 new or changed, 1 with an unknown label)'
    );
  });

  it('runs one action at a time per label set', async () => {
    const { api, model } = setUp();
    api.sets = [labelSet('reviews', true)];
    await model.refresh();
    api.nextTask = [
      { done: 1, total: 2 },
      { finished: true, result: {} }
    ];
    const first = model.pull('reviews');
    expect(await model.push('reviews')).toBeNull();
    expect(await model.connect('reviews')).toBeNull();
    await first;
    expect(api.calls.filter(c => /^(push|pull|connect)/.test(c))).toEqual([
      'pull reviews'
    ]);
  });

  it('cancels a running push; the outcome says pushing again resumes', async () => {
    // Cancel before the second poll, as a click on Cancel would.
    const { api, model, seen } = setUp(async (m, poll) => {
      if (poll === 2) {
        await m.cancel('reviews');
      }
    });
    api.sets = [labelSet('reviews', true)];
    await model.refresh();
    api.nextTask = [
      { done: 10, total: 40 },
      { done: 20, total: 40 },
      { done: 30, total: 40 }
    ];
    const pushing = model.push('reviews');
    const task = await pushing;
    expect(api.cancelled).toEqual(['t1']);
    expect(task?.cancelled).toBe(true);
    expect(seen[1]).toMatchObject({ done: 10, cancelling: false });
    expect(model.entry('reviews')!.outcome).toBe(
      'Push cancelled after 10 items (pushing again resumes)'
    );
  });

  it("shows a task's error (Label Studio down) with its detail", async () => {
    const { api, model } = setUp();
    api.sets = [labelSet('reviews', true)];
    await model.refresh();
    api.nextTask = [
      {
        finished: true,
        error: {
          message:
            'Label Studio at http://127.0.0.1:9 does not answer (connection refused): is it running?',
          code: 'labelstudio_unreachable',
          detail: { url: 'http://127.0.0.1:9' }
        }
      }
    ];
    await model.pull('reviews');
    const entry = model.entry('reviews')!;
    expect(entry.outcome).toBeNull();
    expect(entry.problem).toMatchObject({
      action: 'pull',
      code: 'labelstudio_unreachable',
      detail: 'url: http://127.0.0.1:9'
    });
  });

  it('a push refused at the start (not connected) is a problem, no job stays', async () => {
    const { api, model } = setUp();
    api.sets = [labelSet('reviews', true)];
    await model.refresh();
    api.failNext = new WorkbenchApiError(
      "Label set 'reviews' is not linked to Label Studio: connect it first",
      409,
      'conflict'
    );
    expect(await model.push('reviews')).toBeNull();
    expect(model.entry('reviews')).toMatchObject({
      job: null,
      problem: { action: 'push', code: 'conflict' }
    });
  });

  it('survives a few failed polls, and gives up after too many in a row', async () => {
    const { api, model } = setUp();
    api.sets = [labelSet('reviews', true)];
    await model.refresh();
    api.pollFailures = 2;
    api.nextTask = [{ finished: true, result: { annotations: 1, written: 1 } }];
    await model.pull('reviews');
    expect(model.entry('reviews')!.outcome).toBe(
      'Pulled 1 annotation (1 new or changed)'
    );
    api.pollFailures = 3;
    api.nextTask = [{ finished: true, result: {} }];
    expect(await model.pull('reviews')).toBeNull();
    expect(model.entry('reviews')).toMatchObject({
      job: null,
      problem: { code: 'network_error' }
    });
  });
});

describe('helpers', () => {
  it('describes a pull with its flagged annotations', () => {
    expect(
      describeOutcome({
        task_id: 't',
        kind: 'pull',
        done: 3,
        total: 3,
        message: '',
        finished: true,
        cancelled: false,
        result: {
          annotations: 3,
          written: 2,
          unknown_labels: 1,
          deleted_tasks: 2,
          deleted_annotations: 1
        }
      })
    ).toBe(
      'Pulled 3 annotations (2 new or changed, 1 with an unknown label, 2 tasks deleted in Label Studio, 1 annotations deleted in Label Studio)'
    );
    expect(
      describeOutcome({
        task_id: 't',
        kind: 'push',
        done: 3,
        total: 3,
        message: '',
        finished: true,
        cancelled: false,
        result: { pushed: 1, skipped: 2, predictions: 1 }
      })
    ).toBe('Pushed 1 new task (2 already there, 1 pre-annotations)');
  });

  it('prefers the flagged counts of the server when it sends them', () => {
    const link = linkOf('reviews', { unknown_labels: 4, deleted_upstream: 2 });
    expect(countsOf(link)).toMatchObject({
      unknownLabels: 4,
      deletedUpstream: 2
    });
    expect(countsOf({ label_set: 'x', state: 'not_connected' })).toBeNull();
  });

  it('offers push and pull for linked sets, connect for all (unlinked first)', () => {
    const entries = [
      newEntry('a', true),
      newEntry('b', false),
      newEntry('c', true)
    ];
    expect(namesFor(entries, 'push')).toEqual(['a', 'c']);
    expect(namesFor(entries, 'pull')).toEqual(['a', 'c']);
    expect(namesFor(entries, 'connect')).toEqual(['b', 'a', 'c']);
  });

  it('has no share until the total is known', () => {
    const job: IStudioJob = {
      action: 'push',
      taskId: 't',
      done: 5,
      total: null,
      message: '',
      cancelling: false
    };
    expect(jobShare(job)).toBeNull();
    expect(jobShare({ ...job, total: 20 })).toBe(0.25);
    expect(jobShare({ ...job, total: 0 })).toBeNull();
  });
});
