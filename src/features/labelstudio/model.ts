/**
 * The Label Studio side of every label set, for the sidebar's "Label Studio" section and the
 * palette commands: which label sets are linked, their sync status and counts, and the
 * connect / push / pull actions (push and pull are background tasks on the server: the model
 * polls them for progress and can cancel them). Talks only to `IStudioApi`.
 */
import { ISignal, Signal } from '@lumino/signaling';

import { pollTask, sleepMs } from '../../api/tasks';
import { describeDetail } from '../sql-editor/errorDetail';
import type {
  DescribeLabelSet,
  DescribeStudioLink,
  DescribeTask,
  IStudioApi
} from './api';

export type StudioAction = 'connect' | 'push' | 'pull';

/** A failed action or status read: the server's message and detail, ready to show. */
export interface IStudioProblem {
  action: StudioAction | 'status';
  message: string;
  /** The server's detail as "key: value" lines ('' when none). */
  detail: string;
  code: string;
  /** No Label Studio URL or API key is configured on the server: show how to set them. */
  needsConfig: boolean;
}

/** A push or pull running on the server. */
export interface IStudioJob {
  action: 'push' | 'pull';
  taskId: string | null;
  done: number;
  total: number | null;
  message: string;
  cancelling: boolean;
}

/** Counts shown for a linked label set (from the server's link description). */
export interface IStudioCounts {
  tasks: number;
  annotated: number;
  pushed: number;
  pulled: number;
  /** Labels kept with a label not in the choices (flagged). */
  unknownLabels: number;
  /** Labels whose Label Studio task was deleted (flagged). */
  deletedUpstream: number;
}

export interface IStudioEntry {
  name: string;
  /** The label set has a Label Studio link (from the label set list). */
  linked: boolean;
  /** The server's description of the link (null until read). */
  link: DescribeStudioLink | null;
  counts: IStudioCounts | null;
  job: IStudioJob | null;
  problem: IStudioProblem | null;
  /** What the last finished action did ("Pushed 40 new tasks"...). */
  outcome: string | null;
}

/**
 * Whether the server has a Label Studio URL and API key, learned from a link description (the
 * same for every label set: it is the server's configuration).
 */
export interface IStudioConfiguration {
  configured: boolean;
  /** The server's message saying what is missing and where to set it (null when configured). */
  message: string | null;
}

export interface IStudioModelOptions {
  /** Milliseconds between two polls of a running task. */
  pollMs?: number;
  /** Waits `ms` (replaced in tests). */
  sleep?: (ms: number) => Promise<void>;
  /** Failed polls in a row before a task is given up as lost. */
  maxPollFailures?: number;
}

const KIND = 'labelstudio';

/** Where the server reads the URL and key: shown when they are missing. */
export const CONFIG_HELP = [
  'c.MLWorkbench.label_studio_url = "http://localhost:8080"',
  'c.MLWorkbench.label_studio_api_key = "<Access Token from Label Studio: Account & Settings>"'
];
export const CONFIG_ENV = ['LABEL_STUDIO_URL', 'LABEL_STUDIO_API_KEY'];

/** A thrown API error (or anything) as a problem to show. */
export function asProblem(
  action: IStudioProblem['action'],
  error: unknown
): IStudioProblem {
  const e = (error ?? {}) as {
    message?: unknown;
    code?: unknown;
    detail?: { [key: string]: unknown };
  };
  const detail = e.detail ?? {};
  const code = typeof e.code === 'string' ? e.code : 'error';
  return {
    action,
    message: typeof e.message === 'string' ? e.message : String(error),
    detail: describeDetail(detail),
    code,
    needsConfig:
      code === 'invalid_request' &&
      (detail.field === 'url' || detail.field === 'api_key')
  };
}

/** The counts of a link description (the server counts the flagged labels too). */
export function countsOf(
  link: DescribeStudioLink | null
): IStudioCounts | null {
  const counts = link?.counts;
  if (!counts) {
    return null;
  }
  return {
    tasks: counts.tasks,
    annotated: counts.annotated,
    pushed: counts.pushed,
    pulled: counts.pulled,
    unknownLabels: counts.unknown_labels ?? 0,
    deletedUpstream: counts.deleted_upstream ?? 0
  };
}

