import {
  DescribeHistoryEntry,
  WorkbenchApiError,
  WorkbenchClient
} from '../../api/client';
import { HISTORY_PAGE, HistoryModel, SavedQueriesModel } from './model';

function entry(id: number, sql = `SELECT ${id}`): DescribeHistoryEntry {
  return {
    id,
    sql,
    started_at: '2026-11-27T08:00:00Z',
    duration_ms: 12,
    rows: 1,
    status: 'ok'
  };
}

/** A fake server history of `count` entries, newest (highest id) first. */
function historyClient(count: number) {
  let entries = Array.from({ length: count }, (_, i) => entry(count - i));
  const client = {
    listHistory: jest.fn(
      async (request: { limit?: number; offset?: number; q?: string }) => {
        const matching = entries.filter(
          e => !request.q || e.sql.includes(request.q)
        );
        const offset = request.offset ?? 0;
        const limit = request.limit ?? 50;
        return {
          entries: matching.slice(offset, offset + limit),
          total: matching.length,
          offset,
          limit
        };
      }
    ),
    deleteHistoryEntry: jest.fn(async (id: number) => {
      entries = entries.filter(e => e.id !== id);
    }),
    clearHistory: jest.fn(async () => {
      const deleted = entries.length;
      entries = [];
      return { deleted };
    }),
    add: (e: DescribeHistoryEntry) => {
      entries = [e, ...entries];
    }
  };
  return client;
}

describe('HistoryModel', () => {
  it('loads the newest page, then the next one', async () => {
    const client = historyClient(HISTORY_PAGE + 10);
    const model = new HistoryModel(client as unknown as WorkbenchClient);
    await model.refresh();
    expect(model.loaded).toBe(true);
    expect(model.entries).toHaveLength(HISTORY_PAGE);
    expect(model.entries[0].id).toBe(HISTORY_PAGE + 10);
    expect(model.hasMore).toBe(true);

    await model.loadMore();
    expect(model.entries).toHaveLength(HISTORY_PAGE + 10);
    expect(model.hasMore).toBe(false);
    expect(client.listHistory).toHaveBeenLastCalledWith({
      limit: HISTORY_PAGE,
      offset: HISTORY_PAGE,
      q: undefined
    });
  });

  it('emits changed only when the history differs (polling does not re-render)', async () => {
    const client = historyClient(3);
    const model = new HistoryModel(client as unknown as WorkbenchClient);
    const changed = jest.fn();
    model.changed.connect(changed);
    await model.refresh();
    expect(changed).toHaveBeenCalledTimes(1);
    await model.refresh();
    expect(changed).toHaveBeenCalledTimes(1);
    client.add(entry(4, 'SELECT 4 -- new'));
    await model.refresh();
    expect(changed).toHaveBeenCalledTimes(2);
    expect(model.entries[0].sql).toBe('SELECT 4 -- new');
  });

  it('searches on the server and ignores an answer a newer search overtook', async () => {
    const client = historyClient(20);
    const model = new HistoryModel(client as unknown as WorkbenchClient);
    const slow = model.setSearch('SELECT 1');
    const fast = model.setSearch('SELECT 2');
    await Promise.all([slow, fast]);
    expect(model.search).toBe('SELECT 2');
    expect(model.entries.map(e => e.sql)).toEqual(['SELECT 20', 'SELECT 2']);
    expect(client.listHistory).toHaveBeenLastCalledWith({
      limit: HISTORY_PAGE,
      offset: 0,
      q: 'SELECT 2'
    });
  });

  it('forgets one entry, and clears them all', async () => {
    const client = historyClient(3);
    const model = new HistoryModel(client as unknown as WorkbenchClient);
    await model.refresh();
    await model.remove(2);
    expect(client.deleteHistoryEntry).toHaveBeenCalledWith(2);
    expect(model.entries.map(e => e.id)).toEqual([3, 1]);
    expect(model.total).toBe(2);
    expect(await model.clear()).toBe(2);
    expect(model.entries).toEqual([]);
    expect(model.total).toBe(0);
  });

  it('keeps the error of a failed load', async () => {
    const client = {
      listHistory: jest.fn(async () => {
        throw new WorkbenchApiError('down', 500, 'error');
      })
    };
    const model = new HistoryModel(client as unknown as WorkbenchClient);
    await model.refresh();
    expect(model.error?.message).toBe('down');
    expect(model.loaded).toBe(true);
  });
});

describe('SavedQueriesModel', () => {
  function savedClient() {
    let names = ['a'];
    const describe = (name: string) => ({
      name,
      modified_at: '2026-11-27T08:00:00Z',
      size_bytes: 10
    });
    return {
      listSavedQueries: jest.fn(async () => ({
        queries: names.map(describe)
      })),
      readSavedQuery: jest.fn(async (name: string) => ({
        ...describe(name),
        sql: 'SELECT 1'
      })),
      saveQuery: jest.fn(
        async (name: string, request: { sql: string; overwrite?: boolean }) => {
          if (names.includes(name) && !request.overwrite) {
            throw new WorkbenchApiError('exists', 409, 'conflict');
          }
          names = [...new Set([...names, name])].sort();
          return { ...describe(name), sql: request.sql };
        }
      ),
      renameSavedQuery: jest.fn(
        async (name: string, request: { new_name: string }) => {
          names = names.map(n => (n === name ? request.new_name : n));
          return { ...describe(request.new_name), sql: 'SELECT 1' };
        }
      ),
      deleteSavedQuery: jest.fn(async (name: string) => {
        names = names.filter(n => n !== name);
      })
    };
  }

  it('lists, saves (409 unless overwriting), renames and deletes', async () => {
    const client = savedClient();
    const model = new SavedQueriesModel(client as unknown as WorkbenchClient);
    await model.refresh();
    expect(model.queries.map(q => q.name)).toEqual(['a']);

    await model.save('b', 'SELECT 2');
    expect(model.has('b')).toBe(true);
    await expect(model.save('b', 'SELECT 3')).rejects.toMatchObject({
      code: 'conflict'
    });
    await model.save('b', 'SELECT 3', true);
    expect(client.saveQuery).toHaveBeenLastCalledWith('b', {
      sql: 'SELECT 3',
      overwrite: true
    });

    await model.rename('b', 'c');
    expect(model.queries.map(q => q.name)).toEqual(['a', 'c']);
    await model.remove('a');
    expect(model.queries.map(q => q.name)).toEqual(['c']);
    expect((await model.read('c')).sql).toBe('SELECT 1');
  });
});
