import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApp, startDemo, type Demo } from './support/startDemo.js';

/** The backend fault switches of the Storm page in real Chromium. */
describe('demo: the backend faults card', () => {
  let demo: Demo;

  beforeAll(async () => {
    demo = await startDemo({ rateLimit: false });
  });

  afterAll(async () => {
    await demo?.close();
  });

  it('asks for confirmation in an accessible dialog before resetting data and counters', async () => {
    const { page, backend } = demo;
    await openApp(demo, '#/storm');
    await backend.db.query("insert into segments (name) values ('kept until confirmed')");
    await page.getByTestId('reset-backend').click();
    const dialog = page.getByRole('dialog', { name: 'Reset data and counters?' });
    await dialog.waitFor();
    expect(await dialog.getAttribute('aria-describedby')).toBe('reset-backend-text');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
    const count = async (): Promise<number> =>
      (await backend.db.query<{ n: number }>("select count(*)::int as n from segments where name = 'kept until confirmed'")).rows[0]!.n;
    expect(await count()).toBe(1);

    await page.getByTestId('reset-backend').click();
    await page.getByTestId('reset-backend-confirm').click();
    await expect.poll(count, { timeout: 15_000 }).toBe(0);
    expect(demo.pageErrors).toEqual([]);
  });

  it('gives the "Random 503s" select room for its label and its longest choice', async () => {
    const { page } = demo;
    await openApp(demo, '#/storm');
    const select = page.locator('[data-testid="rate503-select"]').locator('xpath=..');
    const label = page.locator('label', { hasText: 'Random 503s' });
    const shown = select.locator('[role="combobox"]');
    const [box, labelBox] = await Promise.all([select.boundingBox(), label.boundingBox()]);
    expect(labelBox!.width).toBeLessThan(box!.width);
    await shown.click();
    await page.getByRole('option', { name: '100% of requests', exact: true }).click();
    const fits = await shown.evaluate((el) => el.scrollWidth <= el.clientWidth);
    expect(fits).toBe(true);
    await shown.click();
    await page.getByRole('option', { name: '0% of requests', exact: true }).click();
  });
});
