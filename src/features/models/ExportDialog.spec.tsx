import { nullTranslator } from '@jupyterlab/translation';
import { Widget } from '@lumino/widgets';

import { fakeRenderers } from '../shared/fakeRenderers';
import { settle } from './domTesting';
import { defaultExportPath, exportVersion } from './ExportDialog';
import { FakeModelsApi } from './fakeApi';
import { ModelViewModel } from './model';
import { ModelPanel } from './ModelPanel';
import { MODEL_SELECTORS as S } from './selectors';

const trans = nullTranslator.load('mlworkbench');

/** The dialog on screen, once it is there. */
async function dialog(): Promise<HTMLElement> {
  for (let i = 0; i < 50; i++) {
    const node = document.querySelector('.jp-Dialog') as HTMLElement | null;
    if (node) {
      await settle();
      return node;
    }
    await settle();
  }
  throw new Error('no dialog');
}

async function accept(): Promise<void> {
  const node = await dialog();
  (node.querySelector('.jp-mod-accept') as HTMLElement).click();
  for (let i = 0; i < 50 && document.querySelector('.jp-Dialog'); i++) {
    await settle();
  }
}

describe('Export as MLflow model', () => {
  afterEach(() => {
    document.body.innerHTML = '';
  });

  it('exports to mlflow-models/<name>-v<version>, then asks to replace an existing folder', async () => {
    const api = new FakeModelsApi();
    await api.publish(1, 'churn');
    const opened: string[] = [];
    const options = {
      api,
      trans,
      name: 'churn',
      version: 1,
      onOpenFolder: (path: string) => opened.push(path)
    };
    expect(defaultExportPath('churn', 1)).toBe('mlflow-models/churn-v1');

    const first = exportVersion(options);
    const node = await dialog();
    expect((node.querySelector(S.exportPath) as HTMLInputElement).value).toBe(
      'mlflow-models/churn-v1'
    );
    expect(node.querySelector(S.exportOverwrite)).toBeNull();
    await accept();
    expect((await first)?.path).toBe('mlflow-models/churn-v1');

    // The same folder again: a 409, the dialog again with its message and "Replace it".
    const second = exportVersion(options);
    await accept();
    const again = await dialog();
    expect(again.querySelector(S.exportError)?.textContent).toContain(
      'exists and is not empty'
    );
    (again.querySelector(S.exportOverwrite) as HTMLInputElement).click();
    await settle();
    await accept();
    const exported = await second;
    expect(exported?.mlflow_uri_hint).toContain(
      'mlflow models serve -m mlflow-models/churn-v1'
    );
  });

  it('answers null when the user cancels', async () => {
    const api = new FakeModelsApi();
    await api.publish(1, 'churn');
    const pending = exportVersion({
      api,
      trans,
      name: 'churn',
      version: 1,
      onOpenFolder: () => undefined
    });
    const node = await dialog();
    (node.querySelector('.jp-mod-reject') as HTMLElement).click();
    expect(await pending).toBeNull();
    expect(api.exported.size).toBe(0);
  });
});

describe('Remove alias', () => {
  afterEach(() => {
    document.body.innerHTML = '';
  });

  it('asks first, then removes the alias and shows the removal in the history', async () => {
    const api = new FakeModelsApi();
    await api.publish(1, 'churn');
    const model = new ModelViewModel({ api, name: 'churn' });
    const exported: number[] = [];
    const panel = new ModelPanel({
      model,
      trans,
      renderers: fakeRenderers().renderers,
      baseUrl: 'http://127.0.0.1:8888/',
      onExport: version => exported.push(version)
    });
    Widget.attach(panel, document.body);
    await model.load();
    await model.promote('production', 1);
    await settle();
    let moved = 0;
    model.moved.connect(() => moved++);

    (panel.node.querySelector(S.exportVersion) as HTMLElement).click();
    expect(exported).toEqual([1]);

    (panel.node.querySelector(S.removeAlias) as HTMLElement).click();
    const node = await dialog();
    expect(node.textContent).toContain('churn@production (now v1)');
    await accept();
    await settle();
    expect(panel.node.querySelectorAll(S.aliasRow)).toHaveLength(0);
    const last = panel.node.querySelector(S.historyRow) as HTMLElement;
    expect(last.dataset.action).toBe('remove');
    expect(last.textContent).toContain('removed (was v1)');
    expect(moved).toBe(1);

    // An alias gone meanwhile: the server's 404 shows.
    expect(await model.removeAlias('production')).toBe(false);
    expect(model.actionError?.status).toBe(404);
  });
});
