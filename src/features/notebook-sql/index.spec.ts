import { nullTranslator } from '@jupyterlab/translation';

import { GridStyle } from '../results/style';
import { CellResultView, MIME_TYPE } from './CellResultView';
import { kernelFinder, RESULT_RANK, resultRendererFactory } from './index';

describe('resultRendererFactory', () => {
  it('renders the result MIME type, safely, before text/html', () => {
    const factory = resultRendererFactory(new GridStyle(), () => null);
    expect(factory.mimeTypes).toEqual([MIME_TYPE]);
    expect(factory.safe).toBe(true);
    expect(factory.defaultRank).toBe(RESULT_RANK);
    expect(RESULT_RANK).toBeLessThan(50); // text/html's rank
    const renderer = factory.createRenderer({
      mimeType: MIME_TYPE,
      translator: nullTranslator
    } as any);
    expect(renderer).toBeInstanceOf(CellResultView);
    renderer.dispose();
  });
});

describe('kernelFinder', () => {
  it("finds the kernel of the notebook or console that holds the output's node", () => {
    const owner = (kernel: string | null) => {
      const node = document.createElement('div');
      node.appendChild(document.createElement('span'));
      return { node, sessionContext: { session: { kernel } } };
    };
    const notebook = owner('nb-kernel');
    const console = owner(null);
    const tracker = (owners: any[]) => ({
      find: (fn: (o: any) => boolean) => owners.find(fn)
    });
    const find = kernelFinder([tracker([notebook]), null, tracker([console])]);
    expect(find(notebook.node.firstChild as HTMLElement)).toBe('nb-kernel');
    expect(find(console.node.firstChild as HTMLElement)).toBeNull();
    expect(find(document.createElement('div'))).toBeNull();
  });
});
