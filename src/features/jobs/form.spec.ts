import { WorkbenchApiError } from '../../api/errors';
import { FakeJobsApi } from './fakeApi';
import { jobNameFrom, RunFormModel } from './form';

async function loadedForm(api = new FakeJobsApi(), job = null as any) {
  const form = new RunFormModel({
    api,
    notebook: 'report.ipynb',
    job,
    previewDelay: 0
  });
  await form.load();
  return { api, form };
}

const tick = () => new Promise(resolve => setTimeout(resolve, 5));

describe('RunFormModel', () => {
  it('reads the parameters, the kernels and the notebook kernel', async () => {
    const { form } = await loadedForm();
    expect(form.parameters.map(p => `${p.name}:${p.type}`)).toEqual([
      'since:date',
      'n:int',
      'rate:float',
      'verbose:bool',
      'region:str',
      'tags:list'
    ]);
    expect(form.kernels).toEqual(['python3', 'ir']);
    expect(form.options.kernel).toBe('python3');
    expect(form.options.name).toBe('report');
  });

  it('checks a value by its type as it is typed', async () => {
    const { form } = await loadedForm();
    form.setField('n', '2.5');
    expect(form.fieldError('n')).toMatch(/whole number/);
    form.setField('n', '3');
    expect(form.fieldError('n')).toBeNull();
    form.setField('n', '');
    expect(form.fieldError('n')).toBeNull(); // empty: the default
    // Letters in a number input: the browser gives '' and says it could not read them.
    form.setField('n', '', true);
    expect(form.fieldError('n')).toBe('Expects a whole number.');
    expect(form.checked()).toBeNull();
    form.setField('n', '4');
    expect(form.checked()?.parameters).toEqual({ n: 4 });
  });

  it('does not send a form with a wrong value', async () => {
    const { api, form } = await loadedForm();
    form.setField('tags', 'a, b');
    form.setOption('retries', '-1');
    expect(await form.runNow()).toBeNull();
    expect(form.fieldError('tags')).toMatch(/JSON list/);
    expect(form.optionError('retries')).toMatch(/whole number/);
    expect(api.calls.some(c => c.method === 'runNotebook')).toBe(false);
  });

  it('runs with typed values, a string with no quotes', async () => {
    const { api, form } = await loadedForm();
    form.setField('n', '7');
    form.setField('region', 'south east');
    form.setField('verbose', true);
    form.setOption('timeout', '60');
    form.setOption('outputDir', 'out');
    const run = await form.runNow();
    expect(run?.status).toBe('queued');
    expect(api.calls.find(c => c.method === 'runNotebook')?.args[0]).toEqual({
      notebook: 'report.ipynb',
      parameters: { n: 7, region: 'south east', verbose: true },
      kernel: 'python3',
      timeout_seconds: 60,
      retries: 0,
      output_dir: 'out'
    });
  });

  it("shows the server's refusal next to the field it names", async () => {
    const { api, form } = await loadedForm();
    api.failNext = new WorkbenchApiError(
      "Parameter 'rate' expects a number; got 'x'.",
      422,
      'bad_job_parameter',
      { field: 'parameters', parameter: 'rate' }
    );
    expect(await form.runNow()).toBeNull();
    expect(form.fieldError('rate')).toBe(
      "Parameter 'rate' expects a number; got 'x'."
    );
    expect(form.submitError).toBeNull();

    api.failNext = new WorkbenchApiError(
      "The output folder 'x' is not writable.",
      400,
      'output_folder_not_writable',
      { field: 'output_dir', folder: 'x' }
    );
    await form.runNow();
    expect(form.optionError('outputDir')).toMatch(/not writable/);

    api.failNext = new WorkbenchApiError('Disk full.', 500, 'error');
    await form.runNow();
    expect(form.submitError?.message).toBe('Disk full.');
  });

  it('previews a schedule, and says why a bad one does not read', async () => {
    const { form } = await loadedForm();
    form.setOption('schedule', 'daily at 07:30');
    await tick();
    expect(form.preview?.description).toBe('every day at 07:30');
    expect(form.preview?.next_fire_times).toHaveLength(5);
    form.setOption('schedule', 'every full moon');
    await tick();
    expect(form.preview).toBeNull();
    expect(form.previewError?.message).toMatch(
      /Cannot read 'every full moon' as a schedule/
    );
    form.setOption('schedule', '');
    await tick();
    expect(form.previewError).toBeNull();
  });

  it('saves a scheduled job with its policies', async () => {
    const { api, form } = await loadedForm();
    form.setField('n', '9');
    form.setOption('name', 'nightly');
    form.setOption('schedule', 'daily at 02:00');
    form.setOption('timezone', 'Europe/Paris');
    form.setOption('overlap', 'queue');
    form.setOption('catchUp', 'all');
    const job = await form.save();
    expect(job?.name).toBe('nightly');
    expect(api.jobs[0]).toMatchObject({
      parameters: { n: 9 },
      schedule: 'daily at 02:00',
      timezone: 'Europe/Paris',
      overlap: 'queue',
      catch_up: 'all'
    });
    // The same name again: the 409 says so.
    const again = await loadedForm(api);
    again.form.setOption('name', 'nightly');
    expect(await again.form.save()).toBeNull();
    expect(again.form.submitError?.status).toBe(409);
  });

  it('edits a job: its values fill the form, Save changes it', async () => {
    const api = new FakeJobsApi();
    const saved = await api.createJob({
      name: 'daily',
      notebook: 'report.ipynb',
      parameters: { n: 5, region: 'west' },
      schedule: 'hourly',
      retries: 2
    });
    const { form } = await loadedForm(api, saved);
    expect(form.field('region')).toBe('west');
    expect(form.options.retries).toBe('2');
    expect(form.options.schedule).toBe('hourly');
    expect(form.preview?.cron).toBe('0 * * * *');
    form.setField('region', 'east');
    form.setOption('schedule', '');
    await form.save();
    const [name, change] = api.calls.find(c => c.method === 'updateJob')!
      .args as [string, any];
    expect(name).toBe('daily');
    expect(change.parameters).toEqual({ n: 5, region: 'east' });
    expect(change.schedule).toBe('');
  });

  it('names a job after its notebook', () => {
    expect(jobNameFrom('reports/daily sales.ipynb')).toBe('daily_sales');
  });
});
