import { nullTranslator } from '@jupyterlab/translation';
import { Widget } from '@lumino/widgets';

import { SELECTORS } from '../selectors';
import { CATALOG, waitFor } from './fakeServer';
import { catalogTables } from './plan';
import { emptyForm } from './transform';
import { TransformForm } from './TransformDialog';

const trans = nullTranslator.load('mlworkbench');

describe('TransformForm', () => {
  afterEach(() => {
    document.body.innerHTML = '';
  });

  function mount(problem: string | null = null) {
    const form = new TransformForm({
      tables: catalogTables(CATALOG),
      form: emptyForm('orders'),
      trans,
      problem
    });
    Widget.attach(form, document.body);
    return form;
  }

  it('offers the table’s columns and the fields of the chosen kind', async () => {
    const form = mount();
    const kind = await waitFor(() =>
      form.node.querySelector<HTMLSelectElement>(SELECTORS.transformKind)
    );
    expect(Array.from(kind.options).map(o => o.value)).toEqual([
      'filter',
      'derive',
      'cast',
      'drop_duplicates',
      'fill_nulls'
    ]);
    const column = form.node.querySelector(
      '[data-testid="mlwb-transform-column"]'
    ) as HTMLSelectElement;
    expect(Array.from(column.options).map(o => o.value)).toEqual([
      '',
      'order_id',
      'customer_id',
      'status'
    ]);

    form.set({ kind: 'fill_nulls' });
    const boxes = await waitFor(() =>
      form.node.querySelector(SELECTORS.transformColumns)
    );
    expect(boxes.querySelectorAll('label[data-column]')).toHaveLength(3);
    expect(form.node.querySelector(SELECTORS.transformValue)).not.toBeNull();
    form.dispose();
  });

  it('forgets the columns of another table and the fields of another kind', () => {
    const form = mount();
    form.set({ column: 'status', value: 'paid' });
    form.set({ table: 'customers' });
    expect(form.getValue()).toMatchObject({
      table: 'customers',
      column: '',
      value: 'paid'
    });
    form.set({ kind: 'derive' });
    expect(form.getValue()).toMatchObject({
      table: 'customers',
      kind: 'derive',
      value: ''
    });
    form.dispose();
  });

  it('shows why the last try gave no SQL', async () => {
    const form = mount('Give a value.');
    const problem = await waitFor(() =>
      form.node.querySelector(SELECTORS.transformProblem)
    );
    expect(problem.textContent).toBe('Give a value.');
    form.dispose();
  });
});
