/**
 * Notebook jobs (issue 8): "Run as job" in the notebook toolbar, the file browser's context
 * menu on notebooks and the sidebar's "Jobs" section (saved jobs with their schedules, recent
 * runs); a run's tab (live log, recorded values, failure, executed notebook, HTML export);
 * and a notification, with "Open run", whenever a run ends while the page is open.
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
  Notification,
  WidgetTracker
} from '@jupyterlab/apputils';
import { IDefaultFileBrowser } from '@jupyterlab/filebrowser';
import { INotebookTracker, NotebookPanel } from '@jupyterlab/notebook';
import { IRenderMimeRegistry } from '@jupyterlab/rendermime';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';
import { ToolbarButton } from '@jupyterlab/ui-components';
import * as React from 'react';

import { asApiError } from '../../api/errors';
import { JobsClient } from '../../api/jobs';
import { workbenchIcon } from '../catalog/icon';
import { CatalogModel } from '../catalog/model';
import { SidebarSections } from '../catalog/sections';
import { CommandIDs, PALETTE_CATEGORY } from '../commandIds';
import { refreshWhenSidebarShown } from '../shared/serverList';
import { ICatalogModel, IWorkbenchSidebarSections } from '../tokens';
import { addJobsCommands } from './commands';
import { RunHtmlView } from './HtmlView';
import { JobsSidebarSection } from './JobsSection';
import { baseName, runStatusLabel } from './labels';
import { RecentRunsModel, SavedJobsModel } from './lists';
import { RunNotifier } from './notifier';
import { JobRunModel } from './runModel';
import { RunPanel } from './RunPanel';
import { JobRunInfo } from './types';

const PLUGIN_ID = 'mlworkbench:jobs';

/** While a listed run is queued or running, the lists are read again this often (ms). */
const LIST_POLL = 3000;

