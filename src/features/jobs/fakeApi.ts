/**
 * An in-memory `IJobsApi` for the jobs panel's tests: notebooks with declared parameters,
 * runs that a test moves along (`startRun`, `appendLog`, `finishRun`), saved jobs, and a
 * schedule preview that reads "hourly", "daily at HH:MM" and five-field cron. Refusals use the
 * server's codes and details (a parameter error names the parameter).
 */
import { WorkbenchApiError } from '../../api/errors';
import { parseValue } from './parameters';
import {
  IJobsApi,
  JobCreateRequest,
  JobInfo,
  JobRunInfo,
  JobRunLog,
  JobRunStatus,
  JobUpdateRequest,
  ListJobRuns,
  ListJobRunsQuery,
  ListJobs,
  NotebookParameter,
  NotebookParameters,
  RunJobRequest,
  RunNotebookRequest,
  SchedulePreview,
  SchedulerStatus
} from './types';

const param = (
  name: string,
  type: NotebookParameter['type'],
  value: unknown,
  text: string,
  help: string | null = null
): NotebookParameter => ({
  name,
  type,
  default: value,
  default_text: text,
  help
});

/** The parameters of `report.ipynb`, the fake's notebook. */
export const REPORT_PARAMETERS: NotebookParameter[] = [
  param('since', 'date', null, 'date(2026, 1, 1)', 'first day'),
  param('n', 'int', 5, '5', 'rows to keep'),
  param('rate', 'float', 0.5, '0.5'),
  param('verbose', 'bool', false, 'False'),
  param('region', 'str', 'north', '"north"'),
  param('tags', 'list', ['a'], '["a"]')
];

const T0 = Date.UTC(2026, 10, 28, 9, 0, 0);
const iso = (ms: number) => new Date(ms).toISOString();

export class FakeJobsApi implements IJobsApi {
  notebooks: { [path: string]: NotebookParameter[] } = {
    'report.ipynb': REPORT_PARAMETERS
  };
  kernels = ['python3', 'ir'];
  runs: JobRunInfo[] = [];
  jobs: JobInfo[] = [];
  logs: { [id: number]: string } = {};
  /** Every call: method name and arguments. */
  calls: { method: string; args: unknown[] }[] = [];
  /** The next call fails with this error (then it is cleared). */
  failNext: WorkbenchApiError | null = null;
  /** What GET /jobs/scheduler answers. */
  scheduler: SchedulerStatus = {
    running_here: true,
    holder: 'server-1',
    lease_expires_at: null,
    this_holder: 'server-1',
    lease_active: true
  };
  /** A fake clock for the runs' times (ms since the epoch). */
  now = T0;

  private _call(method: string, ...args: unknown[]): void {
    this.calls.push({ method, args });
    const failure = this.failNext;
    if (failure) {
      this.failNext = null;
      throw failure;
    }
  }

  async notebookParameters(notebook: string): Promise<NotebookParameters> {
    this._call('notebookParameters', notebook);
    return {
      notebook,
      kernel: 'python3',
      kernels: [...this.kernels],
      parameters: this._declared(notebook)
    };
  }

  async runNotebook(request: RunNotebookRequest): Promise<JobRunInfo> {
    this._call('runNotebook', request);
    return this._start(request, null);
  }

  async listRuns(query: Partial<ListJobRunsQuery> = {}): Promise<ListJobRuns> {
    this._call('listRuns', query);
    let runs = [...this.runs].reverse();
    if (query.job_id !== undefined && query.job_id !== null) {
      runs = runs.filter(r => r.job_id === query.job_id);
    }
    const after = query.finished_after;
    if (after) {
      runs = runs.filter(
        r => !!r.ended_at && Date.parse(r.ended_at) > Date.parse(after)
      );
    }
    return { runs: query.limit ? runs.slice(0, query.limit) : runs };
  }

  async describeRun(runId: number): Promise<JobRunInfo> {
    this._call('describeRun', runId);
    return { ...this._run(runId) };
  }

  async stopRun(runId: number): Promise<JobRunInfo> {
    this._call('stopRun', runId);
    const run = this._run(runId);
    if (run.status === 'queued' || run.status === 'running') {
      this.finishRun(runId, 'cancelled', {
        exit_reason: 'Stopped by the user.'
      });
    }
    return { ...this._run(runId) };
  }

  async runLog(runId: number, offset = 0): Promise<JobRunLog> {
    this._call('runLog', runId, offset);
    const text = this.logs[runId] ?? '';
    const run = this._run(runId);
    return {
      text: text.slice(offset),
      offset: text.length,
      finished: run.status !== 'queued' && run.status !== 'running'
    };
  }