/** What a finished push or pull did, in a sentence. */
export function describeOutcome(task: DescribeTask): string {
  const result = (task.result ?? {}) as { [key: string]: unknown };
  const n = (key: string): number => Number(result[key] ?? 0);
  if (task.cancelled) {
    return task.kind === 'push'
      ? `Push cancelled after ${task.done} items (pushing again resumes)`
      : 'Pull cancelled: nothing was written';
  }
  if (task.kind === 'push') {
    const parts = [
      `Pushed ${n('pushed')} new ${n('pushed') === 1 ? 'task' : 'tasks'}`
    ];
    if (n('skipped')) {
      parts.push(`${n('skipped')} already there`);
    }
    if (n('predictions')) {
      parts.push(`${n('predictions')} pre-annotations`);
    }
    return parts.length > 1
      ? `${parts[0]} (${parts.slice(1).join(', ')})`
      : parts[0];
  }
  const parts = [`${n('written')} new or changed`];
  if (n('unknown_labels')) {
    parts.push(`${n('unknown_labels')} with an unknown label`);
  }
  if (n('deleted_tasks')) {
    parts.push(`${n('deleted_tasks')} tasks deleted in Label Studio`);
  }
  if (n('deleted_annotations')) {
    parts.push(
      `${n('deleted_annotations')} annotations deleted in Label Studio`
    );
  }
  const count = n('annotations');
  return `Pulled ${count} ${count === 1 ? 'annotation' : 'annotations'} (${parts.join(', ')})`;
}

/** A task's progress as a share (0-1), or null while its total is unknown. */
export function jobShare(job: IStudioJob): number | null {
  if (job.total === null || job.total <= 0) {
    return null;
  }
  return Math.min(1, job.done / job.total);
}

/** A label set's entry before anything is read or done. */
export function newEntry(name: string, linked: boolean): IStudioEntry {
  return {
    name,
    linked,
    link: null,
    counts: null,
    job: null,
    problem: null,
    outcome: null
  };
}

/** The label sets an action applies to: push and pull need a link; connect offers all. */
export function namesFor(
  entries: readonly IStudioEntry[],
  action: StudioAction
): string[] {
  if (action === 'connect') {
    // Unlinked first: they are the ones to connect.
    return [
      ...entries.filter(e => !e.linked),
      ...entries.filter(e => e.linked)
    ].map(e => e.name);
  }
  return entries.filter(e => e.linked).map(e => e.name);
}

export class StudioModel {
  constructor(
    readonly api: IStudioApi,
    options: IStudioModelOptions = {}
  ) {
    this._pollMs = options.pollMs ?? 400;
    this._sleep = options.sleep ?? sleepMs;
    this._maxPollFailures = options.maxPollFailures ?? 5;
  }

  get changed(): ISignal<this, void> {
    return this._changed;
  }

  get entries(): readonly IStudioEntry[] {
    return this._names.map(name => this._entries.get(name)!);
  }

  get loaded(): boolean {
    return this._loaded;
  }

  /** The label set list could not be read. */
  get error(): IStudioProblem | null {
    return this._error;
  }

  /** Whether the server can reach Label Studio at all (null until a link was described). */
  get configuration(): IStudioConfiguration | null {
    return this._configuration;
  }

  entry(name: string): IStudioEntry | undefined {
    return this._entries.get(name);
  }

  /**
   * Reload the label sets, and the status and counts of the linked ones (in parallel). One
   * unlinked label set is described too (the server answers without asking Label Studio): its
   * description says whether the server has a Label Studio URL and key, so the unlinked rows
   * show at once whether Connect can work and what to set up when it cannot.
   */
  async refresh(): Promise<void> {
    const generation = ++this._generation;
    let sets: DescribeLabelSet[];
    try {
      sets = (await this.api.listLabelSets()).label_sets;
    } catch (error) {
      if (generation === this._generation) {
        this._error = asProblem('status', error);
        this._loaded = true;
        this._changed.emit();
      }
      return;
    }
    if (generation !== this._generation) {
      return;
    }
    this._error = null;
    this._loaded = true;
    this._names = sets.map(s => s.name);
    for (const name of [...this._entries.keys()]) {
      if (!this._names.includes(name)) {
        this._entries.delete(name);
      }
    }
    for (const set of sets) {
      const linked = Boolean(set.links?.[KIND]);
      const entry = this._entries.get(set.name);
      if (!entry) {
        this._entries.set(set.name, newEntry(set.name, linked));
      } else if (entry.linked !== linked) {
        this._update(set.name, { linked, link: null, counts: null });
      }
    }
    this._changed.emit();
    const linked = sets.filter(s => this._entries.get(s.name)?.linked);
    const unlinked = sets.find(s => !this._entries.get(s.name)?.linked);
    await Promise.all(
      [...linked, ...(unlinked ? [unlinked] : [])].map(s =>
        this.refreshLink(s.name)
      )
    );
  }

