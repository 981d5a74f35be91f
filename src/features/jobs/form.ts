/**
 * The "Run as job" form: the notebook's parameters (one input each, checked by type as they
 * are typed), the kernel, the timeout, retries and output folder; and, to save a scheduled
 * job, its name, schedule (with a live preview of the next fire times), timezone, overlap and
 * catch-up policies. Run now starts a run; Save creates the job (or changes an edited one).
 * A refusal of the server is shown next to the field it names. Talks only to `IJobsApi`.
 */
import { ISignal, Signal } from '@lumino/signaling';

import { asApiError, WorkbenchApiError } from '../../api/errors';
import {
  collectValues,
  expected,
  FieldValue,
  initialValue,
  parseValue
} from './parameters';
import {
  IJobsApi,
  JobCreateRequest,
  JobInfo,
  JobRunInfo,
  NotebookParameter,
  SchedulePreview
} from './types';

/** The run options and schedule fields of the form, as typed. */
export interface IJobOptions {
  kernel: string;
  timeout: string;
  retries: string;
  /** Seconds before the first retry (doubled for each next). */
  backoff: string;
  outputDir: string;
  name: string;
  schedule: string;
  timezone: string;
  overlap: 'skip' | 'queue';
  catchUp: 'once' | 'all' | 'skip';
}

/** Form keys of the options, and the request fields the server names in its errors. */
const OPTION_FIELDS: { [field: string]: keyof IJobOptions } = {
  kernel: 'kernel',
  timeout_seconds: 'timeout',
  retries: 'retries',
  retry_backoff_seconds: 'backoff',
  output_dir: 'outputDir',
  name: 'name',
  schedule: 'schedule',
  timezone: 'timezone',
  overlap: 'overlap',
  catch_up: 'catchUp'
};

/** The browser's IANA timezone (the default of a new schedule). */
export function browserTimezone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

/** A job name from a notebook path: `reports/daily.ipynb` -> `daily`. */
export function jobNameFrom(notebook: string): string {
  const base = notebook.split('/').pop() ?? notebook;
  return base.replace(/\.ipynb$/i, '').replace(/[^A-Za-z0-9_.-]+/g, '_');
}

export interface IRunFormOptions {
  api: IJobsApi;
  /** The notebook, relative to the Jupyter root. */
  notebook: string;
  /** A saved job to edit (its values fill the form; Save changes it). */
  job?: JobInfo | null;
  /** Milliseconds the schedule preview waits after the last keystroke. */
  previewDelay?: number;
}

export class RunFormModel {
  constructor(options: IRunFormOptions) {
    this.api = options.api;
    this.notebook = options.notebook;
    this.job = options.job ?? null;
    this._previewDelay = options.previewDelay ?? 300;
    const job = this.job;
    this._options = {
      kernel: job?.kernel ?? '',
      timeout: job?.timeout_seconds ? String(job.timeout_seconds) : '',
      retries: job ? String(job.retries) : '0',
      backoff: job ? String(job.retry_backoff_seconds) : '',
      outputDir: job?.output_dir ?? '',
      name: job?.name ?? jobNameFrom(options.notebook),
      schedule: job?.schedule ?? '',
      timezone: job?.timezone ?? browserTimezone(),
      overlap: job?.overlap === 'queue' ? 'queue' : 'skip',
      catchUp:
        job?.catch_up === 'all' || job?.catch_up === 'skip'
          ? job.catch_up
          : 'once'
    };
  }

  readonly api: IJobsApi;
  readonly notebook: string;
  readonly job: JobInfo | null;

  get changed(): ISignal<this, void> {
    return this._changed;
  }

  get loaded(): boolean {
    return this._loaded;
  }
  get loadError(): WorkbenchApiError | null {
    return this._loadError;
  }
  get parameters(): readonly NotebookParameter[] {
    return this._params;
  }
  get kernels(): readonly string[] {
    return this._kernels;
  }
  get options(): Readonly<IJobOptions> {
    return this._options;
  }
  get preview(): SchedulePreview | null {
    return this._preview;
  }
  get previewError(): WorkbenchApiError | null {
    return this._previewError;
  }
  /** A refusal that names no field of the form. */
  get submitError(): WorkbenchApiError | null {
    return this._submitError;
  }
  get submitting(): boolean {
    return this._submitting;
  }

