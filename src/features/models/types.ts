/**
 * What the Models panel reads and writes: the registry's answers as the server sends them
 * (generated types), the predict route's answer, and `IModelsApi`, the one thing the models
 * talk to (the REST client in the app, `FakeModelsApi` in jest).
 */
import type { components } from '../../api/types';

type Schemas = components['schemas'];

export type ModelSummary = Schemas['ModelSummary'];
export type DescribeModel = Schemas['DescribeModel'];
export type DescribeModelVersion = Schemas['DescribeModelVersion'];
export type ModelVersionSummary = Schemas['ModelVersionSummary'];
export type DescribeAliasMove = Schemas['DescribeAliasMove'];
export type ModelAliasInfo = Schemas['ModelAliasInfo'];
export type ModelSignatureColumn = Schemas['ModelSignatureColumn'];
export type LogicalType = ModelSignatureColumn['type'];
export type ExportedModel = Schemas['ExportedModel'];
export type ScoreQueryRequest = Schemas['ScoreQueryRequest'];
export type ScoreResponse = Schemas['ScoreResponse'];
export type DescribeTask = Schemas['DescribeTask'];
export type StudioTaskStarted = Schemas['StudioTaskStarted'];
export type CancelTaskResponse = Schemas['CancelTaskResponse'];

/** The predict route's answer (MLflow's `{predictions}`, with class probabilities). */
export interface IPrediction {
  predictions: unknown[];
  probabilities?: { [cls: string]: number | null }[];
  ignored_columns?: string[];
}

/** A row for the predict route: column -> value typed by the signature. */
export type IInputRow = { [column: string]: string | number | boolean | null };

export interface IModelsApi {
  listModels(): Promise<ModelSummary[]>;
  describeModel(name: string): Promise<DescribeModel>;
  describeVersion(name: string, version: number): Promise<DescribeModelVersion>;
  publish(runId: number, name: string): Promise<DescribeModelVersion>;
  setAlias(
    name: string,
    alias: string,
    version: number
  ): Promise<DescribeAliasMove>;
  rollback(name: string, alias: string): Promise<DescribeAliasMove>;
  updateCard(
    name: string,
    version: number,
    card: string
  ): Promise<DescribeModelVersion>;
  predict(ref: string, rows: IInputRow[]): Promise<IPrediction>;
  /** The training run's target, the default name of a model published from it. */
  runTarget(runId: number): Promise<string | null>;
  /** Keep `gates` on `alias` (a check the server refuses is a 422). */
  setGates(
    name: string,
    alias: string,
    gates: string[]
  ): Promise<ModelAliasInfo>;
  /** Remove `alias` and its gates (the removal is kept in the history). */
  removeAlias(name: string, alias: string): Promise<void>;
  /** Write a version as an MLflow model directory (`path` under the Jupyter root). */
  exportVersion(
    name: string,
    version: number,
    path: string | null,
    overwrite: boolean
  ): Promise<ExportedModel>;
  /** Start scoring a SELECT's rows into a new table version, as a background task. */
  startScoring(request: ScoreQueryRequest): Promise<StudioTaskStarted>;
  /** A background task's progress, and its result (a `ScoreResponse`) or error once ended. */
  describeTask(taskId: string): Promise<DescribeTask>;
  /** Stop a task at its next batch (a cancelled scoring writes no version). */
  cancelTask(taskId: string): Promise<CancelTaskResponse>;
}
