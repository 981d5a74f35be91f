/**
 * Vega-Lite charts through JupyterLab's own renderers: a spec becomes a mime bundle that the
 * rendermime registry renders (the Vega extension picks the light or dark theme). Used by the
 * profile cards and the training result; `useVegaLite` draws one into a React element.
 */
import type { IRenderMimeRegistry } from '@jupyterlab/rendermime';
import { MimeModel } from '@jupyterlab/rendermime';
import type { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import { Widget } from '@lumino/widgets';
import * as React from 'react';

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

/** Where a chart is: waiting, drawn, or not drawn (no renderer, or it failed). */
export type ChartState = 'pending' | 'rendered' | 'none';

/**
 * Draw `spec` into the element of `host` once `enabled`, and again when the renderers, the
 * spec or the theme (`themeGeneration`) change; the chart is removed on unmount. A failure is
 * logged (naming `what`) and leaves the state 'none'.
 */
export function useVegaLite(
  host: React.RefObject<HTMLElement>,
  options: {
    renderers: IChartRenderers;
    spec: { [key: string]: unknown };
    themeGeneration: number;
    what: string;
    enabled?: boolean;
  }
): ChartState {
  const [state, setState] = React.useState<ChartState>('pending');
  const { renderers, spec, themeGeneration, what, enabled = true } = options;

  React.useEffect(() => {
    const node = host.current;
    if (!enabled || !node) {
      return;
    }
    let disposed = false;
    let renderer: Widget | null = null;
    renderChart(renderers, spec, node)
      .then(result => {
        renderer = result;
        if (disposed && result) {
          disposeChart(result);
        } else {
          setState(result ? 'rendered' : 'none');
        }
      })
      .catch(reason => {
        console.warn(`mlworkbench: cannot draw a ${what}`, reason);
        if (!disposed) {
          setState('none');
        }
      });
    return () => {
      disposed = true;
      if (renderer) {
        disposeChart(renderer);
      }
    };
  }, [host, enabled, renderers, spec, themeGeneration, what]);

  return state;
}
