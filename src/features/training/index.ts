/**
 * Training and experiments: the "Train a model" form, a run's live progress and result
 * (metrics, charts through rendermime, leaderboard, features, lineage) in the main area, and
 * the sidebar's "Experiments" section (reopen, compare, delete runs). The server trains
 * (mlworkbench/core/training) in a process of its own.
 */
import {
  ILabShell,
  ILayoutRestorer,
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import {
  ICommandPalette,
  IThemeManager,
  MainAreaWidget,
  WidgetTracker
} from '@jupyterlab/apputils';
import { IRenderMimeRegistry } from '@jupyterlab/rendermime';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';
import { Widget } from '@lumino/widgets';
import * as React from 'react';

import { workbenchIcon } from '../catalog/icon';
import { CatalogModel } from '../catalog/model';
import { SidebarSections } from '../catalog/sections';
import { CommandIDs, PALETTE_CATEGORY } from '../commandIds';
import { catalogTables } from '../join-builder/plan';
import { refreshWhenSidebarShown } from '../shared/serverList';
import { ICatalogModel, IWorkbenchSidebarSections } from '../tokens';
import { ClientTrainingApi } from './api';
import { addTrainingCommands } from './commands';
import { CompareView } from './CompareView';
import { ExperimentsModel } from './experiments';
import { ExperimentsSidebarSection } from './ExperimentsSection';
import { TrainFormModel } from './formModel';
import { RunModel } from './runModel';
import { TrainingPanel } from './TrainingPanel';
import { ITrainingRun } from './types';

const PLUGIN_ID = 'mlworkbench:training';

/** While a listed run runs, the list is read again this often (ms). */
const LIST_POLL = 3000;

export const trainingPlugin: JupyterFrontEndPlugin<void> = {
  id: PLUGIN_ID,
  description:
    'Train models on a table or query with live progress, results and tracked experiments.',
  autoStart: true,
  requires: [ICatalogModel, IRenderMimeRegistry],
  optional: [
    ITranslator,
    ICommandPalette,
    IWorkbenchSidebarSections,
    IThemeManager,
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
    themes: IThemeManager | null,
    labShell: ILabShell | null,
    restorer: ILayoutRestorer | null
  ): void => {
    const trans = (translator ?? nullTranslator).load('mlworkbench');
    const api = new ClientTrainingApi(catalog.client);
    const experiments = new ExperimentsModel(api);
    const tracker = new WidgetTracker<MainAreaWidget<TrainingPanel>>({
      namespace: 'mlworkbench-training'
    });
    // The tabs that show a run, reopened with the page (a form's tab is not kept).
    const runTracker = new WidgetTracker<MainAreaWidget<TrainingPanel>>({
      namespace: 'mlworkbench-training-run'
    });
    let count = 0;

    // The list follows runs started here, and is read again while any listed run runs
    // (a notebook or the CLI may have started it).
    let listTimer: ReturnType<typeof setTimeout> | null = null;
    const refreshList = async (): Promise<void> => {
      await experiments.refresh();
      if (listTimer === null && experiments.anyRunning) {
        listTimer = setTimeout(() => {
          listTimer = null;
          void refreshList();
        }, LIST_POLL);
      }
    };
    refreshWhenSidebarShown(app, labShell, () => void refreshList());

    const follow = (run: RunModel): void => {
      void refreshList();
      run.ended.connect(() => void refreshList());
    };

    const trainAgain = (run: ITrainingRun): void => {
      void app.commands.execute(CommandIDs.trainModel, {
        sql: run.sql ?? '',
        target: run.target ?? ''
      });
    };

    /** A tab of a form or of a run. */
    const addPanel = (
      model: { form: TrainFormModel } | { run: RunModel }
    ): MainAreaWidget<TrainingPanel> => {
      const content = new TrainingPanel({
        ...model,
        trans,
        renderers: rendermime,
        themeChanged: themes?.themeChanged ?? null,
        onTrainAgain: trainAgain,
        onPublish: run =>
          void app.commands.execute(CommandIDs.publishModel, { runId: run.id })
      });
      const widget = new MainAreaWidget({ content });
      widget.addClass('mlwb-TrainingPanel');
      widget.id = `mlworkbench-training-${++count}`;
      widget.title.icon = workbenchIcon;
      widget.title.closable = true;
      const retitle = () => {
        const run = content.run?.run;
        if (content.run) {
          widget.title.label = run?.target
            ? trans.__('Run %1: %2', content.run.id, run.target)
            : trans.__('Run %1', content.run.id);
          widget.title.caption = trans.__('Training run %1', content.run.id);
        } else {
          widget.title.label = trans.__('Train a model');
          widget.title.caption = trans.__('Train a model on a table or query');
        }
      };
      content.shown.connect(retitle);
      content.runStarted.connect((_, run) => {
        follow(run);
        void runTracker.add(widget);
      });
      retitle();
      void tracker.add(widget);
      if (content.run) {
        void runTracker.add(widget);
      }
      app.shell.add(widget, 'main');
      app.shell.activateById(widget.id);
      return widget;
    };

    const openForm = async (options: {
      table?: string | null;
      sql?: string | null;
      target?: string | null;
    }): Promise<MainAreaWidget<TrainingPanel>> => {
      const tables = () => catalogTables(catalog.catalog).map(t => t.name);
      const form = new TrainFormModel({ api, tables: tables(), ...options });
      const widget = addPanel({ form });
      if (options.sql || options.table) {
        void form.readPreview();
      }
      // Tables registered since the sidebar loaded.
      void catalog.refresh().then(() => form.setTables(tables()));
      return widget;
    };

    const openRun = (id: number): MainAreaWidget<TrainingPanel> => {
      const existing = tracker.find(w => w.content.run?.id === id);
      if (existing) {
        app.shell.activateById(existing.id);
        return existing;
      }
      const run = new RunModel({ api, id });
      const widget = addPanel({ run });
      run.ended.connect(() => void refreshList());
      void run.start();
      return widget;
    };

    const openCompare = (ids: number[]): Widget => {
      const content = new CompareView({
        api,
        ids,
        trans,
        onOpen: id =>
          void app.commands.execute(CommandIDs.openTrainingRun, { id })
      });
      const widget = new MainAreaWidget({ content });
      widget.id = `mlworkbench-training-compare-${++count}`;
      widget.title.label = trans.__('Compare runs %1', ids.join(', '));
      widget.title.icon = workbenchIcon;
      widget.title.closable = true;
      app.shell.add(widget, 'main');
      app.shell.activateById(widget.id);
      void content.load();
      return widget;
    };

    addTrainingCommands({
      app,
      catalog,
      experiments,
      trans,
      openForm,
      openRun,
      openCompare,
      current: () => tracker.currentWidget
    });

    sections?.add({
      id: 'experiments',
      rank: 30,
      refresh: () => refreshList(),
      render: () =>
        React.createElement(ExperimentsSidebarSection, {
          model: experiments,
          trans,
          onNew: () =>
            void app.commands.execute(CommandIDs.trainModel, {
              isSidebar: true
            }),
          onOpen: id =>
            void app.commands.execute(CommandIDs.openTrainingRun, { id }),
          onCompare: ids =>
            void app.commands.execute(CommandIDs.compareTrainingRuns, { ids }),
          onRemove: id =>
            void app.commands.execute(CommandIDs.deleteTrainingRun, { id }),
          onRefresh: () =>
            void app.commands.execute(CommandIDs.refreshExperiments)
        })
    });

    if (restorer) {
      void restorer.restore(runTracker, {
        command: CommandIDs.openTrainingRun,
        args: widget => ({ id: widget.content.run?.id ?? null }),
        name: widget => String(widget.content.run?.id ?? '')
      });
    }

    if (palette) {
      for (const command of [
        CommandIDs.trainModel,
        CommandIDs.openTrainingRun,
        CommandIDs.stopTrainingRun,
        CommandIDs.compareTrainingRuns,
        CommandIDs.refreshExperiments
      ]) {
        palette.addItem({ command, category: PALETTE_CATEGORY });
      }
    }
  }
};
