/**
 * `IModelsApi` over Jupyter's server connection: the registry routes (/models/...) and the
 * predict route (POST /models/{name}@{alias|version}/predict), errors as `WorkbenchApiError`.
 */
import { URLExt } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';

import { WorkbenchClient } from '../../api/client';
import { errorFromResponse } from '../../api/errors';
import {
  DescribeAliasMove,
  DescribeModel,
  DescribeModelVersion,
  IInputRow,
  IModelsApi,
  IPrediction,
  ModelSummary
} from './types';

/** Where the Workbench API lives under the server's base URL. */
export const API_PATH = 'mlworkbench/api';

/**
 * The predict route of a model reference (`churn@production`, `churn@3`), relative to the
 * server's base URL; the name and the alias are encoded, the '@' between them is kept.
 */
export function predictPath(ref: string): string {
  const at = ref.lastIndexOf('@');
  const encoded =
    at < 0
      ? encodeURIComponent(ref)
      : `${encodeURIComponent(ref.slice(0, at))}@${encodeURIComponent(ref.slice(at + 1))}`;
  return URLExt.join(API_PATH, 'models', encoded, 'predict');
}

export class ClientModelsApi implements IModelsApi {
  constructor(readonly client: WorkbenchClient) {}

  get serverSettings(): ServerConnection.ISettings {
    return this.client.serverSettings;
  }

  async listModels(): Promise<ModelSummary[]> {
    return (await this._json<{ models: ModelSummary[] }>('GET', ['models']))
      .models;
  }

  describeModel(name: string): Promise<DescribeModel> {
    return this._json('GET', ['models', name]);
  }

  describeVersion(
    name: string,
    version: number
  ): Promise<DescribeModelVersion> {
    return this._json('GET', ['models', name, 'versions', String(version)]);
  }

  publish(runId: number, name: string): Promise<DescribeModelVersion> {
    return this._json('POST', ['models'], { run_id: runId, name });
  }

  setAlias(
    name: string,
    alias: string,
    version: number
  ): Promise<DescribeAliasMove> {
    return this._json('PUT', ['models', name, 'aliases', alias], { version });
  }

  rollback(name: string, alias: string): Promise<DescribeAliasMove> {
    return this._json(
      'POST',
      ['models', name, 'aliases', alias, 'rollback'],
      {}
    );
  }

  updateCard(
    name: string,
    version: number,
    card: string
  ): Promise<DescribeModelVersion> {
    return this._json(
      'PUT',
      ['models', name, 'versions', String(version), 'card'],
      { card }
    );
  }

  predict(ref: string, rows: IInputRow[]): Promise<IPrediction> {
    return this._send<IPrediction>(
      'POST',
      // With each row's class probabilities (a classifier's).
      URLExt.join(this.serverSettings.baseUrl, predictPath(ref)) +
        '?probabilities=true',
      { dataframe_records: rows }
    );
  }

  async runTarget(runId: number): Promise<string | null> {
    return (await this.client.describeTrainingRun(runId)).target ?? null;
  }

  private _json<T>(
    method: string,
    parts: string[],
    body?: unknown
  ): Promise<T> {
    const url = URLExt.join(
      this.serverSettings.baseUrl,
      API_PATH,
      ...parts.map(encodeURIComponent)
    );
    return this._send<T>(method, url, body);
  }

  private async _send<T>(
    method: string,
    url: string,
    body?: unknown
  ): Promise<T> {
    const init: RequestInit = { method };
    if (body !== undefined) {
      init.body = JSON.stringify(body);
      init.headers = { 'Content-Type': 'application/json' };
    }
    // A failed fetch is shown through asApiError (its message, `unexpected_response`).
    const response = await ServerConnection.makeRequest(
      url,
      init,
      this.serverSettings
    );
    if (!response.ok) {
      throw await errorFromResponse(response);
    }
    return (await response.json()) as T;
  }
}
