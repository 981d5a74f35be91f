/**
 * Column profiles and the cost preview, as a user drives them. The server
 * (jupyter_server_test_config.py) seeds data/customers.csv (200 rows: cust_id, name, region)
 * and data/orders.parquet (2000 rows); each test registers them through the API first.
 * The screenshot goes to ui-tests/screenshots/profile.png for the README.
 */
import { expect, test } from '@jupyterlab/galata';

import { ProfilePage, SELECTORS } from './profile-page';

const CROSS_JOIN_SQL = 'SELECT * FROM range(100000) a(i), range(100000) b(j)';

test.describe('Profiles and the cost preview', () => {
  test('profiling the customers source from the catalog shows a card and a chart per column', async ({
    page
  }) => {
    const wb = new ProfilePage(page);
    await wb.ensureSampleSources();

    await wb.profileFromCatalog('customers', 'source');

    await wb.waitForProfile(200);
    await expect(wb.inProfile('profileSummary')).toContainText('200 rows');
    await expect(wb.inProfile('profileSummary')).toContainText('3 columns');
    await expect(wb.inProfile('profileSummary')).toHaveAttribute(
      'data-sampled',
      'false'
    );
    await expect(wb.inProfile('profileCard')).toHaveCount(3);
    await expect(wb.card('cust_id')).toHaveAttribute('data-kind', 'numeric');
    await expect(
      wb.card('cust_id').locator('[data-stat="distinct"]')
    ).toHaveText('200');
    await expect(wb.card('cust_id').locator('[data-stat="min"]')).toHaveText(
      '1'
    );
    await expect(wb.card('cust_id').locator('[data-stat="max"]')).toHaveText(
      '200'
    );
    await expect(wb.card('cust_id').locator('[data-stat="mean"]')).toHaveText(
      '100.5'
    );
    await expect(wb.card('region')).toContainText('north');
    await expect(
      wb.card('region').locator(SELECTORS.profileNulls)
    ).toContainText('0% null');
    // A histogram for the number, top-value bars for the region; `name` (every value distinct)
    // has neither. Drawn by JupyterLab's own Vega-Lite renderer (rendermime).
    await expect(wb.card('name').locator(SELECTORS.profileChart)).toHaveCount(
      0
    );
    for (const column of ['cust_id', 'region']) {
      await expect(wb.chartDrawing(column)).toBeVisible();
      await expect(
        wb.card(column).locator(SELECTORS.profileChart)
      ).toHaveAttribute('data-state', 'rendered');
    }
    await wb.screenshot('profile');

    // Opening the same profile again refreshes the open tab instead of adding one.
    await wb.profileFromCatalog('customers', 'source');
    await wb.waitForProfile(200);
    await expect(page.locator(SELECTORS.profilePanel)).toHaveCount(1);
  });

  test('the charts follow the dark theme', async ({ page }) => {
    const wb = new ProfilePage(page);
    await wb.ensureSampleSources();
    await wb.profileFromCatalog('customers', 'source');
    await wb.waitForProfile(200);
    await expect(wb.chartDrawing('cust_id')).toBeVisible();

    await wb.execute('apputils:change-theme', { theme: 'JupyterLab Dark' });

    await expect(page.locator('body')).toHaveAttribute(
      'data-jp-theme-light',
      'false'
    );
    // Drawn again by the Vega renderer in its dark theme: an opaque dark background.
    await expect
      .poll(() =>
        wb.chartDrawing('cust_id').evaluate(node => {
          if (!(node instanceof HTMLCanvasElement)) {
            return 'svg';
          }
          const [r, g, b, a] = node
            .getContext('2d')!
            .getImageData(2, 2, 1, 1).data;
          return a === 255 && r + g + b < 3 * 128 ? 'dark' : 'light';
        })
      )
      .toMatch(/^(dark|svg)$/);
    await wb.screenshot('profile-dark');
  });

  test('a table row of the catalog and the palette command profile a table', async ({
    page
  }) => {
    const wb = new ProfilePage(page);
    await wb.ensureSampleSources();
    await wb.openSidebar();
    await wb.expand('orders', 'source');

    await wb.profileFromCatalog('orders', 'table');
    await wb.waitForProfile(2000);
    await expect(wb.card('amount')).toHaveAttribute('data-kind', 'numeric');
    await expect(wb.chartDrawing('amount')).toBeVisible();

    await wb.runFromPalette('Profile Table…');
    await wb.pickInDialog('customers');
    await wb.waitForProfile(200);
    await expect(wb.profile).toContainText('customers');
  });

  test('profiling a result: an all-null column shows 100% null', async ({
    page
  }) => {
    const wb = new ProfilePage(page);
    await wb.ensureSampleSources();
    await wb.newEditor(
      'SELECT cust_id, region, NULL::INTEGER AS nothing, CASE WHEN cust_id % 4 = 0 THEN NULL ELSE name END AS some_names FROM customers'
    );
    await wb.runWithKeyboard();
    await wb.waitForRows(200);

    await wb.inEditor('profileResult').click();

    await wb.waitForProfile(200);
    const nothing = wb.card('nothing').locator(SELECTORS.profileNulls);
    await expect(nothing).toHaveAttribute('data-null-share', '1');
    await expect(nothing).toContainText('100% null');
    const some = wb.card('some_names').locator(SELECTORS.profileNulls);
    await expect(some).toHaveAttribute('data-null-share', '0.25');
    await expect(some).toContainText('25% null');
  });

  test('a profile of a wide result adds its cards as the user scrolls', async ({
    page
  }) => {
    const wb = new ProfilePage(page);
    const columns = Array.from(
      { length: 300 },
      (_, i) => `i + ${i} AS c${i}`
    ).join(', ');
    await wb.newEditor(`SELECT ${columns} FROM range(50) t(i)`);
    await wb.runWithKeyboard();
    await wb.waitForRows(50);

    await wb.inEditor('profileResult').click();

    await wb.waitForProfile(50);
    await expect(wb.inProfile('profileSummary')).toContainText('300 columns');
    const firstBatch = await wb.inProfile('profileCard').count();
    expect(firstBatch).toBeLessThan(300);
    await expect(wb.inProfile('profileMore')).toBeVisible();
    // Only the charts near the viewport are drawn.
    const drawn = await wb.profile
      .locator(`${SELECTORS.profileChart}[data-state="rendered"]`)
      .count();
    expect(drawn).toBeLessThan(firstBatch);

    await wb.inProfile('profileMore').scrollIntoViewIfNeeded();
    await expect
      .poll(() => wb.inProfile('profileCard').count())
      .toBeGreaterThan(firstBatch);

    await wb.inProfile('profileFilter').fill('c299');
    await expect(wb.inProfile('profileCard')).toHaveCount(1);
    await expect(wb.card('c299')).toBeVisible();
  });

  test('the cost preview warns about a huge cross join and "Add LIMIT" rewrites the SQL', async ({
    page
  }) => {
    const wb = new ProfilePage(page);
    await wb.newEditor(CROSS_JOIN_SQL);

    await expect(wb.costPreview).toHaveAttribute('data-state', 'large');
    await expect(wb.costPreview).toHaveAttribute(
      'data-estimated-rows',
      '10000000000'
    );
    await expect(wb.costPreview).toContainText('10,000,000,000');
    await expect(wb.inEditor('costSample')).toBeVisible();
    await wb.screenshot('profile-cost-preview');

    await wb.inEditor('costLimit').click();

    await expect.poll(() => wb.editorText()).toContain('LIMIT 100000');
    expect(await wb.editorText()).toContain(CROSS_JOIN_SQL);
    await expect(wb.costPreview).toHaveAttribute('data-state', 'ok');
    await expect(wb.costPreview).toHaveAttribute(
      'data-estimated-rows',
      '100000'
    );
    // The status still says how to run it: the preview never starts the query.
    await expect(wb.status).toHaveAttribute('data-state', 'idle');
  });

  test('the cost preview shows nothing for SQL that does not bind yet or is not a SELECT', async ({
    page
  }) => {
    const wb = new ProfilePage(page);
    await wb.newEditor('SELECT * FROM no_such_table_here');
    // Give the debounced request time to come back: it must show nothing.
    await page.waitForTimeout(1500);
    await expect(wb.costPreview).toHaveAttribute('data-state', 'none');
    await expect(wb.costPreview).toBeHidden();

    await wb.setSql('CREATE OR REPLACE VIEW v_profile_test AS SELECT 1 AS x');
    await page.waitForTimeout(1500);
    await expect(wb.costPreview).toBeHidden();
  });
});
