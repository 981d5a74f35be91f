import type { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import { nullTranslator } from '@jupyterlab/translation';
import { Widget } from '@lumino/widgets';

import { FAILED_TEXT } from '../results/cells';
import { GridStyle } from '../results/style';
import {
  CellResultView,
  gridHeight,
  ICellResultPayload,
  MIME_TYPE
} from './CellResultView';
import { fakeKernel } from './fakeKernel';
import type { CommKernel } from './kernelPager';

const trans = nullTranslator.load('mlworkbench');
const COLUMNS = [{ name: 'n', type: 'BIGINT' }];
const range = (from: number, count: number) =>
  Array.from({ length: count }, (_, i) => [from + i]);

function payload(
  overrides: Partial<ICellResultPayload> = {}
): ICellResultPayload {
  return {
    session_id: 's1',
    query_id: 'q1',
    columns: COLUMNS,
    rows: range(0, 100),
    total_rows: 1000,
    elapsed_ms: 12.3,
    message: null,
    ...overrides
  };
}

/** The kernel side of mlworkbench/magics/comm.py over a result 0..total-1. */
function answering(total: number | null, counted = total) {
  let describes = 0;
  return (data: any) => {
    if (data.method === 'describe') {
      describes++;
      return {
        ok: true,
        describe: {
          session_id: data.session_id,
          sql: 'SELECT',
          columns: COLUMNS,
          total_rows: describes > 1 ? counted : total,
          status: describes > 1 ? 'ready' : 'counting'
        }
      };
    }
    const { offset, limit } = data.request;
    return {
      ok: true,
      page: {
        session_id: data.session_id,
        offset,
        rows: range(offset, limit),
        total_rows: total,
        columns: COLUMNS,
        elapsed_ms: 1
      }
    };
  };
}

const views: CellResultView[] = [];

function newView(kernel: CommKernel | null): CellResultView {
  const view = new CellResultView({
    gridStyle: new GridStyle(),
    trans,
    findKernel: () => kernel,
    pollMs: 1
  });
  views.push(view);
  return view;
}

async function render(
  data: ICellResultPayload,
  kernel: CommKernel | null
): Promise<CellResultView> {
  const view = newView(kernel);
  const mimeModel = {
    data: { [MIME_TYPE]: data },
    metadata: {},
    trusted: false,
    setData: () => undefined
  } as unknown as IRenderMime.IMimeModel;
  await view.renderModel(mimeModel);
  Widget.attach(view, document.body);
  return view;
}

const part = (view: CellResultView, testid: string) =>
  view.node.querySelector(`[data-testid="${testid}"]`) as HTMLElement;
const status = (view: CellResultView) => part(view, 'mlwb-cell-result-status');
const notice = (view: CellResultView) => part(view, 'mlwb-cell-result-notice');
const tick = (ms = 5) => new Promise(resolve => setTimeout(resolve, ms));

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) {
    await tick();
  }
  expect(check()).toBe(true);
}

afterEach(() => {
  views.splice(0).forEach(view => view.dispose());
});

