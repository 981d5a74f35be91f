/**
 * The typed REST client of the mlworkbench server extension: one method per endpoint.
 *
 * Every request goes through `ServerConnection.makeRequest` (transport.ts), so it carries the
 * Jupyter token and XSRF cookie and works under a JupyterHub base URL. Error answers
 * (`ErrorResponse`) become a `WorkbenchApiError`; views show its `message` and `detail`. The
 * request and response shapes are in shapes.ts, generated from the pydantic models.
 */
import { URLExt } from '@jupyterlab/coreutils';

import {
  CLIENT_ERROR_CODES,
  filenameFromDisposition,
  queryString,
  WorkbenchApiError
} from './errors';
import type * as S from './shapes';
import { API_PATH, ApiTransport } from './transport';

export * from './errors';
export * from './shapes';
export { API_PATH } from './transport';

/** A downloaded file: its bytes and the name the server suggests. */
export interface IDownload {
  blob: Blob;
  filename: string;
}

/** The REST API of the server extension. */
export class WorkbenchClient extends ApiTransport {
  /** GET /status: the panel's health check. */
  async getStatus(): Promise<S.DescribeStatus> {
    try {
      return await this._json<S.DescribeStatus>('GET', ['status']);
    } catch (error) {
      if (
        error instanceof WorkbenchApiError &&
        error.status === 404 &&
        error.code === CLIENT_ERROR_CODES.unexpected
      ) {
        throw new WorkbenchApiError(
          'The mlworkbench server extension is not running.',
          404,
          CLIENT_ERROR_CODES.extensionMissing
        );
      }
      throw error;
    }
  }

  /** GET /catalog: sources with their tables, and workspace tables. */
  getCatalog(): Promise<S.DescribeCatalog> {
    return this._json('GET', ['catalog']);
  }

  /** GET /catalog/names: table name -> column names, for completion. */
  getCompletionNames(): Promise<S.CompletionNames> {
    return this._json('GET', ['catalog', 'names']);
  }

  /** POST /sources: register a file, glob, folder or DuckDB database. */
  registerSource(request: S.RegisterSourceRequest): Promise<S.DescribeSource> {
    return this._json('POST', ['sources'], request);
  }

  /** DELETE /sources/{name}. */
  async removeSource(name: string): Promise<void> {
    await this._request('DELETE', ['sources', name]);
  }

  /** POST /queries: run SQL; the last statement's result becomes a result session. */
  runQuery(request: S.RunQueryRequest): Promise<S.QueryResult> {
    return this._json('POST', ['queries'], request);
  }

  /** GET /queries/{query_id}: whether it still runs and DuckDB's estimate of its progress. */
  describeQuery(queryId: string): Promise<S.DescribeQuery> {
    return this._json('GET', ['queries', queryId]);
  }

  /** POST /queries/{query_id}/cancel. */
  cancelQuery(queryId: string): Promise<S.CancelQueryResponse> {
    return this._json('POST', ['queries', queryId, 'cancel'], {});
  }

  /** GET /results/{session_id}: columns, total rows and status (counting/ready/failed). */
  describeResult(sessionId: string): Promise<S.DescribeResult> {
    return this._json('GET', ['results', sessionId]);
  }

  /** POST /results/{session_id}/page: a window of rows, sorted/filtered server-side. */
  fetchPage(
    sessionId: string,
    request: S.FetchPageRequest
  ): Promise<S.QueryPage> {
    return this._json('POST', ['results', sessionId, 'page'], request);
  }

  /** POST /results/{session_id}/save: a new version of a workspace table. */
  saveResult(
    sessionId: string,
    request: S.SaveResultRequest
  ): Promise<S.DescribeTable> {
    return this._json('POST', ['results', sessionId, 'save'], request);
  }

  /** The URL of GET /results/{session_id}/export (needs the token: use `exportResult`). */
  exportUrl(sessionId: string, format: S.ExportFormat): string {
    return (
      this._url(['results', sessionId, 'export']) +
      URLExt.objectToQueryString({ format })
    );
  }

