import { ServerConnection } from '@jupyterlab/services';

import {
  filenameFromDisposition,
  WorkbenchApiError,
  WorkbenchClient
} from './client';

type Call = {
  url: string;
  method: string;
  body: string | null;
  headers: Headers;
};

/** A client whose only fake is `fetch`, the network boundary. */
function clientWith(answer: (call: Call) => Response) {
  const calls: Call[] = [];
  const fetch = jest.fn(async (input: RequestInfo, init?: RequestInit) => {
    const request = new Request(input as any, init);
    const call = {
      // ServerConnection appends a cache-busting timestamp; the route is what matters.
      url: request.url.replace(/[?&]\d+$/, ''),
      method: request.method,
      body: request.body ? await request.text() : null,
      headers: request.headers
    };
    calls.push(call);
    return answer(call);
  });
  const serverSettings = ServerConnection.makeSettings({
    baseUrl: 'http://localhost:8888/user/ada/',
    token: 'secret-token',
    fetch: fetch as any
  });
  return { client: new WorkbenchClient({ serverSettings }), calls };
}

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json' }
  });

describe('WorkbenchClient', () => {
  it('calls the API under the base URL with the token', async () => {
    const { client, calls } = clientWith(() =>
      json({
        version: '0.1.0',
        workspace: '/w',
        duckdb_version: '1',
        running_queries: 0,
        open_results: 0
      })
    );
    const status = await client.getStatus();
    expect(status.version).toBe('0.1.0');
    expect(calls[0].url).toBe(
      'http://localhost:8888/user/ada/mlworkbench/api/status'
    );
    expect(calls[0].method).toBe('GET');
    expect(calls[0].headers.get('Authorization')).toBe('token secret-token');
  });

  it('posts a query as JSON and returns the typed result', async () => {
    const result = {
      query_id: 'q1',
      session_id: 's1',
      columns: [{ name: 'x', type: 'INTEGER' }],
      rows: [[1]],
      total_rows: 1,
      status: 'ready',
      statement_count: 1,
      elapsed_ms: 3
    };
    const { client, calls } = clientWith(() => json(result));
    const answer = await client.runQuery({
      sql: 'SELECT 1 AS x',
      query_id: 'q1',
      page_size: 500
    });
    expect(answer.session_id).toBe('s1');
    expect(calls[0].method).toBe('POST');
    expect(calls[0].url).toMatch(/\/mlworkbench\/api\/queries$/);
    expect(JSON.parse(calls[0].body!)).toEqual({
      sql: 'SELECT 1 AS x',
      query_id: 'q1',
      page_size: 500
    });
  });

  it('posts data-preparation requests to their routes', async () => {
    const { client, calls } = clientWith(() => json({}));
    await client.profile({ table: 'orders' });
    await client.suggestJoins({ tables: ['orders', 'customers'] });
    await client.previewJoin({
      spec: {
        base: 'orders',
        joins: [
          {
            table: 'customers',
            on: [
              {
                left_table: 'orders',
                left_column: 'customer_id',
                right_column: 'customer_id'
              }
            ]
          }
        ]
      }
    });
    await client.transformSql({
      table: 'orders',
      transform: { kind: 'filter', column: 'status', op: '=', value: 'paid' }
    });
    await client.estimateQuery({ sql: 'SELECT * FROM orders' });
    expect(calls.map(c => `${c.method} ${c.url.split('/api/')[1]}`)).toEqual([
      'POST profiles',
      'POST joins/suggest',
      'POST joins/preview',
      'POST transforms/sql',
      'POST queries/estimate'
    ]);
    expect(JSON.parse(calls[1].body!)).toEqual({
      tables: ['orders', 'customers']
    });
  });

  it('calls the label-set routes, one method each', async () => {
    const { client, calls } = clientWith(() => json({}));
    await client.listLabelSets();
    await client.createLabelSet({
      name: 'review labels',
      sql: 'SELECT * FROM reviews',
      key: 'id',
      choices: ['pos', 'neg']
    });
    await client.describeLabelSet('review labels');
    await client.fetchLabelItems('review labels', { filter: 'unlabeled' });
    await client.recordLabel('review labels', { key: '7', labels: ['pos'] });
    await client.skipLabelItem('review labels', { key: '8' });
    await client.undoLabel('review labels');
    expect(calls.map(c => `${c.method} ${c.url.split('/api/')[1]}`)).toEqual([
      'GET labelsets',
      'POST labelsets',
      'GET labelsets/review%20labels',
      'POST labelsets/review%20labels/items',
      'POST labelsets/review%20labels/labels',
      'POST labelsets/review%20labels/skip',
      'POST labelsets/review%20labels/undo'
    ]);
    expect(JSON.parse(calls[4].body!)).toEqual({ key: '7', labels: ['pos'] });
    expect(client.labelImageUrl('https://x.org/a.png')).toBe(
      'https://x.org/a.png'
    );
    expect(client.labelImageUrl('labelsets/r/image?key=1&column=path')).toMatch(
      /\/mlworkbench\/api\/labelsets\/r\/image\?key=1&column=path$/
    );
  });

  it('calls the queue, Label Studio and background task routes, one method each', async () => {
    const { client, calls } = clientWith(call =>
      call.method === 'DELETE' ? new Response(null, { status: 204 }) : json({})
    );
    await client.removeLabelSet('review labels');
    await client.refreshQueue('review labels', { strategy: 'margin' });
    await client.startQueueRefresh('review labels');
    await client.describeStudioLink('review labels');
    await client.connectStudio('review labels', { project_id: 7 });
    await client.pushToStudio('review labels', { batch_size: 500 });
    await client.pullFromStudio('review labels');
    await client.describeTask('t 1');
    await client.cancelTask('t 1');
    expect(calls.map(c => `${c.method} ${c.url.split('/api/')[1]}`)).toEqual([
      'DELETE labelsets/review%20labels',
      'POST labelsets/review%20labels/queue',
      'POST labelsets/review%20labels/queue/task',
      'GET labelsets/review%20labels/studio',
      'POST labelsets/review%20labels/studio/connect',
      'POST labelsets/review%20labels/studio/push',
      'POST labelsets/review%20labels/studio/pull',
      'GET tasks/t%201',
      'POST tasks/t%201/cancel'
    ]);
    expect(calls.map(c => (c.body ? JSON.parse(c.body) : null))).toEqual([
      null,
      { strategy: 'margin' },
      {},
      null,
      { project_id: 7 },
      { batch_size: 500 },
      {},
      null,
      {}
    ]);
  });

  it('calls the training routes, one method each', async () => {
    const { client, calls } = clientWith(call =>
      call.method === 'DELETE' ? new Response(null, { status: 204 }) : json({})
    );
    await client.previewTraining({
      sql: 'SELECT * FROM churn',
      target: 'churned'
    });
    await client.startTraining({
      sql: 'SELECT * FROM churn',
      target: 'churned',
      budget_s: 30
    });
    await client.listTrainingRuns({ experiment: 'churn model' });
    await client.describeTrainingRun(7);
    await client.stopTrainingRun(7);
    await client.deleteTrainingRun(7);
    await client.compareTrainingRuns([3, 7]);
    expect(calls.map(c => `${c.method} ${c.url.split('/api/')[1]}`)).toEqual([
      'POST training/preview',
      'POST training/runs',
      'GET training/runs?experiment=churn%20model',
      'GET training/runs/7',
      'POST training/runs/7/stop',
      'DELETE training/runs/7',
      'GET training/compare?runs=3%2C7'
    ]);
    expect(JSON.parse(calls[1].body!)).toEqual({
      sql: 'SELECT * FROM churn',
      target: 'churned',
      budget_s: 30
    });
  });

  it('encodes names in paths', async () => {
    const { client, calls } = clientWith(
      () => new Response(null, { status: 204 })
    );
    await client.removeTable('my table/2');
    expect(calls[0].method).toBe('DELETE');
    expect(calls[0].url).toMatch(/\/mlworkbench\/api\/tables\/my%20table%2F2$/);
  });

  it('cancels a query by its client-chosen id', async () => {
    const { client, calls } = clientWith(() =>
      json({ query_id: 'abc', cancelled: true })
    );
    const answer = await client.cancelQuery('abc');
    expect(answer.cancelled).toBe(true);
    expect(calls[0].url).toMatch(/\/queries\/abc\/cancel$/);
    expect(calls[0].method).toBe('POST');
  });

  it('turns an ErrorResponse into a WorkbenchApiError with detail and position', async () => {
    const { client } = clientWith(() =>
      json(
        {
          message:
            "Table 'orders' has no column 'custid'. Did you mean 'cust_id'?",
          code: 'query_error',
          detail: { line: 2, column: 14, sql: 'SELECT\n  custid FROM orders' }
        },
        400
      )
    );
    const error: WorkbenchApiError = await client
      .runQuery({ sql: 'SELECT\n  custid FROM orders' })
      .then(() => {
        throw new Error('expected a rejection');
      })
      .catch(e => e);
    expect(error).toBeInstanceOf(WorkbenchApiError);
    expect(error.status).toBe(400);
    expect(error.code).toBe('query_error');
    expect(error.message).toContain('cust_id');
    expect(error.position).toEqual({ line: 2, column: 14 });
  });

  it('reports a missing server extension on a non-JSON 404 from /status', async () => {
    const { client } = clientWith(
      () => new Response('<html>404 Not Found</html>', { status: 404 })
    );
    const error: WorkbenchApiError = await client.getStatus().catch(e => e);
    expect(error.extensionMissing).toBe(true);
    expect(error.status).toBe(404);
  });

  it('keeps a JSON 404 from another route as the server said it', async () => {
    const { client } = clientWith(() =>
      json(
        {
          message: "No table 'nope'",
          code: 'not_found',
          detail: { name: 'nope' }
        },
        404
      )
    );
    const error: WorkbenchApiError = await client
      .describeTable('nope')
      .catch(e => e);
    expect(error.extensionMissing).toBe(false);
    expect(error.code).toBe('not_found');
    expect(error.detail).toEqual({ name: 'nope' });
  });

  it('downloads an export with the file name the server suggests', async () => {
    const { client, calls } = clientWith(
      () =>
        new Response('a,b\n1,2\n', {
          status: 200,
          headers: {
            'Content-Disposition': 'attachment; filename="result.csv"'
          }
        })
    );
    const download = await client.exportResult('s1', 'csv');
    expect(download.filename).toBe('result.csv');
    expect(await download.blob.text()).toBe('a,b\n1,2\n');
    expect(calls[0].url).toMatch(/\/results\/s1\/export\?format=csv$/);
    expect(calls[0].headers.get('Authorization')).toBe('token secret-token');
  });

  it('sends the history filters as query parameters, leaving out unset ones', async () => {
    const { client, calls } = clientWith(() =>
      json({ entries: [], total: 0, offset: 0, limit: 20 })
    );
    await client.listHistory({
      limit: 20,
      q: 'from orders',
      status: undefined
    });
    expect(calls[0].method).toBe('GET');
    expect(calls[0].url).toMatch(
      /\/mlworkbench\/api\/history\?limit=20&q=from%20orders$/
    );
  });

  it('uploads a file as the raw body with its options in the query', async () => {
    const { client, calls } = clientWith(() =>
      json({ mode: 'table', name: 'sales', filename: 'sales.csv' }, 201)
    );
    // jsdom's Blob is not the one the test's fetch reads: bytes stand in for the File.
    const file = new TextEncoder().encode('id,name\n1,a\n') as unknown as Blob;
    const done = await client.importFile(file, {
      filename: 'sales.csv',
      mode: 'table',
      overwrite: true
    });
    expect(done.name).toBe('sales');
    expect(calls[0].method).toBe('POST');
    expect(calls[0].url).toMatch(
      /\/imports\?filename=sales\.csv&mode=table&overwrite=true$/
    );
    expect(calls[0].body).toBe('id,name\n1,a\n');
    expect(calls[0].headers.get('Content-Type')).toBe(
      'application/octet-stream'
    );
  });

  it('saves a query with PUT under its encoded name', async () => {
    const { client, calls } = clientWith(() => json({ name: 'my q' }));
    await client.saveQuery('my q', { sql: 'SELECT 1', overwrite: false });
    expect(calls[0].method).toBe('PUT');
    expect(calls[0].url).toMatch(/\/saved-queries\/my%20q$/);
    expect(JSON.parse(calls[0].body!)).toEqual({
      sql: 'SELECT 1',
      overwrite: false
    });
  });

  it('reports a network failure', async () => {
    const serverSettings = ServerConnection.makeSettings({
      baseUrl: 'http://localhost:8888/',
      fetch: (() => Promise.reject(new TypeError('Failed to fetch'))) as any
    });
    const client = new WorkbenchClient({ serverSettings });
    const error: WorkbenchApiError = await client.getCatalog().catch(e => e);
    expect(error.code).toBe('network_error');
  });
});

describe('filenameFromDisposition', () => {
  it.each([
    ['attachment; filename="a.csv"', 'a.csv'],
    ["attachment; filename*=UTF-8''r%C3%A9sultat.parquet", 'résultat.parquet'],
    ['attachment', null],
    [null, null]
  ])('%s -> %s', (header, expected) => {
    expect(filenameFromDisposition(header)).toBe(expected);
  });
});
