/**
 * `%%sql` results in notebooks and consoles: a rendermime renderer for the kernel's result
 * bundle that shows the virtualised grid and pages through the kernel.
 */
import {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { IConsoleTracker } from '@jupyterlab/console';
import { INotebookTracker } from '@jupyterlab/notebook';
import { IRenderMimeRegistry } from '@jupyterlab/rendermime';
import type { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';

import type { GridStyle } from '../results/style';
import { IGridStyle } from '../tokens';
import { CellResultView, MIME_TYPE } from './CellResultView';
import type { CommKernel } from './kernelPager';

/** Before text/html (50), so that JupyterLab picks the grid over the HTML fallback. */
export const RESULT_RANK = 40;

/** Something with a session that shows outputs: a notebook or a console panel. */
interface IKernelOwner {
  node: HTMLElement;
  sessionContext: { session?: { kernel?: CommKernel | null } | null };
}

interface IOwnerTracker {
  find(fn: (owner: any) => boolean): IKernelOwner | undefined;
}

/** The kernel of the first tracked notebook or console whose node contains `node`. */
export function kernelFinder(
  trackers: (IOwnerTracker | null)[]
): (node: HTMLElement) => CommKernel | null {
  return node => {
    for (const tracker of trackers) {
      const owner = tracker?.find((o: IKernelOwner) => o.node.contains(node));
      if (owner) {
        return owner.sessionContext.session?.kernel ?? null;
      }
    }
    return null;
  };
}

export function resultRendererFactory(
  gridStyle: GridStyle,
  findKernel: (node: HTMLElement) => CommKernel | null,
  translator: ITranslator = nullTranslator
): IRenderMime.IRendererFactory {
  return {
    safe: true,
    mimeTypes: [MIME_TYPE],
    defaultRank: RESULT_RANK,
    createRenderer: options =>
      new CellResultView({
        gridStyle,
        findKernel,
        trans: (options.translator ?? translator).load('mlworkbench')
      })
  };
}

export const notebookSqlResultsPlugin: JupyterFrontEndPlugin<void> = {
  id: 'mlworkbench:notebook-sql-results',
  description:
    'Shows %%sql cell results in a grid that pages and sorts through the kernel.',
  autoStart: true,
  requires: [IRenderMimeRegistry, IGridStyle],
  optional: [INotebookTracker, IConsoleTracker, ITranslator],
  activate: (
    app: JupyterFrontEnd,
    rendermime: IRenderMimeRegistry,
    gridStyle: GridStyle,
    notebooks: INotebookTracker | null,
    consoles: IConsoleTracker | null,
    translator: ITranslator | null
  ): void => {
    const findKernel = kernelFinder([notebooks, consoles]);
    rendermime.addFactory(
      resultRendererFactory(
        gridStyle,
        findKernel,
        translator ?? nullTranslator
      ),
      RESULT_RANK
    );
  }
};
