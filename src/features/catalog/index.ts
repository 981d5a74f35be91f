/**
 * The Workbench sidebar: sources, workspace tables and their columns; under them the saved
 * queries and the query history (src/features/history), and file imports by drag and drop.
 */
import {
  ILayoutRestorer,
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import { PageConfig } from '@jupyterlab/coreutils';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';

import { WorkbenchClient } from '../../api/client';
import { CommandIDs, PALETTE_CATEGORY } from '../commandIds';
import { createHistoryFeature } from '../history';
import { ICatalogModel, IWorkbenchSidebarSections } from '../tokens';
import { CatalogSidebar } from './CatalogPanel';
import { addCatalogCommands, SIDEBAR_ID } from './commands';
import { workbenchIcon } from './icon';
import { CatalogModel } from './model';
import { OPEN_PAGE_CONFIG, openRequested } from './openRequested';
import { SidebarSections } from './sections';
import { previewSql } from './tree';

const PLUGIN_ID = 'mlworkbench:catalog';

/** The sections other features add to the sidebar; the catalog plugin shows them. */
export const sidebarSectionsPlugin: JupyterFrontEndPlugin<SidebarSections> = {
  id: 'mlworkbench:sidebar-sections',
  description: 'Sections other features add to the Workbench sidebar.',
  autoStart: true,
  provides: IWorkbenchSidebarSections,
  activate: (): SidebarSections => new SidebarSections()
};

export const catalogPlugin: JupyterFrontEndPlugin<CatalogModel> = {
  id: PLUGIN_ID,
  description:
    'The Workbench sidebar: sources, workspace tables and their columns.',
  autoStart: true,
  provides: ICatalogModel,
  optional: [
    ITranslator,
    ISettingRegistry,
    ICommandPalette,
    ILayoutRestorer,
    IWorkbenchSidebarSections
  ],
  activate: (
    app: JupyterFrontEnd,
    translator: ITranslator | null,
    settingRegistry: ISettingRegistry | null,
    palette: ICommandPalette | null,
    restorer: ILayoutRestorer | null,
    extraSections: SidebarSections | null
  ): CatalogModel => {
    const trans = (translator ?? nullTranslator).load('mlworkbench');
    const client = new WorkbenchClient({
      serverSettings: app.serviceManager.serverSettings
    });
    const model = new CatalogModel(client, {
      sources: trans.__('Sources'),
      tables: trans.__('Workspace tables')
    });

    let confirmRemove = true;
    if (settingRegistry) {
      settingRegistry
        .load(PLUGIN_ID)
        .then(settings => {
          const update = () => {
            confirmRemove = settings.get('confirmRemove').composite !== false;
          };
          update();
          settings.changed.connect(update);
        })
        .catch(reason =>
          console.warn('mlworkbench: cannot load settings', reason)
        );
    }

    // Created before the sidebar, which mounts its sections; the sidebar exists when it polls.
    let sidebarVisible = () => false;
    const feature = createHistoryFeature({
      app,
      catalog: model,
      trans,
      palette,
      isVisible: () => sidebarVisible()
    });
    const refreshAll = () =>
      void Promise.all([
        model.refresh(),
        feature.refresh(),
        extraSections?.refresh()
      ]);

    addCatalogCommands({
      app,
      model,
      trans,
      confirmRemove: () => confirmRemove,
      refreshSections: feature.refresh
    });

    const sidebar = new CatalogSidebar({
      model,
      trans,
      onOpenTable: sqlName =>
        void app.commands.execute(CommandIDs.newSqlEditor, {
          sql: previewSql(sqlName)
        }),
      onNewEditor: () => void app.commands.execute(CommandIDs.newSqlEditor),
      onRemove: target =>
        void app.commands.execute(
          target.kind === 'source'
            ? CommandIDs.removeSource
            : CommandIDs.removeTable,
          { name: target.name }
        ),
      onRefresh: refreshAll,
      sections: {
        saved: {
          model: feature.saved,
          trans,
          onOpen: name =>
            void app.commands.execute(CommandIDs.openSavedQuery, { name }),
          onRename: name =>
            void app.commands.execute(CommandIDs.renameSavedQuery, { name }),
          onDelete: name =>
            void app.commands.execute(CommandIDs.deleteSavedQuery, { name }),
          onSaveCurrent: () => void app.commands.execute(CommandIDs.saveQuery)
        },
        history: {
          model: feature.history,
          trans,
          onOpen: entry =>
            void app.commands.execute(CommandIDs.openHistoryEntry, {
              id: entry.id
            }),
          onDelete: entry =>
            void app.commands.execute(CommandIDs.deleteHistoryEntry, {
              id: entry.id
            }),
          onClear: () => void app.commands.execute(CommandIDs.clearHistory)
        },
        imports: {
          model: feature.imports,
          trans,
          onRetrySkipping: job => void feature.actions.retrySkipping(job)
        },
        onImport: () => void app.commands.execute(CommandIDs.importFile),
        onDropFiles: files => void feature.actions.importFiles(files),
        extra: extraSections ?? undefined
      }
    });
    sidebarVisible = () => sidebar.isVisible;
    sidebar.id = SIDEBAR_ID;
    sidebar.title.icon = workbenchIcon;
    sidebar.title.caption = trans.__('Workbench');
    sidebar.title.label = '';
    app.shell.add(sidebar, 'left', { rank: 450 });
    restorer?.add(sidebar, SIDEBAR_ID);

    if (palette) {
      for (const command of [
        CommandIDs.openSidebar,
        CommandIDs.refreshCatalog
      ]) {
        palette.addItem({ command, category: PALETTE_CATEGORY });
      }
    }

    // Read the URL now: JupyterLab's router may rewrite it while the app restores. `make lab`
    // asks through the page config instead (Jupyter appends ?token= to a default URL blindly).
    const openSidebar =
      openRequested(window.location.search) ||
      PageConfig.getOption(OPEN_PAGE_CONFIG) === 'true';
    void app.restored.then(() => {
      if (openSidebar) {
        app.shell.activateById(SIDEBAR_ID);
      }
      return Promise.all([
        model.refresh(),
        feature.refresh(),
        extraSections?.refresh()
      ]);
    });
    return model;
  }
};
