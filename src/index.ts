/** The mlworkbench JupyterLab extension: the plugins of every feature. */
import { JupyterFrontEndPlugin } from '@jupyterlab/application';

import { catalogPlugin } from './features/catalog';
import { openInWorkbenchPlugin } from './features/open-in-workbench';
import { resultsPlugin } from './features/results';
import { sqlEditorPlugin } from './features/sql-editor';

const plugins: JupyterFrontEndPlugin<any>[] = [
  catalogPlugin,
  resultsPlugin,
  sqlEditorPlugin,
  openInWorkbenchPlugin
];

export default plugins;
