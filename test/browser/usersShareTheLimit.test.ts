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

  it('stops the users at once: each says what it stored and what it never sent, and the database agrees', async () => {
    const { page, backend } = demo;
    const card = page.getByTestId('shared-limit');
    const before = await backend.db.query<{ n: number }>("select count(*)::int as n from contacts where email like '%@import.example'");
    await page.getByRole('combobox', { name: 'Rows each' }).click();
    await page.getByRole('option', { name: '500', exact: true }).click();
    await page.getByTestId('users-start').click();
    await waitForText(page, '[data-testid="shared-limit-row"]:nth-child(2) [data-testid="shared-limit-progress"]', /[1-9]\d* stored/, 30_000);
    await page.getByTestId('users-stop').click();

    const outcomes: { stored: number; failed: number; notStarted: number }[] = [];
    for (let i = 0; i < 2; i++) {
      const line = await waitForText(page, `[data-testid="shared-limit-row"]:nth-child(${i + 2}) [data-testid="shared-limit-progress"]`, /stopped$/, 30_000);
      const [, stored, failed, notStarted] = /^(\d+) stored · (\d+) failed · (\d+) not started · stopped$/.exec(line) ?? [];
      expect(line, 'a stopped run counts the rows it never sent').toMatch(/not started/);
      outcomes.push({ stored: Number(stored), failed: Number(failed), notStarted: Number(notStarted) });
    }
    // Every row is accounted for once, and what the card says was stored is what Postgres has (a row aborted in flight
    // may have reached the server: at most one per row in flight, 10 per user).
    for (const outcome of outcomes) expect(outcome.stored + outcome.failed + outcome.notStarted).toBe(500);
    const after = await backend.db.query<{ n: number }>("select count(*)::int as n from contacts where email like '%@import.example'");
    const stored = outcomes.reduce((sum, o) => sum + o.stored, 0);
    const added = after.rows[0]!.n - before.rows[0]!.n;
    expect(added).toBeGreaterThanOrEqual(stored);
    expect(added).toBeLessThanOrEqual(stored + outcomes.reduce((sum, o) => sum + o.failed, 0));
    expect(await card.getByTestId('users-start').isEnabled()).toBe(true);
    expect(demo.pageErrors).toEqual([]);
  });
});
