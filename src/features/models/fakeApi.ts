/**
 * An in-memory registry for the jest tests: runs 1..n (target `churned`) publish as the next
 * version of a name, aliases move through gates of the form `metric <op> value` (409
 * `gate_failed` with the checks and metrics, kept in the history; a gate naming an unknown
 * metric or of another form is a 422), roll back, cards change, predict answers 'yes' with
 * probabilities for a row with every signature column, and scoring writes the next version of
 * a table (404 unknown model, 400 with line and column for SQL holding 'FORM', 422 for a query
 * without 'age', as the task's error); scoring is a task (`holdScoring` keeps it running, with
 * `reportScoring` progress, until `releaseScoring()` or its cancel, which writes no version).
 */
import { WorkbenchApiError } from '../../api/errors';
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
  ScoreResponse,
  StudioTaskStarted
} from './types';

/** A scoring task of the fake server, with the request it runs. */
interface IFakeTask extends DescribeTask {
  request: ScoreQueryRequest;
}

const NOW = '2026-11-27T12:00:00Z';

const GATE = /^\s*([A-Za-z_]\w*)\s*(>=|<=|>|<|=)\s*(-?[\d.]+)\s*$/;

/** A gate `metric <op> value` over `metrics` (null: the metric is missing). */
function passes(
  check: string,
  metrics: { [name: string]: unknown }
): boolean | null {
  const [, metric, op, text] = GATE.exec(check) ?? [];
  const value = metrics[metric];
  if (typeof value !== 'number') {
    return null;
  }
  const limit = Number(text);
  return op === '>='
    ? value >= limit
    : op === '<='
      ? value <= limit
      : op === '>'
        ? value > limit
        : op === '<'
          ? value < limit
          : value === limit;
}

const SIGNATURE = {
  columns: [
    { name: 'age', type: 'integer' as const, nullable: false },
    { name: 'plan', type: 'string' as const, nullable: true },
    { name: 'spend', type: 'float' as const, nullable: true },
    { name: 'active', type: 'boolean' as const, nullable: true }
  ]
};

interface IFakeModel {
  name: string;
  versions: DescribeModelVersion[];
  aliases: { [alias: string]: { version: number | null; gates: string[] } };
  history: DescribeAliasMove[];
  /** Per alias, the versions it pointed at before (for roll back). */
  stacks: { [alias: string]: number[] };
}

export class FakeModelsApi implements IModelsApi {
  readonly models = new Map<string, IFakeModel>();
  readonly predictions: { ref: string; rows: IInputRow[] }[] = [];
  readonly scorings: ScoreQueryRequest[] = [];
  /** Table name -> its current version. */
  readonly tables = new Map<string, number>();
  /** Tasks cancelled (their ids). */
  readonly cancelled: string[] = [];
  /** Keep scoring tasks running until `releaseScoring()` (or their cancel). */
  holdScoring = false;

  /**
   * Gates the next moves of `alias` of `name` must pass (`metric <op> value`); the model is
   * changed at once (tests may not await), a gate the fake cannot read is refused (422).
   */
  async setGates(
    name: string,
    alias: string,
    gates: string[]
  ): Promise<ModelAliasInfo> {
    const model = this._model(name);
    const metrics = model.versions[model.versions.length - 1]?.metrics ?? {};
    for (const gate of gates) {
      if (passes(gate, metrics) === null) {
        throw new WorkbenchApiError(
          `The gate '${gate}' is not a condition on the metrics. Metrics: ${Object.keys(metrics).join(', ')}.`,
          422,
          'invalid_request',
          { field: 'gates', gate, metrics: Object.keys(metrics) }
        );
      }
    }
    model.aliases[alias] = {
      version: model.aliases[alias]?.version ?? null,
      gates
    };
    return {
      alias,
      version: model.aliases[alias].version,
      gates,
      updated_at: NOW
    };
  }

  /** Folders written by `exportVersion` (relative to the root). */
  readonly exported = new Set<string>();

