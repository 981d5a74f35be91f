/**
 * `IModelsApi` over the Workbench client: the registry routes (/models/...) and the predict
 * route (POST /models/{name}@{alias|version}/predict), errors as `WorkbenchApiError`.
 */
import { URLExt } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';

import { WorkbenchClient } from '../../api/client';
import {
  CancelTaskResponse,
  DescribeAliasMove,
  DescribeModel,
  DescribeModelVersion,
  DescribeTask,
  ExportedModel,
  IInputRow,
  IModelsApi,
  IPrediction,
  ModelAliasInfo,
  ModelSummary,
  ScoreQueryRequest,
  StudioTaskStarted
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
    return (await this.client.listModels()).models;
  }

  describeModel(name: string): Promise<DescribeModel> {
    return this.client.describeModel(name);
  }

  describeVersion(
    name: string,
    version: number
  ): Promise<DescribeModelVersion> {
    return this.client.describeModelVersion(name, version);
  }

  publish(runId: number, name: string): Promise<DescribeModelVersion> {
    return this.client.publishModel({ run_id: runId, name });
  }

  setAlias(
    name: string,
    alias: string,
    version: number
  ): Promise<DescribeAliasMove> {
    return this.client.setModelAlias(name, alias, version);
  }

  rollback(name: string, alias: string): Promise<DescribeAliasMove> {
    return this.client.rollbackModelAlias(name, alias);
  }

  updateCard(
    name: string,
    version: number,
    card: string
  ): Promise<DescribeModelVersion> {
    return this.client.updateModelCard(name, version, card);
  }

  predict(ref: string, rows: IInputRow[]): Promise<IPrediction> {
    // With each row's class probabilities (a classifier's).
    return this.client.predict<IPrediction>(
      ref,
      { dataframe_records: rows },
      true
    );
  }

  async runTarget(runId: number): Promise<string | null> {
    return (await this.client.describeTrainingRun(runId)).target ?? null;
  }

  setGates(
    name: string,
    alias: string,
    gates: string[]
  ): Promise<ModelAliasInfo> {
    return this.client.setModelAliasGates(name, alias, gates);
  }

  removeAlias(name: string, alias: string): Promise<void> {
    return this.client.deleteModelAlias(name, alias);
  }

  exportVersion(
    name: string,
    version: number,
    path: string | null,
    overwrite: boolean
  ): Promise<ExportedModel> {
    return this.client.exportModelVersion(name, version, {
      path: path ?? undefined,
      overwrite
    });
  }

  startScoring(request: ScoreQueryRequest): Promise<StudioTaskStarted> {
    return this.client.startScoring(request);
  }

  describeTask(taskId: string): Promise<DescribeTask> {
    return this.client.describeTask(taskId);
  }

  cancelTask(taskId: string): Promise<CancelTaskResponse> {
    return this.client.cancelTask(taskId);
  }
}
