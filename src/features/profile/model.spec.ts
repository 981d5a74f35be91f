import { WorkbenchApiError } from '../../api/client';
import { profile } from './fakeProfile';
import { IProfileClient, ProfileModel } from './model';

/** A client whose answers the test releases one by one. */
function deferredClient() {
  const pending: {
    request: unknown;
    resolve: (value: unknown) => void;
    reject: (error: unknown) => void;
  }[] = [];
  const client = {
    profile: jest.fn(
      (request: unknown) =>
        new Promise((resolve, reject) =>
          pending.push({ request, resolve, reject })
        )
    )
  };
  return { client: client as unknown as IProfileClient, pending };
}

const flush = () => new Promise(resolve => setTimeout(resolve, 0));

describe('ProfileModel', () => {
  it('profiles a table by name and a result by session id', async () => {
    const client = { profile: jest.fn(async () => profile()) };
    const table = new ProfileModel(client as unknown as IProfileClient, {
      kind: 'table',
      name: 'shop.orders'
    });
    await table.run();
    expect(client.profile).toHaveBeenLastCalledWith({ table: 'shop.orders' });
    expect(table.state).toBe('ready');
    expect(table.profile?.total_rows).toBe(200);
    expect(table.label).toBe('shop.orders');

    const result = new ProfileModel(client as unknown as IProfileClient, {
      kind: 'result',
      sessionId: 's1',
      label: 'SQL 1 result'
    });
    await result.run();
    expect(client.profile).toHaveBeenLastCalledWith({ session_id: 's1' });
    expect(result.label).toBe('SQL 1 result');
  });

  it('goes running then ready, keeping the old profile while it runs again', async () => {
    const { client, pending } = deferredClient();
    const model = new ProfileModel(client, { kind: 'table', name: 't' });
    const states: string[] = [];
    model.changed.connect((_, state) => states.push(state));

    const first = model.run();
    expect(model.state).toBe('running');
    pending[0].resolve(profile({ total_rows: 1 }));
    await first;

    const second = model.run();
    expect(model.state).toBe('running');
    expect(model.profile?.total_rows).toBe(1);
    pending[1].resolve(profile({ total_rows: 2 }));
    await second;
    expect(model.profile?.total_rows).toBe(2);
    expect(states).toEqual(['running', 'ready', 'running', 'ready']);
  });

  it('drops the answer of a run a newer run overtook', async () => {
    const { client, pending } = deferredClient();
    const model = new ProfileModel(client, { kind: 'table', name: 't' });
    const older = model.run();
    const newer = model.run();
    pending[1].resolve(profile({ total_rows: 2 }));
    await newer;
    pending[0].resolve(profile({ total_rows: 1 }));
    await older;
    expect(model.profile?.total_rows).toBe(2);
    expect(model.state).toBe('ready');
  });

  it('keeps the server error (message, code, detail) for the view', async () => {
    const error = new WorkbenchApiError(
      "Table 'nope' does not exist.",
      404,
      'not_found',
      { kind: 'table', name: 'nope' }
    );
    const client = {
      profile: jest.fn(async () => {
        throw error;
      })
    };
    const model = new ProfileModel(client as unknown as IProfileClient, {
      kind: 'table',
      name: 'nope'
    });
    await model.run();
    expect(model.state).toBe('error');
    expect(model.error).toBe(error);
  });

  it('ignores an answer that arrives after it was disposed', async () => {
    const { client, pending } = deferredClient();
    const model = new ProfileModel(client, { kind: 'table', name: 't' });
    const listener = jest.fn();
    const run = model.run();
    model.changed.connect(listener);
    model.dispose();
    pending[0].resolve(profile());
    await run;
    await flush();
    expect(listener).not.toHaveBeenCalled();
    expect(model.profile).toBeNull();
  });
});
