/**
 * A rendermime stand-in for the jest tests of charts: renders any spec as an <svg>, noting the
 * mime type of each chart it drew in `rendered`.
 */
import { Widget } from '@lumino/widgets';

import { IChartRenderers } from './vegaLite';

export function fakeRenderers(): {
  renderers: IChartRenderers;
  rendered: string[];
} {
  const rendered: string[] = [];
  const renderers = {
    preferredMimeType: (bundle: object) => Object.keys(bundle)[0],
    createRenderer: (mimeType: string) => {
      const widget = new Widget();
      widget.addClass('jp-RenderedVegaLite');
      (widget as any).renderModel = async () => {
        rendered.push(mimeType);
        widget.node.innerHTML = '<svg></svg>';
      };
      return widget;
    }
  };
  return { renderers: renderers as unknown as IChartRenderers, rendered };
}
