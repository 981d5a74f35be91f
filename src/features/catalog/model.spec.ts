import { WorkbenchApiError, WorkbenchClient } from '../../api/client';
import { CatalogModel } from './model';

/** A client whose methods answer from fixtures (the API boundary). */
function fakeClient(
  overrides: Partial<Record<keyof WorkbenchClient, jest.Mock>> = {}
) {
  const client = {
    getStatus: jest.fn(async () => ({
      version: '0.1.0',
      workspace: '/w',
      duckdb_version: '1.4',
      running_queries: 0,
      open_results: 0
    })),
    getCatalog: jest.fn(async () => ({
      sources: [],
      tables: [
        {
          name: 't',
          kind: 'workspace_table',
          columns: [{ name: 'a', type: 'INTEGER' }]
        }
      ]
    })),
    getCompletionNames: jest.fn(async () => ({ tables: { t: ['a'] } })),
    removeSource: jest.fn(async () => undefined),
    removeTable: jest.fn(async () => undefined),
    ...overrides
  };
  return client as unknown as WorkbenchClient & typeof client;
}

describe('CatalogModel', () => {
  it('loads the catalog and the completion names, with both groups open', async () => {
    const client = fakeClient();
    const model = new CatalogModel(client);
    const changed = jest.fn();
    model.changed.connect(changed);
    expect(model.state).toBe('loading');
    await model.refresh();
    expect(model.state).toBe('ready');
    expect(model.tree[1].children[0].name).toBe('t');
    expect(model.completionNames).toEqual({ t: ['a'] });
    expect(model.isExpanded('group:sources')).toBe(true);
    expect(model.isExpanded('group:tables')).toBe(true);
    expect(changed).toHaveBeenCalled();
  });

  it('says when the server extension is missing', async () => {
    const client = fakeClient({
      getStatus: jest.fn(async () => {
        throw new WorkbenchApiError('missing', 404, 'extension_missing');
      })
    });
    const model = new CatalogModel(client);
    await model.refresh();
    expect(model.state).toBe('missing');
    expect(client.getCatalog).not.toHaveBeenCalled();
  });

  it('keeps other errors as errors', async () => {
    const client = fakeClient({
      getCatalog: jest.fn(async () => {
        throw new WorkbenchApiError('workspace is broken', 500, 'internal');
      })
    });
    const model = new CatalogModel(client);
    await model.refresh();
    expect(model.state).toBe('error');
    expect(model.error?.message).toBe('workspace is broken');
  });

  it('shares one request between overlapping refreshes', async () => {
    const client = fakeClient();
    const model = new CatalogModel(client);
    await Promise.all([model.refresh(), model.refresh()]);
    expect(client.getCatalog).toHaveBeenCalledTimes(1);
  });

  it('toggles expansion and keeps it across refreshes', async () => {
    const model = new CatalogModel(fakeClient());
    await model.refresh();
    const id = model.tree[1].children[0].id;
    model.toggle(id);
    await model.refresh();
    expect(model.isExpanded(id)).toBe(true);
    model.toggle(id);
    expect(model.isExpanded(id)).toBe(false);
  });

  it('removes a table then reloads', async () => {
    const client = fakeClient();
    const model = new CatalogModel(client);
    await model.removeTable('t');
    expect(client.removeTable).toHaveBeenCalledWith('t');
    expect(client.getCatalog).toHaveBeenCalledTimes(1);
  });
});
