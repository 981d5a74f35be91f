import type { FetchPageRequest, QueryPage } from '../../api/client';
import { LOADING_TEXT, NULL_TEXT } from './cells';
import { ResultsDataModel } from './model';

const COLUMNS = [
  { name: 'id', type: 'BIGINT' },
  { name: 'amount', type: 'DECIMAL(38,10)' },
  { name: 'tags', type: 'VARCHAR[]' }
];

/** A fake server result of `total` rows: row i is [i, "i.5", "[a, b]"]; sorts by id. */
function fakeServer(total: number) {
  const requests: FetchPageRequest[] = [];
  const resolvers: (() => void)[] = [];
  let auto = true;
  const fetchPage = (request: FetchPageRequest): Promise<QueryPage> => {
    requests.push(request);
    const offset = request.offset ?? 0;
    const limit = request.limit ?? 100;
    const descending = request.sort?.[0]?.descending ?? false;
    const rows = [];
    for (let i = offset; i < Math.min(total, offset + limit); i++) {
      const id = descending ? total - 1 - i : i;
      rows.push([id, `${id}.5000000000`, '[a, b]']);
    }
    const page = {
      session_id: 's',
      offset,
      rows,
      total_rows: total,
      columns: COLUMNS,
      elapsed_ms: 1
    };
    return new Promise(resolve => {
      const done = () => resolve(page);
      if (auto) {
        done();
      } else {
        resolvers.push(done);
      }
    });
  };
  return {
    fetchPage,
    requests,
    hold: () => (auto = false),
    release: () => resolvers.splice(0).forEach(r => r())
  };
}

const flush = () => new Promise(resolve => setTimeout(resolve, 0));

