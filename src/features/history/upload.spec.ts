import { ServerConnection } from '@jupyterlab/services';

import { WorkbenchApiError } from '../../api/client';
import { cookie, importUrl, upload } from './upload';

/** A stand-in XMLHttpRequest: records what is sent, answers when told. */
class FakeXhr {
  method = '';
  url = '';
  headers: { [name: string]: string } = {};
  body: unknown = null;
  status = 0;
  statusText = '';
  responseText = '';
  upload: { onprogress: ((event: ProgressEvent) => void) | null } = {
    onprogress: null
  };
  onload: (() => void) | null = null;
  onerror: (() => void) | null = null;
  onabort: (() => void) | null = null;
  open(method: string, url: string) {
    this.method = method;
    this.url = url;
  }
  setRequestHeader(name: string, value: string) {
    this.headers[name] = value;
  }
  send(body: unknown) {
    this.body = body;
  }
  abort() {
    this.onabort?.();
  }
  progress(loaded: number, total: number) {
    this.upload.onprogress?.({
      loaded,
      total,
      lengthComputable: true
    } as ProgressEvent);
  }
  answer(status: number, body: unknown) {
    this.status = status;
    this.responseText = JSON.stringify(body);
    this.onload?.();
  }
}

const settings = ServerConnection.makeSettings({
  baseUrl: 'http://localhost/lab-base/',
  token: 'secret'
});

describe('upload', () => {
  it('sends the file as the body, options in the query, with the token', async () => {
    const xhr = new FakeXhr();
    const file = new Blob(['a,b\n1,2\n']);
    const progress = jest.fn();
    const done = upload({
      file,
      request: { filename: 'My data.csv', name: 'my_data', overwrite: true },
      serverSettings: settings,
      onProgress: progress,
      createRequest: () => xhr as unknown as XMLHttpRequest
    });
    expect(xhr.method).toBe('POST');
    expect(xhr.url).toBe(
      'http://localhost/lab-base/mlworkbench/api/imports?filename=My%20data.csv&name=my_data&overwrite=true'
    );
    expect(xhr.headers.Authorization).toBe('token secret');
    expect(xhr.headers['Content-Type']).toBe('application/octet-stream');
    expect(xhr.body).toBe(file);
    xhr.progress(4, 8);
    expect(progress).toHaveBeenCalledWith(4, 8);
    xhr.answer(201, { name: 'my_data', row_count: 1 });
    expect(await done).toEqual({ name: 'my_data', row_count: 1 });
  });

  it("rejects with the server's message and detail (the bad line)", async () => {
    const xhr = new FakeXhr();
    const done = upload({
      file: new Blob(['x']),
      request: { filename: 'ragged.csv' },
      serverSettings: settings,
      createRequest: () => xhr as unknown as XMLHttpRequest
    });
    xhr.answer(422, {
      message: "Line 4 of 'ragged.csv' cannot be read",
      code: 'invalid_request',
      detail: { line: 4 }
    });
    const error = (await done.catch(e => e)) as WorkbenchApiError;
    expect(error).toBeInstanceOf(WorkbenchApiError);
    expect(error.status).toBe(422);
    expect(error.detail.line).toBe(4);
  });

  it('rejects with cancelled when aborted and network_error when cut off', async () => {
    const controller = new AbortController();
    const xhr = new FakeXhr();
    const cancelled = upload({
      file: new Blob(['x']),
      request: { filename: 'a.csv' },
      serverSettings: settings,
      signal: controller.signal,
      createRequest: () => xhr as unknown as XMLHttpRequest
    });
    controller.abort();
    await expect(cancelled).rejects.toMatchObject({ code: 'cancelled' });

    const cut = new FakeXhr();
    const failed = upload({
      file: new Blob(['x']),
      request: { filename: 'a.csv' },
      serverSettings: settings,
      createRequest: () => cut as unknown as XMLHttpRequest
    });
    cut.onerror?.();
    await expect(failed).rejects.toMatchObject({ code: 'network_error' });
  });

  it('reads the XSRF cookie and builds the URL', () => {
    expect(cookie('_xsrf', 'a=1; _xsrf=2%7C3; b=4')).toBe('2|3');
    expect(cookie('_xsrf', 'a=1')).toBeNull();
    expect(importUrl(settings, { filename: 'x.csv' })).toBe(
      'http://localhost/lab-base/mlworkbench/api/imports?filename=x.csv'
    );
  });
});
