/** The Workbench SQL editor: CodeMirror 6 SQL with completion, run/stop, results grid. */
import {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { ICommandPalette, WidgetTracker } from '@jupyterlab/apputils';
import { IEditorServices } from '@jupyterlab/codeeditor';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';

import { workbenchIcon } from '../catalog/icon';
import { CatalogModel } from '../catalog/model';
import { CommandIDs, PALETTE_CATEGORY } from '../commandIds';
import { GridStyle } from '../results/style';
import { ICatalogModel, IGridStyle } from '../tokens';
import { addSqlEditorCommands } from './commands';
import { ISqlEditorSettings, SqlEditorWidget } from './SqlEditorPanel';

const PLUGIN_ID = 'mlworkbench:sql-editor';

export const sqlEditorPlugin: JupyterFrontEndPlugin<void> = {
  id: PLUGIN_ID,
  description: 'The Workbench SQL editor and its results grid.',
  autoStart: true,
  requires: [IEditorServices, ICatalogModel, IGridStyle],
  optional: [ITranslator, ISettingRegistry, ICommandPalette],
  activate: (
    app: JupyterFrontEnd,
    editorServices: IEditorServices,
    catalog: CatalogModel,
    gridStyle: GridStyle,
    translator: ITranslator | null,
    settingRegistry: ISettingRegistry | null,
    palette: ICommandPalette | null
  ): void => {
    const trans = (translator ?? nullTranslator).load('mlworkbench');
    const tracker = new WidgetTracker<SqlEditorWidget>({
      namespace: 'mlworkbench-sql'
    });
    const settings: Required<ISqlEditorSettings> = {
      pageSize: 500,
      fontSize: null,
      costPreview: true,
      costPreviewThresholdRows: null
    };
    let count = 0;

    const create = (sql?: string): SqlEditorWidget => {
      const widget = new SqlEditorWidget({
        editorServices,
        catalog,
        gridStyle,
        trans,
        sql,
        ...settings
      });
      widget.id = `mlworkbench-sql-${++count}`;
      widget.title.label = trans.__('SQL %1', count);
      widget.title.icon = workbenchIcon;
      widget.content.profileRequested.connect((_, sessionId) => {
        void app.commands.execute(CommandIDs.profileSession, {
          sessionId,
          label: trans.__('%1 result', widget.title.label)
        });
      });
      void tracker.add(widget);
      app.shell.add(widget, 'main');
      app.shell.activateById(widget.id);
      return widget;
    };

    if (settingRegistry) {
      settingRegistry
        .load(PLUGIN_ID)
        .then(loaded => {
          const update = () => {
            settings.pageSize =
              (loaded.get('pageSize').composite as number) || 500;
            settings.fontSize =
              (loaded.get('fontSize').composite as number | null) ?? null;
            settings.costPreview =
              loaded.get('costPreview').composite !== false;
            settings.costPreviewThresholdRows =
              (loaded.get('costPreviewThresholdRows').composite as
                number | null) ?? null;
            tracker.forEach(widget => widget.content.configure(settings));
          };
          update();
          loaded.changed.connect(update);
        })
        .catch(reason =>
          console.warn('mlworkbench: cannot load settings', reason)
        );
    }

    addSqlEditorCommands({ app, tracker, trans, create });

    if (palette) {
      for (const command of [
        CommandIDs.newSqlEditor,
        CommandIDs.runQuery,
        CommandIDs.stopQuery,
        CommandIDs.saveResult,
        CommandIDs.exportCsv,
        CommandIDs.exportParquet,
        CommandIDs.profileResult
      ]) {
        palette.addItem({ command, category: PALETTE_CATEGORY });
      }
    }
  }
};