  /** GET /results/{session_id}/export?format=...: the whole result as a file. */
  async exportResult(
    sessionId: string,
    format: S.ExportFormat
  ): Promise<IDownload> {
    const response = await this._send(this.exportUrl(sessionId, format), {
      method: 'GET'
    });
    const filename =
      filenameFromDisposition(response.headers.get('Content-Disposition')) ??
      `result-${sessionId}.${format}`;
    return { blob: await response.blob(), filename };
  }

  /** DELETE /results/{session_id}: free the server's copy of a result. */
  async closeResult(sessionId: string): Promise<void> {
    await this._request('DELETE', ['results', sessionId]);
  }

  /** GET /tables/{name}: a workspace table and its versions. */
  describeTable(name: string): Promise<S.DescribeTableVersions> {
    return this._json('GET', ['tables', name]);
  }

  /** DELETE /tables/{name}. */
  async removeTable(name: string): Promise<void> {
    await this._request('DELETE', ['tables', name]);
  }

  /** POST /profiles: per-column statistics and charts of a table, result or SELECT. */
  profile(request: S.ProfileRequest): Promise<S.DescribeProfile> {
    return this._json('POST', ['profiles'], request);
  }

  /** POST /joins/suggest: ranked join keys between tables, with measured match rates. */
  suggestJoins(request: S.SuggestJoinsRequest): Promise<S.JoinSuggestions> {
    return this._json('POST', ['joins', 'suggest'], request);
  }

  /** POST /joins/preview: a join's SQL, first rows, row counts and warnings. */
  previewJoin(request: S.PreviewJoinRequest): Promise<S.JoinPreview> {
    return this._json('POST', ['joins', 'preview'], request);
  }

  /** POST /transforms/sql: the SQL of a filter, derive, cast, dedupe or fill-nulls step. */
  transformSql(request: S.TransformSqlRequest): Promise<S.TransformSql> {
    return this._json('POST', ['transforms', 'sql'], request);
  }

  /** POST /queries/estimate: DuckDB's row estimate of a query before it runs. */
  estimateQuery(request: S.EstimateQueryRequest): Promise<S.QueryEstimate> {
    return this._json('POST', ['queries', 'estimate'], request);
  }

  /** GET /labelsets: every label set with its progress. */
  listLabelSets(): Promise<S.ListLabelSets> {
    return this._json('GET', ['labelsets']);
  }

  /** POST /labelsets: a label set over the rows of a query (answers 201). */
  createLabelSet(
    request: S.CreateLabelSetRequest
  ): Promise<S.DescribeLabelSet> {
    return this._json('POST', ['labelsets'], request);
  }

  /** GET /labelsets/{name}: its query, choices, progress and links. */
  describeLabelSet(name: string): Promise<S.DescribeLabelSet> {
    return this._json('GET', ['labelsets', name]);
  }

  /** DELETE /labelsets/{name}: the label set, its labels and versions. */
  async removeLabelSet(name: string): Promise<void> {
    await this._request('DELETE', ['labelsets', name]);
  }

  /** POST /labelsets/{name}/items: a page of items in key order, with their labels. */
  fetchLabelItems(
    name: string,
    request: Partial<S.FetchItemsRequest> = {}
  ): Promise<S.ItemPage> {
    return this._json('POST', ['labelsets', name, 'items'], request);
  }

  /** POST /labelsets/{name}/labels: the logged-in user's label, saved when this resolves. */
  recordLabel(
    name: string,
    request: S.RecordLabelRequest
  ): Promise<S.RecordLabelResponse> {
    return this._json('POST', ['labelsets', name, 'labels'], request);
  }

  /** POST /labelsets/{name}/skip: skip an item; answers the new progress. */
  skipLabelItem(
    name: string,
    request: S.SkipItemRequest
  ): Promise<S.LabelProgress> {
    return this._json('POST', ['labelsets', name, 'skip'], request);
  }

