/**
 * Label Studio in the panel: the Workbench sidebar's "Label Studio" section (per label set:
 * project link, sync counts, Connect / Push / Pull with progress and Cancel) and the palette
 * commands of the bridge. The server does the work (mlworkbench/core/labeling/studio.py).
 */
import {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';
import * as React from 'react';

import { CatalogModel } from '../catalog/model';
import { SidebarSections } from '../catalog/sections';
import { CommandIDs, PALETTE_CATEGORY } from '../commandIds';
import { ICatalogModel, IWorkbenchSidebarSections } from '../tokens';
import { studioApi } from './api';
import {
  addStudioCommands,
  FROM_LABEL_STUDIO,
  STUDIO_COMMANDS
} from './commands';
import { StudioModel } from './model';
import { StudioSidebarSection } from './StudioSection';

const PLUGIN_ID = 'mlworkbench:labelstudio';

/** Commands after which the label set list may have changed. */
const LABEL_SET_COMMANDS: readonly string[] = [
  CommandIDs.newLabelSet,
  CommandIDs.deleteLabelSet,
  CommandIDs.refreshLabelSets
];

export const labelStudioPlugin: JupyterFrontEndPlugin<void> = {
  id: PLUGIN_ID,
  description:
    'Label Studio sync status and Connect / Push / Pull of label sets (sidebar and palette).',
  autoStart: true,
  requires: [ICatalogModel],
  optional: [ITranslator, ICommandPalette, IWorkbenchSidebarSections],
  activate: (
    app: JupyterFrontEnd,
    catalog: CatalogModel,
    translator: ITranslator | null,
    palette: ICommandPalette | null,
    sections: SidebarSections | null
  ): void => {
    const trans = (translator ?? nullTranslator).load('mlworkbench');
    const model = new StudioModel(studioApi(catalog.client));
    addStudioCommands({ app, model, trans });

    app.commands.commandExecuted.connect((_, executed) => {
      if (
        LABEL_SET_COMMANDS.includes(executed.id) &&
        !executed.args[FROM_LABEL_STUDIO]
      ) {
        void Promise.resolve(executed.result)
          .catch(() => undefined)
          .then(() => model.refresh());
      }
    });

    sections?.add({
      id: 'label-studio',
      rank: 20,
      refresh: () => model.refresh(),
      render: () =>
        React.createElement(StudioSidebarSection, {
          model,
          trans,
          onAction: (name, action) =>
            void app.commands.execute(STUDIO_COMMANDS[action], { name }),
          onCancel: name => void model.cancel(name),
          onRefresh: () =>
            void app.commands.execute(CommandIDs.refreshLabelStudio)
        })
    });

    if (palette) {
      for (const command of [
        ...Object.values(STUDIO_COMMANDS),
        CommandIDs.refreshLabelStudio
      ]) {
        palette.addItem({
          command,
          category: PALETTE_CATEGORY,
          args: { isPalette: true }
        });
      }
    }
    // The sidebar loads its sections (this one too) once the app is restored.
  }
};
