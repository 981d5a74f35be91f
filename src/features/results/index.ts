/** The results grid's theme: colours read from JupyterLab's CSS variables. */
import {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { IThemeManager } from '@jupyterlab/apputils';

import { IGridStyle } from '../tokens';
import { GridStyle } from './style';

export const resultsPlugin: JupyterFrontEndPlugin<GridStyle> = {
  id: 'mlworkbench:results',
  description:
    'Colours of the Workbench results grid, following the JupyterLab theme.',
  autoStart: true,
  provides: IGridStyle,
  optional: [IThemeManager],
  activate: (app: JupyterFrontEnd, themes: IThemeManager | null): GridStyle => {
    const style = new GridStyle();
    // The theme's CSS variables are in place once the app is restored, and after each change.
    void app.restored.then(() => style.refresh());
    themes?.themeChanged.connect(() =>
      requestAnimationFrame(() => style.refresh())
    );
    return style;
  }
};

export { ResultsDataModel } from './model';
export { ResultsGrid } from './ResultsGrid';
