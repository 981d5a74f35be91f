import { nullTranslator } from '@jupyterlab/translation';
import { ReactWidget } from '@jupyterlab/ui-components';
import { Widget } from '@lumino/widgets';
import * as React from 'react';

import { WorkbenchApiError } from '../../api/client';
import { waitFor } from '../join-builder/fakeServer';
import { SELECTORS } from '../selectors';
import { FakeStudioApi, labelSet, linkOf } from './fakeApi';
import { StudioModel } from './model';
import { IStudioSectionProps, StudioSidebarSection } from './StudioSection';

const trans = nullTranslator.load('mlworkbench');

async function mount(setUp: (api: FakeStudioApi) => void) {
  const api = new FakeStudioApi();
  setUp(api);
  let release: () => void = () => undefined;
  // Polls wait for the test: it looks at the panel while a task runs.
  const model = new StudioModel(api, {
    sleep: () => new Promise<void>(resolve => (release = resolve))
  });
  const props: IStudioSectionProps = {
    model,
    trans,
    onAction: jest.fn(),
    onCancel: jest.fn(),
    onRefresh: jest.fn(),
    now: () => new Date('2026-11-27T12:00:00Z')
  };
  const widget = ReactWidget.create(
    React.createElement(StudioSidebarSection, props)
  );
  Widget.attach(widget, document.body);
  await model.refresh();
  const item = (name: string) =>
    widget.node.querySelector<HTMLElement>(
      `${SELECTORS.studioItem}[data-name="${name}"]`
    );
  return { api, model, props, widget, item, poll: () => release() };
}