  /** POST /labelsets/{name}/undo: undo the logged-in user's last label or skip. */
  undoLabel(name: string): Promise<S.UndoLabelResponse> {
    return this._json('POST', ['labelsets', name, 'undo'], {});
  }

  /**
   * The URL to show an item image (`ItemImage.url`): a remote URL as is; a local file's
   * API-relative path (GET /labelsets/{name}/image?key=..&column=..) under the API base.
   */
  labelImageUrl(url: string): string {
    if (/^(https?:|data:|blob:)/i.test(url)) {
      return url;
    }
    return URLExt.join(this.serverSettings.baseUrl, API_PATH, url);
  }

  /**
   * POST /labelsets/{name}/queue: train a quick model on the label set's labels and rank its
   * unlabeled items by uncertainty into the table `<name>_queue`.
   */
  refreshQueue(
    name: string,
    request: Partial<S.RefreshQueueRequest> = {}
  ): Promise<S.DescribeQueue> {
    return this._json('POST', ['labelsets', name, 'queue'], request);
  }

  /**
   * POST /labelsets/{name}/queue/task: the same refresh in the background; poll GET
   * /tasks/{task_id} for its progress and result, POST /tasks/{task_id}/cancel to stop it.
   */
  startQueueRefresh(
    name: string,
    request: Partial<S.RefreshQueueRequest> = {}
  ): Promise<S.StudioTaskStarted> {
    return this._json('POST', ['labelsets', name, 'queue', 'task'], request);
  }

  /** GET /labelsets/{name}/studio: the Label Studio link, its sync state and counts. */
  describeStudioLink(name: string): Promise<S.DescribeStudioLink> {
    return this._json('GET', ['labelsets', name, 'studio']);
  }

  /**
   * POST /labelsets/{name}/studio/connect: link a Label Studio project (a new one with a
   * generated label config unless `project_id` is given). URL and key are server config.
   */
  connectStudio(
    name: string,
    request: Partial<S.ConnectStudioRequest> = {}
  ): Promise<S.DescribeStudioLink> {
    return this._json(
      'POST',
      ['labelsets', name, 'studio', 'connect'],
      request
    );
  }

  /** POST /labelsets/{name}/studio/push: push new items as tasks; poll the task it starts. */
  pushToStudio(
    name: string,
    request: Partial<S.PushStudioRequest> = {}
  ): Promise<S.StudioTaskStarted> {
    return this._json('POST', ['labelsets', name, 'studio', 'push'], request);
  }

  /** POST /labelsets/{name}/studio/pull: pull changed annotations; poll the task it starts. */
  pullFromStudio(name: string): Promise<S.StudioTaskStarted> {
    return this._json('POST', ['labelsets', name, 'studio', 'pull'], {});
  }

  /** GET /tasks/{task_id}: a background task's progress and, once finished, its outcome. */
  describeTask(taskId: string): Promise<S.DescribeTask> {
    return this._json('GET', ['tasks', taskId]);
  }

  /** POST /tasks/{task_id}/cancel: stop a background task at its next batch. */
  cancelTask(taskId: string): Promise<S.CancelTaskResponse> {
    return this._json('POST', ['tasks', taskId, 'cancel'], {});
  }

  /** POST /training/preview: a query's columns as training sees them, the task and metrics. */
  previewTraining(
    request: S.PreviewTrainingRequest
  ): Promise<S.DescribeTrainingPreview> {
    return this._json('POST', ['training', 'preview'], request);
  }

  /**
   * POST /training/runs: start training in its own process; answers 202 with the run at once
   * (a bad request is refused with 4xx first). Poll `describeTrainingRun` for its progress.
   */
  startTraining(request: S.TrainModelRequest): Promise<S.DescribeTrainingRun> {
    return this._json('POST', ['training', 'runs'], request);
  }