  /** The input of a parameter. */
  field(name: string): FieldValue {
    return this._fields[name] ?? '';
  }

  /** Why a parameter's input is refused (by its type, or by the server). */
  fieldError(name: string): string | null {
    return this._fieldErrors[name] ?? null;
  }

  /** Why an option is refused (the server's message). */
  optionError(key: keyof IJobOptions): string | null {
    return this._optionErrors[key] ?? null;
  }

  /** Read the notebook's parameters and the installed kernels. */
  async load(): Promise<void> {
    try {
      const described = await this.api.notebookParameters(this.notebook);
      this._params = described.parameters;
      this._kernels = described.kernels;
      if (!this._options.kernel) {
        this._options = { ...this._options, kernel: described.kernel };
      }
      const stored = this.job?.parameters ?? {};
      for (const param of this._params) {
        this._fields[param.name] = initialValue(param, stored[param.name]);
      }
      this._loadError = null;
    } catch (error) {
      this._loadError = asApiError(error);
    }
    this._loaded = true;
    this._changed.emit();
    if (this._options.schedule.trim()) {
      await this.readPreview();
    }
  }

  /**
   * Change a parameter's input; it is checked by type at once. `unreadable`: the browser
   * could not read the typed text as a number (the value is then empty).
   */
  setField(name: string, value: FieldValue, unreadable = false): void {
    this._fields[name] = value;
    const param = this._params.find(p => p.name === name);
    if (unreadable) {
      this._unreadable.add(name);
    } else {
      this._unreadable.delete(name);
    }
    const empty = value === '' && param?.type !== 'str';
    const parsed = param && !empty ? parseValue(param.type, value) : null;
    if (unreadable && param) {
      this._fieldErrors[name] = `Expects ${expected(param.type)}.`;
    } else if (parsed && !parsed.ok) {
      this._fieldErrors[name] = parsed.error;
    } else {
      delete this._fieldErrors[name];
    }
    this._changed.emit();
  }

  /** Change an option; a new schedule or timezone is previewed after a pause in typing. */
  setOption<K extends keyof IJobOptions>(key: K, value: IJobOptions[K]): void {
    this._options = { ...this._options, [key]: value };
    delete this._optionErrors[key];
    this._changed.emit();
    if (key === 'schedule' || key === 'timezone') {
      if (this._previewTimer !== null) {
        clearTimeout(this._previewTimer);
      }
      this._previewTimer = setTimeout(() => {
        this._previewTimer = null;
        void this.readPreview();
      }, this._previewDelay);
    }
  }

  /** Ask the server how the schedule reads and when it fires next. */
  async readPreview(): Promise<void> {
    const schedule = this._options.schedule.trim();
    const generation = ++this._previewGeneration;
    if (!schedule) {
      this._preview = null;
      this._previewError = null;
      this._changed.emit();
      return;
    }
    try {
      const preview = await this.api.previewSchedule(
        schedule,
        this._options.timezone.trim() || undefined
      );
      if (generation === this._previewGeneration) {
        this._preview = preview;
        this._previewError = null;
      }
    } catch (error) {
      if (generation === this._previewGeneration) {
        this._preview = null;
        this._previewError = asApiError(error);
      }
    }
    if (generation === this._previewGeneration) {
      this._changed.emit();
    }
  }