  /** Read one label set's link status and counts (Label Studio answers for the counts). */
  async refreshLink(name: string): Promise<void> {
    try {
      const link = await this.api.describeStudioLink(name);
      if (!this._entries.has(name)) {
        return;
      }
      const problem = this._entries.get(name)!.problem;
      const configured = link.configured ?? true;
      this._configuration = {
        configured,
        message: configured ? null : (link.message ?? null)
      };
      this._update(name, {
        linked: link.state !== 'not_connected',
        link,
        counts: countsOf(link),
        problem: problem?.action === 'status' ? null : problem
      });
    } catch (error) {
      if (this._entries.has(name)) {
        this._update(name, { problem: asProblem('status', error) });
      }
    }
  }

  /**
   * Link a label set to Label Studio (a new project with a generated label config).
   * Returns the link, or null when it failed (the entry's `problem` says why).
   */
  async connect(name: string): Promise<DescribeStudioLink | null> {
    this._ensure(name);
    if (this._entries.get(name)!.job) {
      return null;
    }
    this._update(name, { problem: null, outcome: null });
    try {
      const link = await this.api.connectStudio(name);
      this._update(name, {
        linked: true,
        link,
        counts: countsOf(link),
        outcome: link.project_id
          ? `Linked to Label Studio project ${link.project_id}`
          : null
      });
      return link;
    } catch (error) {
      this._update(name, { problem: asProblem('connect', error) });
      return null;
    }
  }

  /** Push the items not pushed before; resolves with the finished task (null on failure). */
  push(name: string): Promise<DescribeTask | null> {
    return this._run(name, 'push', () => this.api.pushToStudio(name));
  }

  /** Pull the annotations changed since the last pull. */
  pull(name: string): Promise<DescribeTask | null> {
    return this._run(name, 'pull', () => this.api.pullFromStudio(name));
  }

  /** Ask the server to stop a running push or pull (it stops at its next batch). */
  async cancel(name: string): Promise<void> {
    const job = this._entries.get(name)?.job;
    if (!job || !job.taskId || job.cancelling) {
      return;
    }
    this._update(name, { job: { ...job, cancelling: true } });
    try {
      await this.api.cancelTask(job.taskId);
    } catch (error) {
      const now = this._entries.get(name)?.job;
      this._update(name, {
        job: now ? { ...now, cancelling: false } : null,
        problem: asProblem(job.action, error)
      });
    }
  }

  private async _run(
    name: string,
    action: 'push' | 'pull',
    start: () => Promise<{ task_id: string }>
  ): Promise<DescribeTask | null> {
    this._ensure(name);
    if (this._entries.get(name)!.job) {
      return null; // one action at a time per label set
    }
    const job: IStudioJob = {
      action,
      taskId: null,
      done: 0,
      total: null,
      message: action === 'push' ? 'Starting the push' : 'Starting the pull',
      cancelling: false
    };
    this._update(name, { job, problem: null, outcome: null });
    let taskId: string;
    try {
      taskId = (await start()).task_id;
    } catch (error) {
      this._update(name, { job: null, problem: asProblem(action, error) });
      return null;
    }
    this._setJob(name, { taskId });
    let task: DescribeTask | null;
    try {
      task = await pollTask(taskId, {
        describe: id => this.api.describeTask(id),
        sleep: this._sleep,
        pollMs: this._pollMs,
        maxFailures: this._maxPollFailures,
        active: () => this._entries.has(name),
        onProgress: running =>
          this._setJob(name, {
            done: running.done,
            total: running.total ?? null,
            message: running.message
          })
      });
    } catch (error) {
      this._update(name, { job: null, problem: asProblem(action, error) });
      return null;
    }
    if (!task || !this._entries.has(name)) {
      return null;
    }
    this._update(name, {
      job: null,
      problem: task.error ? asProblem(action, task.error) : null,
      outcome: task.error ? null : describeOutcome(task)
    });
    await this.refreshLink(name);
    return task;
  }

  private _ensure(name: string): void {
    if (!this._entries.has(name)) {
      this._entries.set(name, newEntry(name, false));
      if (!this._names.includes(name)) {
        this._names = [...this._names, name];
      }
    }
  }

  private _setJob(name: string, change: Partial<IStudioJob>): void {
    const job = this._entries.get(name)?.job;
    if (job) {
      this._update(name, { job: { ...job, ...change } });
    }
  }

  private _update(name: string, change: Partial<IStudioEntry>): void {
    const entry = this._entries.get(name);
    if (!entry) {
      return;
    }
    this._entries.set(name, { ...entry, ...change });
    this._changed.emit();
  }

  private _entries = new Map<string, IStudioEntry>();
  private _names: string[] = [];
  private _loaded = false;
  private _error: IStudioProblem | null = null;
  private _configuration: IStudioConfiguration | null = null;
  private _generation = 0;
  private readonly _pollMs: number;
  private readonly _sleep: (ms: number) => Promise<void>;
  private readonly _maxPollFailures: number;
  private readonly _changed = new Signal<this, void>(this);
}
