import { nullTranslator } from '@jupyterlab/translation';

import { fakeKernel } from './fakeKernel';
import {
  askKernel,
  COMM_TARGET,
  CommKernel,
  GONE,
  KernelPager,
  KernelRequestError,
  NO_KERNEL,
  NOT_LOADED,
  TIMEOUT
} from './kernelPager';

const trans = nullTranslator.load('mlworkbench');

const PAGE = {
  session_id: 's1',
  offset: 500,
  rows: [[500], [501]],
  total_rows: 1000,
  columns: [{ name: 'n', type: 'BIGINT' }],
  elapsed_ms: 1
};

describe('askKernel', () => {
  it('opens a comm on the results target and resolves with the one reply', async () => {
    const { kernel, opened } = fakeKernel({ ok: true, page: PAGE });
    const reply = await askKernel(kernel, { method: 'page' }, { trans });
    expect(reply.page).toEqual(PAGE);
    expect(opened).toEqual([{ target: COMM_TARGET, data: { method: 'page' } }]);
  });

  it("rejects with the kernel's message and code when it says ok: false", async () => {
    const { kernel } = fakeKernel({
      ok: false,
      message: 'This result is no longer in the kernel: run the cell again.',
      code: GONE,
      detail: { kind: 'result' }
    });
    const error = await askKernel(kernel, {}, { trans }).catch(e => e);
    expect(error).toBeInstanceOf(KernelRequestError);
    expect(error.message).toBe(
      'This result is no longer in the kernel: run the cell again.'
    );
    expect(error.code).toBe(GONE);
    expect(error.detail).toEqual({ kind: 'result' });
  });

  it('says mlworkbench is not loaded when the kernel closes the comm without answering', async () => {
    const { kernel } = fakeKernel(null);
    const error = await askKernel(kernel, {}, { trans }).catch(e => e);
    expect(error.message).toBe(
      'The kernel has not loaded mlworkbench: run the cell again.'
    );
    expect(error.code).toBe(NOT_LOADED);
  });

  it('gives up after the timeout and disposes the comm', async () => {
    const { kernel, comms } = fakeKernel('silent');
    const error = await askKernel(kernel, {}, { trans, timeoutMs: 20 }).catch(
      e => e
    );
    expect(error.code).toBe(TIMEOUT);
    expect(error.message).toMatch(/did not answer within 0 s/);
    expect(comms[0].isDisposed).toBe(true);
  });

  it('rejects when the kernel goes away (the comm_open future is cancelled)', async () => {
    const { kernel } = fakeKernel('silent', new Error('Canceled future'));
    const error = await askKernel(kernel, {}, { trans }).catch(e => e);
    expect(error.code).toBe(NO_KERNEL);
    expect(error.message).toMatch(/The kernel went away/);
  });

  it('rejects when the kernel cannot create comms', async () => {
    const kernel = {
      createComm: () => {
        throw new Error('Comms are disabled on this kernel connection');
      }
    } as unknown as CommKernel;
    const error = await askKernel(kernel, {}, { trans }).catch(e => e);
    expect(error.code).toBe(NO_KERNEL);
  });
});

describe('KernelPager', () => {
  it('fetches a page of its session through the kernel found at request time', async () => {
    const { kernel, opened } = fakeKernel({ ok: true, page: PAGE });
    let current: CommKernel | null = null;
    const pager = new KernelPager({
      sessionId: 's1',
      findKernel: () => current,
      firstRows: 100,
      trans
    });
    await expect(pager.fetchPage({ offset: 500, limit: 2 })).rejects.toThrow(
      'Paging beyond the first 100 rows needs the kernel: run the cell again.'
    );
    current = kernel;
    const request = {
      offset: 500,
      limit: 2,
      sort: [{ column: 'n', descending: true }]
    };
    expect(await pager.fetchPage(request)).toEqual(PAGE);
    expect(opened[0].data).toEqual({
      method: 'page',
      session_id: 's1',
      request
    });
  });

  it('describes its session', async () => {
    const described = {
      session_id: 's1',
      sql: 'SELECT 1',
      columns: [],
      total_rows: 10,
      status: 'ready'
    };
    const { kernel, opened } = fakeKernel({ ok: true, describe: described });
    const pager = new KernelPager({
      sessionId: 's1',
      findKernel: () => kernel,
      firstRows: 100,
      trans
    });
    expect(await pager.describe()).toEqual(described);
    expect(opened[0].data).toEqual({ method: 'describe', session_id: 's1' });
  });

  it('names the rows the output holds in the no-kernel error', async () => {
    const pager = new KernelPager({
      sessionId: 's1',
      findKernel: () => null,
      firstRows: 1000,
      trans
    });
    const error = await pager.describe().catch(e => e);
    expect(error.code).toBe(NO_KERNEL);
    expect(error.message).toBe(
      'Paging beyond the first 1,000 rows needs the kernel: run the cell again.'
    );
  });
});
