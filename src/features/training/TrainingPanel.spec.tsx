import { nullTranslator } from '@jupyterlab/translation';
import { Widget } from '@lumino/widgets';
import { Signal } from '@lumino/signaling';

import { SELECTORS } from '../selectors';
import { fakeRenderers } from '../shared/fakeRenderers';
import { WorkbenchApiError } from '../../api/client';
import { FakeTrainingApi, settle } from './fakeApi';
import { TrainFormModel } from './formModel';
import { RunModel } from './runModel';
import { TrainingPanel } from './TrainingPanel';

const trans = nullTranslator.load('mlworkbench');

function mount(panel: TrainingPanel): TrainingPanel {
  Widget.attach(panel, document.body);
  return panel;
}

const $ = (panel: Widget, key: keyof typeof SELECTORS) =>
  panel.node.querySelector(SELECTORS[key]) as HTMLElement | null;

/** Change a <select> or <input> as a user does (React listens to the native events). */
function choose(element: HTMLElement | null, value: string): void {
  const input = element as HTMLSelectElement | HTMLInputElement;
  const proto = Object.getPrototypeOf(input);
  Object.getOwnPropertyDescriptor(proto, 'value')?.set?.call(input, value);
  input.dispatchEvent(new Event('change', { bubbles: true }));
  input.dispatchEvent(new Event('input', { bubbles: true }));
}

