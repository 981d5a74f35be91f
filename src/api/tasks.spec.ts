import { pollTask } from './tasks';
import type { components } from './types';

type DescribeTask = components['schemas']['DescribeTask'];

const task = (done: number, finished = false): DescribeTask => ({
  task_id: 't',
  kind: 'scoring',
  done,
  total: 300,
  message: '',
  finished,
  cancelled: false,
  error: null,
  result: finished ? { rows: done } : null
});

describe('pollTask', () => {
  const sleep = () => Promise.resolve();

  it('reports each running description and resolves the finished one', async () => {
    const answers = [task(0), task(120), task(300, true)];
    const seen: number[] = [];
    const ended = await pollTask('t', {
      describe: async () => answers.shift()!,
      sleep,
      onProgress: t => seen.push(t.done)
    });
    expect(seen).toEqual([0, 120]);
    expect(ended?.result).toEqual({ rows: 300 });
  });

  it('retries failed reads, then throws the last error', async () => {
    let calls = 0;
    const flaky = async () => {
      if (++calls < 3) {
        throw new Error('down');
      }
      return task(300, true);
    };
    expect(
      (await pollTask('t', { describe: flaky, sleep, maxFailures: 3 }))?.done
    ).toBe(300);
    calls = -10;
    await expect(
      pollTask('t', { describe: flaky, sleep, maxFailures: 2 })
    ).rejects.toThrow('down');
  });

  it('stops, resolving null, once the caller is no longer active', async () => {
    let active = true;
    const ended = await pollTask('t', {
      describe: async () => {
        active = false;
        return task(300, true);
      },
      sleep,
      active: () => active
    });
    expect(ended).toBeNull();
  });
});
