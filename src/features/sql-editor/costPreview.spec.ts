import { nullTranslator } from '@jupyterlab/translation';

import { QueryEstimate, WorkbenchApiError } from '../../api/client';
import { CostPreview, looksLikeSelect } from './costPreview';
import { renderCostPreview } from './costPreviewView';

const trans = nullTranslator.load('mlworkbench');

const HUGE = 'SELECT * FROM range(100000) a, range(100000) b';

function estimate(overrides: Partial<QueryEstimate> = {}): QueryEstimate {
  return {
    estimated_rows: 286,
    large: false,
    threshold_rows: 10000000,
    warning: null,
    limit_sql: null,
    sample_sql: null,
    reason: null,
    elapsed_ms: 3,
    ...overrides
  };
}

const large = estimate({
  estimated_rows: 10000000000,
  large: true,
  warning: 'This query may return about 10,000,000,000 rows (over 10,000,000).',
  limit_sql: `SELECT * FROM (\n${HUGE}\n) LIMIT 100000`,
  sample_sql: `SELECT * FROM (\n${HUGE}\n) USING SAMPLE 0.01% (bernoulli)`
});

/** A client whose answers the test releases one by one. */
function deferredClient() {
  const calls: {
    sql: string;
    resolve: (value: QueryEstimate) => void;
    reject: (error: unknown) => void;
  }[] = [];
  const client = {
    estimateQuery: jest.fn(
      (request: { sql: string }) =>
        new Promise<QueryEstimate>((resolve, reject) =>
          calls.push({ sql: request.sql, resolve, reject })
        )
    )
  };
  return { client, calls };
}

/** Let resolved promises run their callbacks. */
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) {
    await Promise.resolve();
  }
}

describe('looksLikeSelect', () => {
  it('accepts row-returning statements after comments and parentheses', () => {
    expect(looksLikeSelect('SELECT 1')).toBe(true);
    expect(
      looksLikeSelect('  -- top\n/* x */ (with t AS (SELECT 1) FROM t)')
    ).toBe(true);
    expect(looksLikeSelect('FROM orders')).toBe(true);
    expect(looksLikeSelect('CREATE TABLE t AS SELECT 1')).toBe(false);
    expect(looksLikeSelect('selection')).toBe(false);
    expect(looksLikeSelect('')).toBe(false);
  });
});

