/**
 * How the REST client talks to the server: every request goes through
 * `ServerConnection.makeRequest` (the Jupyter token, the XSRF cookie, a JupyterHub base URL),
 * and an error answer becomes a `WorkbenchApiError`. `WorkbenchClient` (client.ts) adds one
 * method per endpoint.
 */
import { URLExt } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';

import {
  CLIENT_ERROR_CODES,
  errorFromResponse,
  queryString,
  WorkbenchApiError
} from './errors';

/** The path under the server's base URL where the REST API lives. */
export const API_PATH = 'mlworkbench/api';

/** Requests to the server extension's REST API. */
export class ApiTransport {
  constructor(options: { serverSettings?: ServerConnection.ISettings } = {}) {
    this.serverSettings =
      options.serverSettings ?? ServerConnection.makeSettings();
  }

  readonly serverSettings: ServerConnection.ISettings;

  protected _url(parts: string[]): string {
    return URLExt.join(
      this.serverSettings.baseUrl,
      API_PATH,
      ...parts.map(encodeURIComponent)
    );
  }

  protected async _json<T>(
    method: string,
    parts: string[],
    body?: unknown,
    query?: object,
    signal?: AbortSignal
  ): Promise<T> {
    const response = await this._request(method, parts, body, query, signal);
    return (await response.json()) as T;
  }

  protected _request(
    method: string,
    parts: string[],
    body?: unknown,
    query?: object,
    signal?: AbortSignal
  ): Promise<Response> {
    const init: RequestInit = signal ? { method, signal } : { method };
    if (body !== undefined) {
      init.body = JSON.stringify(body);
      init.headers = { 'Content-Type': 'application/json' };
    }
    return this._send(this._url(parts) + queryString(query), init);
  }

  protected async _send(url: string, init: RequestInit): Promise<Response> {
    let response: Response;
    try {
      response = await ServerConnection.makeRequest(
        url,
        init,
        this.serverSettings
      );
    } catch (error) {
      throw new WorkbenchApiError(
        `Cannot reach the Jupyter server: ${(error as Error).message}`,
        0,
        CLIENT_ERROR_CODES.network
      );
    }
    if (!response.ok) {
      throw await errorFromResponse(response);
    }
    return response;
  }
}