  async runHtml(runId: number): Promise<string> {
    this._call('runHtml', runId);
    const run = this._run(runId);
    if (!run.html_available) {
      throw new WorkbenchApiError(
        `Run ${runId} has no executed notebook yet.`,
        404,
        'not_found',
        { kind: 'job run html', name: String(runId) }
      );
    }
    return `<html><body><h1>Run ${runId}</h1></body></html>`;
  }

  async listJobs(): Promise<ListJobs> {
    this._call('listJobs');
    return { jobs: this.jobs.map(j => ({ ...j, last_run: this._last(j) })) };
  }

  async createJob(request: JobCreateRequest): Promise<JobInfo> {
    this._call('createJob', request);
    if (this.jobs.some(j => j.name === request.name)) {
      throw new WorkbenchApiError(
        `A job named '${request.name}' exists; change it or pick another name.`,
        409,
        'conflict',
        { name: request.name }
      );
    }
    this._checkParameters(request.notebook, request.parameters ?? {});
    const preview = request.schedule
      ? this._preview(request.schedule, request.timezone ?? 'UTC')
      : null;
    const job: JobInfo = {
      id: this.jobs.length + 1,
      name: request.name,
      notebook: request.notebook,
      parameters: request.parameters ?? {},
      kernel: request.kernel ?? null,
      output_dir: request.output_dir ?? null,
      timeout_seconds: request.timeout_seconds ?? null,
      retries: request.retries ?? 0,
      retry_backoff_seconds: request.retry_backoff_seconds ?? 30,
      schedule: request.schedule ?? null,
      schedule_description: preview?.description ?? null,
      timezone: request.timezone ?? 'UTC',
      paused: request.paused ?? false,
      overlap: request.overlap ?? 'skip',
      catch_up: request.catch_up ?? 'once',
      created_at: iso(this.now),
      updated_at: iso(this.now),
      next_fire_times: preview?.next_fire_times ?? [],
      last_run: null
    };
    this.jobs.push(job);
    return { ...job };
  }

  async describeJob(name: string): Promise<JobInfo> {
    this._call('describeJob', name);
    const job = this._job(name);
    return { ...job, last_run: this._last(job) };
  }

  async updateJob(name: string, change: JobUpdateRequest): Promise<JobInfo> {
    this._call('updateJob', name, change);
    const job = this._job(name);
    if (change.parameters) {
      this._checkParameters(job.notebook, change.parameters);
    }
    Object.assign(job, change, { updated_at: iso(this.now) });
    if (change.schedule !== undefined) {
      const preview = change.schedule
        ? this._preview(change.schedule, job.timezone)
        : null;
      job.schedule_description = preview?.description ?? null;
      job.next_fire_times = preview?.next_fire_times ?? [];
    }
    return { ...job };
  }

  async deleteJob(name: string): Promise<void> {
    this._call('deleteJob', name);
    this._job(name);
    this.jobs = this.jobs.filter(j => j.name !== name);
  }

  async pauseJob(name: string): Promise<JobInfo> {
    this._call('pauseJob', name);
    const job = this._job(name);
    job.paused = true;
    return { ...job };
  }

  async resumeJob(name: string): Promise<JobInfo> {
    this._call('resumeJob', name);
    const job = this._job(name);
    job.paused = false;
    return { ...job };
  }

  async runJob(name: string, request: RunJobRequest = {}): Promise<JobRunInfo> {
    this._call('runJob', name, request);
    const job = this._job(name);
    const parameters = { ...job.parameters, ...request.parameters };
    return this._start({ ...job, parameters }, job);
  }

  async previewSchedule(
    schedule: string,
    timezone = 'UTC'
  ): Promise<SchedulePreview> {
    this._call('previewSchedule', schedule, timezone);
    return this._preview(schedule, timezone);
  }

  async schedulerStatus(): Promise<SchedulerStatus> {
    this._call('schedulerStatus');
    return { ...this.scheduler };
  }

  /** Move a queued run to running. */
  startRun(id: number): void {
    const run = this._run(id);
    run.status = 'running';
    run.started_at = iso(this.now);
  }

  appendLog(id: number, text: string): void {
    this.logs[id] = (this.logs[id] ?? '') + text;
  }

  /** End a run with `status` (and values, failure fields) ten seconds after it started. */
  finishRun(
    id: number,
    status: JobRunStatus,
    fields: Partial<JobRunInfo> = {}
  ): JobRunInfo {
    const run = this._run(id);
    this.now += 10_000;
    run.started_at = run.started_at ?? iso(this.now - 10_000);
    Object.assign(run, {
      status,
      ended_at: iso(this.now),
      duration_seconds: (this.now - Date.parse(run.started_at)) / 1000,
      output_path: `jobs/${run.id}/report.ipynb`,
      finished: true,
      output_in_root: true,
      output_available: true,
      html_available: status !== 'cancelled',
      ...fields
    });
    return run;
  }

