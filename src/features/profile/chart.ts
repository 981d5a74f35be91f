/**
 * Column charts through JupyterLab's own renderers: a Vega-Lite spec becomes a mime bundle that
 * the rendermime registry renders (the Vega extension picks the light or dark theme), and only
 * once the card scrolls near the viewport, so a table of hundreds of columns stays responsive.
 */
import type { IRenderMimeRegistry } from '@jupyterlab/rendermime';
import { MimeModel } from '@jupyterlab/rendermime';
import type { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import { Widget } from '@lumino/widgets';

/** The mime types of Vega-Lite specs, newest first; the spec's `$schema` names its version. */
export const VEGALITE_MIME_TYPES = [
  'application/vnd.vegalite.v5+json',
  'application/vnd.vegalite.v4+json',
  'application/vnd.vegalite.v3+json'
];

/** The mime bundle of a spec: keyed by the version its `$schema` names (v5 when it names none). */
export function chartBundle(spec: { [key: string]: unknown }): {
  [mime: string]: { [key: string]: unknown };
} {
  const schema = typeof spec.$schema === 'string' ? spec.$schema : '';
  const version = /vega-lite\/v(\d+)/.exec(schema)?.[1] ?? '5';
  return { [`application/vnd.vegalite.v${version}+json`]: spec };
}

/** What renders charts; the rendermime registry in the app, a fake in tests. */
export type IChartRenderers = Pick<
  IRenderMimeRegistry,
  'preferredMimeType' | 'createRenderer'
>;

/**
 * Render a spec into `host` (emptied first). Resolves with the renderer widget (dispose it to
 * remove the chart), or null when no renderer takes the spec's mime type.
 */
export async function renderChart(
  renderers: IChartRenderers,
  spec: { [key: string]: unknown },
  host: HTMLElement
): Promise<IRenderMime.IRenderer | null> {
  const data = chartBundle(spec);
  const mimeType = renderers.preferredMimeType(data as any, 'any');
  if (!mimeType) {
    return null;
  }
  const renderer = renderers.createRenderer(mimeType);
  host.textContent = '';
  Widget.attach(renderer, host);
  try {
    await renderer.renderModel(
      new MimeModel({ data: data as any, trusted: true })
    );
  } catch (error) {
    disposeChart(renderer);
    throw error;
  }
  return renderer;
}

/**
 * Remove a chart. React may have taken the host out of the page already (the card unmounted):
 * then the renderer is only marked detached, as Lumino refuses to detach a node that is gone.
 */
export function disposeChart(renderer: Widget): void {
  if (renderer.isAttached && !renderer.node.isConnected) {
    renderer.clearFlag(Widget.Flag.IsAttached);
  }
  renderer.dispose();
}

/**
 * Calls back when an element comes near the viewport of a scrolling root, once per element.
 * Without IntersectionObserver (old browsers, jsdom) everything is "visible" at once.
 */
export class LazyTrigger {
  constructor(root: HTMLElement | null, margin = '300px') {
    if (typeof IntersectionObserver !== 'undefined') {
      this._observer = new IntersectionObserver(
        entries => {
          for (const entry of entries) {
            if (entry.isIntersecting) {
              this._fire(entry.target);
            }
          }
        },
        { root, rootMargin: margin }
      );
    }
  }

  /** Call `onVisible` once `element` is near the viewport; returns the way to stop watching. */
  watch(element: Element, onVisible: () => void): () => void {
    if (!this._observer) {
      onVisible();
      return () => undefined;
    }
    this._callbacks.set(element, onVisible);
    this._observer.observe(element);
    return () => this._unwatch(element);
  }

  dispose(): void {
    this._observer?.disconnect();
    this._callbacks.clear();
  }

  private _fire(element: Element): void {
    const callback = this._callbacks.get(element);
    this._unwatch(element);
    callback?.();
  }

  private _unwatch(element: Element): void {
    this._callbacks.delete(element);
    this._observer?.unobserve(element);
  }

  private _observer: IntersectionObserver | null = null;
  private _callbacks = new Map<Element, () => void>();
}
