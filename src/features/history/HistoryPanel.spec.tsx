import { ServerConnection } from '@jupyterlab/services';
import { nullTranslator } from '@jupyterlab/translation';
import { Widget } from '@lumino/widgets';

import {
  DescribeHistoryEntry,
  WorkbenchApiError,
  WorkbenchClient
} from '../../api/client';
import { CatalogSidebar, ISidebarSections } from '../catalog/CatalogPanel';
import { CatalogModel } from '../catalog/model';
import { SELECTORS } from '../selectors';
import { ImportModel } from './imports';
import { HistoryModel, SavedQueriesModel } from './model';

const trans = nullTranslator.load('mlworkbench');

const ENTRIES: DescribeHistoryEntry[] = [
  {
    id: 2,
    sql: 'SELECT *\nFROM nowhere',
    started_at: '2026-11-27T08:01:00Z',
    duration_ms: 4,
    rows: null,
    status: 'error',
    error: 'Table with name nowhere does not exist!',
    error_line: 2
  },
  {
    id: 1,
    sql: 'SELECT 1 AS one',
    started_at: '2026-11-27T08:00:00Z',
    duration_ms: 12,
    rows: 1,
    status: 'ok'
  }
];

function fakeClient() {
  return {
    getStatus: jest.fn(async () => ({})),
    getCatalog: jest.fn(async () => ({ sources: [], tables: [] })),
    getCompletionNames: jest.fn(async () => ({ tables: {} })),
    listHistory: jest.fn(async (request: { q?: string }) => {
      const entries = ENTRIES.filter(
        e => !request.q || e.sql.includes(request.q)
      );
      return { entries, total: entries.length, offset: 0, limit: 50 };
    }),
    listSavedQueries: jest.fn(async () => ({
      queries: [
        {
          name: 'monthly',
          title: 'Monthly shipping',
          modified_at: '2026-11-27T08:00:00Z',
          size_bytes: 30
        }
      ]
    }))
  } as unknown as WorkbenchClient & {
    listHistory: jest.Mock;
  };
}

async function waitFor<T>(probe: () => T | null | undefined): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const value = probe();
    if (value) {
      return value;
    }
    await new Promise(resolve => setTimeout(resolve, 10));
  }
  throw new Error('timed out');
}

async function mount() {
  const client = fakeClient();
  const catalog = new CatalogModel(client);
  const history = new HistoryModel(client);
  const saved = new SavedQueriesModel(client);
  const imports = new ImportModel({
    serverSettings: ServerConnection.makeSettings(),
    upload: async () => {
      throw new WorkbenchApiError(
        "Line 4 of 'ragged.csv' cannot be read: Expected 2 columns",
        422,
        'invalid_request',
        { line: 4 }
      );
    }
  });
  const sections: ISidebarSections = {
    saved: {
      model: saved,
      trans,
      onOpen: jest.fn(),
      onRename: jest.fn(),
      onDelete: jest.fn(),
      onSaveCurrent: jest.fn()
    },
    history: {
      model: history,
      trans,
      onOpen: jest.fn(),
      onDelete: jest.fn(),
      onClear: jest.fn(),
      searchDelay: 0
    },
    imports: { model: imports, trans, onRetrySkipping: jest.fn() },
    onImport: jest.fn(),
    onDropFiles: jest.fn()
  };
  const sidebar = new CatalogSidebar({
    model: catalog,
    trans,
    onOpenTable: jest.fn(),
    onNewEditor: jest.fn(),
    onRemove: jest.fn(),
    sections
  });
  Widget.attach(sidebar, document.body);
  await Promise.all([catalog.refresh(), history.refresh(), saved.refresh()]);
  return { sidebar, sections, client, imports };
}

