/** SQL editor commands: new editor, run, stop, save result as table, export, profile result. */
import { JupyterFrontEnd } from '@jupyterlab/application';
import { WidgetTracker } from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';
import {
  addIcon,
  downloadIcon,
  runIcon,
  saveIcon,
  stopIcon
} from '@jupyterlab/ui-components';

import { CommandIDs } from '../commandIds';
import { SqlEditorWidget } from './SqlEditorPanel';

export interface ISqlEditorCommandOptions {
  app: JupyterFrontEnd;
  tracker: WidgetTracker<SqlEditorWidget>;
  trans: TranslationBundle;
  /** Opens a new editor with this SQL. */
  create: (sql?: string) => SqlEditorWidget;
}

export function addSqlEditorCommands(options: ISqlEditorCommandOptions): void {
  const { app, tracker, trans } = options;
  const current = () => tracker.currentWidget?.content ?? null;
  const refresh = () => {
    for (const id of [
      CommandIDs.runQuery,
      CommandIDs.stopQuery,
      CommandIDs.saveResult,
      CommandIDs.exportCsv,
      CommandIDs.exportParquet,
      CommandIDs.profileResult
    ]) {
      app.commands.notifyCommandChanged(id);
    }
  };
  tracker.currentChanged.connect(refresh);
  tracker.widgetAdded.connect((_, widget) =>
    widget.content.model.stateChanged.connect(refresh)
  );

  app.commands.addCommand(CommandIDs.newSqlEditor, {
    label: trans.__('New SQL Editor'),
    caption: trans.__('Open a Workbench SQL editor'),
    icon: args => (args.isPalette ? undefined : addIcon),
    execute: args => {
      const widget = options.create((args.sql as string | undefined) ?? '');
      return widget;
    }
  });

  app.commands.addCommand(CommandIDs.runQuery, {
    label: trans.__('Run Query'),
    caption: trans.__('Run the SQL of the current Workbench editor'),
    icon: args => (args.isPalette ? undefined : runIcon),
    isEnabled: () => !!current() && !current()!.model.isRunning,
    execute: () => current()?.run()
  });

  app.commands.addCommand(CommandIDs.stopQuery, {
    label: trans.__('Stop Query'),
    caption: trans.__('Cancel the running query'),
    icon: args => (args.isPalette ? undefined : stopIcon),
    isEnabled: () => !!current()?.model.isRunning,
    execute: () => current()?.stop()
  });

  app.commands.addCommand(CommandIDs.saveResult, {
    label: trans.__('Save Result as Table…'),
    caption: trans.__('Save the current result as a workspace table'),
    icon: args => (args.isPalette ? undefined : saveIcon),
    isEnabled: () => !!current()?.model.hasResult,
    execute: () => current()?.saveAsTable()
  });

  app.commands.addCommand(CommandIDs.exportCsv, {
    label: trans.__('Export Result as CSV'),
    icon: args => (args.isPalette ? undefined : downloadIcon),
    isEnabled: () => !!current()?.model.hasResult,
    execute: () => current()?.exportResult('csv')
  });

  app.commands.addCommand(CommandIDs.exportParquet, {
    label: trans.__('Export Result as Parquet'),
    icon: args => (args.isPalette ? undefined : downloadIcon),
    isEnabled: () => !!current()?.model.hasResult,
    execute: () => current()?.exportResult('parquet')
  });

  app.commands.addCommand(CommandIDs.profileResult, {
    label: trans.__('Profile Current Result'),
    caption: trans.__('Profile the columns of the current SQL editor result'),
    isEnabled: () => !!current()?.model.hasResult,
    execute: () => current()?.profileResult()
  });
}
