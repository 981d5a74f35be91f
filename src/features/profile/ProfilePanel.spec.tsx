import { nullTranslator } from '@jupyterlab/translation';
import { Widget } from '@lumino/widgets';

import { WorkbenchApiError } from '../../api/client';
import { SELECTORS } from '../selectors';
import { fakeRenderers } from '../shared/fakeRenderers';
import { column, profile } from './fakeProfile';
import { IProfileClient, ProfileModel } from './model';
import { CARD_BATCH, filterColumns } from './ProfilePanel';
import { ProfileWidget } from './ProfileWidget';

const trans = nullTranslator.load('mlworkbench');

/**
 * A stand-in for IntersectionObserver (jest's shim never calls back): `show(element)` says it
 * came near the viewport, `showAll()` says so of everything watched.
 */
const observed = new Set<Element>();
let observerCallback: (
  entries: { target: Element; isIntersecting: boolean }[]
) => void = () => undefined;
class FakeIntersectionObserver {
  constructor(callback: typeof observerCallback) {
    observerCallback = callback;
  }
  observe(element: Element) {
    observed.add(element);
  }
  unobserve(element: Element) {
    observed.delete(element);
  }
  disconnect() {
    observed.clear();
  }
}
const show = (element: Element) =>
  observerCallback([{ target: element, isIntersecting: true }]);
const showAll = () =>
  observerCallback(
    [...observed].map(target => ({ target, isIntersecting: true }))
  );

async function waitFor<T>(probe: () => T | null | undefined): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const value = probe();
    if (value) {
      return value;
    }
    await new Promise(resolve => setTimeout(resolve, 5));
  }
  throw new Error('timed out');
}

const mounted: Widget[] = [];

function mount(answer: () => Promise<unknown>) {
  const client = { profile: jest.fn(answer) };
  const model = new ProfileModel(client as unknown as IProfileClient, {
    kind: 'table',
    name: 'orders'
  });
  const { renderers, rendered } = fakeRenderers();
  const widget = new ProfileWidget({ model, renderers, trans });
  Widget.attach(widget, document.body);
  mounted.push(widget);
  return { widget, model, rendered, node: widget.node };
}

