/**
 * POST /imports with upload progress. `fetch` (what the API client uses) reports no upload
 * progress, so this sends the file with an XMLHttpRequest: the browser streams the `File`
 * from disk, so a big file is never read into memory and the UI stays responsive.
 */
import { URLExt } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';

import {
  API_PATH,
  CLIENT_ERROR_CODES,
  errorFromResponse,
  ImportFileRequest,
  ImportFileResponse,
  queryString,
  WorkbenchApiError
} from '../../api/client';

export interface IUploadOptions {
  file: Blob;
  request: ImportFileRequest;
  serverSettings: ServerConnection.ISettings;
  /** Called with the bytes sent so far and the total. */
  onProgress?: (loaded: number, total: number) => void;
  /** Aborts the upload (the promise rejects with code `cancelled`). */
  signal?: AbortSignal;
  /** Makes the request object; replaced in tests. */
  createRequest?: () => XMLHttpRequest;
}

/** The URL of POST /imports with the request as query parameters. */
export function importUrl(
  settings: ServerConnection.ISettings,
  request: ImportFileRequest
): string {
  return (
    URLExt.join(settings.baseUrl, API_PATH, 'imports') + queryString(request)
  );
}

/** The value of a cookie of this page (the XSRF token), or null. */
export function cookie(name: string, cookies = document.cookie): string | null {
  for (const part of cookies.split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) {
      return decodeURIComponent(value.join('='));
    }
  }
  return null;
}

/**
 * Upload a file to POST /imports.
 *
 * Args:
 *   options: the file, the import options, the server settings (token, base URL), a progress
 *     callback and an abort signal.
 *
 * Returns:
 *   The server's answer (the new table version or source).
 *
 * Raises:
 *   WorkbenchApiError: the server's `{message, code, detail}` (e.g. `conflict`, or
 *     `invalid_request` with `detail.line` for a ragged CSV), `network_error`, or `cancelled`.
 */
export function upload(options: IUploadOptions): Promise<ImportFileResponse> {
  const { file, request, serverSettings: settings } = options;
  const xhr = options.createRequest?.() ?? new XMLHttpRequest();
  return new Promise<ImportFileResponse>((resolve, reject) => {
    const abort = () => xhr.abort();
    options.signal?.addEventListener('abort', abort);
    const done = () => options.signal?.removeEventListener('abort', abort);

    xhr.open('POST', importUrl(settings, request));
    // The same credentials ServerConnection.makeRequest sends.
    if (settings.token) {
      xhr.setRequestHeader('Authorization', `token ${settings.token}`);
    }
    const xsrf = typeof document !== 'undefined' ? cookie('_xsrf') : null;
    if (xsrf) {
      xhr.setRequestHeader('X-XSRFToken', xsrf);
    }
    xhr.setRequestHeader('Content-Type', 'application/octet-stream');
    xhr.upload.onprogress = event => {
      options.onProgress?.(
        event.loaded,
        event.lengthComputable ? event.total : file.size
      );
    };
    xhr.onload = () => {
      done();
      const response = new Response(xhr.responseText || null, {
        status: xhr.status,
        statusText: xhr.statusText
      });
      if (xhr.status >= 200 && xhr.status < 300) {
        response
          .json()
          .then(body => resolve(body as ImportFileResponse))
          .catch(() =>
            reject(
              new WorkbenchApiError(
                'The server answered the upload with no JSON.',
                xhr.status,
                CLIENT_ERROR_CODES.unexpected
              )
            )
          );
      } else {
        void errorFromResponse(response).then(reject);
      }
    };
    xhr.onerror = () => {
      done();
      reject(
        new WorkbenchApiError(
          'The upload was interrupted: the Jupyter server could not be reached or closed the connection.',
          0,
          CLIENT_ERROR_CODES.network
        )
      );
    };
    xhr.onabort = () => {
      done();
      reject(
        new WorkbenchApiError('The upload was cancelled.', 0, 'cancelled')
      );
    };
    if (options.signal?.aborted) {
      xhr.abort();
      return;
    }
    xhr.send(file);
  });
}