describe('the Label Studio section', () => {
  it('shows a linked set with its project link and counts, an unlinked one with Connect', async () => {
    const { props, item, widget } = await mount(api => {
      api.sets = [labelSet('reviews', true), labelSet('photos')];
      api.links.set(
        'reviews',
        linkOf('reviews', { annotated: 3, pulled: 3, unknown_labels: 2 })
      );
    });
    const reviews = await waitFor(() =>
      item('reviews')?.querySelector(SELECTORS.studioCounts)
        ? item('reviews')
        : null
    );
    expect(reviews.dataset.state).toBe('ok');
    const project = reviews.querySelector<HTMLAnchorElement>(
      SELECTORS.studioProject
    )!;
    expect(project.href).toBe('http://ls.test/projects/7/data');
    expect(project.target).toBe('_blank');
    expect(project.rel).toContain('noopener');
    const counts = reviews.querySelector<HTMLElement>(SELECTORS.studioCounts)!;
    expect({ ...counts.dataset }).toMatchObject({
      tasks: '10',
      pushed: '10',
      annotated: '3',
      pulled: '3',
      unknownLabels: '2',
      lastPull: '2026-11-27T10:06:00Z'
    });
    expect(counts.textContent).toContain('10 pushed · 3 annotated · 3 pulled');
    expect(reviews.querySelector(SELECTORS.studioFlagged)!.textContent).toBe(
      '2 unknown labels'
    );
    expect(reviews.querySelector(SELECTORS.studioConnect)).toBeNull();
    reviews.querySelector<HTMLElement>(SELECTORS.studioPull)!.click();
    expect(props.onAction).toHaveBeenCalledWith('reviews', 'pull');

    const photos = item('photos')!;
    expect(photos.dataset.state).toBe('not_connected');
    expect(photos.querySelector(SELECTORS.studioPush)).toBeNull();
    photos.querySelector<HTMLElement>(SELECTORS.studioConnect)!.click();
    expect(props.onAction).toHaveBeenCalledWith('photos', 'connect');

    widget.node.querySelector<HTMLElement>(SELECTORS.studioRefresh)!.click();
    expect(props.onRefresh).toHaveBeenCalled();
  });

  it('shows a progress bar and Cancel while a push runs, then the outcome', async () => {
    const { api, model, item, props, poll } = await mount(api => {
      api.sets = [labelSet('reviews', true)];
      api.links.set('reviews', linkOf('reviews'));
    });
    api.nextTask = [
      { done: 10, total: 40, message: 'Pushed 10 of 10 items' },
      { done: 40, total: 40, finished: true, result: { pushed: 40 } }
    ];
    const pushing = model.push('reviews');
    const progress = await waitFor(() =>
      item('reviews')?.querySelector<HTMLElement>(SELECTORS.studioProgress)
    );
    expect(progress.dataset.action).toBe('push');
    expect(item('reviews')!.dataset.busy).toBe('push');
    expect(item('reviews')!.querySelector(SELECTORS.studioPush)).toBeNull();
    poll();
    await waitFor(() =>
      item('reviews')?.querySelector<HTMLElement>(
        `${SELECTORS.studioProgress}[data-done="10"][data-total="40"]`
      )
    );
    expect(item('reviews')!.textContent).toContain(
      'Pushed 10 of 10 items (10 / 40)'
    );
    item('reviews')!
      .querySelector<HTMLElement>(SELECTORS.studioCancel)!
      .click();
    expect(props.onCancel).toHaveBeenCalledWith('reviews');
    poll();
    await pushing;
    const outcome = await waitFor(() =>
      item('reviews')?.querySelector(SELECTORS.studioOutcome)
    );
    expect(outcome.textContent).toBe('Pushed 40 new tasks');
    expect(item('reviews')!.querySelector(SELECTORS.studioProgress)).toBeNull();
  });

  it('says how to configure the URL and key when the server has none', async () => {
    const { api, model, item } = await mount(api => {
      api.sets = [labelSet('reviews')];
    });
    api.failNext = new WorkbenchApiError(
      'No Label Studio API key: copy the Access Token from Label Studio',
      422,
      'invalid_request',
      { field: 'api_key' }
    );
    await model.connect('reviews');
    const error = await waitFor(() =>
      item('reviews')?.querySelector<HTMLElement>(SELECTORS.studioError)
    );
    expect(error.dataset.code).toBe('invalid_request');
    expect(error.textContent).toContain('No Label Studio API key');
    const help = error.querySelector(SELECTORS.studioConfigHelp)!;
    expect(help.textContent).toContain('c.MLWorkbench.label_studio_api_key');
    expect(help.textContent).toContain(
      'LABEL_STUDIO_URL, LABEL_STUDIO_API_KEY'
    );
  });

  it('says once, for the section, what Connect does, with Connect on every unlinked row', async () => {
    const { item, widget } = await mount(api => {
      api.sets = [
        labelSet('reviews', true),
        labelSet('photos'),
        labelSet('tweets')
      ];
      api.links.set('reviews', linkOf('reviews'));
    });
    const hint = await waitFor(() =>
      widget.node.querySelector<HTMLElement>(SELECTORS.studioHint)
    );
    expect(hint.textContent).toContain('Connect creates a project');
    expect(widget.node.querySelectorAll(SELECTORS.studioHint)).toHaveLength(1);
    for (const name of ['photos', 'tweets']) {
      expect(item(name)!.dataset.state).toBe('not_connected');
      expect(item(name)!.querySelector(SELECTORS.studioHint)).toBeNull();
      expect(item(name)!.querySelector(SELECTORS.studioConnect)).toBeTruthy();
    }
    expect(item('reviews')!.querySelector(SELECTORS.studioConnect)).toBeNull();
    expect(widget.node.querySelector(SELECTORS.studioConfigHelp)).toBeNull();
  });

  it('says nothing about Connect when every label set is linked', async () => {
    const { item, widget } = await mount(api => {
      api.sets = [labelSet('reviews', true)];
      api.links.set('reviews', linkOf('reviews'));
    });
    await waitFor(() => item('reviews')?.querySelector(SELECTORS.studioCounts));
    expect(widget.node.querySelector(SELECTORS.studioHint)).toBeNull();
  });

  it('says at once, before any click, that the server has no Label Studio URL or key', async () => {
    const { api, item, widget } = await mount(api => {
      api.sets = [labelSet('reviews'), labelSet('photos')];
      api.links.set('reviews', {
        label_set: 'reviews',
        state: 'not_connected',
        configured: false,
        message:
          'No Label Studio URL: set c.MLWorkbench.label_studio_url in the Jupyter server config'
      });
    });
    const error = await waitFor(() =>
      widget.node.querySelector<HTMLElement>(
        `${SELECTORS.studioError}[data-code="not_configured"]`
      )
    );
    expect(api.calls.filter(c => c.startsWith('connect'))).toEqual([]);
    expect(error.textContent).toContain('No Label Studio URL');
    // The help is shown once, for the section, not on every row.
    expect(
      widget.node.querySelectorAll(SELECTORS.studioConfigHelp)
    ).toHaveLength(1);
    expect(
      error.querySelector(SELECTORS.studioConfigHelp)!.textContent
    ).toContain('c.MLWorkbench.label_studio_url');
    for (const name of ['reviews', 'photos']) {
      expect(item(name)!.dataset.state).toBe('not_configured');
      expect(
        item(name)!.querySelector(SELECTORS.studioWarning)!.textContent
      ).toContain('not set up on this Jupyter server');
    }
    // Connect cannot work yet: the section does not offer it.
    expect(widget.node.querySelector(SELECTORS.studioHint)).toBeNull();
  });

  it("shows the link's state when Label Studio is down", async () => {
    const { item } = await mount(api => {
      api.sets = [labelSet('reviews', true)];
      api.links.set('reviews', {
        ...linkOf('reviews'),
        state: 'unreachable',
        counts: null,
        message:
          'Label Studio at http://ls.test does not answer: is it running?'
      });
    });
    const warning = await waitFor(() =>
      item('reviews')?.querySelector<HTMLElement>(SELECTORS.studioWarning)
    );
    expect(item('reviews')!.dataset.state).toBe('unreachable');
    expect(warning.textContent).toContain('does not answer');
    expect(item('reviews')!.querySelector(SELECTORS.studioCounts)).toBeNull();
  });

  it('offers Connect again when the project was deleted in Label Studio', async () => {
    const { item } = await mount(api => {
      api.sets = [labelSet('reviews', true)];
      api.links.set('reviews', {
        ...linkOf('reviews'),
        state: 'project_missing',
        counts: null,
        message: 'Project 7 no longer exists in Label Studio: connect again.'
      });
    });
    const connect = await waitFor(() =>
      item('reviews')?.querySelector<HTMLElement>(SELECTORS.studioConnect)
    );
    expect(connect).toBeTruthy();
    expect(item('reviews')!.dataset.state).toBe('project_missing');
    expect(item('reviews')!.querySelector(SELECTORS.studioPush)).toBeNull();
  });

  it('says what to do when there is no label set', async () => {
    const { widget } = await mount(() => undefined);
    await waitFor(() => widget.node.querySelector('.mlwb-Section-empty'));
    expect(widget.node.textContent).toContain('Create one under "Label data"');
  });
});
