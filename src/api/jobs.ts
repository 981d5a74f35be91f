/**
 * The REST client of notebook jobs (/jobs/...): one method per route. Parameters, runs (start,
 * read, stop, log tail, HTML export), saved jobs (create, change, pause, resume, run now,
 * delete), the schedule preview and the scheduler's state.
 */
import type * as S from './shapes';
import { ApiTransport } from './transport';

/** The jobs routes of the server extension. */
export class JobsClient extends ApiTransport {
  /** GET /jobs/parameters: what the notebook's `parameters` cell declares, and the kernels. */
  notebookParameters(notebook: string): Promise<S.NotebookParameters> {
    return this._json('GET', ['jobs', 'parameters'], undefined, { notebook });
  }

  /** POST /jobs/runs: run a notebook now (values parsed by their declared types). */
  runNotebook(request: S.RunNotebookRequest): Promise<S.JobRunInfo> {
    return this._json('POST', ['jobs', 'runs'], request);
  }

  /** GET /jobs/runs: newest first; of one job, or only those ended after a time. */
  listRuns(query: Partial<S.ListJobRunsQuery> = {}): Promise<S.ListJobRuns> {
    return this._json('GET', ['jobs', 'runs'], undefined, query);
  }

  /** GET /jobs/runs/{run_id}. */
  describeRun(runId: number): Promise<S.JobRunInfo> {
    return this._json('GET', ['jobs', 'runs', String(runId)]);
  }

  /** POST /jobs/runs/{run_id}/stop: cancel it (a finished run is answered unchanged). */
  stopRun(runId: number): Promise<S.JobRunInfo> {
    return this._json('POST', ['jobs', 'runs', String(runId), 'stop']);
  }

  /** GET /jobs/runs/{run_id}/log: the log from `offset` on, and the next offset. */
  runLog(runId: number, offset = 0): Promise<S.JobRunLog> {
    return this._json(
      'GET',
      ['jobs', 'runs', String(runId), 'log'],
      undefined,
      {
        offset
      }
    );
  }

  /** GET /jobs/runs/{run_id}/html: the executed notebook as HTML (made on demand). */
  async runHtml(runId: number): Promise<string> {
    const response = await this._request('GET', [
      'jobs',
      'runs',
      String(runId),
      'html'
    ]);
    return response.text();
  }

  /** GET /jobs: the saved jobs with their next fire times and last run. */
  listJobs(): Promise<S.ListJobs> {
    return this._json('GET', ['jobs']);
  }

  /** POST /jobs: save a job (with a schedule, or to run on demand). */
  createJob(request: S.JobCreateRequest): Promise<S.JobInfo> {
    return this._json('POST', ['jobs'], request);
  }

  /** GET /jobs/{name}. */
  describeJob(name: string): Promise<S.JobInfo> {
    return this._json('GET', ['jobs', name]);
  }

  /** PATCH /jobs/{name}: change some fields. */
  updateJob(name: string, change: S.JobUpdateRequest): Promise<S.JobInfo> {
    return this._json('PATCH', ['jobs', name], change);
  }

  /** DELETE /jobs/{name} (its runs stay). */
  async deleteJob(name: string): Promise<void> {
    await this._request('DELETE', ['jobs', name]);
  }

  /** POST /jobs/{name}/pause. */
  pauseJob(name: string): Promise<S.JobInfo> {
    return this._json('POST', ['jobs', name, 'pause']);
  }

  /** POST /jobs/{name}/resume. */
  resumeJob(name: string): Promise<S.JobInfo> {
    return this._json('POST', ['jobs', name, 'resume']);
  }

  /** POST /jobs/{name}/run: run the saved job now (some parameters changed for this run). */
  runJob(name: string, request: S.RunJobRequest = {}): Promise<S.JobRunInfo> {
    return this._json('POST', ['jobs', name, 'run'], request);
  }

  /** GET /jobs/schedule/preview: how a schedule reads and its next fire times. */
  previewSchedule(
    schedule: string,
    timezone?: string
  ): Promise<S.SchedulePreview> {
    return this._json('GET', ['jobs', 'schedule', 'preview'], undefined, {
      schedule,
      timezone: timezone || undefined
    });
  }

  /** GET /jobs/scheduler: whether this server's scheduler runs, and who holds the lease. */
  schedulerStatus(): Promise<S.SchedulerStatus> {
    return this._json('GET', ['jobs', 'scheduler']);
  }
}
