import { ServerConnection } from '@jupyterlab/services';

import { WorkbenchApiError } from './errors';
import { JobsClient } from './jobs';

const API = 'http://localhost:8888/user/ada/mlworkbench/api';

/**
 * A client whose only fake is `fetch` (the network boundary): it records each request as
 * "METHOD /route?query" (without ServerConnection's cache-busting number) and its JSON body.
 */
function recordingClient(answer: (method: string) => Response) {
  const routes: string[] = [];
  const bodies: unknown[] = [];
  const fetch = async (input: RequestInfo, init?: RequestInit) => {
    const request = new Request(input as any, init);
    const route = request.url.slice(API.length).replace(/[?&]\d+$/, '');
    routes.push(`${request.method} ${route}`);
    const text = request.body ? await request.text() : '';
    bodies.push(text ? JSON.parse(text) : null);
    return answer(request.method);
  };
  const serverSettings = ServerConnection.makeSettings({
    baseUrl: 'http://localhost:8888/user/ada/',
    token: 'secret-token',
    fetch: fetch as any
  });
  return { client: new JobsClient({ serverSettings }), routes, bodies };
}

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json' }
  });

describe('JobsClient', () => {
  it('sends each route to its URL with its method and body', async () => {
    const { client, routes, bodies } = recordingClient(method =>
      method === 'DELETE'
        ? new Response(null, { status: 204 })
        : json({ runs: [], jobs: [] })
    );
    await client.notebookParameters('reports/daily run.ipynb');
    await client.runNotebook({
      notebook: 'a.ipynb',
      parameters: { n: 5, since: '2026-01-01' }
    });
    await client.listRuns({
      job_id: 3,
      limit: 10,
      finished_after: '2026-11-28T09:00:00Z'
    });
    await client.describeRun(7);
    await client.stopRun(7);
    await client.runLog(7, 120);
    await client.listJobs();
    await client.createJob({
      name: 'daily',
      notebook: 'a.ipynb',
      schedule: 'daily at 07:30'
    });
    await client.describeJob('daily/x');
    await client.updateJob('daily', { paused: true });
    await client.deleteJob('daily');
    await client.pauseJob('daily');
    await client.resumeJob('daily');
    await client.runJob('daily', { parameters: { n: 1 } });
    await client.previewSchedule('daily at 07:30', 'Europe/Paris');
    await client.schedulerStatus();
    expect(routes).toEqual([
      'GET /jobs/parameters?notebook=reports%2Fdaily%20run.ipynb',
      'POST /jobs/runs',
      'GET /jobs/runs?job_id=3&limit=10&finished_after=2026-11-28T09%3A00%3A00Z',
      'GET /jobs/runs/7',
      'POST /jobs/runs/7/stop',
      'GET /jobs/runs/7/log?offset=120',
      'GET /jobs',
      'POST /jobs',
      'GET /jobs/daily%2Fx',
      'PATCH /jobs/daily',
      'DELETE /jobs/daily',
      'POST /jobs/daily/pause',
      'POST /jobs/daily/resume',
      'POST /jobs/daily/run',
      'GET /jobs/schedule/preview?schedule=daily%20at%2007%3A30&timezone=Europe%2FParis',
      'GET /jobs/scheduler'
    ]);
    expect(bodies[1]).toEqual({
      notebook: 'a.ipynb',
      parameters: { n: 5, since: '2026-01-01' }
    });
    expect((bodies[7] as any).schedule).toBe('daily at 07:30');
    expect(bodies[9]).toEqual({ paused: true });
    expect(bodies[13]).toEqual({ parameters: { n: 1 } });
  });

  it('reads the HTML export as text', async () => {
    const { client, routes } = recordingClient(
      () =>
        new Response('<html>run 4</html>', {
          status: 200,
          headers: { 'Content-Type': 'text/html' }
        })
    );
    expect(await client.runHtml(4)).toBe('<html>run 4</html>');
    expect(routes).toEqual(['GET /jobs/runs/4/html']);
  });

  it('turns a refused parameter into an error naming it', async () => {
    const { client } = recordingClient(() =>
      json(
        {
          message: "Parameter 'n' expects a whole number (default 5); got 'x'.",
          code: 'bad_job_parameter',
          detail: { field: 'parameters', parameter: 'n', expected: 'int' }
        },
        400
      )
    );
    const error = await client
      .runNotebook({ notebook: 'a.ipynb', parameters: { n: 'x' } })
      .catch(e => e);
    expect(error).toBeInstanceOf(WorkbenchApiError);
    expect(error.status).toBe(400);
    expect(error.detail.parameter).toBe('n');
  });
});