describe('ProfileWidget', () => {
  let original: unknown;
  beforeEach(() => {
    original = (window as any).IntersectionObserver;
    (window as any).IntersectionObserver = FakeIntersectionObserver;
    observed.clear();
  });

  afterEach(() => {
    mounted.splice(0).forEach(widget => widget.dispose());
    (window as any).IntersectionObserver = original;
    document.body.innerHTML = '';
  });

  it('shows a spinner while it runs, then the header and one card per column', async () => {
    let release: (value: unknown) => void = () => undefined;
    const { widget, model, node } = mount(
      () => new Promise(resolve => (release = resolve))
    );
    const run = model.run();
    await waitFor(() => node.querySelector(SELECTORS.profileProgress));
    await waitFor(() => node.textContent?.includes('Profiling orders…'));

    release(profile());
    await run;
    const summary = await waitFor(() =>
      node.querySelector<HTMLElement>(SELECTORS.profileSummary)
    );
    expect(summary.textContent).toBe('200 rows · 3 columns · 84 ms');
    expect(summary.dataset.totalRows).toBe('200');
    expect(summary.dataset.sampled).toBe('false');
    expect(node.querySelector(SELECTORS.profileProgress)).toBeNull();
    const cards = node.querySelectorAll<HTMLElement>(SELECTORS.profileCard);
    expect([...cards].map(c => c.dataset.column)).toEqual([
      'amount',
      'region',
      'nothing'
    ]);
    expect(widget.title.label).toBe('Profile: orders');
  });

  it('shows the null share, the distinct count, min/max/mean and top values', async () => {
    const { model, node } = mount(async () =>
      profile({
        columns: [
          column({ distinct: 98000, distinct_approximate: true }),
          ...profile().columns.slice(1)
        ]
      })
    );
    await model.run();
    const card = (name: string) =>
      waitFor(() =>
        node.querySelector<HTMLElement>(
          `${SELECTORS.profileCard}[data-column="${name}"]`
        )
      );
    const amount = await card('amount');
    expect(amount.querySelector('[data-stat="distinct"]')?.textContent).toBe(
      '≈98,000'
    );
    expect(amount.querySelector('[data-stat="mean"]')?.textContent).toBe(
      '71.1235'
    );
    const nulls = amount.querySelector<HTMLElement>(SELECTORS.profileNulls)!;
    expect(nulls.dataset.nullShare).toBe('0.1');
    expect(nulls.textContent).toBe('10% null');

    const nothing = await card('nothing');
    const allNull = nothing.querySelector<HTMLElement>(SELECTORS.profileNulls)!;
    expect(allNull.textContent).toBe('100% null');
    expect(
      (nothing.querySelector('.mlwb-ProfileCard-nullFill') as HTMLElement).style
        .width
    ).toBe('100%');

    const region = await card('region');
    const top = region.querySelectorAll('.mlwb-ProfileCard-top li');
    expect([...top].map(li => li.textContent)).toEqual(['north50', 'NULL3']);
  });

  it('draws the charts through the renderers, as Vega-Lite v5', async () => {
    const { model, node, rendered } = mount(async () => profile());
    await model.run();
    await waitFor(() => observed.size === 2); // the two charts are watched
    showAll();
    await waitFor(
      () =>
        node.querySelectorAll(
          `${SELECTORS.profileChart}[data-state="rendered"]`
        ).length === 2
    );
    expect(rendered).toEqual([
      'application/vnd.vegalite.v5+json',
      'application/vnd.vegalite.v5+json'
    ]);
    // The all-null column has no chart to draw.
    expect(node.querySelectorAll(`${SELECTORS.profileChart} svg`).length).toBe(
      2
    );
  });

  it('shows the error message and its detail', async () => {
    const { model, node } = mount(async () => {
      throw new WorkbenchApiError(
        "Table 'orders' does not exist.",
        404,
        'not_found',
        { name: 'orders' }
      );
    });
    await model.run();
    const box = await waitFor(() =>
      node.querySelector<HTMLElement>(SELECTORS.profileError)
    );
    expect(box.textContent).toContain("Table 'orders' does not exist.");
    expect(box.querySelector('pre')?.textContent).toBe('name: orders');
    expect(node.querySelector(SELECTORS.profileProgress)).toBeNull();
  });

  it('renders a very wide table batch by batch, and charts only near the viewport', async () => {
    const columns = Array.from({ length: 500 }, (_, i) =>
      column({ name: `c${i}` })
    );
    const { model, node, rendered } = mount(async () => profile({ columns }));
    await model.run();
    await waitFor(() => node.querySelector(SELECTORS.profileMore));
    const cards = () => node.querySelectorAll(SELECTORS.profileCard).length;
    expect(cards()).toBe(CARD_BATCH);
    expect(node.querySelector(SELECTORS.profileMore)?.textContent).toBe(
      `${CARD_BATCH} of 500 columns shown; scroll for more`
    );
    expect(rendered).toHaveLength(0);

    // The first card's chart comes into view: only it is drawn.
    const firstChart = node.querySelector(SELECTORS.profileChart)!;
    await waitFor(() => observed.has(firstChart));
    show(firstChart);
    await waitFor(() =>
      node.querySelector(`${SELECTORS.profileChart}[data-state="rendered"]`)
    );
    expect(rendered).toHaveLength(1);

    // The "more" line comes into view: the next batch is added.
    const more = node.querySelector(SELECTORS.profileMore)!;
    await waitFor(() => observed.has(more));
    show(more);
    await waitFor(() => cards() === CARD_BATCH * 2);
    expect(rendered).toHaveLength(1);
  });
});

describe('filterColumns', () => {
  it('keeps the columns whose name contains the text, in any case', () => {
    const columns = ['Amount', 'region', 'amount_eur'].map(name =>
      column({ name })
    );
    expect(filterColumns(columns, ' AMOUNT ').map(c => c.name)).toEqual([
      'Amount',
      'amount_eur'
    ]);
    expect(filterColumns(columns, '')).toHaveLength(3);
  });
});
