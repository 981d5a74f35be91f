import {
  InputDialog,
  showDialog,
  showErrorMessage
} from '@jupyterlab/apputils';
import { nullTranslator } from '@jupyterlab/translation';
import { CommandRegistry } from '@lumino/commands';

import { workbenchIcon } from '../catalog/icon';
import { CommandIDs } from '../commandIds';
import { addJobsCommands } from './commands';
import { FakeJobsApi } from './fakeApi';
import { RunFormModel } from './form';
import { JobDialogOutcome } from './JobDialog';

jest.mock('@jupyterlab/apputils', () => ({
  ...jest.requireActual('@jupyterlab/apputils'),
  InputDialog: { getText: jest.fn(), getNumber: jest.fn() },
  showDialog: jest.fn(),
  showErrorMessage: jest.fn()
}));

const trans = nullTranslator.load('mlworkbench');

function setup(
  where: { selected?: string | null; current?: string | null } = {}
) {
  const api = new FakeJobsApi();
  const commands = new CommandRegistry();
  const forms: RunFormModel[] = [];
  const options = {
    openRun: jest.fn(),
    refresh: jest.fn(async () => undefined),
    selectedNotebook: () => where.selected ?? null,
    currentNotebook: () => where.current ?? null,
    // The dialog as a user who presses "Run now" at once.
    showForm: jest.fn(async (form: RunFormModel): Promise<JobDialogOutcome> => {
      forms.push(form);
      await form.load();
      const run = await form.runNow();
      return run ? { kind: 'run' as const, run } : null;
    })
  };
  addJobsCommands({
    app: { commands } as any,
    api,
    trans,
    icon: workbenchIcon,
    ...options
  });
  return { api, commands, forms, options };
}

describe('jobs commands', () => {
  beforeEach(() => jest.clearAllMocks());

  it('"Run as Job…" runs the notebook given, else the current one, and opens the run', async () => {
    const { commands, forms, options } = setup({
      current: 'report.ipynb',
      selected: 'other.ipynb'
    });
    await commands.execute(CommandIDs.runAsJob, { path: 'report.ipynb' });
    await commands.execute(CommandIDs.runAsJob, {});
    expect(forms.map(f => f.notebook)).toEqual([
      'report.ipynb',
      'report.ipynb'
    ]);
    expect(options.openRun.mock.calls).toEqual([[1], [2]]);
    expect(options.refresh).toHaveBeenCalled();
  });

  it('from the file browser it takes the selected notebook', async () => {
    const { commands, forms } = setup({
      current: 'other.ipynb',
      selected: 'report.ipynb'
    });
    await commands.execute(CommandIDs.runAsJob, { fromBrowser: true });
    expect(forms.map(f => f.notebook)).toEqual(['report.ipynb']);
  });

  it('asks for the notebook when none is at hand', async () => {
    (InputDialog.getText as jest.Mock).mockResolvedValue({
      button: { accept: true },
      value: ' report.ipynb '
    });
    const { commands, forms } = setup();
    await commands.execute(CommandIDs.runAsJob, {});
    expect(InputDialog.getText).toHaveBeenCalled();
    expect(forms.map(f => f.notebook)).toEqual(['report.ipynb']);
  });

  it('runs, pauses and resumes a saved job; a refusal is shown', async () => {
    const { api, commands, options } = setup();
    await api.createJob({
      name: 'daily',
      notebook: 'report.ipynb',
      schedule: 'hourly'
    });
    await commands.execute(CommandIDs.runJobNow, { name: 'daily' });
    expect(api.runs[0].job_name).toBe('daily');
    expect(options.openRun).toHaveBeenCalledWith(api.runs[0].id);
    await commands.execute(CommandIDs.pauseJob, { name: 'daily' });
    expect(api.jobs[0].paused).toBe(true);
    await commands.execute(CommandIDs.resumeJob, { name: 'daily' });
    expect(api.jobs[0].paused).toBe(false);
    await commands.execute(CommandIDs.pauseJob, { name: 'gone' });
    expect(showErrorMessage).toHaveBeenCalledWith(
      'Pause gone',
      "No job named 'gone'."
    );
  });

  it('deletes a job only once the user confirms', async () => {
    const { api, commands } = setup();
    await api.createJob({ name: 'daily', notebook: 'report.ipynb' });
    (showDialog as jest.Mock).mockResolvedValueOnce({
      button: { accept: false }
    });
    expect(
      await commands.execute(CommandIDs.deleteJob, { name: 'daily' })
    ).toBe(false);
    expect(api.jobs).toHaveLength(1);
    (showDialog as jest.Mock).mockResolvedValueOnce({
      button: { accept: true }
    });
    expect(
      await commands.execute(CommandIDs.deleteJob, { name: 'daily' })
    ).toBe(true);
    expect(api.jobs).toHaveLength(0);
  });

  it('edits a job in the form filled with its values', async () => {
    const { api, commands, options } = setup();
    await api.createJob({
      name: 'daily',
      notebook: 'report.ipynb',
      parameters: { region: 'west' }
    });
    options.showForm.mockImplementationOnce(async (form: RunFormModel) => {
      await form.load();
      expect(form.job?.name).toBe('daily');
      expect(form.field('region')).toBe('west');
      form.setField('region', 'east');
      const job = await form.save();
      return job ? { kind: 'job' as const, job } : null;
    });
    await commands.execute(CommandIDs.editJob, { name: 'daily' });
    expect(api.jobs[0].parameters).toEqual({ region: 'east' });
    expect(options.openRun).not.toHaveBeenCalled();
  });
});