describe('CostPreview', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('asks once the user pauses typing, for the last text only', async () => {
    const { client, calls } = deferredClient();
    const preview = new CostPreview({ client, delayMs: 500 });
    for (const text of ['S', 'SEL', 'SELECT', 'SELECT 1']) {
      preview.textChanged(text);
      jest.advanceTimersByTime(200);
    }
    expect(client.estimateQuery).not.toHaveBeenCalled();
    jest.advanceTimersByTime(300);
    expect(calls.map(c => c.sql)).toEqual(['SELECT 1']);

    calls[0].resolve(estimate());
    await settle();
    expect(preview.estimate?.estimated_rows).toBe(286);
    expect(preview.estimatedSql).toBe('SELECT 1');
  });

  it('sends the threshold when one is set', () => {
    const { client } = deferredClient();
    const preview = new CostPreview({ client, delayMs: 10, thresholdRows: 5 });
    preview.textChanged('SELECT 1');
    jest.advanceTimersByTime(10);
    expect(client.estimateQuery).toHaveBeenCalledWith({
      sql: 'SELECT 1',
      threshold_rows: 5
    });
  });

  it('never asks about statements that return no rows', () => {
    const { client } = deferredClient();
    const preview = new CostPreview({ client, delayMs: 10 });
    preview.textChanged('CREATE VIEW v AS SELECT 1');
    preview.textChanged('');
    jest.advanceTimersByTime(100);
    expect(client.estimateQuery).not.toHaveBeenCalled();
  });

  it('forgets the estimate at the first keystroke and drops answers for older texts', async () => {
    const { client, calls } = deferredClient();
    const preview = new CostPreview({ client, delayMs: 10 });
    const seen: (number | null)[] = [];
    preview.changed.connect((_, e) => seen.push(e?.estimated_rows ?? null));

    preview.textChanged(HUGE);
    jest.advanceTimersByTime(10);
    calls[0].resolve(large);
    await settle();
    expect(preview.estimate).toBe(large);

    preview.textChanged(`${HUGE} WHERE a.range < 5`);
    expect(preview.estimate).toBeNull(); // its rewrites would drop the edit
    jest.advanceTimersByTime(10);
    preview.textChanged(`${HUGE} WHERE a.range < 6`);
    // The first answer is for a text that is gone.
    calls[1].resolve(estimate({ estimated_rows: 5 }));
    await settle();
    expect(preview.estimate).toBeNull();
    expect(seen).toEqual([10000000000, null]);
  });

  it('keeps one request in flight and asks for the latest text after it', async () => {
    const { client, calls } = deferredClient();
    const preview = new CostPreview({ client, delayMs: 10 });
    preview.textChanged('SELECT 1');
    jest.advanceTimersByTime(10);
    preview.textChanged('SELECT 2');
    jest.advanceTimersByTime(10);
    preview.textChanged('SELECT 3');
    jest.advanceTimersByTime(10);
    expect(calls).toHaveLength(1);

    calls[0].resolve(estimate({ estimated_rows: 1 }));
    await settle();
    expect(calls.map(c => c.sql)).toEqual(['SELECT 1', 'SELECT 3']);
    calls[1].resolve(estimate({ estimated_rows: 3 }));
    await settle();
    expect(preview.estimate?.estimated_rows).toBe(3);
  });

  it('shows nothing when the SQL does not bind yet', async () => {
    const { client, calls } = deferredClient();
    const preview = new CostPreview({ client, delayMs: 10 });
    preview.textChanged('SELECT * FROM nope');
    jest.advanceTimersByTime(10);
    calls[0].reject(new WorkbenchApiError('no table nope', 400, 'query_error'));
    await settle();
    expect(preview.estimate).toBeNull();
  });

  it('asks at once when the user runs before the pause ends', () => {
    const { client } = deferredClient();
    const preview = new CostPreview({ client, delayMs: 600 });
    preview.textChanged(HUGE);
    preview.flush();
    expect(client.estimateQuery).toHaveBeenCalledTimes(1);
    jest.advanceTimersByTime(1000);
    expect(client.estimateQuery).toHaveBeenCalledTimes(1);
  });

  it('asks nothing and shows nothing when turned off', async () => {
    const { client, calls } = deferredClient();
    const preview = new CostPreview({ client, delayMs: 10 });
    preview.textChanged(HUGE);
    jest.advanceTimersByTime(10);
    calls[0].resolve(large);
    await settle();
    preview.enabled = false;
    expect(preview.estimate).toBeNull();
    preview.textChanged('SELECT 1');
    jest.advanceTimersByTime(100);
    expect(calls).toHaveLength(1);
  });
});

describe('renderCostPreview', () => {
  it('is hidden without an estimate', () => {
    const node = document.createElement('div');
    renderCostPreview(node, null, trans, jest.fn());
    expect(node.hidden).toBe(true);
    expect(node.dataset.state).toBe('none');
    renderCostPreview(
      node,
      estimate({ estimated_rows: null, reason: 'Only SELECT' }),
      trans,
      jest.fn()
    );
    expect(node.hidden).toBe(true);
  });

  it('says the estimated rows of a small query', () => {
    const node = document.createElement('div');
    renderCostPreview(node, estimate(), trans, jest.fn());
    expect(node.hidden).toBe(false);
    expect(node.dataset.state).toBe('ok');
    expect(node.dataset.estimatedRows).toBe('286');
    expect(node.textContent).toBe('≈ 286 rows estimated');
    expect(node.querySelector('button')).toBeNull();
  });

  it('warns about a huge one with the two rewrites', () => {
    const node = document.createElement('div');
    const onRewrite = jest.fn();
    renderCostPreview(node, large, trans, onRewrite);
    expect(node.dataset.state).toBe('large');
    expect(node.textContent).toContain('10,000,000,000 rows');
    const limit = node.querySelector<HTMLButtonElement>(
      '[data-testid="mlwb-cost-limit"]'
    )!;
    const sample = node.querySelector<HTMLButtonElement>(
      '[data-testid="mlwb-cost-sample"]'
    )!;
    expect(limit.textContent).toBe('Add LIMIT');
    expect(limit.title).toContain('LIMIT 100000');
    limit.click();
    sample.click();
    expect(onRewrite.mock.calls).toEqual([['limit'], ['sample']]);
  });
});
