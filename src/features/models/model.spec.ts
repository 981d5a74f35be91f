import { FakeModelsApi } from './fakeApi';
import { ModelViewModel } from './model';
import { aliasBadges, ModelsListModel } from './modelsList';

async function published(): Promise<FakeModelsApi> {
  const api = new FakeModelsApi();
  await api.publish(1, 'churn');
  await api.publish(2, 'churn');
  return api;
}

describe('ModelViewModel', () => {
  it('shows the newest version until production points at one, then that one', async () => {
    const api = await published();
    const model = new ModelViewModel({ api, name: 'churn' });
    await model.load();
    expect(model.version?.version).toBe(2);
    await api.setAlias('churn', 'production', 1);
    const again = new ModelViewModel({ api, name: 'churn' });
    await again.load();
    expect(again.version?.version).toBe(1);
    expect(again.model?.versions.map(v => v.version)).toEqual([2, 1]);
  });

  it('promotes, keeps a gate refusal with its checks and metrics, and rolls back', async () => {
    const api = await published();
    const model = new ModelViewModel({ api, name: 'churn' });
    await model.load();
    const moved = jest.fn();
    model.moved.connect(moved);

    expect(await model.promote('production', 1)).toBe(true);
    expect(await model.promote('production', 2)).toBe(true);
    expect(model.model?.aliases).toEqual([
      expect.objectContaining({ alias: 'production', version: 2 })
    ]);

    api.setGates('churn', 'staging', ['roc_auc >= 0.95']);
    expect(await model.promote('staging', 2)).toBe(false);
    expect(model.refusal).toEqual(
      expect.objectContaining({
        alias: 'staging',
        version: 2,
        failed: ['roc_auc >= 0.95'],
        results: [{ check: 'roc_auc >= 0.95', passed: false }],
        metrics: expect.objectContaining({ accuracy: 0.75 })
      })
    );
    expect(model.actionError).toBeNull();
    // The refused move is in the history.
    expect(model.model?.alias_history[0]).toEqual(
      expect.objectContaining({ alias: 'staging', moved: false })
    );

    expect(await model.rollback('production')).toBe(true);
    expect(model.refusal).toBeNull();
    expect(
      model.model?.aliases.find(a => a.alias === 'production')?.version
    ).toBe(1);
    expect(moved).toHaveBeenCalledTimes(3);

    // Nothing earlier to roll back to: an error with the server's message.
    expect(await model.rollback('production')).toBe(false);
    expect(model.actionError?.message).toContain('no earlier version');
  });

  it('saves the card and predicts with the shown version', async () => {
    const api = await published();
    const model = new ModelViewModel({ api, name: 'churn', version: 1 });
    await model.load();
    expect(await model.saveCard('# Edited')).toBe(true);
    expect(model.version?.card).toBe('# Edited');

    await model.predict({ age: 30, plan: 'pro', spend: 1.5, active: true });
    expect(api.predictions[0].ref).toBe('churn@1');
    expect(model.prediction?.predictions).toEqual(['yes']);

    await model.predict({ age: null, plan: null, spend: null, active: false });
    expect(model.prediction).toBeNull();
    expect(model.predictError?.status).toBe(422);
    expect(model.busy).toBeNull();
  });

  it('says which model is unknown', async () => {
    const model = new ModelViewModel({
      api: new FakeModelsApi(),
      name: 'nope'
    });
    await model.load();
    expect(model.error?.message).toContain("No model 'nope'");
  });
});

describe('ModelsListModel', () => {
  it('lists models with their aliases, production and staging first', async () => {
    const api = await published();
    await api.setAlias('churn', 'canary', 1);
    await api.setAlias('churn', 'production', 2);
    const list = new ModelsListModel(api);
    await list.refresh();
    expect(list.models.map(m => m.name)).toEqual(['churn']);
    expect(aliasBadges(list.models[0].aliases)).toEqual([
      { alias: 'production', version: 2 },
      { alias: 'canary', version: 1 }
    ]);
  });
});
