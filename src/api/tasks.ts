/**
 * Following a background task of the server (`GET /tasks/{task_id}`) until it ends: the one
 * poller the Label Studio push/pull and "Score a query" share.
 */
import type { components } from './types';

type DescribeTask = components['schemas']['DescribeTask'];

export interface IPollTaskOptions {
  /** `GET /tasks/{task_id}` (the client's `describeTask`). */
  describe: (taskId: string) => Promise<DescribeTask>;
  /** Wait between two reads (tests pass a fake). */
  sleep?: (ms: number) => Promise<void>;
  /** Milliseconds between two reads (default 400). */
  pollMs?: number;
  /** Failed reads in a row before giving up with the last error (default 5). */
  maxFailures?: number;
  /** Told each description of the task while it runs (rows done, total, message). */
  onProgress?: (task: DescribeTask) => void;
  /** False once the caller no longer wants the outcome: polling stops, resolving null. */
  active?: () => boolean;
}

/** A timer-based wait. */
export function sleepMs(ms: number): Promise<void> {
  return new Promise(resolve => window.setTimeout(resolve, ms));
}

/**
 * Read the task every `pollMs` until it is finished; resolves with its last description (its
 * `result` or `error`), or null when `active()` turned false. Throws the read's error after
 * `maxFailures` failed reads in a row.
 */
export async function pollTask(
  taskId: string,
  options: IPollTaskOptions
): Promise<DescribeTask | null> {
  const sleep = options.sleep ?? sleepMs;
  const pollMs = options.pollMs ?? 400;
  const maxFailures = options.maxFailures ?? 5;
  const active = options.active ?? (() => true);
  let failures = 0;
  while (active()) {
    await sleep(pollMs);
    let task: DescribeTask;
    try {
      task = await options.describe(taskId);
      failures = 0;
    } catch (error) {
      if (++failures >= maxFailures) {
        throw error;
      }
      continue;
    }
    if (task.finished) {
      return active() ? task : null;
    }
    options.onProgress?.(task);
  }
  return null;
}
