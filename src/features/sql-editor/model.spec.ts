import { WorkbenchApiError, WorkbenchClient } from '../../api/client';
import { SqlEditorModel } from './model';

const COLUMNS = [{ name: 'x', type: 'INTEGER' }];

function result(overrides: Record<string, unknown> = {}) {
  return {
    query_id: 'q1',
    session_id: 's1',
    columns: COLUMNS,
    rows: [[1], [2]],
    total_rows: 2,
    status: 'ready',
    statement_count: 1,
    elapsed_ms: 12.5,
    message: null,
    ...overrides
  };
}

/** A fake API client (the model's only dependency). */
function fakeClient(overrides: Record<string, jest.Mock> = {}) {
  const client = {
    runQuery: jest.fn(async () => result()),
    cancelQuery: jest.fn(async (id: string) => ({
      query_id: id,
      cancelled: true
    })),
    describeQuery: jest.fn(async (id: string) => ({
      query_id: id,
      running: false
    })),
    describeResult: jest.fn(),
    fetchPage: jest.fn(),
    closeResult: jest.fn(async () => undefined),
    saveResult: jest.fn(async () => ({ name: 't', kind: 'workspace_table' })),
    exportResult: jest.fn(async () => ({
      blob: new Blob(['x']),
      filename: 'r.csv'
    })),
    ...overrides
  };
  return client as unknown as WorkbenchClient & typeof client;
}

const options = (client: WorkbenchClient) => ({
  client,
  pageSize: 500,
  sleep: () => Promise.resolve(),
  newQueryId: () => 'q1'
});

describe('SqlEditorModel', () => {
  it('runs SQL with a client-chosen query id and shows the result', async () => {
    const client = fakeClient();
    const model = new SqlEditorModel(options(client));
    const states: string[] = [];
    model.stateChanged.connect((_, s) => states.push(s));
    await model.run('SELECT 1');
    expect(client.runQuery).toHaveBeenCalledWith({
      sql: 'SELECT 1',
      query_id: 'q1',
      page_size: 500
    });
    expect(states).toEqual(['running', 'ready']);
    expect(model.totalRows).toBe(2);
    expect(model.results?.data('body', 1, 0)).toBe('2');
    expect(model.hasResult).toBe(true);
  });

  it('polls the row count while the server is counting', async () => {
    const client = fakeClient({
      runQuery: jest.fn(async () =>
        result({ status: 'counting', total_rows: null })
      ),
      describeResult: jest
        .fn()
        .mockResolvedValueOnce({
          session_id: 's1',
          sql: '',
          columns: COLUMNS,
          total_rows: null,
          status: 'counting'
        })
        .mockResolvedValueOnce({
          session_id: 's1',
          sql: '',
          columns: COLUMNS,
          total_rows: 1_000_000,
          status: 'ready'
        })
    });
    const model = new SqlEditorModel(options(client));
    const done = new Promise<void>(resolve =>
      model.stateChanged.connect((_, s) => s === 'ready' && resolve())
    );
    await model.run('SELECT * FROM range(1000000)');
    expect(model.state).toBe('counting');
    expect(model.totalRows).toBeNull();
    await done;
    expect(client.describeResult).toHaveBeenCalledTimes(2);
    expect(model.totalRows).toBe(1_000_000);
    expect(model.results?.rowCount('body')).toBe(1_000_000);
  });

  it('keeps the server error with its position', async () => {
    const error = new WorkbenchApiError('Syntax error', 400, 'query_error', {
      line: 1,
      column: 8
    });
    const client = fakeClient({
      runQuery: jest.fn(async () => Promise.reject(error))
    });
    const model = new SqlEditorModel(options(client));
    await model.run('SELECT FROM');
    expect(model.state).toBe('error');
    expect(model.error?.position).toEqual({ line: 1, column: 8 });
    expect(model.hasResult).toBe(false);
  });

  it('reads the progress of a running query until it ends', async () => {
    let finish: (value: unknown) => void = () => undefined;
    const readings = [
      { query_id: 'q1', running: true, progress: null },
      { query_id: 'q1', running: true, progress: 42.5 },
      { query_id: 'q1', running: false }
    ];
    const client = fakeClient({
      runQuery: jest.fn(() => new Promise(resolve => (finish = resolve))),
      describeQuery: jest.fn(async () => readings.shift())
    });
    const model = new SqlEditorModel(options(client));
    const seen: (number | null)[] = [];
    model.progressChanged.connect((_, value) => seen.push(value));
    const running = model.run('SELECT slow()');
    for (let i = 0; i < 10; i++) {
      await Promise.resolve();
    }
    expect(seen).toEqual([null, 42.5]);
    expect(model.progress).toBe(42.5);
    finish(result());
    await running;
    expect(client.describeQuery).toHaveBeenCalledTimes(3);
  });

  it('shows a stopped query as cancelled, not as an error', async () => {
    const error = new WorkbenchApiError(
      'The query was cancelled.',
      409,
      'cancelled'
    );
    const client = fakeClient({
      runQuery: jest.fn(async () => Promise.reject(error))
    });
    const model = new SqlEditorModel(options(client));
    await model.run('SELECT 1');
    expect(model.state).toBe('cancelled');
    expect(model.error).toBeNull();
  });

  it('stops the running query by its id', async () => {
    let finish: (value: unknown) => void = () => undefined;
    const client = fakeClient({
      runQuery: jest.fn(() => new Promise(resolve => (finish = resolve)))
    });
    const model = new SqlEditorModel(options(client));
    const running = model.run('SELECT slow()');
    expect(model.isRunning).toBe(true);
    expect(await model.stop()).toBe(true);
    expect(client.cancelQuery).toHaveBeenCalledWith('q1');
    finish(result());
    await running;
    expect(await model.stop()).toBe(false);
  });

  it('closes the previous result session when a new one arrives', async () => {
    const client = fakeClient();
    client.runQuery
      .mockResolvedValueOnce(result({ session_id: 'a' }))
      .mockResolvedValueOnce(result({ session_id: 'b' }));
    const model = new SqlEditorModel(options(client));
    await model.run('SELECT 1');
    await model.run('SELECT 2');
    expect(client.closeResult).toHaveBeenCalledWith('a');
    expect(model.result?.session_id).toBe('b');
  });

  it('saves and exports the current result', async () => {
    const client = fakeClient();
    const model = new SqlEditorModel(options(client));
    await model.run('SELECT 1');
    await model.save('t', true);
    expect(client.saveResult).toHaveBeenCalledWith('s1', {
      name: 't',
      overwrite: true
    });
    const download = await model.export('parquet');
    expect(client.exportResult).toHaveBeenCalledWith('s1', 'parquet');
    expect(download.filename).toBe('r.csv');
  });

  it('refuses to save before a run', () => {
    const model = new SqlEditorModel(options(fakeClient()));
    expect(() => model.save('t')).toThrow('Run a query first.');
  });
});
