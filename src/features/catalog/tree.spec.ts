import type { DescribeCatalog } from '../../api/client';
import {
  buildCatalogTree,
  formatRowCount,
  previewSql,
  quoteIdentifier,
  walk
} from './tree';

const CATALOG: DescribeCatalog = {
  sources: [
    {
      name: 'orders',
      kind: 'csv',
      path: 'data/orders.csv',
      created_at: '2026-11-01T00:00:00Z',
      tables: [
        {
          name: 'orders',
          kind: 'source',
          source: 'orders',
          columns: [
            { name: 'id', type: 'BIGINT' },
            { name: 'total', type: 'DECIMAL(18,2)' }
          ],
          row_count: 1234567
        }
      ]
    },
    {
      name: 'shop',
      kind: 'duckdb',
      path: 'shop.duckdb',
      created_at: '2026-11-01T00:00:00Z',
      tables: [
        {
          name: '"shop"."main"."customers"',
          kind: 'database_table',
          columns: [],
          row_count: null
        },
        {
          name: '"shop"."main"."broken"',
          kind: 'database_table',
          error: 'file is locked'
        }
      ]
    }
  ],
  tables: [
    {
      name: 'big_orders',
      kind: 'workspace_table',
      columns: [{ name: 'id', type: 'BIGINT' }],
      row_count: 10,
      version: 3
    }
  ]
};

describe('buildCatalogTree', () => {
  const tree = buildCatalogTree(CATALOG);

  it('has a Sources and a Workspace tables group', () => {
    expect(tree.map(n => [n.kind, n.name])).toEqual([
      ['group', 'Sources'],
      ['group', 'Workspace tables']
    ]);
  });

  it('lists each source with its tables and each table with its typed columns', () => {
    const [orders, shop] = tree[0].children;
    expect(orders).toMatchObject({
      kind: 'source',
      name: 'orders',
      remove: { kind: 'source', name: 'orders' }
    });
    expect(orders.children[0]).toMatchObject({
      kind: 'table',
      sqlName: 'orders',
      rowCount: 1234567
    });
    expect(orders.children[0].remove).toBeUndefined();
    expect(orders.children[0].children.map(c => [c.name, c.type])).toEqual([
      ['id', 'BIGINT'],
      ['total', 'DECIMAL(18,2)']
    ]);
    expect(shop.children.map(t => t.name)).toEqual([
      '"shop"."main"."customers"',
      '"shop"."main"."broken"'
    ]);
    expect(shop.error).toBe('file is locked');
  });

  it('lets workspace tables be removed and shows their version', () => {
    const table = tree[1].children[0];
    expect(table).toMatchObject({
      kind: 'table',
      remove: { kind: 'table', name: 'big_orders' },
      detail: 'v3'
    });
  });

  it('gives every node a unique id', () => {
    const ids = walk(tree).map(n => n.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('uses translated group titles', () => {
    expect(
      buildCatalogTree({}, { sources: 'Quellen', tables: 'Tabellen' }).map(
        n => n.name
      )
    ).toEqual(['Quellen', 'Tabellen']);
  });
});

describe('previewSql', () => {
  it('quotes a plain name', () => {
    expect(previewSql('orders')).toBe('SELECT * FROM "orders" LIMIT 1000');
  });

  it('keeps a name the server already quoted', () => {
    expect(quoteIdentifier('"shop"."main"."customers"')).toBe(
      '"shop"."main"."customers"'
    );
  });

  it('formats row counts', () => {
    expect(formatRowCount(1234567)).toBe('1,234,567');
    expect(formatRowCount(null)).toBe('');
  });
});