describe('TrainingPanel', () => {
  afterEach(() => {
    document.body.innerHTML = '';
  });

  it('walks from a table to a running run: target, flagged features, budget, Train', async () => {
    const api = new FakeTrainingApi();
    const form = new TrainFormModel({ api, tables: ['customers', 'orders'] });
    const { renderers } = fakeRenderers();
    const panel = mount(
      new TrainingPanel({ form, trans, renderers, pollInterval: 0 })
    );
    await settle();
    expect(($(panel, 'trainSubmit') as HTMLButtonElement).disabled).toBe(true);

    choose($(panel, 'trainTable'), 'customers');
    await settle();
    expect($(panel, 'trainRows')?.textContent).toContain('5 columns, 100 rows');
    choose($(panel, 'trainTarget'), 'churned');
    await settle();

    const feature = (name: string) =>
      panel.node.querySelector(
        `${SELECTORS.trainFeature}[data-column="${name}"]`
      ) as HTMLElement;
    expect(feature('age').dataset.checked).toBe('true');
    expect(feature('id').dataset.checked).toBe('false');
    expect(feature('churn_date').dataset.flags).toBe('leaking');
    // The reason is shown inline and as the row's tooltip.
    expect(feature('churn_date').textContent).toContain('it leaks it');
    expect(feature('churn_date').title).toContain('it leaks it');
    expect(
      ($(panel, 'trainTask') as HTMLSelectElement).selectedOptions[0]
        .textContent
    ).toBe('Binary classification (inferred)');
    expect(($(panel, 'trainMetric') as HTMLSelectElement).value).toBe(
      'roc_auc'
    );

    choose($(panel, 'trainBudget'), 'custom');
    await settle();
    choose($(panel, 'trainBudgetCustom'), '5');
    await settle();
    expect(form.budget).toBe(5);
    const refit = panel.node.querySelector(
      '[data-testid="mlwb-train-refit-all"]'
    ) as HTMLInputElement;
    expect(refit.checked).toBe(false);
    // Its tooltip says the metrics stay the held-out ones.
    expect(refit.closest('label')?.title).toContain('held-out evaluation');
    refit.click();
    await settle();
    expect(form.refitAll).toBe(true);

    ($(panel, 'trainSubmit') as HTMLButtonElement).click();
    await settle();
    expect(api.started[0]).toMatchObject({
      target: 'churned',
      budget_s: 5,
      refit_all: true
    });
    expect(panel.run?.id).toBe(1);
    expect($(panel, 'trainForm')).toBeNull();
    expect($(panel, 'trainingRun')?.dataset.status).toBe('running');
    expect($(panel, 'trainStop')?.textContent).toBe('Stop');

    // Live: trials and the best score so far, the leaderboard so far.
    api.advance(1, 0.5);
    api.advance(1, 0.75);
    await settle();
    expect(
      panel.node.querySelector('[data-testid="mlwb-train-phase"]')?.textContent
    ).toBe('Searching models');
    expect($(panel, 'trainTrials')?.textContent).toBe('2');
    expect($(panel, 'trainBest')?.textContent).toBe('0.75 (hist_gb)');
    expect($(panel, 'trainProgress')?.getAttribute('aria-valuenow')).toBe('2');
    expect($(panel, 'trainProgress')?.getAttribute('aria-valuemax')).toBe('5');
    expect($(panel, 'trainLeaderboard')?.dataset.rows).toBe('2');
    panel.dispose();
  });

  it('shows the result: message, metrics, charts through rendermime, leaderboard, features, lineage', async () => {
    const api = new FakeTrainingApi();
    await api.startRun({
      sql: 'SELECT * FROM customers',
      target: 'churned',
      budget_s: 5
    });
    api.advance(1, 0.5);
    api.advance(1, 0.8);
    api.finish(1);
    const { renderers, rendered } = fakeRenderers();
    const themeChanged = new Signal<object, void>({});
    const run = new RunModel({ api, id: 1, pollInterval: 0 });
    const onTrainAgain = jest.fn();
    const onPublish = jest.fn();
    const panel = mount(
      new TrainingPanel({
        run,
        trans,
        renderers,
        themeChanged,
        onTrainAgain,
        onPublish
      })
    );
    await run.start();
    await settle();

    expect($(panel, 'trainingRun')?.dataset.status).toBe('finished');
    expect($(panel, 'trainStop')).toBeNull();
    expect($(panel, 'trainMessage')?.textContent).toBe('Best of 2 models.');
    const metrics = $(panel, 'trainMetrics') as HTMLElement;
    expect(metrics.querySelector('tr')?.dataset.metric).toBe('roc_auc');
    expect(metrics.textContent).toContain('ROC AUC0.91');
    expect(metrics.textContent).toContain('Log loss—');
    expect(metrics.textContent).toContain('Held-out rows20');

    const charts = panel.node.querySelectorAll(SELECTORS.trainChart);
    expect([...charts].map(c => (c as HTMLElement).dataset.chart)).toEqual([
      'confusion_matrix',
      'roc'
    ]);
    expect([...charts].map(c => (c as HTMLElement).dataset.state)).toEqual([
      'rendered',
      'rendered'
    ]);
    expect(rendered).toEqual([
      'application/vnd.vegalite.v5+json',
      'application/vnd.vegalite.v5+json'
    ]);
    expect(charts[0].querySelector('svg')).not.toBeNull();

    // The theme changes: the charts are drawn again (the renderer picks the theme).
    themeChanged.emit();
    await settle();
    expect(rendered.length).toBe(4);

    const board = $(panel, 'trainLeaderboard') as HTMLElement;
    expect(board.dataset.rows).toBe('2');
    expect(board.querySelector('[data-best="true"]')?.textContent).toContain(
      'hist_gb'
    );
    expect($(panel, 'trainFeatureReport')?.textContent).toContain('leaks it');
    const lineage = $(panel, 'trainLineage') as HTMLElement;
    expect(lineage.textContent).toContain('SELECT * FROM customers');
    expect(lineage.textContent).toContain('table customers');
    expect(lineage.textContent).toContain('v3');
    expect(lineage.textContent).toContain('abababababab');
    expect(lineage.textContent).toContain('scikit-learn 1.9.0');

    // "Train again…" hands the ended run (its SQL and target) to a new form.
    $(panel, 'trainAgain')!.click();
    expect(onTrainAgain).toHaveBeenCalledWith(
      expect.objectContaining({
        id: 1,
        sql: 'SELECT * FROM customers',
        target: 'churned'
      })
    );
    // "Publish…" hands the run to the models feature's command.
    $(panel, 'trainPublish')!.click();
    expect(onPublish).toHaveBeenCalledWith(expect.objectContaining({ id: 1 }));
    panel.dispose();
  });

  it('a run refitted on all rows says so, with the rows; one that was not says nothing', async () => {
    const api = new FakeTrainingApi();
    const sql = 'SELECT * FROM customers';
    await api.startRun({
      sql,
      target: 'churned',
      budget_s: 5,
      refit_all: true
    });
    await api.startRun({ sql, target: 'churned', budget_s: 5 });
    api.finish(1);
    api.finish(2);
    const note = async (id: number) => {
      const run = new RunModel({ api, id, pollInterval: 0 });
      const { renderers } = fakeRenderers();
      const panel = mount(new TrainingPanel({ run, trans, renderers }));
      await run.start();
      await settle();
      const text =
        panel.node.querySelector('[data-testid="mlwb-train-refit-all"]')
          ?.textContent ?? null;
      panel.dispose();
      return text;
    };
    expect(await note(1)).toBe(
      'Saved model: refitted on all 100 rows (training and held-out) after the evaluation.'
    );
    expect(await note(2)).toBeNull();
  });

  it('a baseline-only run says so; Stop says the best model is kept; a failed run says why', async () => {
    const api = new FakeTrainingApi();
    await api.startRun({ sql: 'SELECT 1', target: 'churned', budget_s: 1 });
    api.finish(1);
    const { renderers } = fakeRenderers();
    const baseline = new RunModel({ api, id: 1, pollInterval: 0 });
    const first = mount(new TrainingPanel({ run: baseline, trans, renderers }));
    await baseline.start();
    await settle();
    expect($(first, 'trainMessage')?.dataset.baselineOnly).toBe('true');
    expect($(first, 'trainMessage')?.textContent).toContain(
      'returning the baseline'
    );
    first.dispose();

    await api.startRun({ sql: 'SELECT 1', target: 'churned', budget_s: 60 });
    api.advance(2, 0.7);
    const stopped = new RunModel({ api, id: 2, pollInterval: 10 });
    const second = mount(new TrainingPanel({ run: stopped, trans, renderers }));
    await stopped.start();
    await settle();
    expect(second.node.textContent).toContain(
      'Stop ends the search early and keeps the best model found so far.'
    );
    ($(second, 'trainStop') as HTMLButtonElement).click();
    await settle();
    expect($(second, 'trainingRun')?.dataset.status).toBe('stopped');
    expect($(second, 'trainMessage')?.dataset.stoppedBy).toBe('user');
    expect($(second, 'trainMessage')?.textContent).toContain(
      'Stopped early; the best model found was kept.'
    );
    second.dispose();

    await api.startRun({ sql: 'SELECT 1', target: 'churned', budget_s: 60 });
    api.finish(3, 'failed');
    const failed = new RunModel({ api, id: 3, pollInterval: 0 });
    const third = mount(new TrainingPanel({ run: failed, trans, renderers }));
    await failed.start();
    await settle();
    const failure = $(third, 'trainFailure') as HTMLElement;
    expect(failure.dataset.code).toBe('training_data');
    expect(failure.textContent).toContain(
      "Target 'churned' has one class only."
    );
    expect(failure.textContent).toContain('target: churned');
    third.dispose();
  });

  it("shows the server's refusal of Train with its message and detail, and stays a form", async () => {
    const api = new FakeTrainingApi();
    const form = new TrainFormModel({ api, table: 'customers' });
    await form.readPreview();
    await form.setTarget('plan');
    const { renderers } = fakeRenderers();
    const panel = mount(new TrainingPanel({ form, trans, renderers }));
    await settle();
    // The preview says beforehand why the server would refuse this target.
    expect($(panel, 'trainPreviewProblem')?.textContent).toBe(
      "Target 'plan' has one class only."
    );
    await form.setTarget('age');
    await settle();
    expect($(panel, 'trainPreviewProblem')).toBeNull();
    api.failNext = {
      method: 'startRun',
      error: new WorkbenchApiError(
        'A class has one row only.',
        422,
        'training_data',
        {
          class: 'x'
        }
      )
    };
    await panel.train();
    await settle();
    const error = $(panel, 'trainError') as HTMLElement;
    expect(error.dataset.code).toBe('training_data');
    expect(error.textContent).toContain('A class has one row only.');
    expect(error.textContent).toContain('class: x');
    expect(panel.run).toBeNull();
    expect($(panel, 'trainForm')).not.toBeNull();
    panel.dispose();
  });
});