describe('ResultsDataModel', () => {
  it('serves the first page without asking the server', () => {
    const server = fakeServer(10);
    const first = [...Array(10).keys()].map(i => [i, `${i}.5`, null]);
    const model = new ResultsDataModel({
      fetchPage: server.fetchPage,
      columns: COLUMNS,
      firstRows: first,
      totalRows: 10,
      blockSize: 4
    });
    expect(model.rowCount('body')).toBe(10);
    expect(model.data('body', 9, 1)).toBe('9.5');
    expect(model.data('body', 0, 2)).toBe(NULL_TEXT);
    expect(server.requests).toHaveLength(0);
  });

  it('fetches the block of a row on demand, shows a placeholder meanwhile, then the value', async () => {
    const server = fakeServer(1_000_000);
    const model = new ResultsDataModel({
      fetchPage: server.fetchPage,
      columns: COLUMNS,
      totalRows: 1_000_000,
      blockSize: 500
    });
    const changes: any[] = [];
    model.changed.connect((_, args) => changes.push(args));
    server.hold();
    expect(model.data('body', 999_999, 0)).toBe(LOADING_TEXT);
    expect(model.data('body', 999_600, 0)).toBe(LOADING_TEXT);
    // Both rows are in the last block: one request only.
    expect(server.requests).toEqual([
      { offset: 999_500, limit: 500, sort: [] }
    ]);
    server.release();
    await flush();
    expect(model.data('body', 999_999, 0)).toBe('999999');
    expect(model.data('body', 999_999, 1)).toBe('999999.5000000000');
    expect(model.data('body', 999_999, 2)).toBe('[a, b]');
    expect(changes).toContainEqual({
      type: 'cells-changed',
      region: 'body',
      row: 999_500,
      column: 0,
      rowSpan: 500,
      columnSpan: 3
    });
  });

  it('keeps a bounded number of blocks', async () => {
    const server = fakeServer(10_000);
    const model = new ResultsDataModel({
      fetchPage: server.fetchPage,
      columns: COLUMNS,
      totalRows: 10_000,
      blockSize: 100,
      maxBlocks: 3
    });
    for (const row of [0, 150, 250, 350]) {
      model.data('body', row, 0);
      await flush();
    }
    expect(model.cachedBlocks.sort()).toEqual([1, 2, 3]);
    model.data('body', 5, 0);
    expect(server.requests.at(-1)).toEqual({ offset: 0, limit: 100, sort: [] });
  });

  it('cycles the sort asc, desc, none on a column and refetches server-sorted rows', async () => {
    const server = fakeServer(1000);
    const model = new ResultsDataModel({
      fetchPage: server.fetchPage,
      columns: COLUMNS,
      totalRows: 1000,
      blockSize: 100
    });
    const resets: string[] = [];
    model.changed.connect((_, args) => resets.push(args.type));
    model.data('body', 0, 0);
    await flush();
    expect(model.data('body', 0, 0)).toBe('0');

    model.cycleSort(0);
    expect(model.sort).toEqual({ column: 'id', descending: false });
    expect(model.headerText(0)).toBe('▲ id · BIGINT');
    expect(resets).toContain('model-reset');
    expect(model.data('body', 0, 0)).toBe(LOADING_TEXT);
    await flush();
    expect(server.requests.at(-1)!.sort).toEqual([
      { column: 'id', descending: false }
    ]);

    model.cycleSort(0);
    expect(model.headerText(0)).toBe('▼ id · BIGINT');
    model.data('body', 0, 0);
    await flush();
    expect(model.data('body', 0, 0)).toBe('999');

    model.cycleSort(0);
    expect(model.sort).toBeNull();
    expect(model.headerText(0)).toBe('id · BIGINT');
  });

  it('drops pages that arrive after the sort changed', async () => {
    const server = fakeServer(1000);
    const model = new ResultsDataModel({
      fetchPage: server.fetchPage,
      columns: COLUMNS,
      totalRows: 1000,
      blockSize: 100
    });
    server.hold();
    model.data('body', 0, 0); // unsorted request in flight
    model.setSort({ column: 'id', descending: true });
    model.data('body', 0, 0); // sorted request
    server.release();
    await flush();
    expect(model.data('body', 0, 0)).toBe('999');
  });

  it('grows to the counted total while counting', () => {
    const server = fakeServer(5000);
    const model = new ResultsDataModel({
      fetchPage: server.fetchPage,
      columns: COLUMNS,
      firstRows: [[0, '0.5', '[]']],
      totalRows: null,
      blockSize: 100
    });
    const changes: any[] = [];
    model.changed.connect((_, args) => changes.push(args));
    expect(model.rowCount('body')).toBe(1);
    model.setTotalRows(5000);
    expect(model.rowCount('body')).toBe(5000);
    expect(changes).toEqual([
      { type: 'rows-inserted', region: 'body', index: 1, span: 4999 }
    ]);
  });

  it('marks numeric columns for right alignment', () => {
    const model = new ResultsDataModel({
      fetchPage: fakeServer(0).fetchPage,
      columns: [...COLUMNS, { name: 'span', type: 'INTERVAL' }],
      totalRows: 0
    });
    expect(model.metadata('body', 0, 0)).toMatchObject({
      numeric: true,
      type: 'BIGINT'
    });
    expect(model.metadata('body', 0, 1)).toMatchObject({ numeric: true });
    expect(model.metadata('body', 0, 2)).toMatchObject({ numeric: false });
    expect(model.metadata('body', 0, 3)).toMatchObject({ numeric: false });
  });

  it('reports a failed page and shows a marker instead of the rows', async () => {
    const model = new ResultsDataModel({
      fetchPage: () => Promise.reject(new Error('result expired')),
      columns: COLUMNS,
      totalRows: 1000,
      blockSize: 100
    });
    const errors: string[] = [];
    model.fetchFailed.connect((_, e) => errors.push(e.message));
    model.data('body', 0, 0);
    await flush();
    await flush();
    expect(errors).toEqual(['result expired']);
    expect(model.data('body', 0, 0)).toBe('⚠');
  });
});
