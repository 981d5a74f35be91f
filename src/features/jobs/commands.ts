/**
 * Jobs commands: "Run as Job…" (`{ path? }`: the notebook given, else the file browser's
 * selected notebook, else the current notebook, else one the user names), "Open Job Run"
 * (`{ id }`), "Stop Job Run" (`{ id }`), and for a saved job (`{ name }`): run now, pause,
 * resume, edit (the form with its values), delete (after a confirmation); "Refresh Jobs".
 */
import { JupyterFrontEnd } from '@jupyterlab/application';
import {
  Dialog,
  InputDialog,
  showDialog,
  showErrorMessage
} from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';
import { LabIcon } from '@jupyterlab/ui-components';

import { asApiError } from '../../api/errors';
import { CommandIDs } from '../commandIds';
import { RunFormModel } from './form';
import { JobDialogOutcome, showJobDialog } from './JobDialog';
import { IJobsApi, JobRunInfo } from './types';

export interface IJobsCommandOptions {
  app: JupyterFrontEnd;
  api: IJobsApi;
  trans: TranslationBundle;
  icon: LabIcon;
  /** Open (or bring to front) a run's tab. */
  openRun: (id: number) => void;
  /** Read the jobs and runs again. */
  refresh: () => Promise<void>;
  /** The notebook selected in the file browser (a path relative to the root), if any. */
  selectedNotebook: () => string | null;
  /** The notebook of the current notebook tab, if any. */
  currentNotebook: () => string | null;
  /** Ask the user for the form, then answer what it ended with (tests pass a fake). */
  showForm?: (form: RunFormModel) => Promise<JobDialogOutcome>;
}

const isNotebook = (path: string | null): path is string =>
  !!path && /\.ipynb$/i.test(path);

const idArg = (value: unknown): number | null => {
  const id = Number(value);
  return value !== undefined && value !== null && Number.isInteger(id) && id > 0
    ? id
    : null;
};

const nameArg = (value: unknown): string | null =>
  typeof value === 'string' && value ? value : null;

export function addJobsCommands(options: IJobsCommandOptions): void {
  const { app, api, trans } = options;
  const showForm =
    options.showForm ??
    ((form: RunFormModel) => showJobDialog({ form, trans }));

  /** Show the form; open the run it started, or list the job it saved. */
  const runForm = async (form: RunFormModel): Promise<JobDialogOutcome> => {
    const outcome = await showForm(form);
    if (outcome?.kind === 'run') {
      options.openRun(outcome.run.id);
    }
    if (outcome) {
      void options.refresh();
    }
    return outcome;
  };

  /** A job action that answers the job or run, or shows why it was refused. */
  const act = async <T>(
    title: string,
    call: () => Promise<T>
  ): Promise<T | null> => {
    try {
      const result = await call();
      void options.refresh();
      return result;
    } catch (error) {
      await showErrorMessage(title, asApiError(error).message);
      return null;
    }
  };

  app.commands.addCommand(CommandIDs.runAsJob, {
    label: args =>
      args.isToolbar ? trans.__('Run as job') : trans.__('Run as Job…'),
    caption: trans.__(
      'Run the notebook with parameters in a separate process, now or on a schedule'
    ),
    icon: args => (args.isPalette ? undefined : options.icon),
    execute: async args => {
      let path = nameArg(args.path);
      if (!path) {
        const selected = options.selectedNotebook();
        path = args.fromBrowser
          ? selected
          : (options.currentNotebook() ?? selected);
      }
      if (!isNotebook(path)) {
        const answer = await InputDialog.getText({
          title: trans.__('Run as Job'),
          label: trans.__('Notebook (a path relative to the Jupyter root)'),
          text: path ?? '',
          placeholder: 'reports/daily.ipynb'
        });
        if (!answer.button.accept || !answer.value?.trim()) {
          return null;
        }
        path = answer.value.trim();
      }
      return runForm(new RunFormModel({ api, notebook: path }));
    }
  });

  app.commands.addCommand(CommandIDs.openJobRun, {
    label: trans.__('Open Job Run…'),
    caption: trans.__('Open a notebook run: status, log, recorded values'),
    execute: async args => {
      let id = idArg(args.id);
      if (id === null) {
        const answer = await InputDialog.getNumber({
          title: trans.__('Open Job Run'),
          label: trans.__('Run id')
        });
        id = answer.button.accept ? idArg(answer.value) : null;
      }
      if (id !== null) {
        options.openRun(id);
      }
    }
  });

  app.commands.addCommand(CommandIDs.stopJobRun, {
    label: trans.__('Stop Job Run'),
    caption: trans.__('Cancel a queued or running notebook run'),
    execute: args => {
      const id = idArg(args.id);
      return id === null
        ? null
        : act<JobRunInfo>(trans.__('Stop run %1', id), () => api.stopRun(id));
    }
  });

  app.commands.addCommand(CommandIDs.runJobNow, {
    label: trans.__('Run Job Now'),
    caption: trans.__('Run a saved job now, with its saved parameters'),
    execute: async args => {
      const name = nameArg(args.name);
      if (!name) {
        return null;
      }
      const run = await act(trans.__('Run %1', name), () => api.runJob(name));
      if (run) {
        options.openRun(run.id);
      }
      return run;
    }
  });

  app.commands.addCommand(CommandIDs.pauseJob, {
    label: trans.__('Pause Job'),
    caption: trans.__('Stop firing the job’s schedule until it is resumed'),
    execute: args => {
      const name = nameArg(args.name);
      return name
        ? act(trans.__('Pause %1', name), () => api.pauseJob(name))
        : null;
    }
  });

  app.commands.addCommand(CommandIDs.resumeJob, {
    label: trans.__('Resume Job'),
    caption: trans.__(
      'Fire the job’s schedule again (times missed while paused are not caught up)'
    ),
    execute: args => {
      const name = nameArg(args.name);
      return name
        ? act(trans.__('Resume %1', name), () => api.resumeJob(name))
        : null;
    }
  });

  app.commands.addCommand(CommandIDs.editJob, {
    label: trans.__('Edit Job…'),
    caption: trans.__('Change a saved job’s parameters, options or schedule'),
    execute: async args => {
      const name = nameArg(args.name);
      if (!name) {
        return null;
      }
      const job = await act(trans.__('Edit %1', name), () =>
        api.describeJob(name)
      );
      return job
        ? runForm(new RunFormModel({ api, notebook: job.notebook, job }))
        : null;
    }
  });

  app.commands.addCommand(CommandIDs.deleteJob, {
    label: trans.__('Delete Job…'),
    caption: trans.__('Delete a saved job (its runs are kept)'),
    execute: async args => {
      const name = nameArg(args.name);
      if (!name) {
        return false;
      }
      const answer = await showDialog({
        title: trans.__('Delete job %1?', name),
        body: trans.__(
          'Its schedule stops. Its past runs, logs and executed notebooks are kept.'
        ),
        buttons: [
          Dialog.cancelButton({ label: trans.__('Cancel') }),
          Dialog.warnButton({ label: trans.__('Delete') })
        ]
      });
      if (!answer.button.accept) {
        return false;
      }
      return (
        (await act(trans.__('Delete %1', name), async () => {
          await api.deleteJob(name);
          return true;
        })) ?? false
      );
    }
  });

  app.commands.addCommand(CommandIDs.refreshJobs, {
    label: trans.__('Refresh Jobs'),
    caption: trans.__('Read the saved jobs and recent runs again'),
    execute: () => options.refresh()
  });
}
