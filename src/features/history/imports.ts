/**
 * File imports in the sidebar: which files can be imported, the table name a file gets, and
 * the uploads in flight (progress, errors, results). Talks only to the upload function.
 */
import { ServerConnection } from '@jupyterlab/services';
import { ISignal, Signal } from '@lumino/signaling';

import {
  asApiError,
  ImportFileRequest,
  ImportFileResponse,
  WorkbenchApiError
} from '../../api/client';
import { IUploadOptions, upload } from './upload';

/** File name endings the server reads (longest first), and their format. */
export const IMPORT_FORMATS: ReadonlyArray<[string, ImportFormat]> = [
  ['.csv.gz', 'csv'],
  ['.tsv.gz', 'csv'],
  ['.csv', 'csv'],
  ['.tsv', 'csv'],
  ['.txt', 'csv'],
  ['.parquet', 'parquet'],
  ['.pq', 'parquet'],
  ['.ndjson', 'json'],
  ['.jsonl', 'json'],
  ['.json', 'json'],
  ['.xlsx', 'excel'],
  ['.xlsm', 'excel']
];

export type ImportFormat = 'csv' | 'parquet' | 'json' | 'excel';

/** The `accept` attribute of the file picker. */
export const ACCEPT = IMPORT_FORMATS.map(([suffix]) => suffix).join(',');

/**
 * The stem and format of a file name, or null when the server cannot read that kind of file.
 *
 * >>> splitFilename('Sales 2024.csv.gz') -> { stem: 'Sales 2024', format: 'csv' }
 */
export function splitFilename(
  filename: string
): { stem: string; format: ImportFormat } | null {
  const lower = filename.toLowerCase();
  for (const [suffix, format] of IMPORT_FORMATS) {
    if (lower.endsWith(suffix) && filename.length > suffix.length) {
      return { stem: filename.slice(0, -suffix.length), format };
    }
  }
  return null;
}

/**
 * The table name a file gets by default: its stem, lower-case, runs of anything but ASCII
 * letters, digits and `_` made one `_` (`"Sales 2024.csv"` -> `sales_2024`), `t_` before a
 * leading digit. The server would derive the same but for reserved words, which it suffixes
 * with `_`; a quoted reserved word is a valid name too, so the sidebar leaves it as is.
 */
export function defaultTableName(filename: string): string {
  const stem = splitFilename(filename)?.stem ?? filename;
  const name =
    stem
      .toLowerCase()
      .replace(/[^a-z0-9_]+/g, '_')
      .replace(/^_+|_+$/g, '') || 'data';
  return /^[0-9]/.test(name) ? `t_${name}` : name;
}

/** uploading: bytes are being sent; importing: the server reads the file. */
export type ImportState =
  'uploading' | 'importing' | 'done' | 'error' | 'cancelled';

/** One upload and what came of it. */
export interface IImportJob {
  readonly id: number;
  readonly file: Blob;
  readonly filename: string;
  readonly request: ImportFileRequest;
  loaded: number;
  total: number;
  state: ImportState;
  error: WorkbenchApiError | null;
  result: ImportFileResponse | null;
}

export interface IImportModelOptions {
  serverSettings: ServerConnection.ISettings;
  /** Sends a file; replaced in tests. */
  upload?: (options: IUploadOptions) => Promise<ImportFileResponse>;
  /** How long a successful import stays listed (ms; 0: until dismissed). */
  keepDoneMs?: number;
}

/** Whether an upload has ended (done, failed or cancelled). */
export function isFinished(job: IImportJob): boolean {
  return job.state !== 'uploading' && job.state !== 'importing';
}

/** The uploads of this session, newest last. */
export class ImportModel {
  constructor(private readonly _options: IImportModelOptions) {}

  get changed(): ISignal<this, void> {
    return this._changed;
  }

  /** Emitted with each finished import (to refresh the catalog). */
  get imported(): ISignal<this, ImportFileResponse> {
    return this._imported;
  }

  get jobs(): readonly IImportJob[] {
    return this._jobs;
  }

  /** Upload a file; resolves with the job once it ended (never rejects: see `job.state`). */
  async start(file: Blob, request: ImportFileRequest): Promise<IImportJob> {
    const job: IImportJob = {
      id: ++this._count,
      file,
      filename: request.filename,
      request,
      loaded: 0,
      total: file.size,
      state: 'uploading',
      error: null,
      result: null
    };
    // A new upload of the same file replaces the old one's outcome.
    this._jobs = [
      ...this._jobs.filter(
        old => old.filename !== job.filename || !isFinished(old)
      ),
      job
    ];
    const controller = new AbortController();
    this._aborts.set(job.id, controller);
    this._changed.emit();
    try {
      job.result = await (this._options.upload ?? upload)({
        file,
        request,
        serverSettings: this._options.serverSettings,
        signal: controller.signal,
        onProgress: (loaded, total) => {
          job.loaded = loaded;
          job.total = total;
          job.state = loaded >= total ? 'importing' : 'uploading';
          this._changed.emit();
        }
      });
      job.state = 'done';
      job.loaded = job.total;
      this._imported.emit(job.result);
    } catch (error) {
      job.error = asApiError(error);
      job.state = job.error.code === 'cancelled' ? 'cancelled' : 'error';
    } finally {
      this._aborts.delete(job.id);
    }
    if (job.state === 'cancelled') {
      this.dismiss(job.id);
    } else {
      this._changed.emit();
    }
    if (job.state === 'done' && this._options.keepDoneMs !== 0) {
      // A success is shown for a while; errors stay until dismissed or retried.
      setTimeout(
        () => this.dismiss(job.id),
        this._options.keepDoneMs ?? 30_000
      );
    }
    return job;
  }

  /** Stop an upload in flight. */
  cancel(id: number): void {
    this._aborts.get(id)?.abort();
  }

  /** Remove a job from the list (if it is still there). */
  dismiss(id: number): void {
    const jobs = this._jobs.filter(job => job.id !== id);
    if (jobs.length !== this._jobs.length) {
      this._jobs = jobs;
      this._changed.emit();
    }
  }

  private _jobs: IImportJob[] = [];
  private _count = 0;
  private _aborts = new Map<number, AbortController>();
  private _changed = new Signal<this, void>(this);
  private _imported = new Signal<this, ImportFileResponse>(this);
}

/** Percent of the bytes sent (0-100). */
export function percentSent(job: IImportJob): number {
  return job.total > 0
    ? Math.min(100, Math.round((job.loaded / job.total) * 100))
    : 100;
}

/** Byte counts as people read them: 512 B, 1.5 KB, 12 MB, 1.2 GB. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const digits = unit === 0 || value >= 10 ? 0 : 1;
  return `${value.toFixed(digits)} ${units[unit]}`;
}
