/** The join builder (keys suggested, preview, SQL) and the transforms that write SQL. */
import {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import {
  ICommandPalette,
  MainAreaWidget,
  WidgetTracker
} from '@jupyterlab/apputils';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';

import { workbenchIcon } from '../catalog/icon';
import { CatalogModel } from '../catalog/model';
import { CommandIDs, PALETTE_CATEGORY } from '../commandIds';
import { ICatalogModel } from '../tokens';
import { addJoinBuilderCommands } from './commands';
import { JoinBuilderView } from './JoinBuilderPanel';
import { JoinBuilderModel } from './model';

const PLUGIN_ID = 'mlworkbench:join-builder';

export const joinBuilderPlugin: JupyterFrontEndPlugin<void> = {
  id: PLUGIN_ID,
  description:
    'The Workbench join builder and transforms: suggested keys, preview, SQL in an editor.',
  autoStart: true,
  requires: [ICatalogModel],
  optional: [ITranslator, ICommandPalette],
  activate: (
    app: JupyterFrontEnd,
    catalog: CatalogModel,
    translator: ITranslator | null,
    palette: ICommandPalette | null
  ): void => {
    const trans = (translator ?? nullTranslator).load('mlworkbench');
    const tracker = new WidgetTracker<MainAreaWidget<JoinBuilderView>>({
      namespace: 'mlworkbench-join'
    });
    let count = 0;

    const create = (tables: string[]): MainAreaWidget<JoinBuilderView> => {
      const model = new JoinBuilderModel({ catalog, tables });
      const content = new JoinBuilderView({
        model,
        trans,
        onOpenSql: sql =>
          void app.commands.execute(CommandIDs.newSqlEditor, { sql })
      });
      const widget = new MainAreaWidget({ content });
      widget.id = `mlworkbench-join-${count + 1}`;
      const n = ++count;
      const retitle = () => {
        widget.title.label =
          model.tables.length > 0
            ? trans.__('Join: %1', model.tables.join(' ⋈ '))
            : trans.__('Join %1', n);
      };
      model.changed.connect(retitle);
      retitle();
      widget.title.icon = workbenchIcon;
      widget.title.closable = true;
      void tracker.add(widget);
      app.shell.add(widget, 'main');
      app.shell.activateById(widget.id);
      void model.start();
      return widget;
    };

    addJoinBuilderCommands({ app, catalog, trans, create });

    if (palette) {
      for (const command of [CommandIDs.newJoin, CommandIDs.transformTable]) {
        palette.addItem({ command, category: PALETTE_CATEGORY });
      }
    }
  }
};
