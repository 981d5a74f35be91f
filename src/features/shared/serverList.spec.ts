import { ServerList } from './serverList';

/** A list whose reads the test answers one by one. */
class Names extends ServerList<string, string> {
  pending: {
    resolve: (names: string[]) => void;
    reject: (error: Error) => void;
  }[] = [];

  get names(): readonly string[] {
    return this.items;
  }

  protected read(): Promise<string[]> {
    return new Promise((resolve, reject) =>
      this.pending.push({ resolve, reject })
    );
  }

  protected asError(error: unknown): string {
    return (error as Error).message;
  }
}

describe('ServerList', () => {
  it('re-renders only when the list or its error differ, and drops an answer older than the latest read', async () => {
    const list = new Names();
    let emitted = 0;
    list.changed.connect(() => emitted++);

    const first = list.refresh();
    list.pending[0].resolve(['a']);
    await first;
    expect([list.loaded, list.names, emitted]).toEqual([true, ['a'], 1]);

    // The same list again (a poll): nothing to re-render.
    const same = list.refresh();
    list.pending[1].resolve(['a']);
    await same;
    expect(emitted).toBe(1);

    // Two reads in flight: the older answer, arriving last, is dropped.
    const older = list.refresh();
    const newer = list.refresh();
    list.pending[3].resolve(['a', 'b']);
    await newer;
    list.pending[2].resolve(['stale']);
    await older;
    expect(list.names).toEqual(['a', 'b']);
    expect(emitted).toBe(2);

    // A failed read shows its error; the next good read clears it.
    const failed = list.refresh();
    list.pending[4].reject(new Error('server down'));
    await failed;
    expect([list.error, emitted]).toEqual(['server down', 3]);
    const again = list.refresh();
    list.pending[5].resolve(['a', 'b']);
    await again;
    expect([list.error, list.names, emitted]).toEqual([null, ['a', 'b'], 4]);
  });
});
