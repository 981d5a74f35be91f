/**
 * The join builder and the transforms, on the demo star schema the test server writes under
 * demo/ (registered here as demo_customers, demo_orders...; data/'s customers and orders stay
 * as workbench.spec.ts expects them). Each test stands on its own.
 */
import { expect, test } from '@jupyterlab/galata';

import { DEMO_ROWS, JoinPage } from './join-page';

// Room for the tables, keys, SQL and preview in one screenshot.
test.use({ viewport: { width: 1280, height: 1000 } });

test.describe('Join builder', () => {
  test('suggests orders.customer_id = customers.customer_id, previews the join and opens its SQL', async ({
    page
  }) => {
    const jp = new JoinPage(page);
    await jp.ensureDemoSources();

    // "Join with…" on the orders row opens the builder on it.
    await jp.catalogMenu('demo_orders', 'Join with…');
    await expect(jp.builder).toHaveCount(1);
    await expect(jp.in('joinTable').first()).toHaveValue('demo_orders');

    await jp.addTable('demo_customers');

    // The best key first, measured: every order's customer exists, customers are unique.
    const top = jp.suggestions.first();
    await expect(top).toHaveAttribute(
      'data-condition',
      'demo_orders.customer_id = demo_customers.customer_id'
    );
    await expect(top).toHaveAttribute('data-rank', '0');
    await expect(top).toHaveAttribute('data-selected', 'true');
    await expect(top).toHaveAttribute('data-cardinality', 'many-to-one');
    await expect(top.locator('[data-testid="mlwb-join-match-rate"]')).toContainText('100%');

    // The SQL is there before any preview.
    const sql = await jp.sql();
    expect(sql).toContain('FROM demo_orders');
    expect(sql).toMatch(/JOIN demo_customers ON demo_orders\."customer_id" = demo_customers\."customer_id"/);
    // The clashing customer_id of customers gets its own name.
    expect(sql).toContain('AS "demo_customers_customer_id"');

    await jp.preview();
    await expect(jp.in('joinRowCount')).toHaveAttribute('data-exact-rows', String(DEMO_ROWS.demo_orders));
    await expect(jp.in('joinRowCount')).toContainText('1,200 rows');
    await expect(jp.in('joinPreviewTable').locator('tbody tr')).toHaveCount(20);
    await expect(jp.in('joinWarning')).toHaveCount(0);
    await jp.builder.evaluate(node => node.scrollTo(0, 0));
    await jp.wb.screenshot('join-builder');

    // "Open in SQL editor" writes the same SQL into a new editor; running it gives the count.
    await jp.in('joinOpenSql').click();
    await expect(jp.wb.editor).toHaveCount(1);
    await expect.poll(() => jp.wb.editorText()).toBe(sql);
    await jp.wb.runWithKeyboard();
    await jp.wb.waitForRows(DEMO_ROWS.demo_orders);
  });

  test('a left join of chosen columns changes the SQL', async ({ page }) => {
    const jp = new JoinPage(page);
    await jp.ensureDemoSources();
    await jp.start('mlworkbench:new-join', { tables: ['demo_orders', 'demo_customers'] });
    await expect(jp.suggestions.first()).toHaveAttribute('data-selected', 'true');

    await jp.in('joinHow').selectOption('left');
    await expect(jp.in('joinSql')).toContainText('LEFT JOIN demo_customers');

    // Keep only a few columns: the SQL lists just those.
    await jp.in('joinColumns').locator('summary').click();
    const customers = jp.builder.locator('.mlwb-JoinBuilder-columnGroup', { hasText: 'demo_customers' });
    await customers.locator('legend input[type="checkbox"]').uncheck();
    await jp.builder
      .locator('.mlwb-JoinBuilder-column[data-table="demo_customers"][data-column="city"] input[type="checkbox"]')
      .check();
    await expect(jp.in('joinSql')).toContainText('demo_customers."city"');
    await expect(jp.in('joinSql')).not.toContainText('"email"');
    await jp.preview();
    await expect(jp.in('joinPreviewTable').locator('th').last()).toContainText('city');
  });

  test('keys whose types do not compare are explained, with the CAST to use', async ({ page }) => {
    const jp = new JoinPage(page);
    await jp.ensureDemoSources();
    await jp.start('mlworkbench:new-join', { tables: ['demo_orders', 'demo_customers'] });
    await expect(jp.suggestions.first()).toHaveAttribute('data-selected', 'true');

    // Swap the suggested key for customer_id = email (INTEGER against VARCHAR).
    const addKey = jp.builder.locator('.mlwb-JoinBuilder-addKey');
    await addKey.locator('select').first().selectOption({ label: 'demo_orders.customer_id' });
    await addKey.locator('select').last().selectOption({ label: 'demo_customers.email' });
    await addKey.getByRole('button', { name: 'Add key' }).click();
    await jp.suggestions.first().locator('input[type="checkbox"]').uncheck();

    const error = jp.in('joinError');
    await expect(error).toBeVisible();
    await expect(error).toHaveAttribute('data-status', '422');
    await expect(error).toContainText('the types do not compare');
    await expect(error).toContainText('CAST(demo_customers."email" AS INTEGER)');
  });

  test('"Transform…" fills nulls and writes the SQL into an editor', async ({ page }) => {
    const jp = new JoinPage(page);
    await jp.ensureDemoSources();

    await jp.catalogMenu('demo_orders', 'Transform…');
    await expect(jp.form).toBeVisible();
    await expect(jp.form.locator('[data-testid="mlwb-transform-table"]')).toHaveValue('demo_orders');
    await jp.form.locator('[data-testid="mlwb-transform-kind"]').selectOption('fill_nulls');
    await jp.form.locator('[data-testid="mlwb-transform-columns"] label[data-column="status"] input').check();
    await jp.form.locator('[data-testid="mlwb-transform-value"]').fill('unknown');
    await jp.wb.screenshot('join-transform');
    await jp.acceptDialog();

    await expect(jp.wb.editor).toHaveCount(1);
    await expect.poll(() => jp.wb.editorText()).toContain(`coalesce("status", 'unknown') AS "status"`);
    await jp.wb.runWithKeyboard();
    await jp.wb.waitForRows(DEMO_ROWS.demo_orders);
  });

  test('a transform with a missing value says what is missing and keeps the dialog', async ({ page }) => {
    const jp = new JoinPage(page);
    await jp.ensureDemoSources();

    await jp.start('mlworkbench:transform-table', { table: 'demo_customers' });
    await expect(jp.form).toBeVisible();
    await jp.form.locator('[data-testid="mlwb-transform-column"]').selectOption('city');
    await jp.acceptDialog();
    await expect(jp.form.locator('[data-testid="mlwb-transform-problem"]')).toContainText('Give a value');

    await jp.form.locator('[data-testid="mlwb-transform-value"]').fill('Lagos');
    await jp.acceptDialog();
    await expect.poll(() => jp.wb.editorText()).toContain(`WHERE "city" = 'Lagos'`);
  });

  test('the join builder follows the dark theme', async ({ page }) => {
    const jp = new JoinPage(page);
    await jp.ensureDemoSources();
    await jp.start('mlworkbench:new-join', { tables: ['demo_orders', 'demo_customers'] });
    await jp.preview();

    await jp.wb.execute('apputils:change-theme', { theme: 'JupyterLab Dark' });
    await expect(page.locator('body')).toHaveAttribute('data-jp-theme-light', 'false');

    // Its colours are JupyterLab's variables: a dark background, light text.
    const brightness = (css: string) =>
      (css.match(/\d+/g) ?? []).slice(0, 3).reduce((sum, n) => sum + Number(n), 0);
    await expect
      .poll(async () => brightness(await jp.builder.evaluate(n => getComputedStyle(n).backgroundColor)))
      .toBeLessThan(3 * 100);
    const text = await jp.in('joinSql').evaluate(n => getComputedStyle(n).color);
    expect(brightness(text)).toBeGreaterThan(3 * 150);
    await jp.wb.screenshot('join-builder-dark');
  });
});
