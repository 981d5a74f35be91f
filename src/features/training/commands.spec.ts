import { nullTranslator } from '@jupyterlab/translation';
import { InputDialog, showErrorMessage } from '@jupyterlab/apputils';
import { CommandRegistry } from '@lumino/commands';

import { CommandIDs } from '../commandIds';
import { confirm } from '../history/dialogs';
import { addTrainingCommands, TRAIN_MENU_SELECTOR } from './commands';
import { ExperimentsModel } from './experiments';
import { FakeTrainingApi, settle } from './fakeApi';
import { RunModel } from './runModel';

jest.mock('../history/dialogs', () => ({ confirm: jest.fn() }));
jest.mock('@jupyterlab/apputils', () => ({
  ...jest.requireActual('@jupyterlab/apputils'),
  InputDialog: { getItem: jest.fn() },
  showErrorMessage: jest.fn()
}));

const trans = nullTranslator.load('mlworkbench');

function setup() {
  const api = new FakeTrainingApi();
  const experiments = new ExperimentsModel(api);
  const commands = new CommandRegistry();
  const contextMenu = { addItem: jest.fn() };
  const hit = document.createElement('div');
  hit.className = 'mlwb-CatalogTree-item';
  hit.dataset.kind = 'table';
  hit.dataset.name = 'orders';
  const app = {
    commands,
    contextMenu,
    contextMenuHitTest: (test: (node: HTMLElement) => boolean) =>
      test(hit) ? hit : undefined
  };
  const catalog = {
    catalog: { sources: [], tables: [{ name: 'orders', columns: [] }] }
  };
  const options = {
    openForm: jest.fn(async () => null as any),
    openRun: jest.fn(() => null as any),
    openCompare: jest.fn(() => null as any),
    current: jest.fn((): any => null)
  };
  addTrainingCommands({
    app: app as any,
    catalog: catalog as any,
    experiments,
    trans,
    ...options
  });
  return { api, experiments, commands, contextMenu, options };
}

describe('training commands', () => {
  it('"Train a model on this table" opens the form on the catalog row\'s table', async () => {
    const { commands, contextMenu, options } = setup();
    expect(contextMenu.addItem).toHaveBeenCalledWith(
      expect.objectContaining({
        command: CommandIDs.trainModel,
        selector: TRAIN_MENU_SELECTOR,
        args: { isContextMenu: true }
      })
    );
    expect(commands.label(CommandIDs.trainModel, { isContextMenu: true })).toBe(
      'Train a model on this table'
    );
    expect(commands.label(CommandIDs.trainModel, {})).toBe('Train a model…');

    await commands.execute(CommandIDs.trainModel, { isContextMenu: true });
    expect(options.openForm).toHaveBeenLastCalledWith({
      table: 'orders',
      sql: null,
      target: null
    });
    await commands.execute(CommandIDs.trainModel, {
      sql: 'SELECT 1 AS y',
      target: 'y'
    });
    expect(options.openForm).toHaveBeenLastCalledWith({
      table: null,
      sql: 'SELECT 1 AS y',
      target: 'y'
    });
  });

  it('deletes a run only once confirmed; compares the two ticked runs', async () => {
    const { api, experiments, commands, options } = setup();
    await api.startRun({ sql: 'SELECT 1', target: 'y', budget_s: 1 });
    await api.startRun({ sql: 'SELECT 1', target: 'y', budget_s: 1 });
    await experiments.refresh();

    (confirm as jest.Mock).mockResolvedValueOnce(false);
    expect(
      await commands.execute(CommandIDs.deleteTrainingRun, { id: 1 })
    ).toBe(false);
    expect(api.runs.has(1)).toBe(true);
    (confirm as jest.Mock).mockResolvedValueOnce(true);
    expect(
      await commands.execute(CommandIDs.deleteTrainingRun, { id: 1 })
    ).toBe(true);
    expect(api.runs.has(1)).toBe(false);
    expect(experiments.runs.map(r => r.id)).toEqual([2]);

    await api.startRun({ sql: 'SELECT 1', target: 'y', budget_s: 1 });
    await experiments.refresh();
    expect(commands.isEnabled(CommandIDs.compareTrainingRuns, {})).toBe(false);
    experiments.toggleSelected(2);
    experiments.toggleSelected(3);
    expect(commands.isEnabled(CommandIDs.compareTrainingRuns, {})).toBe(true);
    await commands.execute(CommandIDs.compareTrainingRuns, {});
    expect(options.openCompare).toHaveBeenCalledWith([2, 3]);

    await commands.execute(CommandIDs.openTrainingRun, { id: 3 });
    expect(options.openRun).toHaveBeenCalledWith(3);
  });

  it('"Open Training Run…" without an id picks one from the list, or says there is none', async () => {
    const { api, commands, options } = setup();
    expect(await commands.execute(CommandIDs.openTrainingRun, {})).toBeNull();
    expect(showErrorMessage).toHaveBeenCalledWith(
      'Open Training Run',
      'There is no training run yet. Train a model first.'
    );
    expect(options.openRun).not.toHaveBeenCalled();

    await api.startRun({ sql: 'SELECT 1', target: 'y', budget_s: 1 });
    await api.startRun({ sql: 'SELECT 2', target: 'z', budget_s: 1 });
    (InputDialog.getItem as jest.Mock).mockResolvedValueOnce({
      button: { accept: true },
      value: 'Run 1: y'
    });
    await commands.execute(CommandIDs.openTrainingRun, {});
    expect((InputDialog.getItem as jest.Mock).mock.calls[0][0].items).toEqual([
      'Run 2: z',
      'Run 1: y'
    ]);
    expect(options.openRun).toHaveBeenCalledWith(1);
  });

  it('"Stop Training Run" stops the run in front, only while it runs', async () => {
    const { api, commands, options } = setup();
    expect(commands.isEnabled(CommandIDs.stopTrainingRun, {})).toBe(false);
    await api.startRun({ sql: 'SELECT 1', target: 'y', budget_s: 60 });
    api.advance(1, 0.5);
    const run = new RunModel({ api, id: 1, pollInterval: 10 });
    await run.start();
    options.current.mockReturnValue({ content: { run } });
    expect(commands.isEnabled(CommandIDs.stopTrainingRun, {})).toBe(true);
    await commands.execute(CommandIDs.stopTrainingRun, {});
    await settle();
    expect(run.run?.status).toBe('stopped');
    expect(commands.isEnabled(CommandIDs.stopTrainingRun, {})).toBe(false);
    run.dispose();
  });
});
