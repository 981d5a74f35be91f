import type { DescribeCatalog } from '../../api/client';
import { tableNames, tableOfRow } from './commands';

const table = (name: string) => ({ name, kind: 'source', columns: [] });

const catalog = {
  sources: [
    {
      name: 'customers',
      kind: 'csv',
      path: 'data/customers.csv',
      created_at: '2026-11-01T00:00:00Z',
      tables: [table('customers')]
    },
    {
      name: 'shop',
      kind: 'duckdb',
      path: 'shop.duckdb',
      created_at: '2026-11-01T00:00:00Z',
      tables: [table('shop.orders'), table('shop.items')]
    }
  ],
  tables: [{ name: 'big_orders', kind: 'workspace', columns: [] }]
} as unknown as DescribeCatalog;

describe('tableNames', () => {
  it('lists the sources’ tables, then the workspace tables', () => {
    expect(tableNames(catalog)).toEqual([
      'customers',
      'shop.orders',
      'shop.items',
      'big_orders'
    ]);
    expect(tableNames(null)).toEqual([]);
  });
});

describe('tableOfRow', () => {
  it('profiles a table row as itself', () => {
    expect(tableOfRow(catalog, 'table', 'shop.items')).toBe('shop.items');
  });

  it('profiles a source row as its only table', () => {
    expect(tableOfRow(catalog, 'source', 'customers')).toBe('customers');
  });

  it('leaves the choice to the user when a source holds several tables', () => {
    expect(tableOfRow(catalog, 'source', 'shop')).toBeNull();
  });

  it('tries the name itself for a source the catalog does not know yet', () => {
    expect(tableOfRow(catalog, 'source', 'fresh')).toBe('fresh');
  });
});
