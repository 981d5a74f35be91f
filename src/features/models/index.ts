/**
 * Published models (issue 7): the sidebar's "Models" section (models with their aliases as
 * badges), a model's tab (versions, aliases with promote and roll back through gates, alias
 * history, model card, signature, "Try it" and snippets of the predict route), and the
 * "Publish Model…" command a training result calls with `{ runId }`.
 */
import {
  ILabShell,
  ILayoutRestorer,
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import {
  ICommandPalette,
  MainAreaWidget,
  WidgetTracker
} from '@jupyterlab/apputils';
import { IRenderMimeRegistry } from '@jupyterlab/rendermime';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';
import * as React from 'react';

import { workbenchIcon } from '../catalog/icon';
import { CatalogModel } from '../catalog/model';
import { SidebarSections } from '../catalog/sections';
import { previewSql } from '../catalog/tree';
import { CommandIDs, PALETTE_CATEGORY } from '../commandIds';
import { catalogTables } from '../join-builder/plan';
import { refreshWhenSidebarShown } from '../shared/serverList';
import { ICatalogModel, IWorkbenchSidebarSections } from '../tokens';
import { ClientModelsApi } from './api';
import {
  addModelsCommands,
  EXPORT_MODEL_COMMAND,
  SCORE_QUERY_COMMAND
} from './commands';
import { ModelViewModel } from './model';
import { ModelPanel } from './ModelPanel';
import { ModelsListModel } from './modelsList';
import { ModelsSidebarSection } from './ModelsSection';

const PLUGIN_ID = 'mlworkbench:models';

export const modelsPlugin: JupyterFrontEndPlugin<void> = {
  id: PLUGIN_ID,
  description:
    'Published models: versions, aliases, model cards and a form to try the predict route.',
  autoStart: true,
  requires: [ICatalogModel, IRenderMimeRegistry],
  optional: [
    ITranslator,
    ICommandPalette,
    IWorkbenchSidebarSections,
    ILabShell,
    ILayoutRestorer
  ],
  activate: (
    app: JupyterFrontEnd,
    catalog: CatalogModel,
    rendermime: IRenderMimeRegistry,
    translator: ITranslator | null,
    palette: ICommandPalette | null,
    sections: SidebarSections | null,
    labShell: ILabShell | null,
    restorer: ILayoutRestorer | null
  ): void => {
    const trans = (translator ?? nullTranslator).load('mlworkbench');
    const api = new ClientModelsApi(catalog.client);
    const list = new ModelsListModel(api);
    const tracker = new WidgetTracker<MainAreaWidget<ModelPanel>>({
      namespace: 'mlworkbench-model'
    });
    const baseUrl = new URL(api.serverSettings.baseUrl, window.location.href)
      .href;
    refreshWhenSidebarShown(app, labShell, () => void list.refresh());

    const openModel = (name: string, version?: number): void => {
      const existing = tracker.find(w => w.content.model.name === name);
      if (existing) {
        app.shell.activateById(existing.id);
        void (version !== undefined
          ? existing.content.model
              .load()
              .then(() => existing.content.model.selectVersion(version))
          : existing.content.model.load());
        return;
      }
      const model = new ModelViewModel({ api, name, version });
      const content = new ModelPanel({
        model,
        trans,
        renderers: rendermime,
        baseUrl,
        onOpenRun: id =>
          void app.commands.execute(CommandIDs.openTrainingRun, { id }),
        onScoreQuery: version =>
          void app.commands.execute(SCORE_QUERY_COMMAND, { name, version }),
        onExport: version =>
          void app.commands.execute(EXPORT_MODEL_COMMAND, { name, version })
      });
      const widget = new MainAreaWidget({ content });
      widget.id = `mlworkbench-model-${encodeURIComponent(name)}`;
      widget.title.label = trans.__('Model %1', name);
      widget.title.caption = trans.__('Published model %1', name);
      widget.title.icon = workbenchIcon;
      widget.title.closable = true;
      // Alias moves show in the sidebar's badges.
      model.moved.connect(() => void list.refresh());
      void tracker.add(widget);
      app.shell.add(widget, 'main');
      app.shell.activateById(widget.id);
      void model.load();
    };

    const tables = async (): Promise<string[]> => {
      await catalog.refresh();
      return catalogTables(catalog.catalog).map(t => t.name);
    };
    // A SQL editor on the table's rows, run at once (the editor is the workbench's table view).
    const openTable = async (table: string): Promise<void> => {
      void catalog.refresh();
      const editor = (await app.commands.execute(CommandIDs.newSqlEditor, {
        sql: previewSql(table)
      })) as { content?: { run?: () => Promise<void> } } | undefined;
      await editor?.content?.run?.();
    };

    addModelsCommands({
      app,
      api,
      list,
      trans,
      openModel,
      tables,
      openTable: table => void openTable(table),
      // The file browser's own command (JupyterLab's filebrowser plugin).
      openFolder: path =>
        void app.commands.execute('filebrowser:go-to-path', {
          path: path.startsWith('/') ? path : `/${path}`
        })
    });

    sections?.add({
      id: 'models',
      rank: 35,
      refresh: () => list.refresh(),
      render: () =>
        React.createElement(ModelsSidebarSection, {
          model: list,
          trans,
          onOpen: name =>
            void app.commands.execute(CommandIDs.openModel, { name }),
          onRefresh: () => void app.commands.execute(CommandIDs.refreshModels)
        })
    });

    if (restorer) {
      void restorer.restore(tracker, {
        command: CommandIDs.openModel,
        args: widget => ({ name: widget.content.model.name }),
        name: widget => widget.content.model.name
      });
    }

    if (palette) {
      for (const command of [
        CommandIDs.publishModel,
        CommandIDs.openModel,
        SCORE_QUERY_COMMAND,
        EXPORT_MODEL_COMMAND,
        CommandIDs.refreshModels
      ]) {
        palette.addItem({ command, category: PALETTE_CATEGORY });
      }
    }
  }
};