  async removeAlias(name: string, alias: string): Promise<void> {
    const m = this._model(name);
    const info = m.aliases[alias];
    if (!info) {
      throw new WorkbenchApiError(
        `Model '${name}' has no alias '${alias}'. Aliases: ${Object.keys(m.aliases).join(', ') || 'none'}.`,
        404,
        'not_found'
      );
    }
    delete m.aliases[alias];
    delete m.stacks[alias];
    if (info.version !== null) {
      this._record(m, alias, 'remove', info.version, info.version);
    }
  }

  async exportVersion(
    name: string,
    version: number,
    path: string | null,
    overwrite: boolean
  ): Promise<ExportedModel> {
    const found = await this.describeVersion(name, version);
    const target = path ?? `mlflow-models/${name}-v${version}`;
    if (target.startsWith('/') || target.split('/').includes('..')) {
      throw new WorkbenchApiError(
        `'${target}' is outside the Jupyter root: give a folder inside it.`,
        400,
        'invalid_request',
        { field: 'path' }
      );
    }
    if (this.exported.has(target) && !overwrite) {
      throw new WorkbenchApiError(
        `'${target}' exists and is not empty: export with overwrite to replace it.`,
        409,
        'conflict',
        { path: target }
      );
    }
    this.exported.add(target);
    return {
      name,
      version,
      path: target,
      files: ['MLmodel', 'model.skops', 'requirements.txt', 'README.md'],
      sha256: found.sha256,
      mlflow_uri_hint: `MLFLOW_ALLOW_PICKLE_DESERIALIZATION=true mlflow models serve -m ${target} --env-manager local`
    };
  }

  /** What the server reports after a batch: rows done of the estimate, for held scorings. */
  reportScoring(done: number, total: number | null): void {
    for (const task of this._tasks.values()) {
      if (!task.finished) {
        task.done = done;
        task.total = total;
      }
    }
  }

  /** Let the held scorings end (write their version, or fail). */
  releaseScoring(): void {
    for (const task of this._tasks.values()) {
      if (!task.finished) {
        void this._finish(task);
      }
    }
  }

  async startScoring(request: ScoreQueryRequest): Promise<StudioTaskStarted> {
    this.scorings.push(request);
    // As the server: an unknown model is refused at once (404), the rest is the task's error.
    this._model(request.model.split('@')[0]);
    const task: IFakeTask = {
      task_id: `scoring-${this._tasks.size + 1}`,
      kind: 'scoring',
      done: 0,
      total: null,
      message: `Scoring into ${request.into}`,
      finished: false,
      cancelled: false,
      error: null,
      result: null,
      request
    };
    this._tasks.set(task.task_id, task);
    if (!this.holdScoring) {
      await this._finish(task);
    }
    return { task_id: task.task_id };
  }

  async describeTask(taskId: string): Promise<DescribeTask> {
    const task = this._tasks.get(taskId);
    if (!task) {
      throw new WorkbenchApiError(`No task '${taskId}'.`, 404, 'not_found');
    }
    const { request, ...described } = task;
    void request;
    return { ...described };
  }

  /** Stops a running task at once: it ends cancelled and writes no version. */
  async cancelTask(taskId: string): Promise<CancelTaskResponse> {
    this.cancelled.push(taskId);
    const task = this._tasks.get(taskId)!;
    const running = !task.finished;
    task.cancelled = true;
    if (running) {
      task.error = {
        message: 'Scoring was cancelled.',
        code: 'cancelled',
        detail: {}
      };
      task.finished = true;
    }
    return { cancelled: running };
  }

  private async _finish(task: IFakeTask): Promise<void> {
    try {
      const result = await this._score(task.request);
      if (task.finished) {
        return; // cancelled meanwhile: no version
      }
      task.result = result as unknown as DescribeTask['result'];
      task.done = task.total = result.rows;
    } catch (error) {
      const { message, code, detail } = error as WorkbenchApiError;
      task.error = { message, code, detail };
    }
    task.finished = true;
  }

