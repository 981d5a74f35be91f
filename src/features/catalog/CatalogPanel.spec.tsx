import { nullTranslator } from '@jupyterlab/translation';
import { Widget } from '@lumino/widgets';

import { WorkbenchApiError, WorkbenchClient } from '../../api/client';
import { catalogItemSelector, SELECTORS } from '../selectors';
import { CatalogSidebar, ENABLE_COMMAND } from './CatalogPanel';
import { CatalogModel } from './model';

const trans = nullTranslator.load('mlworkbench');

function client(status: () => Promise<unknown>) {
  return {
    getStatus: jest.fn(status),
    getCatalog: jest.fn(async () => ({
      sources: [
        {
          name: 'orders',
          kind: 'csv',
          path: 'orders.csv',
          created_at: '2026-11-01T00:00:00Z',
          tables: [
            {
              name: 'orders',
              kind: 'source',
              columns: [{ name: 'id', type: 'BIGINT' }],
              row_count: 5000
            }
          ]
        }
      ],
      tables: []
    })),
    getCompletionNames: jest.fn(async () => ({ tables: { orders: ['id'] } }))
  } as unknown as WorkbenchClient;
}

async function waitFor<T>(probe: () => T | null | undefined): Promise<T> {
  for (let i = 0; i < 100; i++) {
    const value = probe();
    if (value) {
      return value;
    }
    await new Promise(resolve => setTimeout(resolve, 10));
  }
  throw new Error('timed out');
}

function mount(
  model: CatalogModel,
  onOpenTable = jest.fn(),
  onRemove = jest.fn()
) {
  const sidebar = new CatalogSidebar({
    model,
    trans,
    onOpenTable,
    onNewEditor: jest.fn(),
    onRemove
  });
  Widget.attach(sidebar, document.body);
  return { sidebar, onOpenTable, onRemove };
}

describe('CatalogSidebar', () => {
  it('shows sources, tables with row counts and columns; a click opens the table', async () => {
    const model = new CatalogModel(client(async () => ({})));
    const { sidebar, onOpenTable, onRemove } = mount(model);
    await model.refresh();
    const source = await waitFor(() =>
      sidebar.node.querySelector(catalogItemSelector('orders'))
    );
    expect(sidebar.node.matches(SELECTORS.sidebar)).toBe(true);
    expect(source.getAttribute('data-kind')).toBe('source');

    (source.querySelector(SELECTORS.catalogToggle) as HTMLElement).click();
    const table = await waitFor(() =>
      sidebar.node.querySelector(`${SELECTORS.catalogItem}[data-kind="table"]`)
    );
    expect(table.querySelector(SELECTORS.catalogRowCount)?.textContent).toBe(
      '5,000'
    );
    (table.querySelector(SELECTORS.catalogToggle) as HTMLElement).click();
    const column = await waitFor(() =>
      sidebar.node.querySelector(catalogItemSelector('id'))
    );
    expect(column.textContent).toContain('BIGINT');

    (table.querySelector(SELECTORS.catalogItemLabel) as HTMLElement).click();
    expect(onOpenTable).toHaveBeenCalledWith('orders');

    (source.querySelector(SELECTORS.catalogRemove) as HTMLElement).click();
    expect(onRemove).toHaveBeenCalledWith({ kind: 'source', name: 'orders' });
    sidebar.dispose();
  });

  it('shows the fix when the server extension is missing', async () => {
    const model = new CatalogModel(
      client(async () =>
        Promise.reject(
          new WorkbenchApiError('missing', 404, 'extension_missing')
        )
      )
    );
    const { sidebar } = mount(model);
    await model.refresh();
    const notice = await waitFor(() =>
      sidebar.node.querySelector(SELECTORS.extensionMissing)
    );
    expect(notice.textContent).toContain(ENABLE_COMMAND);
    expect(notice.textContent).toContain('restart the Jupyter server');
    sidebar.dispose();
  });
});
