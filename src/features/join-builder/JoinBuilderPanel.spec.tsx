import { nullTranslator } from '@jupyterlab/translation';
import { Widget } from '@lumino/widgets';

import { SELECTORS } from '../selectors';
import {
  CUSTOMER_KEY,
  fakeCatalog,
  fakeClient,
  ITEMS_KEY,
  settle,
  waitFor
} from './fakeServer';
import { JoinBuilderView } from './JoinBuilderPanel';
import { rowCountText } from './JoinPreviewView';
import { JoinBuilderModel } from './model';

const trans = nullTranslator.load('mlworkbench');

async function mount(tables: string[], client = fakeClient()) {
  const model = new JoinBuilderModel({
    catalog: fakeCatalog(client),
    tables,
    sqlDelay: 0
  });
  const onOpenSql = jest.fn();
  const view = new JoinBuilderView({ model, trans, onOpenSql });
  Widget.attach(view, document.body);
  await model.start();
  await settle();
  return { model, view, onOpenSql, client, node: view.node };
}

describe('JoinBuilderView', () => {
  afterEach(() => {
    document.body.innerHTML = '';
  });

  it('lists the suggested keys ranked, with match rate, types and cardinality', async () => {
    const { node, view } = await mount(['orders', 'customers']);
    const rows = await waitFor(() => {
      const found = node.querySelectorAll(SELECTORS.joinSuggestion);
      return found.length === 2 ? found : null;
    });
    const top = rows[0] as HTMLElement;
    expect(top.dataset.condition).toBe(
      'orders.customer_id = customers.customer_id'
    );
    expect(top.dataset.selected).toBe('true');
    expect(top.dataset.cardinality).toBe('many-to-one');
    expect(top.querySelector(SELECTORS.joinMatchRate)?.textContent).toBe(
      '100%'
    );
    expect(top.textContent).toContain('INTEGER = BIGINT');
    // The key whose types differ says it needs a CAST and is not selected.
    const second = rows[1] as HTMLElement;
    expect(second.dataset.selected).toBe('false');
    expect(second.textContent).toContain('needs a CAST');
    view.dispose();
  });

  it('shows the server’s SQL, previews rows and the count, and opens the SQL', async () => {
    const { node, onOpenSql, view } = await mount(['orders', 'customers']);
    const sql = await waitFor(() => {
      const text = node.querySelector(SELECTORS.joinSql)?.textContent ?? '';
      return text.startsWith('SELECT') ? text : null;
    });
    expect(sql).toContain('INNER JOIN customers');

    (node.querySelector(SELECTORS.joinPreview) as HTMLButtonElement).click();
    const count = await waitFor(() =>
      node.querySelector<HTMLElement>(
        `${SELECTORS.joinRowCount}[data-exact-rows]`
      )
    );
    expect(count.dataset.exactRows).toBe('1200');
    expect(count.textContent).toBe('1,200 rows');
    const table = await waitFor(() =>
      node.querySelector(SELECTORS.joinPreviewTable)
    );
    expect(table.querySelectorAll('tbody tr')).toHaveLength(2);
    expect(table.querySelector('td.mlwb-mod-null')?.textContent).toBe('NULL');

    (node.querySelector(SELECTORS.joinOpenSql) as HTMLButtonElement).click();
    await waitFor(() => onOpenSql.mock.calls.length > 0);
    expect(onOpenSql).toHaveBeenCalledWith(sql);
    view.dispose();
  });

  it('warns when a many-to-many join multiplies rows', async () => {
    const { node, model, view } = await mount(
      ['orders', 'order_items'],
      fakeClient([CUSTOMER_KEY, ITEMS_KEY])
    );
    await waitFor(() =>
      node.querySelector(
        `${SELECTORS.joinSuggestion}[data-cardinality="many-to-many"]`
      )
    );
    expect(
      node.querySelector(`${SELECTORS.joinSuggestion} .mlwb-mod-warn`)
        ?.textContent
    ).toContain('many-to-many');
    await model.runPreview();
    const warning = await waitFor(() =>
      node.querySelector(SELECTORS.joinWarning)
    );
    expect(warning.textContent).toContain('about 94,993 rows');
    view.dispose();
  });

  it('shows the 422 message and the CAST to use', async () => {
    const { node, model, view } = await mount(['orders', 'customers']);
    model.toggleKey(0, 0, false);
    model.toggleKey(0, 1, true);
    await model.refreshSql();
    const error = await waitFor(() =>
      node.querySelector<HTMLElement>(SELECTORS.joinError)
    );
    expect(error.dataset.status).toBe('422');
    expect(error.textContent).toContain('the types do not compare');
    expect(error.textContent).toContain('CAST(customers."email" AS INTEGER)');
    view.dispose();
  });

  it('asks for a second table before anything else', async () => {
    const { node, view } = await mount(['orders']);
    const sql = await waitFor(() => node.querySelector(SELECTORS.joinSql));
    expect(sql.textContent).toContain('Pick two or more tables');
    expect(
      (node.querySelector(SELECTORS.joinPreview) as HTMLButtonElement).disabled
    ).toBe(true);
    const add = node.querySelector(SELECTORS.joinAddTable) as HTMLSelectElement;
    expect(Array.from(add.options).map(o => o.value)).toEqual([
      '',
      'customers',
      'order_items'
    ]);
    view.dispose();
  });
});

describe('rowCountText', () => {
  it('prefers the exact count and marks an estimate', () => {
    expect(rowCountText({ exact_rows: 1, estimated_rows: 5 }, trans)).toBe(
      '1 row'
    );
    expect(
      rowCountText({ exact_rows: null, estimated_rows: 2466 }, trans)
    ).toBe('≈ 2,466 rows (estimated)');
    expect(
      rowCountText({ exact_rows: null, estimated_rows: null }, trans)
    ).toBe('row count unknown');
  });
});
