import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, describeViolations } from './support/axe.js';
import { openApp, startDemo, waitForText, type Demo } from './support/startDemo.js';

/**
 * The Storm page's "Users sharing the limit" card in real Chromium: more users, each with an executor and a pacer of
 * its own, import contacts on the API key this tab uses, against a backend that limits that key to 20 requests/s and
 * states it in the IETF RateLimit headers. Each user's circuit and learnt rate are on screen; every row is stored once.
 */
const RATE_LIMIT = { ratePerSecond: 20, burst: 10, headers: 'ietf', retryAfter: 'integer' } as const;

describe('demo: users sharing one rate limit', () => {
  let demo: Demo;

  beforeAll(async () => {
    demo = await startDemo({ rateLimit: RATE_LIMIT });
  });

  afterAll(async () => {
    await demo?.close();
  });

  it('imports every row of two more users once, each showing its circuit and the rate its pacer learnt', async () => {
    const { page, backend } = demo;
    await openApp(demo, '#/contacts');
    await waitForText(page, 'table', 'ada@example.com');
    await page.getByTestId('menu-storm').click();
    const card = page.getByTestId('shared-limit');
    await card.waitFor({ timeout: 60_000 });
    await page.getByRole('combobox', { name: 'Rows each' }).click();
    await page.getByRole('option', { name: '100', exact: true }).click();
    await page.getByTestId('users-start').click();

    const progress = card.getByTestId('shared-limit-progress');
    await expect.poll(() => progress.count(), { timeout: 10_000 }).toBe(2);
    for (let i = 0; i < 2; i++) await waitForText(page, `[data-testid="shared-limit-row"]:nth-child(${i + 2}) [data-testid="shared-limit-progress"]`, '100 stored · 0 failed', 90_000);

    // Each user has its own circuit, closed, named after it.
    for (const name of ['user 2', 'user 3']) {
      expect(await card.getByRole('group', { name: new RegExp(`^${name}: Closed`) }).count()).toBe(1);
    }
    // Their pacers learnt the stated limit as their ceiling from the answers to their inserts. This tab's pacer
    // (first row) has only read lists through the data provider, whose results carry no headers: it knows nothing yet.
    const rates = await card.getByTestId('shared-limit-rate').allTextContents();
    expect(rates).toHaveLength(3);
    expect(rates[0]).toBe('no limit known yet');
    for (const rate of rates.slice(1)) expect(rate).toMatch(/^\d+\.\d\/s of \d+\/s stated$/);

    const { rows } = await backend.db.query<{ rows: number; ids: number; emails: number }>(
      "select count(*)::int as rows, count(distinct id)::int as ids, count(distinct email)::int as emails from contacts where email like '%@import.example'",
    );
    expect(rows[0]).toEqual({ rows: 200, ids: 200, emails: 200 });
    await expect.poll(() => page.getByTestId('users-start').isEnabled()).toBe(true);
    await demo.screenshot('users-share-the-limit');
    // The card with its users' chips and rates meets WCAG 2.2 AA too.
    const violations = await axeViolations(page, { include: '[data-testid="shared-limit"]' });
    expect(violations, describeViolations(violations)).toEqual([]);
    expect(demo.pageErrors).toEqual([]);
  });
});