  /** GET /training/runs: runs, newest first (by experiment or status). */
  listTrainingRuns(
    request: Partial<S.ListTrainingRunsQuery> = {}
  ): Promise<S.ListTrainingRuns> {
    return this._json('GET', ['training', 'runs'], undefined, request);
  }

  /** GET /training/runs/{run_id}: status, progress, and once ended its result and lineage. */
  describeTrainingRun(runId: number): Promise<S.DescribeTrainingRun> {
    return this._json('GET', ['training', 'runs', String(runId)]);
  }

  /** POST /training/runs/{run_id}/stop: it keeps the best model found and ends 'stopped'. */
  stopTrainingRun(runId: number): Promise<S.DescribeTrainingRun> {
    return this._json('POST', ['training', 'runs', String(runId), 'stop'], {});
  }

  /** DELETE /training/runs/{run_id}: an ended run and its files (409 while it runs). */
  async deleteTrainingRun(runId: number): Promise<void> {
    await this._request('DELETE', ['training', 'runs', String(runId)]);
  }

  /** GET /training/compare?runs=1,2: runs side by side with their lineage. */
  compareTrainingRuns(runIds: number[]): Promise<S.CompareTrainingRuns> {
    return this._json('GET', ['training', 'compare'], undefined, {
      runs: runIds.join(',')
    });
  }

  /** GET /models: every published model. */
  listModels(): Promise<S.ListModels> {
    return this._json('GET', ['models']);
  }

  /** GET /models/{name}: its versions, aliases and alias history. */
  describeModel(name: string): Promise<S.DescribeModel> {
    return this._json('GET', ['models', name]);
  }

  /** GET /models/{name}/versions/{version}: signature, metrics, lineage, card. */
  describeModelVersion(
    name: string,
    version: number
  ): Promise<S.DescribeModelVersion> {
    return this._json('GET', ['models', name, 'versions', String(version)]);
  }

  /** POST /models: publish a run's model as the next version of `name`. */
  publishModel(
    request: S.PublishModelRequest
  ): Promise<S.DescribeModelVersion> {
    return this._json('POST', ['models'], request);
  }

  /** PUT /models/{name}/aliases/{alias}: move the alias through its gates (409 if one fails). */
  setModelAlias(
    name: string,
    alias: string,
    version: number
  ): Promise<S.DescribeAliasMove> {
    return this._json('PUT', ['models', name, 'aliases', alias], { version });
  }

  /** POST /models/{name}/aliases/{alias}/rollback: back to its previous version. */
  rollbackModelAlias(
    name: string,
    alias: string
  ): Promise<S.DescribeAliasMove> {
    return this._json(
      'POST',
      ['models', name, 'aliases', alias, 'rollback'],
      {}
    );
  }

  /** DELETE /models/{name}/aliases/{alias}: remove an alias and its gates (kept in the history). */
  async deleteModelAlias(name: string, alias: string): Promise<void> {
    await this._request('DELETE', ['models', name, 'aliases', alias]);
  }

  /**
   * POST /models/{name}/versions/{version}/export: write the version as an MLflow model
   * directory under the Jupyter root (409 when the folder is not empty, unless `overwrite`).
   */
  exportModelVersion(
    name: string,
    version: number,
    request: S.ExportModelRequest
  ): Promise<S.ExportedModel> {
    return this._json(
      'POST',
      ['models', name, 'versions', String(version), 'export'],
      request
    );
  }

  /**
   * PUT /models/{name}/aliases/{alias}/gates: the SQL checks on metrics every move of the alias
   * must pass (an empty list removes them; a check DuckDB refuses is a 422 naming the metrics).
   */
  setModelAliasGates(
    name: string,
    alias: string,
    gates: string[]
  ): Promise<S.ModelAliasInfo> {
    return this._json('PUT', ['models', name, 'aliases', alias, 'gates'], {
      gates
    });
  }

