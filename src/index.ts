/** The mlworkbench JupyterLab extension: the plugins of every feature. */
import { JupyterFrontEndPlugin } from '@jupyterlab/application';

import { catalogPlugin, sidebarSectionsPlugin } from './features/catalog';
import { jobsPlugin } from './features/jobs';
import { joinBuilderPlugin } from './features/join-builder';
import { labelingPlugin } from './features/labeling';
import { labelStudioPlugin } from './features/labelstudio';
import { modelsPlugin } from './features/models';
import { notebookSqlResultsPlugin } from './features/notebook-sql';
import { notebookSqlHighlightPlugin } from './features/notebook-sql/highlight';
import { openInWorkbenchPlugin } from './features/open-in-workbench';
import { profilePlugin } from './features/profile';
import { resultsPlugin } from './features/results';
import { sqlEditorPlugin } from './features/sql-editor';
import { trainingPlugin } from './features/training';

const plugins: JupyterFrontEndPlugin<any>[] = [
  sidebarSectionsPlugin,
  catalogPlugin,
  resultsPlugin,
  sqlEditorPlugin,
  profilePlugin,
  openInWorkbenchPlugin,
  notebookSqlResultsPlugin,
  notebookSqlHighlightPlugin,
  joinBuilderPlugin,
  labelingPlugin,
  labelStudioPlugin,
  trainingPlugin,
  modelsPlugin,
  jobsPlugin
];

export default plugins;