  private async _score(request: ScoreQueryRequest): Promise<ScoreResponse> {
    const at = request.model.lastIndexOf('@');
    const name = at < 0 ? request.model : request.model.slice(0, at);
    const m = this._model(name);
    const which = at < 0 ? '' : request.model.slice(at + 1);
    const version = /^\d+$/.test(which)
      ? Number(which)
      : which
        ? (m.aliases[which]?.version ?? null)
        : m.versions.length;
    if (version === null) {
      throw new WorkbenchApiError(
        `Model '${name}' has no alias '${which}'.`,
        404,
        'not_found'
      );
    }
    const found = await this.describeVersion(name, version);
    const form = request.sql.indexOf('FORM');
    if (form >= 0) {
      const before = request.sql.slice(0, form).split('\n');
      throw new WorkbenchApiError(
        'Parser Error: syntax error at or near "FORM"',
        400,
        'query_error',
        {
          sql: request.sql,
          line: before.length,
          column: before[before.length - 1].length + 1
        }
      );
    }
    if (!request.sql.includes('age') && !request.sql.includes('*')) {
      throw new WorkbenchApiError(
        "The query has no column 'age' the model needs.",
        422,
        'signature_mismatch',
        { missing: ['age'] }
      );
    }
    const tableVersion = (this.tables.get(request.into) ?? 0) + 1;
    this.tables.set(request.into, tableVersion);
    return {
      table: {
        name: request.into,
        kind: 'workspace_table',
        row_count: 240,
        version: tableVersion
      },
      model: name,
      version,
      sha256: found.sha256,
      rows: 240,
      column: request.column ?? 'prediction',
      lineage: `SELECT *, predict('${name}@${version}', *) FROM (${request.sql})`
    };
  }

  async listModels(): Promise<ModelSummary[]> {
    return [...this.models.values()].reverse().map(m => ({
      name: m.name,
      description: null,
      latest_version: m.versions[m.versions.length - 1]?.version ?? null,
      versions: m.versions.length,
      aliases: Object.fromEntries(
        Object.entries(m.aliases).map(([a, info]) => [a, info.version])
      ),
      task: 'binary',
      target: 'churned',
      updated_at: NOW
    }));
  }

  async describeModel(name: string): Promise<DescribeModel> {
    const m = this._model(name);
    return {
      name,
      description: null,
      created_at: NOW,
      versions: [...m.versions].reverse().map(v => ({
        version: v.version,
        run_id: v.run_id,
        artifact: v.artifact,
        task: v.task,
        target: v.target,
        metrics: v.metrics,
        sha256: v.sha256,
        description: null,
        aliases: this._aliasesOf(m, v.version),
        created_at: v.created_at
      })),
      aliases: Object.entries(m.aliases).map(([alias, info]) => ({
        alias,
        version: info.version,
        gates: info.gates,
        updated_at: NOW
      })),
      alias_history: [...m.history].reverse()
    };
  }

  async describeVersion(
    name: string,
    version: number
  ): Promise<DescribeModelVersion> {
    const m = this._model(name);
    const found = m.versions.find(v => v.version === version);
    if (!found) {
      throw new WorkbenchApiError(
        `Model '${name}' has no version ${version}.`,
        404,
        'not_found'
      );
    }
    return { ...found, aliases: this._aliasesOf(m, version) };
  }

  async publish(runId: number, name: string): Promise<DescribeModelVersion> {
    if (!/^[A-Za-z_][A-Za-z0-9_-]*$/.test(name)) {
      throw new WorkbenchApiError(
        `'${name}' is not a model name: use letters, digits, '_' and '-'.`,
        400,
        'invalid_request',
        { field: 'name' }
      );
    }
    let m = this.models.get(name);
    if (!m) {
      m = { name, versions: [], aliases: {}, history: [], stacks: {} };
      this.models.set(name, m);
    }
    const version = m.versions.length + 1;
    const published: DescribeModelVersion = {
      name,
      version,
      run_id: runId,
      artifact: 'best',
      path: `models/${name}/v${version}/model.skops`,
      sha256: `${version}`.repeat(64).slice(0, 64),
      size: 2048,
      untrusted_types: [],
      signature: SIGNATURE,
      task: 'binary',
      target: 'churned',
      classes: ['no', 'yes'],
      metrics: { roc_auc: 0.8 + version / 100, accuracy: 0.75 },
      lineage: { run_id: runId },
      card: `# ${name} v${version}\n\nPredicts **churned**.`,
      description: null,
      aliases: [],
      created_at: NOW
    };
    m.versions.push(published);
    return published;
  }

