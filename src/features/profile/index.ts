/** Column profiles of a table, a source or a result, with charts drawn by JupyterLab's renderers. */
import {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import {
  ICommandPalette,
  IThemeManager,
  WidgetTracker
} from '@jupyterlab/apputils';
import { IRenderMimeRegistry } from '@jupyterlab/rendermime';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';

import { workbenchIcon } from '../catalog/icon';
import { CatalogModel } from '../catalog/model';
import { CommandIDs, PALETTE_CATEGORY } from '../commandIds';
import { ICatalogModel } from '../tokens';
import { addProfileCommands, PROFILE_MENU_SELECTORS } from './commands';
import { ProfileModel, ProfileTarget } from './model';
import { ProfileWidget } from './ProfileWidget';

const PLUGIN_ID = 'mlworkbench:profile';

/** Two targets are the same profile (opening it again refreshes the open tab). */
function sameTarget(a: ProfileTarget, b: ProfileTarget): boolean {
  return a.kind === 'table' && b.kind === 'table'
    ? a.name === b.name
    : a.kind === 'result' && b.kind === 'result' && a.sessionId === b.sessionId;
}

export const profilePlugin: JupyterFrontEndPlugin<void> = {
  id: PLUGIN_ID,
  description: 'Column profiles of Workbench tables, sources and results.',
  autoStart: true,
  requires: [ICatalogModel, IRenderMimeRegistry],
  optional: [ITranslator, ICommandPalette, IThemeManager],
  activate: (
    app: JupyterFrontEnd,
    catalog: CatalogModel,
    rendermime: IRenderMimeRegistry,
    translator: ITranslator | null,
    palette: ICommandPalette | null,
    themes: IThemeManager | null
  ): void => {
    const trans = (translator ?? nullTranslator).load('mlworkbench');
    const tracker = new WidgetTracker<ProfileWidget>({
      namespace: 'mlworkbench-profile'
    });
    let count = 0;

    const open = (target: ProfileTarget): ProfileWidget => {
      const existing = tracker.find(w =>
        sameTarget(w.content.model.target, target)
      );
      if (existing) {
        app.shell.activateById(existing.id);
        void existing.content.model.run();
        return existing;
      }
      const model = new ProfileModel(catalog.client, target);
      const widget = new ProfileWidget({
        model,
        renderers: rendermime,
        trans,
        themeChanged: themes?.themeChanged ?? null
      });
      widget.id = `mlworkbench-profile-${++count}`;
      widget.title.icon = workbenchIcon;
      void tracker.add(widget);
      app.shell.add(widget, 'main');
      app.shell.activateById(widget.id);
      void model.run();
      return widget;
    };

    addProfileCommands({ app, catalog, trans, open });

    PROFILE_MENU_SELECTORS.forEach((selector, index) =>
      app.contextMenu.addItem({
        command: CommandIDs.profileTable,
        args: { fromMenu: true },
        selector,
        rank: 20 + index
      })
    );

    if (palette) {
      palette.addItem({
        command: CommandIDs.profileTable,
        category: PALETTE_CATEGORY
      });
    }
  }
};
