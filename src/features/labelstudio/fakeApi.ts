/**
 * An in-memory `IStudioApi` for the tests: label sets, links, and background tasks whose
 * progress the test moves forward (each poll advances a running task by one step).
 */
import { WorkbenchApiError } from '../../api/client';
import type {
  DescribeLabelSet,
  DescribeStudioLink,
  DescribeTask,
  IStudioApi
} from './api';

export function labelSet(name: string, linked = false): DescribeLabelSet {
  return {
    name,
    sql: `SELECT * FROM ${name}_items`,
    key: 'id',
    choices: ['pos', 'neg'],
    multi: false,
    show: ['text'],
    kind: 'text',
    progress: {
      total: 10,
      labeled: 0,
      skipped: 0,
      disagreements: 0,
      unknown_labels: 0
    },
    version: 1,
    created_at: '2026-11-27T10:00:00Z',
    links: linked ? { labelstudio: { project_id: 7 } } : {}
  } as DescribeLabelSet;
}

export function linkOf(
  name: string,
  counts: Partial<NonNullable<DescribeStudioLink['counts']>> & {
    [key: string]: number;
  } = {}
): DescribeStudioLink {
  return {
    label_set: name,
    state: 'ok',
    url: 'http://ls.test',
    project_id: 7,
    project_url: 'http://ls.test/projects/7/data',
    counts: {
      tasks: 10,
      annotated: 2,
      pushed: 10,
      pulled: 2,
      unknown_labels: 0,
      deleted_upstream: 0,
      ...counts
    },
    last_push_at: '2026-11-27T10:05:00Z',
    last_pull_at: '2026-11-27T10:06:00Z'
  };
}

export class FakeStudioApi implements IStudioApi {
  sets: DescribeLabelSet[] = [];
  links = new Map<string, DescribeStudioLink>();
  /** Steps of the next task: the polls see them in order; the last must be finished. */
  nextTask: Partial<DescribeTask>[] = [];
  /** Thrown by the next connect/push/pull/describe call. */
  failNext: Error | null = null;
  /** describeTask throws this many times before answering again. */
  pollFailures = 0;
  cancelled: string[] = [];
  calls: string[] = [];

  async listLabelSets() {
    this.calls.push('list');
    return { label_sets: this.sets };
  }

  async describeStudioLink(name: string) {
    this.calls.push(`describe ${name}`);
    this._maybeFail();
    return (
      this.links.get(name) ?? {
        label_set: name,
        state: 'not_connected' as const,
        message: 'Not linked to Label Studio: connect first.'
      }
    );
  }

  async connectStudio(name: string) {
    this.calls.push(`connect ${name}`);
    this._maybeFail();
    const link = linkOf(name, { tasks: 0, annotated: 0, pushed: 0, pulled: 0 });
    this.links.set(name, link);
    return link;
  }

  async pushToStudio(name: string) {
    return this._start('push', name);
  }

  async pullFromStudio(name: string) {
    return this._start('pull', name);
  }

  async describeTask(taskId: string): Promise<DescribeTask> {
    this.calls.push(`poll ${taskId}`);
    if (this.pollFailures > 0) {
      this.pollFailures--;
      throw new WorkbenchApiError(
        'Cannot reach the Jupyter server: offline',
        0,
        'network_error'
      );
    }
    const task = this._tasks.get(taskId)!;
    const cancelled = this.cancelled.includes(taskId);
    const step = cancelled
      ? { finished: true, cancelled: true }
      : (task.steps.shift() ?? { finished: true });
    task.state = { ...task.state, ...step };
    return task.state;
  }

  async cancelTask(taskId: string) {
    this.calls.push(`cancel ${taskId}`);
    this.cancelled.push(taskId);
    return { cancelled: true };
  }

  private _start(kind: string, name: string) {
    this.calls.push(`${kind} ${name}`);
    this._maybeFail();
    const task_id = `t${++this._count}`;
    this._tasks.set(task_id, {
      steps: this.nextTask,
      state: {
        task_id,
        kind,
        done: 0,
        total: null,
        message: '',
        finished: false,
        cancelled: false,
        error: null,
        result: null
      }
    });
    this.nextTask = [];
    return { task_id };
  }

  private _maybeFail() {
    const error = this.failNext;
    if (error) {
      this.failNext = null;
      throw error;
    }
  }

  private _count = 0;
  private _tasks = new Map<
    string,
    { steps: Partial<DescribeTask>[]; state: DescribeTask }
  >();
}