describe('CellResultView', () => {
  it('shows the row count, the time and the grid of the first page', async () => {
    const view = await render(payload(), null);
    expect(view.node.dataset.testid).toBe('mlwb-cell-result');
    expect(status(view).textContent).toBe('1,000 rows · 12 ms');
    expect(status(view).dataset.state).toBe('ready');
    expect(status(view).dataset.totalRows).toBe('1000');
    expect(part(view, 'mlwb-results-grid')).toBeTruthy();
    expect(view.model!.data('body', 99, 0)).toBe('99');
    expect(notice(view).classList.contains('lm-mod-hidden')).toBe(true);
  });

  it('pages and sorts through the kernel', async () => {
    const { kernel, opened } = fakeKernel(answering(1000));
    const view = await render(payload(), kernel);
    await view.model!.ensureBlock(5);
    expect(view.model!.cachedValue(550, 0)).toBe(550);
    view.model!.setSort({ column: 'n', descending: true });
    await view.model!.ensureBlock(0);
    expect(opened.map(o => o.data.request)).toEqual([
      { offset: 500, limit: 100, sort: [] },
      { offset: 0, limit: 100, sort: [{ column: 'n', descending: true }] }
    ]);
  });

  it('says counting… until the kernel has counted, then shows the total', async () => {
    const { kernel } = fakeKernel(answering(null, 10_000_000));
    const view = await render(payload({ total_rows: null }), kernel);
    expect(status(view).textContent).toBe('100+ rows · counting… · 12 ms');
    expect(status(view).dataset.state).toBe('counting');
    await until(() => status(view).dataset.state === 'ready');
    expect(status(view).textContent).toBe('10,000,000 rows · 12 ms');
    expect(status(view).dataset.totalRows).toBe('10000000');
    expect(view.model!.rowCount('body')).toBe(10_000_000);
  });

  it('writes the count into the output so that a saved notebook keeps it', async () => {
    const { kernel } = fakeKernel(answering(null, 5000));
    const view = newView(kernel);
    // An output model as the output area has it: setData renders the same view again.
    const output: any = {
      data: { [MIME_TYPE]: payload({ total_rows: null }), 'text/plain': 'x' },
      metadata: {},
      trusted: true,
      setData: (options: any) => {
        output.data = options.data;
        void view.renderModel(output);
      }
    };
    await view.renderModel(output);
    Widget.attach(view, document.body);
    const grid = view.grid;
    view.model!.setSort({ column: 'n', descending: true });
    await until(() => status(view).dataset.state === 'ready');
    expect(output.data[MIME_TYPE].total_rows).toBe(5000);
    expect(output.data['text/plain']).toBe('x');
    // The grid, its sort and its rows stay.
    expect(view.grid).toBe(grid);
    expect(view.model!.sort).toEqual({ column: 'n', descending: true });
    expect(status(view).textContent).toBe('5,000 rows · 12 ms');
  });

  it('without a kernel still shows the first page and says paging needs the kernel', async () => {
    const view = await render(payload({ total_rows: null }), null);
    await until(() => !notice(view).classList.contains('lm-mod-hidden'));
    expect(status(view).textContent).toBe('100+ rows · 12 ms');
    expect(notice(view).textContent).toBe(
      'Paging beyond the first 100 rows needs the kernel: run the cell again.'
    );
    expect(notice(view).dataset.code).toBe('no_kernel');
    expect(part(view, 'mlwb-cell-result-retry')).toBeNull();
    expect(view.model!.data('body', 0, 0)).toBe('0');
  });

  it('without a kernel shows the failed-cell text past the first page, and the notice', async () => {
    const view = await render(payload(), null);
    view.model!.data('body', 150, 0);
    await view.model!.ensureBlock(1);
    expect(view.model!.data('body', 150, 0)).toBe(FAILED_TEXT);
    expect(notice(view).textContent).toBe(
      'Paging beyond the first 100 rows needs the kernel: run the cell again.'
    );
  });

  it("shows the kernel's message when the result is gone", async () => {
    const gone = 'This result is no longer in the kernel: run the cell again.';
    const { kernel } = fakeKernel({
      ok: false,
      message: gone,
      code: 'not_found'
    });
    const view = await render(payload(), kernel);
    await view.model!.ensureBlock(3);
    expect(notice(view).textContent).toBe(gone);
    expect(notice(view).dataset.code).toBe('not_found');
  });

  it('offers a retry when a page failed for a reason that may pass', async () => {
    let healthy = false;
    const kernelSide = answering(1000);
    const { kernel } = fakeKernel(data =>
      healthy
        ? kernelSide(data)
        : { ok: false, message: 'Internal error: boom', code: 'internal_error' }
    );
    const view = await render(payload(), kernel);
    await view.model!.ensureBlock(2);
    expect(view.model!.data('body', 250, 0)).toBe(FAILED_TEXT);
    expect(notice(view).textContent).toContain('Internal error: boom');
    healthy = true;
    part(view, 'mlwb-cell-result-retry').click();
    expect(notice(view).classList.contains('lm-mod-hidden')).toBe(true);
    view.model!.data('body', 250, 0);
    await view.model!.ensureBlock(2);
    expect(view.model!.data('body', 250, 0)).toBe('250');
  });

  it('shows what a statement without rows did, with no grid', async () => {
    const view = await render(
      payload({
        columns: [],
        rows: [],
        total_rows: 0,
        message: 'CREATE TABLE',
        elapsed_ms: 3
      }),
      null
    );
    expect(status(view).textContent).toBe('CREATE TABLE · 3 ms');
    expect(view.grid).toBeNull();
  });

  it('says where the rest is when the cell assigned it with -o', async () => {
    const view = await render(
      payload({ session_id: null, rows: range(0, 20), total_rows: 1000 }),
      null
    );
    await view.model!.ensureBlock(1);
    expect(notice(view).textContent).toMatch(
      /first 20 rows; the whole result is in the variable/
    );
  });
});

describe('gridHeight', () => {
  it('fits a small result and stops at twelve rows', () => {
    expect(gridHeight(1)).toBeLessThan(gridHeight(5));
    expect(gridHeight(12)).toBe(gridHeight(1_000_000));
    expect(gridHeight(null)).toBe(gridHeight(12));
    expect(gridHeight(0)).toBe(gridHeight(1));
    expect(gridHeight(3, true)).toBeGreaterThan(gridHeight(3));
  });
});
