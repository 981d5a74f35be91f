/**
 * `ITrainingApi` over the Workbench REST client: the training routes of the server extension
 * (/training/...), their answers normalized into the panel's types (normalize.ts).
 */
import { WorkbenchClient } from '../../api/client';
import { normalizePreview, normalizeRun, normalizeSummary } from './normalize';
import {
  IRunSummary,
  ITrainingApi,
  ITrainingPreview,
  ITrainingRun,
  ITrainRequest
} from './types';

export class ClientTrainingApi implements ITrainingApi {
  constructor(readonly client: WorkbenchClient) {}

  async preview(request: {
    sql: string;
    target?: string | null;
  }): Promise<ITrainingPreview> {
    return normalizePreview(
      await this.client.previewTraining({
        sql: request.sql,
        target: request.target || null
      })
    );
  }

  async startRun(request: ITrainRequest): Promise<ITrainingRun> {
    return normalizeRun(
      await this.client.startTraining({
        sql: request.sql,
        target: request.target,
        task: request.task ?? null,
        features: request.features ?? null,
        metric: request.metric ?? null,
        budget_s: request.budget_s,
        slice_by: request.slice_by ?? null,
        refit_all: request.refit_all ?? false,
        ...(request.experiment ? { experiment: request.experiment } : {})
      })
    );
  }

  async describeRun(id: number): Promise<ITrainingRun> {
    return normalizeRun(await this.client.describeTrainingRun(id));
  }

  async stopRun(id: number): Promise<ITrainingRun> {
    return normalizeRun(await this.client.stopTrainingRun(id));
  }

  async listRuns(): Promise<IRunSummary[]> {
    return (await this.client.listTrainingRuns()).runs.map(normalizeSummary);
  }

  deleteRun(id: number): Promise<void> {
    return this.client.deleteTrainingRun(id);
  }
}