  /** PUT /models/{name}/versions/{version}/card: replace the model card. */
  updateModelCard(
    name: string,
    version: number,
    card: string
  ): Promise<S.DescribeModelVersion> {
    return this._json(
      'PUT',
      ['models', name, 'versions', String(version), 'card'],
      { card }
    );
  }

  /**
   * POST /models/{ref}/predict (`ref`: name@alias, name@version or name) with an MLflow
   * scoring body; `probabilities` adds each row's class probabilities (a classifier's).
   */
  predict<T>(ref: string, body: object, probabilities = false): Promise<T> {
    return this._json(
      'POST',
      ['models', ref, 'predict'],
      body,
      probabilities ? { probabilities: true } : undefined
    );
  }

  /**
   * POST /scoring: score the rows of one SELECT with a model into a new version of a workspace
   * table (answers 201 once written). `signal` stops waiting (the server may still finish).
   */
  scoreQuery(
    request: S.ScoreQueryRequest,
    signal?: AbortSignal
  ): Promise<S.ScoreResponse> {
    return this._json('POST', ['scoring'], request, undefined, signal);
  }

  /**
   * POST /scoring/task: the same scoring in the background (202); poll GET /tasks/{task_id}
   * for rows done of the estimated total and the ScoreResponse as its result, POST
   * /tasks/{task_id}/cancel to stop it (no version is written).
   */
  startScoring(request: S.ScoreQueryRequest): Promise<S.StudioTaskStarted> {
    return this._json('POST', ['scoring', 'task'], request);
  }

  /** GET /history: a page of the query history, newest first. */
  listHistory(
    request: Partial<S.ListHistoryRequest> = {}
  ): Promise<S.HistoryPage> {
    return this._json('GET', ['history'], undefined, request);
  }

  /** GET /history/{id}. */
  getHistoryEntry(id: number): Promise<S.DescribeHistoryEntry> {
    return this._json('GET', ['history', String(id)]);
  }

  /** DELETE /history/{id}. */
  async deleteHistoryEntry(id: number): Promise<void> {
    await this._request('DELETE', ['history', String(id)]);
  }

  /** DELETE /history: forget every entry. */
  clearHistory(): Promise<S.ClearHistoryResponse> {
    return this._json('DELETE', ['history']);
  }

  /** GET /saved-queries: the .sql files of the workspace, without their text. */
  listSavedQueries(): Promise<S.ListSavedQueriesResponse> {
    return this._json('GET', ['saved-queries']);
  }

  /** GET /saved-queries/{name}: one saved query with its text. */
  readSavedQuery(name: string): Promise<S.ReadSavedQueryResponse> {
    return this._json('GET', ['saved-queries', name]);
  }

  /** PUT /saved-queries/{name}: a 409 `conflict` when it exists and overwrite is false. */
  saveQuery(
    name: string,
    request: S.SaveQueryRequest
  ): Promise<S.ReadSavedQueryResponse> {
    return this._json('PUT', ['saved-queries', name], request);
  }

  /** POST /saved-queries/{name}/rename. */
  renameSavedQuery(
    name: string,
    request: S.RenameSavedQueryRequest
  ): Promise<S.ReadSavedQueryResponse> {
    return this._json('POST', ['saved-queries', name, 'rename'], request);
  }

  /** DELETE /saved-queries/{name}. */
  async deleteSavedQuery(name: string): Promise<void> {
    await this._request('DELETE', ['saved-queries', name]);
  }

  /**
   * POST /imports: upload a file (a dropped `File`) as the raw body; the options travel as
   * query parameters. Answers 201 with the new table version or source.
   */
  async importFile(
    file: Blob,
    request: S.ImportFileRequest
  ): Promise<S.ImportFileResponse> {
    const response = await this._send(
      this._url(['imports']) + queryString(request),
      {
        method: 'POST',
        body: file,
        headers: { 'Content-Type': 'application/octet-stream' }
      }
    );
    return (await response.json()) as S.ImportFileResponse;
  }
}
