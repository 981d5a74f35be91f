import {
  bare,
  buildSpec,
  catalogTables,
  formatRate,
  IColumnChoice,
  keyCondition,
  missingStep,
  planColumns,
  planJoins,
  resolveClashes,
  sameTable,
  tableOfCatalogRow
} from './plan';
import { CATALOG, CUSTOMER_KEY, EMAIL_KEY, ITEMS_KEY } from './fakeServer';

describe('catalogTables', () => {
  it('lists the sources’ tables, then the workspace tables, with their columns', () => {
    const tables = catalogTables(CATALOG);
    expect(tables.map(t => t.name)).toEqual([
      'orders',
      'customers',
      'order_items'
    ]);
    expect(tables[0].columns.map(c => c.name)).toContain('customer_id');
    expect(tables[2].rowCount).toBe(3600);
  });

  it('is empty before the catalog loads', () => {
    expect(catalogTables(null)).toEqual([]);
  });
});

describe('tableOfCatalogRow', () => {
  it('maps a source row to its table and keeps a table row’s name', () => {
    expect(tableOfCatalogRow(CATALOG, 'source', 'customers')).toBe('customers');
    expect(tableOfCatalogRow(CATALOG, 'table', 'order_items')).toBe(
      'order_items'
    );
    expect(tableOfCatalogRow(CATALOG, 'table', undefined)).toBeNull();
  });
});

describe('table names', () => {
  it('compares quoted and bare spellings', () => {
    expect(bare('shop."Orders"')).toBe('orders');
    expect(bare('"order items"')).toBe('order items');
    expect(sameTable('"orders"', 'ORDERS')).toBe(true);
    expect(sameTable('orders', 'order_items')).toBe(false);
  });
});

describe('planJoins', () => {
  it('lists each table’s suggestions best first and selects the best comparable one', () => {
    const joins = planJoins(['orders', 'customers'], [CUSTOMER_KEY, EMAIL_KEY]);
    expect(joins).toHaveLength(1);
    expect(joins[0].table).toBe('customers');
    expect(joins[0].how).toBe('inner');
    expect(joins[0].keys.map(k => k.rightColumn)).toEqual([
      'customer_id',
      'email'
    ]);
    expect(joins[0].keys.map(k => k.selected)).toEqual([true, false]);
  });

  it('never selects a key whose types do not compare', () => {
    const joins = planJoins(['orders', 'customers'], [EMAIL_KEY]);
    expect(joins[0].keys[0].selected).toBe(false);
  });

  it('gives three tables two joins, each with its own suggestions', () => {
    const joins = planJoins(
      ['orders', 'customers', 'order_items'],
      [CUSTOMER_KEY, ITEMS_KEY]
    );
    expect(joins.map(j => j.table)).toEqual(['customers', 'order_items']);
    expect(joins[1].keys[0].leftTable).toBe('orders');
    expect(joins[1].keys[0].selected).toBe(true);
  });

  it('keeps the user’s selections, join type and own keys', () => {
    const first = planJoins(['orders', 'customers'], [CUSTOMER_KEY, EMAIL_KEY]);
    first[0].how = 'left';
    first[0].keys[0].selected = false;
    first[0].keys.push({
      leftTable: 'orders',
      leftColumn: 'order_id',
      rightColumn: 'customer_id',
      suggestion: null,
      selected: true
    });
    const again = planJoins(
      ['orders', 'customers'],
      [CUSTOMER_KEY, EMAIL_KEY],
      first
    );
    expect(again[0].how).toBe('left');
    expect(again[0].keys.map(k => k.selected)).toEqual([false, false, true]);
  });
});

describe('columns', () => {
  const infos = catalogTables(CATALOG).slice(0, 2);

  it('keeps every column and aliases the later of two same names', () => {
    const columns = planColumns(infos);
    const clashing = columns.filter(c => c.column === 'customer_id');
    expect(clashing.map(c => c.clashes)).toEqual([true, true]);
    expect(clashing.map(c => c.alias)).toEqual(['', 'customers_customer_id']);
    expect(columns.filter(c => c.clashes)).toHaveLength(2);
  });

  it('stops clashing when one of the two is dropped', () => {
    const columns = planColumns(infos).map(c =>
      c.table === 'customers' && c.column === 'customer_id'
        ? { ...c, selected: false, alias: '' }
        : c
    );
    const resolved = resolveClashes(columns);
    expect(resolved.some(c => c.clashes)).toBe(false);
  });

  it('keeps earlier choices when the tables change', () => {
    const before = planColumns(infos).map(c =>
      c.column === 'status' ? { ...c, selected: false } : c
    );
    const after = planColumns(catalogTables(CATALOG), before);
    expect(after.find(c => c.column === 'status')?.selected).toBe(false);
    expect(after.find(c => c.column === 'product_id')?.selected).toBe(true);
  });
});

describe('buildSpec', () => {
  const tables = ['orders', 'customers'];
  const joins = planJoins(tables, [CUSTOMER_KEY, EMAIL_KEY]);
  const infos = catalogTables(CATALOG).slice(0, 2);

  it('writes the base, the join with its keys and every column kept', () => {
    const spec = buildSpec(tables, joins, planColumns(infos));
    expect(spec?.base).toBe('orders');
    expect(spec?.joins).toEqual([
      {
        table: 'customers',
        how: 'inner',
        on: [
          {
            left_table: 'orders',
            left_column: 'customer_id',
            right_column: 'customer_id'
          }
        ]
      }
    ]);
    expect(spec?.columns).toContainEqual({
      table: 'customers',
      column: 'customer_id',
      alias: 'customers_customer_id'
    });
    expect(spec?.columns).toHaveLength(6);
  });

  it('leaves the columns to the server when all are kept under their names', () => {
    const columns: IColumnChoice[] = planColumns(infos).map(c => ({
      ...c,
      alias: ''
    }));
    expect(buildSpec(tables, joins, columns)?.columns).toEqual([]);
  });

  it('is null while a join has no key, and says what is missing', () => {
    const none = joins.map(j => ({
      ...j,
      keys: j.keys.map(k => ({ ...k, selected: false }))
    }));
    expect(buildSpec(tables, none, [])).toBeNull();
    expect(missingStep(tables, none, [])).toBe('keys');
    expect(missingStep(['orders'], [], [])).toBe('tables');
    expect(
      missingStep(
        tables,
        joins,
        planColumns(infos).map(c => ({ ...c, selected: false }))
      )
    ).toBe('columns');
    expect(missingStep(tables, joins, planColumns(infos))).toBeNull();
  });
});

describe('formatting', () => {
  it('shows match rates as whole percents', () => {
    expect(formatRate(1)).toBe('100%');
    expect(formatRate(0.423)).toBe('42%');
    expect(formatRate(0.996)).toBe('>99%');
    expect(formatRate(0.001)).toBe('<1%');
    expect(formatRate(null)).toBe('—');
  });

  it('writes a user’s key pair as a condition', () => {
    expect(
      keyCondition(
        {
          leftTable: 'orders',
          leftColumn: 'order_id',
          rightColumn: 'id',
          suggestion: null,
          selected: true
        },
        'items'
      )
    ).toBe('orders.order_id = items.id');
  });
});
