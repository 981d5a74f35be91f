/**
 * `ILabelingApi` over the Workbench REST client: the label-set routes of the server extension.
 */
import { URLExt } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';

import {
  API_PATH,
  errorFromResponse,
  WorkbenchApiError,
  WorkbenchClient
} from '../../api/client';
import {
  ICreateLabelSet,
  IDescribeLabelSet,
  IItemPage,
  ILabelingApi,
  ILabelProgress,
  ItemKey,
  LabelFilter
} from './types';

export class ClientLabelingApi implements ILabelingApi {
  constructor(readonly client: WorkbenchClient) {}

  async listLabelSets(): Promise<IDescribeLabelSet[]> {
    const answer = await this._json<{ label_sets: IDescribeLabelSet[] }>(
      'GET',
      ['labelsets']
    );
    return answer.label_sets;
  }

  createLabelSet(request: ICreateLabelSet): Promise<IDescribeLabelSet> {
    return this._json('POST', ['labelsets'], request);
  }

  describeLabelSet(name: string): Promise<IDescribeLabelSet> {
    return this._json('GET', ['labelsets', name]);
  }

  async removeLabelSet(name: string): Promise<void> {
    await this._send('DELETE', ['labelsets', name]);
  }

  fetchItems(
    name: string,
    request: { filter: LabelFilter; offset: number; limit: number }
  ): Promise<IItemPage> {
    return this._json('POST', ['labelsets', name, 'items'], request);
  }

  recordLabel(
    name: string,
    request: { key: ItemKey; labels: string[] }
  ): Promise<{ progress: ILabelProgress }> {
    return this._json('POST', ['labelsets', name, 'labels'], request);
  }

  skipItem(name: string, request: { key: ItemKey }): Promise<ILabelProgress> {
    return this._json('POST', ['labelsets', name, 'skip'], request);
  }

  undo(
    name: string
  ): Promise<{ key?: ItemKey | null; progress: ILabelProgress }> {
    return this._json('POST', ['labelsets', name, 'undo'], {});
  }

  /** A remote URL as is; a local file's API path is relative to the mlworkbench API base. */
  imageUrl(url: string): string {
    if (/^(https?:|data:|blob:)/i.test(url)) {
      return url;
    }
    return URLExt.join(this.client.serverSettings.baseUrl, API_PATH, url);
  }

  async describeColumns(
    sql: string
  ): Promise<{ name: string; type: string }[]> {
    const result = await this.client.runQuery({
      sql: `SELECT * FROM (${sql}) AS labeled_items LIMIT 0`
    });
    void this.client.closeResult(result.session_id).catch(() => undefined);
    return result.columns.map(c => ({ name: c.name, type: c.type }));
  }

  private async _json<T>(
    method: string,
    parts: string[],
    body?: unknown
  ): Promise<T> {
    const response = await this._send(method, parts, body);
    return (await response.json()) as T;
  }

  private async _send(
    method: string,
    parts: string[],
    body?: unknown
  ): Promise<Response> {
    const settings = this.client.serverSettings;
    const url = URLExt.join(
      settings.baseUrl,
      API_PATH,
      ...parts.map(encodeURIComponent)
    );
    const init: RequestInit = { method };
    if (body !== undefined) {
      init.body = JSON.stringify(body);
      init.headers = { 'Content-Type': 'application/json' };
    }
    let response: Response;
    try {
      response = await ServerConnection.makeRequest(url, init, settings);
    } catch (error) {
      throw new WorkbenchApiError(
        `Cannot reach the Jupyter server: ${(error as Error).message}`,
        0,
        'network_error'
      );
    }
    if (!response.ok) {
      throw await errorFromResponse(response);
    }
    return response;
  }
}
