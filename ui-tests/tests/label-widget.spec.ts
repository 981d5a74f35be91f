/**
 * `mlwb.label(...)` in a notebook, as a user meets it: the labeler widget (anywidget) shows the
 * first review, the panel's keys label, skip, undo and move without reaching the notebook's own
 * shortcuts, every label is in the workspace at once (read back by a second cell and by the
 * REST API), and its button trains the active-learning queue and walks it. The kernel shares
 * the server's MLWORKBENCH_HOME (jupyter_server_test_config.py).
 */
import { expect, IJupyterLabPageFixture, test } from '@jupyterlab/galata';

const API = '/mlworkbench/api';
const NAME = 'widget_reviews';

/** The widget's parts (mlworkbench/widgets/labeler.js). */
const W = {
  root: '.mlwb-lw',
  where: '.mlwb-lw-where',
  text: '.mlwb-lw-text',
  count: '.mlwb-lw-count',
  choice: '.mlwb-lw-choice',
  notice: '.mlwb-lw-notice',
  filter: '.mlwb-lw-filter',
  queue: '.mlwb-lw-queue',
  queueInfo: '.mlwb-lw-queueinfo'
};

const OPEN_CELL = `import os
import mlworkbench as mlwb
reviews = os.path.join(os.environ["JUPYTERLAB_GALATA_ROOT_DIR"], "data/labeling/reviews.csv")
mlwb.label(f"SELECT id, text, stars FROM read_csv('{reviews}')", choices=["pos", "neg"],
           into="${NAME}", show=["text"], annotator="tester", overwrite=True)`;

const CHECK_CELL = `print(mlwb.sql("SELECT item_key, label FROM ${NAME} WHERE annotator = 'tester' ORDER BY item_key").df().values.tolist())`;

async function removeLabelSet(page: IJupyterLabPageFixture): Promise<void> {
  const response = await page.request.delete(`${API}/labelsets/${NAME}`);
  expect([204, 404]).toContain(response.status());
}

/** Press a key in the widget and wait until the kernel's answer is drawn. */
async function press(page: IJupyterLabPageFixture, key: string, showing: string): Promise<void> {
  await page.locator(W.root).press(key);
  await expect(page.locator(W.where)).toContainText(`Item ${showing}`);
}

/** Milliseconds from a key press in the widget to the next item on screen. */
function keyToNextItem(page: IJupyterLabPageFixture, key: string): Promise<number> {
  return page.evaluate(
    ([root, where, key]) =>
      new Promise<number>(resolve => {
        const widget = document.querySelector(root) as HTMLElement;
        const before = widget.querySelector(where)?.textContent;
        const started = performance.now();
        const observer = new MutationObserver(() => {
          if (widget.querySelector(where)?.textContent !== before) {
            observer.disconnect();
            resolve(performance.now() - started);
          }
        });
        observer.observe(widget, { childList: true, subtree: true, characterData: true });
        widget.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true }));
      }),
    [W.root, W.where, key]
  );
}

test.describe('mlwb.label in a notebook', () => {
  test('keys label, skip and undo, and each label is saved at once', async ({ page }) => {
    await removeLabelSet(page);
    await page.notebook.createNew('label-widget.ipynb');
    await page.notebook.setCell(0, 'code', OPEN_CELL);
    await page.notebook.runCell(0, true);

    const widget = page.locator(W.root);
    await expect(widget).toBeVisible({ timeout: 60000 });
    await expect(page.locator(W.where)).toContainText('Item r01');
    await expect(page.locator(W.text)).toContainText('Review 1: broke after a day');
    await expect(page.locator(W.count)).toContainText('0 / 40 labeled');
    await expect(page.locator(W.choice)).toHaveText(['1 pos', '2 neg']);
    await expect(widget).not.toContainText('null');
    await page.screenshot({ path: 'screenshots/label-widget.png' });

    await widget.click({ position: { x: 5, y: 5 } });
    await press(page, '1', 'r02'); // r01 -> pos
    await press(page, '2', 'r03'); // r02 -> neg
    await press(page, 's', 'r04'); // r03 skipped
    await expect(page.locator(W.count)).toContainText('2 / 40 labeled · 1 skipped');
    await press(page, 'u', 'r03'); // the skip undone
    await press(page, 'Backspace', 'r02'); // the label of r02 undone
    await expect(page.locator(W.count)).toContainText('1 / 40 labeled');
    await press(page, '1', 'r03'); // r02 -> pos now
    await press(page, 'ArrowLeft', 'r02');
    await expect(page.locator(`${W.choice}.mlwb-mod-chosen`)).toHaveText('1 pos');
    await press(page, 'Enter', 'r03'); // keeps r02's label, moves on
    await press(page, '2', 'r04'); // r03 -> neg
    await expect(page.locator(W.count)).toContainText('3 / 40 labeled');

    // Key press to the next item drawn: a round trip to the kernel, which saves the label first.
    const ms = await keyToNextItem(page, '1');
    test.info().annotations.push({ type: 'key-to-next-item-ms', description: ms.toFixed(1) });
    console.log(`mlwb.label: key press to next item ${ms.toFixed(1)} ms`);
    await expect(page.locator(W.where)).toContainText('Item r05');

    // The keys never reached the notebook: '1' would have made the cell a heading.
    expect(await page.notebook.getCellType(0)).toBe('code');

    // Saved: a second cell reads them in SQL, the REST API counts them.
    await page.notebook.addCell('code', CHECK_CELL);
    await page.notebook.runCell(1, true);
    const printed = await page.notebook.getCellTextOutput(1);
    expect(printed?.join('')).toContain(
      "[['r01', 'pos'], ['r02', 'pos'], ['r03', 'neg'], ['r04', 'pos']]"
    );
    const described = await (await page.request.get(`${API}/labelsets/${NAME}`)).json();
    expect(described.progress.labeled).toBe(4);

    // "Least confident first" before a queue exists says what to do; the button trains it.
    await page.locator(W.filter).selectOption('uncertain');
    await expect(page.locator(W.notice)).toContainText('train the queue model first');
    await page.locator(W.queue).click();
    await expect(page.locator(W.queueInfo)).toContainText('Queue: 36 items by least_confidence', {
      timeout: 60000
    });
    await expect(page.locator(W.filter)).toHaveValue('uncertain');
    await expect(page.locator(W.where)).toContainText('1 of 36');
    await page.screenshot({ path: 'screenshots/label-widget-queue.png' });
  });
});