export const jobsPlugin: JupyterFrontEndPlugin<void> = {
  id: PLUGIN_ID,
  description:
    'Notebook jobs: run a notebook with typed parameters now or on a schedule, follow its runs.',
  autoStart: true,
  requires: [ICatalogModel, IRenderMimeRegistry],
  optional: [
    ITranslator,
    ICommandPalette,
    IWorkbenchSidebarSections,
    ILabShell,
    ILayoutRestorer,
    IDefaultFileBrowser,
    INotebookTracker,
    IThemeManager
  ],
  activate: (
    app: JupyterFrontEnd,
    catalog: CatalogModel,
    rendermime: IRenderMimeRegistry,
    translator: ITranslator | null,
    palette: ICommandPalette | null,
    sections: SidebarSections | null,
    labShell: ILabShell | null,
    restorer: ILayoutRestorer | null,
    browser: IDefaultFileBrowser | null,
    notebooks: INotebookTracker | null,
    themes: IThemeManager | null
  ): void => {
    const trans = (translator ?? nullTranslator).load('mlworkbench');
    const api = new JobsClient({
      serverSettings: catalog.client.serverSettings
    });
    const jobs = new SavedJobsModel(api);
    const runs = new RecentRunsModel(api);
    const tracker = new WidgetTracker<MainAreaWidget<RunPanel>>({
      namespace: 'mlworkbench-job-run'
    });

    let listTimer: ReturnType<typeof setTimeout> | null = null;
    const refresh = async (): Promise<void> => {
      await Promise.all([jobs.refresh(), runs.refresh()]);
      if (listTimer === null && runs.anyActive) {
        listTimer = setTimeout(() => {
          listTimer = null;
          void refresh();
        }, LIST_POLL);
      }
    };
    refreshWhenSidebarShown(app, labShell, () => void refresh());

    const openHtml = async (run: JobRunInfo): Promise<void> => {
      const content = new RunHtmlView(run.id);
      content.setMessage(trans.__('Making the HTML of run %1…', run.id));
      const widget = new MainAreaWidget({ content });
      widget.id = `mlworkbench-job-html-${run.id}-${Date.now()}`;
      widget.title.label = trans.__('Run %1 (HTML)', run.id);
      widget.title.icon = workbenchIcon;
      widget.title.closable = true;
      app.shell.add(widget, 'main');
      app.shell.activateById(widget.id);
      try {
        content.setHtml(await api.runHtml(run.id));
      } catch (error) {
        content.setMessage(asApiError(error).message);
      }
    };

    const openRun = (id: number): void => {
      const existing = tracker.find(w => w.content.model.id === id);
      if (existing) {
        app.shell.activateById(existing.id);
        return;
      }
      const model = new JobRunModel({ api, id });
      const content = new RunPanel({
        model,
        trans,
        renderers: rendermime,
        themeChanged: themes?.themeChanged ?? null,
        onOpenNotebook: path =>
          void app.commands.execute('docmanager:open', { path }),
        onOpenHtml: run => void openHtml(run),
        onOpenRun: other =>
          void app.commands.execute(CommandIDs.openJobRun, { id: other })
      });
      const widget = new MainAreaWidget({ content });
      widget.id = `mlworkbench-job-run-${id}`;
      widget.title.label = trans.__('Job run %1', id);
      widget.title.icon = workbenchIcon;
      widget.title.closable = true;
      model.changed.connect(() => {
        const run = model.run;
        if (run) {
          widget.title.label = trans.__(
            'Run %1: %2',
            id,
            run.job_name ?? baseName(run.notebook)
          );
          widget.title.caption = `${run.notebook} · ${runStatusLabel(run.status, trans)}`;
        }
      });
      model.ended.connect(() => void refresh());
      void tracker.add(widget);
      app.shell.add(widget, 'main');
      app.shell.activateById(widget.id);
      void model.start();
      void refresh();
    };

    const selectedNotebook = (): string | null => {
      const item = browser?.selectedItems().next();
      return item && !item.done && item.value.type === 'notebook'
        ? item.value.path
        : null;
    };
    const currentNotebook = (): string | null => {
      const current = notebooks?.currentWidget;
      return current && app.shell.currentWidget === current
        ? current.context.path
        : null;
    };

    addJobsCommands({
      app,
      api,
      trans,
      icon: workbenchIcon,
      openRun,
      refresh,
      selectedNotebook,
      currentNotebook
    });

    // "Run as Job…" on notebooks in the file browser.
    app.contextMenu.addItem({
      command: CommandIDs.runAsJob,
      args: { fromBrowser: true },
      selector: '.jp-DirListing-item[data-file-type="notebook"]',
      rank: 3
    });

    // "Run as job" in every notebook's toolbar.
    app.docRegistry.addWidgetExtension('Notebook', {
      createNew: (panel: NotebookPanel) => {
        const button = new ToolbarButton({
          icon: workbenchIcon,
          label: trans.__('Run as job'),
          tooltip: trans.__(
            'Save the notebook and run it with parameters in a separate process, now or on a schedule'
          ),
          className: 'mlwb-RunAsJobButton',
          onClick: async () => {
            // The job runs the file: what the user sees must be in it.
            if (panel.context.model.dirty && !panel.context.model.readOnly) {
              await panel.context.save();
            }
            await app.commands.execute(CommandIDs.runAsJob, {
              path: panel.context.path
            });
          }
        });
        panel.toolbar.insertItem(10, 'mlworkbench-run-as-job', button);
        return button;
      }
    });

    const notifier = new RunNotifier({
      api,
      notify: run => notifyEnded(run)
    });
    const notifyEnded = (run: JobRunInfo): void => {
      const what = run.job_name ?? baseName(run.notebook);
      const type =
        run.status === 'succeeded'
          ? 'success'
          : run.status === 'cancelled'
            ? 'info'
            : 'error';
      const message =
        run.status === 'succeeded'
          ? trans.__('Job run %1 (%2) succeeded.', run.id, what)
          : trans.__(
              'Job run %1 (%2): %3. %4',
              run.id,
              what,
              runStatusLabel(run.status, trans),
              run.exit_reason ?? ''
            );
      Notification.emit(message.trim(), type, {
        autoClose: run.status === 'succeeded' ? 8000 : false,
        actions: [
          {
            label: trans.__('Open run'),
            callback: () => openRun(run.id)
          }
        ]
      });
    };
    notifier.runsEnded.connect(() => void refresh());
    void app.restored.then(() => notifier.start());

    sections?.add({
      id: 'jobs',
      rank: 40,
      refresh,
      render: () =>
        React.createElement(JobsSidebarSection, {
          jobs,
          runs,
          trans,
          onNew: () => void app.commands.execute(CommandIDs.runAsJob),
          onRunJob: name =>
            void app.commands.execute(CommandIDs.runJobNow, { name }),
          onPause: name =>
            void app.commands.execute(CommandIDs.pauseJob, { name }),
          onResume: name =>
            void app.commands.execute(CommandIDs.resumeJob, { name }),
          onEdit: name =>
            void app.commands.execute(CommandIDs.editJob, { name }),
          onDelete: name =>
            void app.commands.execute(CommandIDs.deleteJob, { name }),
          onOpenRun: id =>
            void app.commands.execute(CommandIDs.openJobRun, { id }),
          onStopRun: id =>
            void app.commands.execute(CommandIDs.stopJobRun, { id }),
          onRefresh: () => void app.commands.execute(CommandIDs.refreshJobs)
        })
    });

    if (restorer) {
      void restorer.restore(tracker, {
        command: CommandIDs.openJobRun,
        args: widget => ({ id: widget.content.model.id }),
        name: widget => String(widget.content.model.id)
      });
    }

    if (palette) {
      for (const command of [
        CommandIDs.runAsJob,
        CommandIDs.openJobRun,
        CommandIDs.refreshJobs
      ]) {
        palette.addItem({
          command,
          category: PALETTE_CATEGORY,
          args: { isPalette: true }
        });
      }
    }
  }
};
