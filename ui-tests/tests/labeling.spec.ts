/**
 * The built-in labeler (issue 5): a label set made in the dialog and labeled with the keyboard
 * (every label on the server as made, undo, skip, reopen), multi-label, disagreements and the
 * "no queue yet" message, images with a missing one, a failed save, and a million items.
 *
 * Times are never asserted: the million-item test writes the measured key press -> next item
 * latencies (median, p95, n) to $MLWB_LABELER_LATENCY_OUT when set, for bench/labeler.py.
 * The screenshot goes to ui-tests/screenshots/labeler.png for the README.
 */
import * as fs from 'fs';

import { expect, test } from '@jupyterlab/galata';

import { SELECTORS } from './workbench-page';
import { LabelingPage, summarize } from './labeling-page';

const REVIEWS_SQL = 'SELECT * FROM reviews';

test.describe('Built-in labeler', () => {
  test('a label set made in the dialog is labeled with the keyboard, saved as made, and reopens with its labels', async ({
    page
  }) => {
    const lp = new LabelingPage(page);
    await lp.ensureSource('data/labeling/reviews.csv');
    await lp.removeLabelSetIfExists('ui_reviews');
    await lp.openSidebar();

    await lp.openNewLabelSetDialog();
    const form = lp.form;
    await form.locator(SELECTORS.labelSetFormTable).selectOption('reviews');
    await expect(form.locator(SELECTORS.labelSetFormKey)).toHaveValue('id');
    await form
      .locator(`${SELECTORS.labelSetFormShow} label[data-column="text"] input`)
      .check();
    await form.locator(SELECTORS.labelSetFormChoices).fill('pos, neg, neutral');
    await form.locator(SELECTORS.labelSetFormName).fill('ui_reviews');
    await lp.acceptDialog('Create and open');
    await lp.waitForLabeler('ui_reviews');

    await expect(lp.item).toHaveAttribute('data-key', 'r01');
    await expect(lp.item).toContainText('Review 1: ');
    // Only the checked column is shown.
    await expect(lp.item).not.toContainText('stars');
    await expect(lp.progress).toHaveAttribute('data-total', '40');
    await expect(lp.inLabeler('labelerHelp')).toContainText('saved at once');

    // Single-label: a digit saves and moves on; S skips.
    expect(await lp.pressForNext('1')).toBe('r02');
    expect(await lp.pressForNext('2')).toBe('r03');
    expect(await lp.pressForNext('s')).toBe('r04');
    await lp.waitForSaved(2);
    await expect(lp.progress).toHaveAttribute('data-skipped', '1');
    expect(await lp.serverLabels('ui_reviews')).toEqual({
      r01: ['pos'],
      r02: ['neg']
    });

    // U undoes the skip, Backspace the label before it.
    expect(await lp.pressForNext('u')).toBe('r03');
    expect(await lp.pressForNext('Backspace')).toBe('r02');
    await expect(lp.choice('neg')).toHaveAttribute('aria-pressed', 'false');
    await lp.waitForSaved(1);
    await expect(lp.progress).toHaveAttribute('data-skipped', '0');
    expect(await lp.serverLabels('ui_reviews')).toEqual({ r01: ['pos'] });

    expect(await lp.pressForNext('3')).toBe('r03');
    // Arrows move without labeling.
    expect(await lp.pressForNext('ArrowRight')).toBe('r04');
    expect(await lp.pressForNext('ArrowLeft')).toBe('r03');
    await lp.waitForSaved(2);
    expect(await lp.serverLabels('ui_reviews')).toEqual({
      r01: ['pos'],
      r02: ['neutral']
    });
    expect((await lp.serverProgress('ui_reviews')).labeled).toBe(2);
    // The sidebar row follows the saves while the labeler is open (from their answers).
    await expect(lp.labelSetRow('ui_reviews')).toHaveAttribute(
      'data-labeled',
      '2'
    );
    await lp.screenshot('labeler');

    // "All items" shows my saved label on the first item.
    await lp.setFilter('all');
    await expect(lp.item).toHaveAttribute('data-key', 'r01');
    await expect(lp.choice('pos')).toHaveAttribute('aria-pressed', 'true');

    // Close and reopen from the sidebar: the labels are there, the next unlabeled item shows.
    await page.evaluate(() =>
      (window as any).jupyterapp.commands.execute('application:close')
    );
    await expect(lp.labeler).toHaveCount(0);
    await lp.openFromSidebar('ui_reviews');
    await expect(lp.item).toHaveAttribute('data-key', 'r03');
    await expect(lp.progress).toHaveAttribute('data-labeled', '2');
    await expect(lp.labelSetRow('ui_reviews')).toHaveAttribute(
      'data-labeled',
      '2'
    );
  });

  test('the label set list is read again when the sidebar is shown', async ({
    page
  }) => {
    const lp = new LabelingPage(page);
    await lp.ensureSource('data/labeling/reviews.csv');
    await lp.createLabelSet({
      name: 'ui_shown',
      sql: 'SELECT * FROM reviews',
      key: 'id',
      choices: ['pos', 'neg']
    });
    await lp.openSidebar();
    await lp.execute('mlworkbench:refresh-label-sets');
    const row = lp.labelSetRow('ui_shown');
    await expect(row).toHaveAttribute('data-labeled', '0');

    // Hidden behind the file browser while a label is made elsewhere (as a kernel would).
    await page.evaluate(() =>
      (window as any).jupyterapp.shell.activateById('filebrowser')
    );
    await expect(lp.sidebar).toBeHidden();
    const saved = await page.request.post(
      '/mlworkbench/api/labelsets/ui_shown/labels',
      { data: { key: 'r01', labels: ['pos'] } }
    );
    expect(saved.ok(), await saved.text()).toBeTruthy();
    await lp.openSidebar();
    await expect(row).toHaveAttribute('data-labeled', '1');
  });

  test('multi-label: digits toggle labels and Enter saves them', async ({
    page
  }) => {
    const lp = new LabelingPage(page);
    await lp.ensureSource('data/labeling/reviews.csv');
    await lp.createLabelSet({
      name: 'ui_multi',
      sql: REVIEWS_SQL,
      key: 'id',
      choices: ['pos', 'neg', 'neutral'],
      multi: true,
      show: ['text']
    });
    await lp.openLabeler('ui_multi');
    await expect(lp.inLabeler('labelerHelp')).toContainText(
      'save the picked labels'
    );
    await page.keyboard.press('Enter');
    await expect(lp.inLabeler('labelerNotice')).toHaveAttribute(
      'data-code',
      'pick-multi'
    );
    await page.keyboard.press('3');
    await page.keyboard.press('1');
    await page.keyboard.press('2');
    await page.keyboard.press('2');
    await expect(lp.choice('pos')).toHaveAttribute('aria-pressed', 'true');
    await expect(lp.choice('neg')).toHaveAttribute('aria-pressed', 'false');
    await expect(lp.item).toHaveAttribute('data-key', 'r01');
    expect(await lp.pressForNext('Enter')).toBe('r02');
    await lp.waitForSaved(1);
    expect(await lp.serverLabels('ui_multi')).toEqual({
      r01: ['pos', 'neutral']
    });
  });

  test('disagreements show who labeled what; "lowest confidence first" says to train the queue model, and works once trained', async ({
    page
  }) => {
    const lp = new LabelingPage(page);
    // shared_reviews: alice and bob labeled it before the server started.
    await lp.openLabeler('shared_reviews');
    await expect(lp.progress).toHaveAttribute('data-labeled', '3');
    await lp.setFilter('disagreements');
    await expect(lp.item).toHaveAttribute('data-key', 'r01');
    await expect(lp.item).toHaveAttribute('data-disagreement', 'true');
    const others = lp.inLabeler('labelerOthers');
    await expect(others.locator('li[data-annotator="alice"]')).toContainText(
      'pos'
    );
    await expect(others.locator('li[data-annotator="bob"]')).toContainText(
      'neg'
    );
    expect(await lp.pressForNext('ArrowRight')).toBe('r02');
    await lp.pressForNext('ArrowRight');
    await expect(lp.item).toHaveAttribute('data-state', 'done');

    await lp.setFilter('uncertain');
    const notice = lp.inLabeler('labelerNotice');
    await expect(notice).toBeVisible();
    await expect(notice).toHaveAttribute('data-code', 'server');
    await expect(notice).toContainText('queue');
    await expect(lp.item).toHaveAttribute('data-state', 'done');
    await expect(lp.inLabeler('labelerError')).toBeHidden();

    // "Train queue model" fits one on alice's and bob's labels; the unlabeled items follow.
    await lp.inLabeler('labelerTrain').click();
    await expect(lp.item).toHaveAttribute('data-state', 'item', {
      timeout: 60000
    });
    await expect(notice).toBeHidden();
    await expect(lp.inLabeler('labelerFilter')).toHaveValue('uncertain');
    expect(['r01', 'r02', 'r03']).not.toContain(await lp.shownKey());
  });

  test('the labeler follows the dark theme', async ({ page }) => {
    const lp = new LabelingPage(page);
    await lp.openLabeler('shared_reviews');
    await lp.setFilter('disagreements');
    await lp.execute('apputils:change-theme', { theme: 'JupyterLab Dark' });
    await expect(page.locator('body')).toHaveAttribute(
      'data-jp-theme-light',
      'false'
    );
    // JupyterLab's variables only: a dark background, light text.
    const brightness = (css: string) =>
      (css.match(/\d+/g) ?? [])
        .slice(0, 3)
        .reduce((sum, n) => sum + Number(n), 0);
    await expect
      .poll(async () =>
        brightness(
          await lp.item.evaluate(n => getComputedStyle(n).backgroundColor)
        )
      )
      .toBeLessThan(3 * 100);
    const text = await lp.item.evaluate(n => getComputedStyle(n).color);
    expect(brightness(text)).toBeGreaterThan(3 * 150);
  });

  test('image columns show as images; a missing file is a placeholder and the item can be skipped', async ({
    page
  }) => {
    const lp = new LabelingPage(page);
    await lp.ensureSource('data/labeling/photos.csv');
    await lp.createLabelSet({
      name: 'ui_photos',
      sql: 'SELECT * FROM photos',
      key: 'id',
      choices: ['warm', 'cold'],
      show: ['path', 'caption']
    });
    await lp.openLabeler('ui_photos');
    await expect(lp.item).toHaveAttribute('data-key', 'p1');
    const image = lp.inLabeler('labelerImage');
    await expect(image).toHaveAttribute('data-missing', 'false');
    await expect
      .poll(() =>
        image
          .locator('img')
          .evaluate(img => (img as HTMLImageElement).naturalWidth)
      )
      .toBe(48);
    await expect(lp.item).toContainText('a red square');

    expect(await lp.pressForNext('1')).toBe('p2');
    expect(await lp.pressForNext('s')).toBe('p3');
    expect(await lp.pressForNext('s')).toBe('p4');
    expect(await lp.pressForNext('s')).toBe('p5');
    await expect(image).toHaveAttribute('data-missing', 'true');
    await expect(image).toContainText('missing');
    await lp.pressForNext('s');
    await expect(lp.item).toHaveAttribute('data-state', 'done');
    await lp.waitForSaved(1);
    await expect(lp.progress).toHaveAttribute('data-skipped', '4');
    const all = await lp.serverItems('ui_photos');
    expect(all.items.find(i => i.key === 'p5')?.skipped).toBe(true);
  });

  test('a save the server refuses shows its error and puts the item back in front', async ({
    page
  }) => {
    const lp = new LabelingPage(page);
    await lp.ensureSource('data/labeling/reviews.csv');
    await lp.createLabelSet({
      name: 'ui_refused',
      sql: REVIEWS_SQL,
      key: 'id',
      choices: ['pos', 'neg']
    });
    await lp.openLabeler('ui_refused');
    await expect(lp.item).toHaveAttribute('data-key', 'r01');
    // The label set goes away under the labeler: the next save fails.
    await lp.removeLabelSetIfExists('ui_refused');
    await page.keyboard.press('1');
    const error = lp.inLabeler('labelerError');
    await expect(error).toBeVisible();
    await expect(error).toHaveAttribute('data-action', 'save');
    await expect(error).toContainText('r01');
    await expect(error).toContainText('ui_refused');
    await expect(lp.item).toHaveAttribute('data-key', 'r01');
    await expect(lp.progress).toHaveAttribute('data-labeled', '0');
  });

  test('a million items: the labeler pages through them, and key press -> next item is measured', async ({
    page
  }) => {
    const lp = new LabelingPage(page);
    await lp.createLabelSet({
      name: 'ui_million',
      sql:
        "SELECT i AS id, 'Item ' || i || ': ' || repeat('lorem ipsum ', 1 + i % 7) AS text " +
        'FROM generate_series(1, 1000000) t(i)',
      key: 'id',
      choices: ['a', 'b', 'c']
    });
    const pages: number[] = [];
    page.on('request', request => {
      if (
        request.method() === 'POST' &&
        /\/labelsets\/ui_million\/items(\?|$)/.test(request.url())
      ) {
        pages.push(JSON.parse(request.postData() ?? '{}').limit);
      }
    });
    await lp.openLabeler('ui_million');
    await expect(lp.progress).toHaveAttribute('data-total', '1000000');
    await expect(lp.item).toHaveAttribute('data-key', '1');
    await lp.clearLatencies();

    const presses = 120;
    for (let i = 0; i < presses; i++) {
      expect(await lp.pressForNext(i % 2 ? '2' : '1')).toBe(String(i + 2));
    }
    await lp.waitForSaved(presses);
    const progress = await lp.serverProgress('ui_million');
    expect(progress).toMatchObject({ total: 1000000, labeled: presses });
    // Pages of a few dozen items, fetched ahead: never the whole set.
    expect(pages.length).toBeGreaterThanOrEqual(3);
    expect(Math.max(...pages)).toBeLessThanOrEqual(100);

    const latencies = await lp.latencies();
    expect(latencies.length).toBe(presses);
    const out = process.env.MLWB_LABELER_LATENCY_OUT;
    if (out) {
      const handler = summarize(latencies.map(l => l.handled));
      fs.writeFileSync(
        out,
        JSON.stringify(
          {
            ...summarize(latencies.map(l => l.total)),
            handler_median_ms: handler.median_ms,
            handler_p95_ms: handler.p95_ms,
            items: 1000000,
            samples_ms: latencies.map(l => l.total)
          },
          null,
          2
        )
      );
    }
  });
});