describe('the sidebar sections', () => {
  it('lists saved queries; a click opens, the buttons rename and delete', async () => {
    const { sidebar, sections } = await mount();
    const item = await waitFor(() =>
      sidebar.node.querySelector<HTMLElement>(
        `${SELECTORS.savedQueryItem}[data-name="monthly"]`
      )
    );
    expect(item.textContent).toContain('Monthly shipping');
    item.click();
    expect(sections.saved.onOpen).toHaveBeenCalledWith('monthly');
    item.querySelector<HTMLElement>(SELECTORS.savedQueryRename)!.click();
    expect(sections.saved.onRename).toHaveBeenCalledWith('monthly');
    item.querySelector<HTMLElement>(SELECTORS.savedQueryDelete)!.click();
    expect(sections.saved.onDelete).toHaveBeenCalledWith('monthly');
    // The buttons do not open the query too.
    expect(sections.saved.onOpen).toHaveBeenCalledTimes(1);
    sidebar.node.querySelector<HTMLElement>(SELECTORS.saveQuery)!.click();
    expect(sections.saved.onSaveCurrent).toHaveBeenCalled();
    sidebar.dispose();
  });

  it('shows the history newest first with status, error and rows; a click reopens', async () => {
    const { sidebar, sections } = await mount();
    const rows = await waitFor(() => {
      const found = sidebar.node.querySelectorAll<HTMLElement>(
        SELECTORS.historyItem
      );
      return found.length === 2 ? found : null;
    });
    expect(rows[0].dataset.status).toBe('error');
    expect(rows[0].querySelector(SELECTORS.historySql)?.textContent).toBe(
      'SELECT *'
    );
    expect(
      rows[0].querySelector(SELECTORS.historyStatus)?.getAttribute('title')
    ).toBe('Line 2: Table with name nowhere does not exist!');
    expect(rows[1].textContent).toContain('1 row');
    expect(rows[1].textContent).toContain('12 ms');
    rows[1].click();
    expect(sections.history.onOpen).toHaveBeenCalledWith(ENTRIES[1]);
    sidebar.node.querySelector<HTMLElement>(SELECTORS.historyClear)!.click();
    expect(sections.history.onClear).toHaveBeenCalled();
    sidebar.dispose();
  });

  it('searches the history as the user types', async () => {
    const { sidebar, client } = await mount();
    const input = await waitFor(() =>
      sidebar.node.querySelector<HTMLInputElement>(SELECTORS.historySearch)
    );
    const setter = Object.getOwnPropertyDescriptor(
      HTMLInputElement.prototype,
      'value'
    )!.set!;
    setter.call(input, 'nowhere');
    input.dispatchEvent(new Event('input', { bubbles: true }));
    await waitFor(() =>
      sidebar.node.querySelectorAll(SELECTORS.historyItem).length === 1
        ? true
        : null
    );
    expect(client.listHistory).toHaveBeenLastCalledWith(
      expect.objectContaining({ q: 'nowhere' })
    );
    sidebar.dispose();
  });

  it('shows an import error with its line and offers to skip bad lines', async () => {
    const { sidebar, sections, imports } = await mount();
    await imports.start(new Blob(['a,b\n1,2\n3,4\n5,6,7\n']), {
      filename: 'ragged.csv'
    });
    const error = await waitFor(() =>
      sidebar.node.querySelector<HTMLElement>(SELECTORS.importError)
    );
    expect(error.dataset.line).toBe('4');
    expect(error.textContent).toContain('Line 4');
    expect(error.textContent).toContain('Expected 2 columns');
    error.querySelector<HTMLElement>(SELECTORS.importRetry)!.click();
    expect(sections.imports.onRetrySkipping).toHaveBeenCalledWith(
      imports.jobs[0]
    );
    sidebar.dispose();
  });

  it('takes files dropped from the system, and shows the drop zone meanwhile', async () => {
    const { sidebar, sections } = await mount();
    const files = [new File(['a\n1\n'], 'a.csv')] as unknown as FileList;
    const drag = (type: string, types = ['Files']) => {
      const event = new Event(type, { bubbles: true, cancelable: true });
      Object.defineProperty(event, 'dataTransfer', {
        value: { types, files, dropEffect: 'none' }
      });
      sidebar.node.dispatchEvent(event);
      return event;
    };
    expect(drag('dragenter').defaultPrevented).toBe(true);
    expect(sidebar.hasClass('mlwb-mod-dropTarget')).toBe(true);
    drag('dragleave');
    expect(sidebar.hasClass('mlwb-mod-dropTarget')).toBe(false);
    // A drag of something else (text, a Lumino drag) is left alone.
    expect(drag('dragover', ['text/plain']).defaultPrevented).toBe(false);
    drag('dragover');
    expect(drag('drop').defaultPrevented).toBe(true);
    expect(sidebar.hasClass('mlwb-mod-dropTarget')).toBe(false);
    expect(sections.onDropFiles).toHaveBeenCalledWith(files);
    sidebar.dispose();
  });
});