  async setAlias(
    name: string,
    alias: string,
    version: number
  ): Promise<DescribeAliasMove> {
    const m = this._model(name);
    const target = await this.describeVersion(name, version);
    const info = m.aliases[alias] ?? { version: null, gates: [] };
    const results = info.gates.map(check => ({
      check,
      passed: passes(check, target.metrics)
    }));
    const move = this._record(m, alias, 'promote', info.version, version);
    move.gate_results = results;
    if (results.some(r => !r.passed)) {
      move.moved = false;
      const failed = results.filter(r => !r.passed).map(r => r.check);
      throw new WorkbenchApiError(
        `Moving ${alias} to v${version}: the gate '${failed[0]}' failed (roc_auc = ${target.metrics.roc_auc}); the alias did not move.`,
        409,
        'gate_failed',
        { failed, results, metrics: target.metrics }
      );
    }
    if (info.version !== null) {
      (m.stacks[alias] ??= []).push(info.version);
    }
    m.aliases[alias] = { version, gates: info.gates };
    return move;
  }

  async rollback(name: string, alias: string): Promise<DescribeAliasMove> {
    const m = this._model(name);
    const previous = m.stacks[alias]?.pop();
    if (previous === undefined) {
      throw new WorkbenchApiError(
        `Alias '${alias}' of '${name}' has no earlier version to roll back to.`,
        409,
        'conflict'
      );
    }
    const move = this._record(
      m,
      alias,
      'rollback',
      m.aliases[alias].version,
      previous
    );
    m.aliases[alias].version = previous;
    return move;
  }

  async updateCard(
    name: string,
    version: number,
    card: string
  ): Promise<DescribeModelVersion> {
    const m = this._model(name);
    const found = m.versions.find(v => v.version === version)!;
    found.card = card;
    return this.describeVersion(name, version);
  }

  async predict(ref: string, rows: IInputRow[]): Promise<IPrediction> {
    this.predictions.push({ ref, rows });
    const missing = SIGNATURE.columns
      .filter(c => !c.nullable && (rows[0][c.name] ?? null) === null)
      .map(c => c.name);
    if (missing.length) {
      throw new WorkbenchApiError(
        `Column '${missing[0]}' may not be null.`,
        422,
        'signature_mismatch',
        { missing }
      );
    }
    return {
      predictions: rows.map(() => 'yes'),
      probabilities: rows.map(() => ({ no: 0.25, yes: 0.75 }))
    };
  }

  async runTarget(runId: number): Promise<string | null> {
    return 'churned';
  }

  private readonly _tasks = new Map<string, IFakeTask>();

  private _model(name: string): IFakeModel {
    const m = this.models.get(name);
    if (!m) {
      throw new WorkbenchApiError(
        `No model '${name}'. Known: ${[...this.models.keys()].join(', ') || 'none'}.`,
        404,
        'not_found'
      );
    }
    return m;
  }

  private _aliasesOf(m: IFakeModel, version: number): string[] {
    return Object.entries(m.aliases)
      .filter(([, info]) => info.version === version)
      .map(([alias]) => alias);
  }

  private _record(
    m: IFakeModel,
    alias: string,
    action: DescribeAliasMove['action'],
    from: number | null,
    to: number
  ): DescribeAliasMove {
    const move: DescribeAliasMove = {
      id: m.history.length + 1,
      alias,
      action,
      from_version: from,
      to_version: to,
      moved: true,
      gate_results: [],
      reason: null,
      actor: 'tester',
      moved_at: NOW
    };
    m.history.push(move);
    return move;
  }
}