  private _start(request: RunNotebookRequest, job: JobInfo | null): JobRunInfo {
    const parameters = this._checkParameters(
      request.notebook,
      request.parameters ?? {}
    );
    if (request.kernel && !this.kernels.includes(request.kernel)) {
      throw new WorkbenchApiError(
        `No kernel named '${request.kernel}' is installed.`,
        404,
        'kernel_not_found',
        { field: 'kernel', kind: 'kernel', name: request.kernel }
      );
    }
    this.now += 1000;
    const run: JobRunInfo = {
      id: this.runs.length + 1,
      job_id: job?.id ?? null,
      job_name: job?.name ?? null,
      status: 'queued',
      finished: false,
      attempt: 1,
      notebook: request.notebook,
      kernel: request.kernel ?? 'python3',
      parameters,
      created_at: iso(this.now),
      started_at: null,
      ended_at: null,
      duration_seconds: null,
      scheduled_for: null,
      exit_reason: null,
      failed_cell: null,
      traceback: null,
      output_path: null,
      output_in_root: false,
      output_available: false,
      html_available: false,
      values: {}
    };
    this.runs.push(run);
    return { ...run };
  }

  private _declared(notebook: string): NotebookParameter[] {
    const declared = this.notebooks[notebook];
    if (!declared) {
      throw new WorkbenchApiError(
        `No notebook at '${notebook}'.`,
        404,
        'not_found',
        { kind: 'notebook', name: notebook }
      );
    }
    return declared;
  }

  /** The server's check: known names, values of the declared type (text parsed). */
  private _checkParameters(
    notebook: string,
    values: { [name: string]: unknown }
  ): { [name: string]: unknown } {
    const declared = this._declared(notebook);
    const parsed: { [name: string]: unknown } = {};
    for (const [name, value] of Object.entries(values)) {
      const p = declared.find(d => d.name === name);
      if (!p) {
        throw new WorkbenchApiError(
          `The notebook has no parameter '${name}'.`,
          400,
          'bad_job_parameter',
          { field: 'parameters', parameter: name }
        );
      }
      const input =
        typeof value === 'string' || typeof value === 'boolean'
          ? value
          : JSON.stringify(value);
      const result = parseValue(p.type, input);
      if (!result.ok) {
        throw new WorkbenchApiError(
          `Parameter '${name}' expects ${p.type}; got ${JSON.stringify(value)}.`,
          400,
          'bad_job_parameter',
          { field: 'parameters', parameter: name, expected: p.type }
        );
      }
      parsed[name] = result.value;
    }
    return parsed;
  }

  private _preview(schedule: string, timezone: string): SchedulePreview {
    const text = schedule.trim().toLowerCase();
    const daily = /^daily at (\d{1,2}):(\d{2})$/.exec(text);
    let cron: string;
    let description: string;
    if (text === 'hourly') {
      cron = '0 * * * *';
      description = 'every hour';
    } else if (daily) {
      cron = `${Number(daily[2])} ${Number(daily[1])} * * *`;
      description = `every day at ${daily[1].padStart(2, '0')}:${daily[2]}`;
    } else if (/^(\S+\s+){4}\S+$/.test(text)) {
      cron = text;
      description = `cron ${text}`;
    } else {
      throw new WorkbenchApiError(
        `Cannot read '${schedule}' as a schedule: expected a cron expression (5 fields) or a shortcut like 'hourly' or 'daily at 07:30'.`,
        400,
        'bad_schedule',
        { field: 'schedule', schedule }
      );
    }
    const next = Array.from({ length: 5 }, (_, i) =>
      iso(this.now + (i + 1) * 3_600_000)
    );
    return {
      schedule,
      cron,
      description,
      timezone,
      next_fire_times: next
    };
  }

  private _run(id: number): JobRunInfo {
    const run = this.runs.find(r => r.id === id);
    if (!run) {
      throw new WorkbenchApiError(`No job run ${id}.`, 404, 'not_found', {
        kind: 'job run',
        name: String(id)
      });
    }
    return run;
  }

  private _job(name: string): JobInfo {
    const job = this.jobs.find(j => j.name === name);
    if (!job) {
      throw new WorkbenchApiError(`No job named '${name}'.`, 404, 'not_found', {
        kind: 'job',
        name
      });
    }
    return job;
  }

  private _last(job: JobInfo): JobRunInfo | null {
    const runs = this.runs.filter(r => r.job_id === job.id);
    return runs.length ? { ...runs[runs.length - 1] } : null;
  }
}
