import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApp, startDemo, waitForText, type Demo } from './support/startDemo.js';

/**
 * 10 requests/s per client with a burst of 10, 429 with Retry-After and the IETF RateLimit headers (`npm start` allows
 * 20/s). Below what the browser and the backend can do together even on a busy machine, so the first wave of the
 * import certainly exceeds it; and `RateLimit-Policy: 10;w=1` states the rate exactly, so the pacer keeps the rest
 * of the import at 10/s (about 30 s for 300 rows).
 */
const RATE_LIMIT = { ratePerSecond: 10, burst: 10, headers: 'ietf', retryAfter: 'integer' } as const;

interface Counts {
  rows: number;
  ids: number;
  emails: number;
}

async function countImported(demo: Demo, emailPattern: string): Promise<Counts> {
  const { rows } = await demo.backend.db.query<Counts>(
    'select count(*)::int as rows, count(distinct id)::int as ids, count(distinct email)::int as emails from contacts where email like $1',
    [emailPattern],
  );
  return rows[0]!;
}

/**
 * The Import page in real Chromium against the rate-limiting backend: 300 rows go through `runBulk` and the contacts
 * executor, the server answers 429 along the way, and every row is in Postgres exactly once.
 */
describe('demo: importing contacts from CSV', () => {
  let demo: Demo;

  beforeAll(async () => {
    demo = await startDemo({ rateLimit: RATE_LIMIT });
    await openApp(demo, '#/import');
  });

  afterAll(async () => {
    await demo?.close();
  });

  it('imports 300 generated rows while the server rate-limits, each row exactly once', async () => {
    const { page, backend } = demo;
    await page.getByTestId('import-generate').click();
    await waitForText(page, '[data-testid="import-parsed"]', '300 row(s) read');
    // 50 rows at once against a burst of 10: the pacer's slow start and the limit it learns keep them from bouncing.
    await page.getByRole('combobox', { name: 'Concurrency' }).click();
    await page.getByRole('option', { name: '50 at once' }).click();

    const before = backend.stats;
    await page.getByTestId('import-start').click();
    await waitForText(page, '[data-testid="import-done"]', /^\s*\d+ \/ 300\s*$/);
    await demo.screenshot('import-progress');
    await waitForText(page, '[data-testid="import-summary"]', '300 imported, 0 failed', 120_000);
    const after = backend.stats;

    // The limiter did its job: the server turned few requests away (fewer than 5% of the 300; sent blind, the first
    // 50 at once against a burst of 10 would meet about 40), the page says how many, and each was retried to success.
    const rateLimited = after.rateLimited - before.rateLimited;
    expect(rateLimited).toBeLessThan(15);
    await waitForText(page, '[data-testid="import-server-429"]', `the server answered 429 ${rateLimited} time(s)`);
    expect(Number(await page.getByTestId('import-retries').textContent())).toBeGreaterThanOrEqual(rateLimited);
    expect(await page.getByTestId('import-report').count()).toBe(0);

    // Every row is in Postgres once: 300 rows, 300 ids, 300 e-mail addresses.
    expect(await countImported(demo, '%@import.example')).toEqual({ rows: 300, ids: 300, emails: 300 });
    await demo.screenshot('import-report', { fullPage: true });
  });

  const badRows = [
    'email,first_name,last_name,company,status,notes',
    'lin@report.example,Lin,Clark,"Cartoons, Inc",lead,extra column',
    'not-an-email,Bad,Email,,lead,',
    'ada@example.com,Ada,Again,,customer,', // taken by a seeded contact
    'kim@report.example,Kim,Lee,,vip,',
    'zed@report.example,Zed', // cut short: 2 of the header's 6 fields
  ];

  it('reports bad rows by line and field, names the taken address, and tells a short row from a bad e-mail', async () => {
    const { page } = demo;
    await page.getByTestId('import-csv').fill(badRows.join('\n'));
    await waitForText(page, '[data-testid="import-parsed"]', '5 row(s) read · ignored columns: notes');
    await page.getByTestId('import-start').click();
    await waitForText(page, '[data-testid="import-summary"]', '1 imported, 4 failed', 60_000);

    const lines = await page.getByTestId('import-report-row').allTextContents();
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(/^23email.*Not an email address: "not-an-email"\..*VALIDATION$/);
    expect(lines[1]).toBe('34emailE-mail ada@example.com is already used by another contact.23505');
    expect(lines[2]).toMatch(/^45status.*Unknown status "vip".*VALIDATION$/);
    expect(lines[3]).toMatch(/^56—2 of 6 columns: .*TOO_FEW_COLUMNS$/);
    await demo.screenshot('import-errors', { fullPage: true });

    // Nothing corrected: the three rows that fail the check are not sent again, the taken address fails again, and
    // the row that succeeded is not sent twice.
    const conflicts = demo.backend.stats.byStatus['409'] ?? 0;
    const refused = demo.backend.stats.byStatus['400'] ?? 0;
    await page.getByTestId('import-retry-failed').click();
    await waitForText(page, '[data-testid="import-done"]', '4 / 4', 60_000);
    await waitForText(page, '[data-testid="import-summary"]', '1 imported, 4 failed', 60_000);
    expect((demo.backend.stats.byStatus['409'] ?? 0) - conflicts).toBe(1);
    expect(demo.backend.stats.byStatus['400'] ?? 0).toBe(refused);
    expect(await countImported(demo, '%@report.example')).toEqual({ rows: 1, ids: 1, emails: 1 });
    expect(demo.pageErrors).toEqual([]);
  });

  it('"Retry failed rows" sends the rows as corrected in the CSV, and still not the ones that stay invalid', async () => {
    const { page } = demo;
    const corrected = [...badRows];
    corrected[2] = 'bad@report.example,Bad,Email,,lead,';
    corrected[3] = 'ada.again@report.example,Ada,Again,,customer,';
    await page.getByTestId('import-csv').fill(corrected.join('\n'));
    await page.getByTestId('import-retry-failed').click();
    await waitForText(page, '[data-testid="import-done"]', '4 / 4', 60_000);
    await waitForText(page, '[data-testid="import-summary"]', '3 imported, 2 failed', 60_000);
    const lines = await page.getByTestId('import-report-row').allTextContents();
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^45status.*Unknown status "vip".*VALIDATION$/);
    expect(lines[1]).toMatch(/^56—2 of 6 columns: .*TOO_FEW_COLUMNS$/);
    expect(await countImported(demo, '%@report.example')).toEqual({ rows: 3, ids: 3, emails: 3 });
    expect(demo.pageErrors).toEqual([]);
  });

  it('after Stop, counts the rows never sent as not started, apart from the failed ones', async () => {
    const { page } = demo;
    await page.getByTestId('import-generate').click();
    await waitForText(page, '[data-testid="import-parsed"]', '300 row(s) read');
    await page.getByRole('combobox', { name: 'Concurrency' }).click();
    await page.getByRole('option', { name: '5 at once', exact: true }).click();
    await page.getByTestId('import-start').click();
    // Paced at 10 rows/s: well before the end.
    await waitForText(page, '[data-testid="import-done"]', /^\s*(1\d|[2-9]\d) \/ 300\s*$/, 60_000);
    await page.getByRole('button', { name: 'Stop' }).click();
    const summary = await waitForText(page, '[data-testid="import-summary"]', /not started/, 60_000);

    const [, imported, failed, notStarted] = /^(\d+) imported, (\d+) failed, (\d+) not started$/.exec(summary.trim())!.map(Number);
    expect(imported! + failed! + notStarted!).toBe(300);
    expect(notStarted).toBeGreaterThan(100);
    expect(Number(await page.getByTestId('import-not-started').textContent())).toBe(notStarted);
    expect(Number(await page.getByTestId('import-failed').textContent())).toBe(failed);
    // Done is what ended, never 300/300 for a stopped import.
    expect((await page.getByTestId('import-done').textContent())?.trim()).toBe(`${300 - notStarted!} / 300`);
    // In Postgres: the rows imported, plus at most the ones stopped while being sent (their answer was cut off).
    const batch = /\.(\w+)@import\.example/.exec(await page.getByTestId('import-csv').inputValue())![1]!;
    const { rows } = await countImported(demo, `%.${batch}@import.example`);
    expect(rows).toBeGreaterThanOrEqual(imported!);
    expect(rows).toBeLessThanOrEqual(imported! + failed!);
    expect(demo.pageErrors).toEqual([]);
  });
});
