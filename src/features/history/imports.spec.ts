import { ServerConnection } from '@jupyterlab/services';

import { ImportFileResponse, WorkbenchApiError } from '../../api/client';
import {
  ACCEPT,
  defaultTableName,
  formatBytes,
  ImportModel,
  percentSent,
  splitFilename
} from './imports';
import { IUploadOptions } from './upload';

const settings = ServerConnection.makeSettings({
  baseUrl: 'http://localhost/'
});

function answer(name: string): ImportFileResponse {
  return {
    mode: 'table',
    name,
    filename: `${name}.csv`,
    size_bytes: 10,
    row_count: 3
  };
}

describe('file names', () => {
  it('knows the formats the server reads', () => {
    expect(splitFilename('Sales 2024.csv.gz')).toEqual({
      stem: 'Sales 2024',
      format: 'csv'
    });
    expect(splitFilename('book.XLSX')).toEqual({
      stem: 'book',
      format: 'excel'
    });
    expect(splitFilename('events.ndjson')?.format).toBe('json');
    expect(splitFilename('data.pq')?.format).toBe('parquet');
    expect(splitFilename('old.xls')).toBeNull();
    expect(splitFilename('.csv')).toBeNull();
    expect(ACCEPT).toContain('.parquet');
  });

  it('derives a plain table name from the file name', () => {
    expect(defaultTableName('Sales 2024.csv')).toBe('sales_2024');
    expect(defaultTableName('2024-orders.parquet')).toBe('t_2024_orders');
    expect(defaultTableName('Ünïcode!.json')).toBe('n_code');
    expect(defaultTableName('***.csv')).toBe('data');
  });

  it('formats sizes', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(12 * 1024 * 1024)).toBe('12 MB');
  });
});

describe('ImportModel', () => {
  it('reports progress, then the server-side import, then the result', async () => {
    let finish: (value: ImportFileResponse) => void = () => undefined;
    let progress: IUploadOptions['onProgress'];
    const upload = jest.fn(
      (options: IUploadOptions) =>
        new Promise<ImportFileResponse>(resolve => {
          progress = options.onProgress;
          finish = resolve;
        })
    );
    const model = new ImportModel({
      serverSettings: settings,
      upload,
      keepDoneMs: 0
    });
    const imported = jest.fn();
    model.imported.connect((_, result) => imported(result.name));

    const done = model.start(new Blob(['a,b\n1,2\n']), {
      filename: 'small.csv',
      name: 'small'
    });
    const job = model.jobs[0];
    expect(job.state).toBe('uploading');
    progress!(4, 8);
    expect(percentSent(job)).toBe(50);
    expect(job.state).toBe('uploading');
    progress!(8, 8);
    expect(job.state).toBe('importing');
    finish(answer('small'));
    await done;
    expect(job.state).toBe('done');
    expect(job.result?.row_count).toBe(3);
    expect(imported).toHaveBeenCalledWith('small');
    expect(upload.mock.calls[0][0].request).toEqual({
      filename: 'small.csv',
      name: 'small'
    });
  });

  it('keeps the error with its line; a new try of the file replaces it', async () => {
    const upload = jest
      .fn()
      .mockRejectedValueOnce(
        new WorkbenchApiError(
          'Line 4 of ragged.csv cannot be read',
          422,
          'invalid_request',
          {
            line: 4
          }
        )
      )
      .mockResolvedValueOnce(answer('ragged'));
    const model = new ImportModel({
      serverSettings: settings,
      upload,
      keepDoneMs: 0
    });
    const failed = await model.start(new Blob(['x']), {
      filename: 'ragged.csv'
    });
    expect(failed.state).toBe('error');
    expect(failed.error?.detail.line).toBe(4);
    expect(model.jobs).toHaveLength(1);

    const retried = await model.start(failed.file, {
      ...failed.request,
      ignore_errors: true
    });
    expect(retried.state).toBe('done');
    expect(model.jobs).toEqual([retried]);
  });

  it('cancels an upload and forgets it', async () => {
    const upload = jest.fn(
      (options: IUploadOptions) =>
        new Promise<ImportFileResponse>((_, reject) => {
          options.signal?.addEventListener('abort', () =>
            reject(new WorkbenchApiError('cancelled', 0, 'cancelled'))
          );
        })
    );
    const model = new ImportModel({ serverSettings: settings, upload });
    const started = model.start(new Blob(['x']), { filename: 'big.csv' });
    model.cancel(model.jobs[0].id);
    expect((await started).state).toBe('cancelled');
    expect(model.jobs).toHaveLength(0);
  });

  it('lists a success for a while, then drops it', async () => {
    jest.useFakeTimers();
    try {
      const model = new ImportModel({
        serverSettings: settings,
        upload: async () => answer('t'),
        keepDoneMs: 1000
      });
      await model.start(new Blob(['x']), { filename: 't.csv' });
      expect(model.jobs).toHaveLength(1);
      jest.advanceTimersByTime(1000);
      expect(model.jobs).toHaveLength(0);
    } finally {
      jest.useRealTimers();
    }
  });
});
