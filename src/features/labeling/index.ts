/**
 * Labeling: label sets in the Workbench sidebar ("Label data") and the built-in keyboard
 * labeler in the main area.
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
  showErrorMessage,
  WidgetTracker
} from '@jupyterlab/apputils';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';
import * as React from 'react';

import { workbenchIcon } from '../catalog/icon';
import { CatalogModel } from '../catalog/model';
import { SidebarSections } from '../catalog/sections';
import { CommandIDs, PALETTE_CATEGORY } from '../commandIds';
import { refreshWhenSidebarShown } from '../shared/serverList';
import { ICatalogModel, IWorkbenchSidebarSections } from '../tokens';
import { ClientLabelingApi } from './api';
import { addLabelingCommands } from './commands';
import { LabelerView } from './LabelerView';
import { LabelSetsModel } from './labelSets';
import { LabelSetsSidebarSection } from './LabelSetsSection';
import { LabelerModel } from './model';

const PLUGIN_ID = 'mlworkbench:labeling';

export const labelingPlugin: JupyterFrontEndPlugin<void> = {
  id: PLUGIN_ID,
  description:
    'Label sets in the Workbench sidebar and the built-in keyboard labeler.',
  autoStart: true,
  requires: [ICatalogModel],
  optional: [
    ITranslator,
    ICommandPalette,
    ILayoutRestorer,
    IWorkbenchSidebarSections,
    ILabShell
  ],
  activate: (
    app: JupyterFrontEnd,
    catalog: CatalogModel,
    translator: ITranslator | null,
    palette: ICommandPalette | null,
    restorer: ILayoutRestorer | null,
    sections: SidebarSections | null,
    labShell: ILabShell | null
  ): void => {
    const trans = (translator ?? nullTranslator).load('mlworkbench');
    const api = new ClientLabelingApi(catalog.client);
    const labelSets = new LabelSetsModel(api);
    const tracker = new WidgetTracker<MainAreaWidget<LabelerView>>({
      namespace: 'mlworkbench-labeler'
    });

    // A labeler's saves carry its label set's progress: its row follows them (see open). The
    // list is read again when the sidebar is shown (others, or kernels, may have labeled
    // meanwhile), on create and delete (commands.ts), when a labeler closes, and on Refresh.
    refreshWhenSidebarShown(app, labShell, () => void labelSets.refresh());

    const open = async (
      name: string
    ): Promise<MainAreaWidget<LabelerView> | null> => {
      const id = `mlworkbench-labeler-${name}`;
      const existing = tracker.find(w => w.id === id);
      if (existing) {
        app.shell.activateById(id);
        return existing;
      }
      let labelSet;
      try {
        labelSet = await api.describeLabelSet(name);
      } catch (error) {
        await showErrorMessage(trans.__('Open labeler'), error as Error);
        return null;
      }
      const model = new LabelerModel({ api, labelSet });
      const content = new LabelerView({
        model,
        trans,
        imageUrl: url => api.imageUrl(url)
      });
      const widget = new MainAreaWidget({ content });
      widget.id = id;
      widget.title.label = trans.__('Label: %1', name);
      widget.title.caption = trans.__('Labeler of %1', name);
      widget.title.icon = workbenchIcon;
      widget.title.closable = true;
      labelSets.follow(model);
      widget.disposed.connect(() => void labelSets.refresh());
      void tracker.add(widget);
      app.shell.add(widget, 'main');
      app.shell.activateById(widget.id);
      void model.start();
      return widget;
    };

    addLabelingCommands({ app, catalog, labelSets, trans, open });

    sections?.add({
      id: 'label-sets',
      rank: 10,
      refresh: () => labelSets.refresh(),
      render: () =>
        React.createElement(LabelSetsSidebarSection, {
          model: labelSets,
          trans,
          onOpen: name =>
            void app.commands.execute(CommandIDs.openLabeler, { name }),
          onNew: () =>
            void app.commands.execute(CommandIDs.newLabelSet, {
              isSidebar: true
            }),
          onRemove: name =>
            void app.commands.execute(CommandIDs.deleteLabelSet, { name })
        })
    });

    if (restorer) {
      void restorer.restore(tracker, {
        command: CommandIDs.openLabeler,
        args: widget => ({
          name: widget.content.model.labelSet.name
        }),
        name: widget => widget.content.model.labelSet.name
      });
    }

    if (palette) {
      for (const command of [
        CommandIDs.newLabelSet,
        CommandIDs.openLabeler,
        CommandIDs.refreshLabelSets
      ]) {
        palette.addItem({ command, category: PALETTE_CATEGORY });
      }
    }
    // The sidebar loads its sections (this one too) once the app is restored.
  }
};
