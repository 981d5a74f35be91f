import { ServerConnection } from '@jupyterlab/services';

import { WorkbenchApiError, WorkbenchClient } from './client';

/** A client whose only fake is `fetch`; each call's request and body. */
function clientWith(answer: (request: Request) => Promise<Response>) {
  const calls: { request: Request; body: string }[] = [];
  const fetch = jest.fn(async (input: RequestInfo, init?: RequestInit) => {
    const request = new Request(input as any, init);
    calls.push({
      request,
      body: request.body ? await request.clone().text() : ''
    });
    return answer(request);
  });
  const serverSettings = ServerConnection.makeSettings({
    baseUrl: 'http://localhost:8888/',
    token: 't',
    fetch: fetch as any
  });
  return { client: new WorkbenchClient({ serverSettings }), calls };
}

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json' }
  });

describe('WorkbenchClient scoring and gates', () => {
  it('POSTs /scoring with the request and hands the abort signal to fetch', async () => {
    const { client, calls } = clientWith(async () =>
      json({ rows: 3, model: 'churn', version: 2 }, 201)
    );
    const controller = new AbortController();
    const answer = await client.scoreQuery(
      { sql: 'SELECT * FROM t', model: 'churn@2', into: 't_scored' },
      controller.signal
    );
    expect(answer.rows).toBe(3);
    expect(calls[0].request.method).toBe('POST');
    expect(calls[0].request.url).toMatch(/\/mlworkbench\/api\/scoring(\?|$)/);
    expect(JSON.parse(calls[0].body)).toEqual({
      sql: 'SELECT * FROM t',
      model: 'churn@2',
      into: 't_scored'
    });
    // ServerConnection puts the signal on the Request it fetches.
    expect(calls[0].request.signal.aborted).toBe(false);
    controller.abort();
    expect(calls[0].request.signal.aborted).toBe(true);
  });

  it('answers a 400 with the line and column of the query', async () => {
    const { client } = clientWith(async () =>
      json(
        {
          message: 'Parser Error: syntax error at or near "FORM"',
          code: 'query_error',
          detail: { line: 2, column: 1, sql: 'x' }
        },
        400
      )
    );
    const error = await client
      .scoreQuery({ sql: 'x', model: 'm', into: 'y' })
      .catch(e => e);
    expect(error).toBeInstanceOf(WorkbenchApiError);
    expect(error.position).toEqual({ line: 2, column: 1 });
  });

  it('PUTs an alias’s gates', async () => {
    const { client, calls } = clientWith(async () =>
      json({ alias: 'production', version: null, gates: ['roc_auc > 0.8'] })
    );
    const info = await client.setModelAliasGates('churn x', 'production', [
      'roc_auc > 0.8'
    ]);
    expect(info.gates).toEqual(['roc_auc > 0.8']);
    expect(calls[0].request.method).toBe('PUT');
    expect(calls[0].request.url).toMatch(
      /\/models\/churn%20x\/aliases\/production\/gates(\?|$)/
    );
    expect(JSON.parse(calls[0].body)).toEqual({ gates: ['roc_auc > 0.8'] });
  });

  it('POSTs a version export and DELETEs an alias', async () => {
    const { client, calls } = clientWith(async request =>
      request.method === 'DELETE'
        ? new Response(null, { status: 204 })
        : json({ name: 'churn', version: 2, path: 'out/churn' }, 201)
    );
    const exported = await client.exportModelVersion('churn', 2, {
      path: 'out/churn',
      overwrite: true
    });
    expect(exported.path).toBe('out/churn');
    expect(calls[0].request.url).toMatch(
      /\/models\/churn\/versions\/2\/export(\?|$)/
    );
    expect(JSON.parse(calls[0].body)).toEqual({
      path: 'out/churn',
      overwrite: true
    });
    await client.deleteModelAlias('churn', 'staging');
    expect(calls[1].request.method).toBe('DELETE');
    expect(calls[1].request.url).toMatch(
      /\/models\/churn\/aliases\/staging(\?|$)/
    );
  });
});
