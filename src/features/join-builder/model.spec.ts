import { JoinBuilderModel } from './model';
import {
  CUSTOMER_KEY,
  EMAIL_KEY,
  fakeCatalog,
  fakeClient,
  ITEMS_KEY,
  settle
} from './fakeServer';

function makeModel(tables: string[], client = fakeClient()) {
  const model = new JoinBuilderModel({
    catalog: fakeCatalog(client),
    tables,
    sqlDelay: 0
  });
  return { model, client };
}

describe('JoinBuilderModel', () => {
  it('suggests keys for the tables it starts with and selects the best one', async () => {
    const { model, client } = makeModel(['orders', 'customers']);
    await model.start();
    expect(client.suggestJoins).toHaveBeenCalledWith({
      tables: ['orders', 'customers']
    });
    expect(model.suggestions).toEqual([CUSTOMER_KEY, EMAIL_KEY]);
    expect(model.joins[0].keys[0].selected).toBe(true);
    expect(model.missing).toBeNull();
  });

  it('asks the server for the SQL of every change, without rows or an exact count', async () => {
    const { model, client } = makeModel(['orders', 'customers']);
    await model.start();
    await settle();
    expect(model.sql).toContain('FROM orders');
    expect(model.sql).toContain(
      'INNER JOIN customers ON orders.customer_id = customers.customer_id'
    );
    const last = client.previewJoin.mock.calls.at(-1)![0];
    expect(last.limit).toBe(0);
    expect(last.exact_count_rows).toBe(0);
    expect(model.previewed).toBe(false);

    model.setHow(0, 'left');
    await settle();
    expect(model.sql).toContain('LEFT JOIN customers');
  });

  it('previews the first rows and the exact count', async () => {
    const { model, client } = makeModel(['orders', 'customers']);
    await model.start();
    const preview = await model.runPreview();
    expect(client.previewJoin.mock.calls.at(-1)![0].limit).toBe(20);
    expect(preview?.exact_rows).toBe(1200);
    expect(preview?.rows).toHaveLength(2);
    expect(model.previewed).toBe(true);

    // A change makes the preview out of date.
    model.toggleColumn('customers', 'email', false);
    expect(model.previewed).toBe(false);
  });

  it('shows the server’s 422 for keys whose types do not compare', async () => {
    const { model } = makeModel(['orders', 'customers']);
    await model.start();
    model.toggleKey(0, 0, false);
    model.toggleKey(0, 1, true);
    await model.refreshSql();
    expect(model.error?.status).toBe(422);
    expect(model.error?.message).toContain('CAST');
    expect(model.error?.detail.suggestion).toContain('CAST(customers."email"');
    expect(model.sql).toBeNull();
  });

  it('says which step is missing and writes no SQL meanwhile', async () => {
    const { model, client } = makeModel(['orders']);
    await model.start();
    expect(model.missing).toBe('tables');
    expect(client.suggestJoins).not.toHaveBeenCalled();
    await model.addTable('customers');
    await settle();
    expect(model.missing).toBeNull();
    expect(model.sql).not.toBeNull();

    model.toggleKey(0, 0, false);
    expect(model.missing).toBe('keys');
    await settle();
    expect(model.sql).toBeNull();
  });

  it('joins a third table with its own key and warns when rows multiply', async () => {
    const { model } = makeModel(
      ['orders', 'customers'],
      fakeClient([CUSTOMER_KEY, ITEMS_KEY])
    );
    await model.start();
    await model.addTable('order_items');
    expect(model.joins.map(j => j.table)).toEqual(['customers', 'order_items']);
    expect(model.joins[1].keys[0].suggestion?.cardinality).toBe('many-to-many');
    const preview = await model.runPreview();
    expect(preview?.warnings?.[0]).toContain('about 94,993 rows');
    expect(model.sql).toContain('INNER JOIN order_items ON orders.order_id');
  });

  it('adds a key pair of the user’s own', async () => {
    const { model } = makeModel(['orders', 'customers'], fakeClient([]));
    await model.start();
    expect(model.missing).toBe('keys');
    model.addKey(0, 'orders', 'customer_id', 'customer_id');
    expect(model.joins[0].keys).toHaveLength(1);
    expect(model.joins[0].keys[0].suggestion).toBeNull();
    expect(model.spec?.joins[0].on).toEqual([
      {
        left_table: 'orders',
        left_column: 'customer_id',
        right_column: 'customer_id'
      }
    ]);
  });

  it('names clashing columns and lets the user rename them', async () => {
    const { model } = makeModel(['orders', 'customers']);
    await model.start();
    const clash = model.columns.find(
      c => c.table === 'customers' && c.column === 'customer_id'
    );
    expect(clash?.alias).toBe('customers_customer_id');
    model.setAlias('customers', 'customer_id', 'cust_key');
    expect(model.spec?.columns).toContainEqual({
      table: 'customers',
      column: 'customer_id',
      alias: 'cust_key'
    });
    model.selectAllColumns('customers', false);
    expect(model.spec?.columns?.every(c => c.table === 'orders')).toBe(true);
  });

  it('removes and replaces tables, dropping duplicates', async () => {
    const { model } = makeModel(['orders', 'customers']);
    await model.start();
    await model.setTables(['orders', 'orders', 'customers']);
    expect(model.tables).toEqual(['orders', 'customers']);
    await model.replaceTable(1, 'order_items');
    expect(model.tables).toEqual(['orders', 'order_items']);
    await model.removeTable(0);
    expect(model.tables).toEqual(['order_items']);
    expect(model.joins).toEqual([]);
  });

  it('stops talking after dispose', async () => {
    const { model } = makeModel(['orders', 'customers']);
    const seen = jest.fn();
    model.changed.connect(seen);
    model.dispose();
    await model.start();
    expect(seen).not.toHaveBeenCalled();
    expect(model.isDisposed).toBe(true);
  });
});