  /**
   * Check every input: the parameters by type, the timeout and retries as numbers. Answers
   * the request fields, or null (the errors are shown next to their fields).
   */
  checked(): Omit<JobCreateRequest, 'name'> | null {
    const { values, errors } = collectValues(
      this._params,
      this._fields,
      this.job?.parameters ?? {}
    );
    for (const name of this._unreadable) {
      errors[name] = this._fieldErrors[name] ?? 'Not a number.';
    }
    this._fieldErrors = errors;
    const options = this._options;
    const timeout = options.timeout.trim();
    const retries = options.retries.trim();
    const backoff = options.backoff.trim();
    if (backoff && !(Number(backoff) >= 0)) {
      this._optionErrors.backoff =
        'The wait is a number of seconds (0 or more).';
    }
    if (timeout && !(Number(timeout) > 0)) {
      this._optionErrors.timeout =
        'The timeout is a number of seconds above 0.';
    }
    if (retries && !/^\d+$/.test(retries)) {
      this._optionErrors.retries = 'Retries is a whole number (0 or more).';
    }
    const ok =
      !Object.keys(errors).length &&
      !this._optionErrors.timeout &&
      !this._optionErrors.retries &&
      !this._optionErrors.backoff;
    this._changed.emit();
    if (!ok) {
      return null;
    }
    return {
      notebook: this.notebook,
      parameters: values,
      kernel: options.kernel || null,
      timeout_seconds: timeout ? Number(timeout) : null,
      retries: retries ? Number(retries) : 0,
      // Left out when empty: the server's default (30 s), or the job's as saved.
      retry_backoff_seconds: backoff ? Number(backoff) : undefined,
      output_dir: options.outputDir.trim() || null
    };
  }

  /**
   * Run the notebook now with the form's values (an edited job's too: the run is not the
   * job's); answers the run, or null (refused: the errors are shown).
   */
  async runNow(): Promise<JobRunInfo | null> {
    const request = this.checked();
    if (!request) {
      return null;
    }
    return this._submit(() => this.api.runNotebook(request));
  }

  /** Save as a job (a new one, or the edited one changed); null when refused. */
  async save(): Promise<JobInfo | null> {
    const request = this.checked();
    if (!request) {
      return null;
    }
    const o = this._options;
    const fields = {
      ...request,
      // A changed job drops its schedule on empty text; a new one has none when null.
      schedule: this.job ? o.schedule.trim() : o.schedule.trim() || null,
      timezone: o.timezone.trim() || 'UTC',
      overlap: o.overlap,
      catch_up: o.catchUp
    };
    if (!this.job && !o.name.trim()) {
      this._optionErrors.name = 'A job needs a name.';
      this._changed.emit();
      return null;
    }
    return this._submit(() =>
      this.job
        ? this.api.updateJob(this.job.name, fields)
        : this.api.createJob({ name: o.name.trim(), ...fields })
    );
  }

  dispose(): void {
    if (this._previewTimer !== null) {
      clearTimeout(this._previewTimer);
      this._previewTimer = null;
    }
    Signal.clearData(this);
  }

  private async _submit<T>(send: () => Promise<T>): Promise<T | null> {
    this._submitting = true;
    this._submitError = null;
    this._changed.emit();
    try {
      return await send();
    } catch (error) {
      this._refused(asApiError(error));
      return null;
    } finally {
      this._submitting = false;
      this._changed.emit();
    }
  }

  /** Put the server's refusal next to the field it names, if the form has that field. */
  private _refused(error: WorkbenchApiError): void {
    const parameter = error.detail.parameter;
    if (
      typeof parameter === 'string' &&
      this._params.some(p => p.name === parameter)
    ) {
      this._fieldErrors[parameter] = error.message;
      return;
    }
    const field = error.detail.field;
    const key = typeof field === 'string' ? OPTION_FIELDS[field] : undefined;
    if (key) {
      this._optionErrors[key] = error.message;
      return;
    }
    this._submitError = error;
  }

  private _loaded = false;
  private _loadError: WorkbenchApiError | null = null;
  private _params: NotebookParameter[] = [];
  private _kernels: string[] = [];
  private _fields: { [name: string]: FieldValue } = {};
  private _fieldErrors: { [name: string]: string } = {};
  /** Inputs whose text the browser could not read as a number. */
  private readonly _unreadable = new Set<string>();
  private _optionErrors: Partial<Record<keyof IJobOptions, string>> = {};
  private _options: IJobOptions;
  private _preview: SchedulePreview | null = null;
  private _previewError: WorkbenchApiError | null = null;
  private _previewGeneration = 0;
  private _previewTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly _previewDelay: number;
  private _submitError: WorkbenchApiError | null = null;
  private _submitting = false;
  private readonly _changed = new Signal<this, void>(this);
}
