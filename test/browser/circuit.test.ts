import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chipState, openApp, startDemo, waitForChip, waitForText, type Demo } from './support/startDemo.js';

/**
 * The demo in real Chromium: the contacts chip of the app bar follows the contacts circuit through an outage
 * switched on and off from the Storm & faults page.
 */
/** `?openMs=`: an open time short enough for a test, long enough to check the open state on a busy machine. */
const OPEN_MS = 12_000;

describe('demo: the circuit of a resource in the app bar', () => {
  let demo: Demo;

  beforeAll(async () => {
    // No rate limit here: the outage alone opens the circuit (the import test covers the limiter).
    demo = await startDemo({ rateLimit: false });
  });

  afterAll(async () => {
    await demo?.close();
  });

  it('shows a chip per resource circuit, each appearing with its resource\'s first call', async () => {
    const { page } = demo;
    await openApp(demo, `?openMs=${OPEN_MS}#/opportunities`);
    // The opportunities list reads its contacts too (a getMany), so both circuits exist; segments was never called.
    await waitForText(page, 'table', 'Enigma audit');
    await waitForChip(page, 'opportunities', 'closed');
    await waitForChip(page, 'contacts', 'closed');
    expect(await page.getByTestId('circuit-segments').count()).toBe(0);

    await page.goto(`${demo.appUrl}?openMs=${OPEN_MS}#/segments`);
    await waitForText(page, 'table', 'newsletter');
    await waitForChip(page, 'segments', 'closed');

    await page.goto(`${demo.appUrl}?openMs=${OPEN_MS}#/contacts`);
    await waitForText(page, 'table', 'ada@example.com');
    expect(await page.getByTestId('circuit-chips').textContent()).toBe('✓contacts: Closed✓opportunities: Closed✓segments: Closed');
    await demo.screenshot('demo');
  });

  it('gets or creates a segment by name through the get_or_create_segment RPC', async () => {
    const { page, backend } = demo;
    const ids: string[] = [];
    for (let i = 0; i < 2; i++) {
      await page.goto(`${demo.appUrl}?openMs=${OPEN_MS}#/segments/create`);
      await page.getByLabel('Name').fill('vip');
      await page.getByRole('button', { name: 'Get or create' }).click();
      const notification = await waitForText(page, '.MuiSnackbar-root', /Segment #\d+ "vip" is ready\./);
      ids.push(/#(\d+)/.exec(notification)![1]!);
      await waitForText(page, 'table', 'vip');
      // Let the notification go, so the next round reads its own.
      await page.locator('.MuiSnackbar-root').waitFor({ state: 'detached', timeout: 15_000 });
    }
    expect(ids[1]).toBe(ids[0]);
    const { rows } = await backend.db.query<{ n: number }>("select count(*)::int as n from segments where name = 'vip'");
    expect(rows[0]?.n).toBe(1);
  });

  it('replaces the products of an opportunity through the sync_opportunity_products RPC', async () => {
    const { page, backend } = demo;
    const { rows } = await backend.db.query<{ id: number }>("select id from opportunities where name = 'Enigma audit'");
    await page.goto(`${demo.appUrl}?openMs=${OPEN_MS}#/opportunities/${rows[0]!.id}`);
    await page.getByRole('button', { name: 'Add a line' }).click();
    await page.getByLabel('SKU').fill('ENIGMA-ROTOR');
    await page.getByLabel('Qty').fill('3');
    await page.getByTestId('sync-products').click();
    await waitForText(page, '.MuiSnackbar-root', 'Synced 1 product line(s) of "Enigma audit".');
    const synced = await backend.db.query<{ products: unknown }>("select products from opportunities where name = 'Enigma audit'");
    expect(synced.rows[0]?.products).toEqual([{ sku: 'ENIGMA-ROTOR', quantity: 3 }]);
  });

  it('opens the contacts circuit during an outage, then closes it through half-open once the backend is back', async () => {
    const { page, backend } = demo;
    // The recovery probe is put off (?probeMs): this test walks the manual path, half-open until a call is sent.
    await page.goto(`${demo.appUrl}?openMs=${OPEN_MS}&probeMs=600000#/storm`);
    await page.getByTestId('outage-switch').click();
    await expect.poll(() => backend.faults.outage, { timeout: 10_000 }).toBe(true);

    // 200 parallel reads through the contacts executor: each fails with 503 (reads are idempotent, so retried while
    // the retry budget lasts); after five failed calls the circuit opens and the retries due are not sent.
    const before = backend.stats.requests;
    await page.getByTestId('storm-start').click();
    await waitForChip(page, 'contacts', 'open', 20_000);
    await demo.screenshot('circuit-open');
    expect(await page.locator('[data-testid="circuit-contacts"]').textContent()).toMatch(/contacts: Open · next trial in \d+ s/);

    await waitForText(page, '[data-testid="storm-summary"]', '200/200 ended · 0 succeeded');
    // Opened by 503s, not by 429s: the refused calls tell the user the server is not answering, not to slow down.
    await waitForText(page, '[data-testid="storm-tally"]', /The server is not answering\. Next try in \d+ s\./);
    // Without the retry budget and the circuit, 200 calls × 4 attempts would reach the server.
    expect(backend.stats.requests - before).toBeLessThan(800);
    expect(backend.stats.byStatus['503'] ?? 0).toBeGreaterThanOrEqual(5);

    // While open, a call is refused at once (counted as a rejection) and never sent.
    expect(await chipState(page, 'contacts')).toBe('open');
    await page.waitForTimeout(1100); // the card reads getStats() every 500 ms: let it show the storm's last calls
    const sentBeforeProbe = backend.stats.requests;
    const rejectionsBeforeProbe = Number(await page.getByTestId('stat-contacts-rejected').textContent());
    await page.getByTestId('probe-contacts').click();
    await waitForText(page, '[data-testid="probe-result-contacts"]', /The server is not answering\. Next try in \d+ s\./);
    await waitForText(page, '[data-testid="stat-contacts-rejected"]', new RegExp(`^${rejectionsBeforeProbe + 1}$`));
    expect(backend.stats.requests).toBe(sentBeforeProbe);

    await page.getByTestId('outage-switch').click();
    await expect.poll(() => backend.faults.outage, { timeout: 10_000 }).toBe(false);
    await waitForChip(page, 'contacts', 'halfOpen', OPEN_MS + 10_000);
    expect(await page.locator('[data-testid="circuit-contacts"]').textContent()).toContain('contacts: Half-open');
    await demo.screenshot('circuit-half-open');

    // The trial call succeeds and closes the circuit.
    await page.getByTestId('probe-contacts').click();
    await waitForChip(page, 'contacts', 'closed', 10_000);
    await waitForText(page, '[data-testid="probe-result-contacts"]', 'ok (6 rows)');
    await demo.screenshot('circuit-closed');

    // The offline event log saw the circuit machine go through every state.
    await page.getByTestId('menu-events').click();
    const log = await waitForText(page, '[data-testid="event-log"]', 'circuitBreaker');
    for (const state of ['open', 'halfOpen', 'closed']) expect(log).toContain(state);
    expect(demo.pageErrors).toEqual([]);
  });

  it('keeps an isolation across leaving the Storm page, and ends it with Release or with Reset', async () => {
    const { page } = demo;
    // The contacts circuit exists once contacts were read; then to the Storm page without reloading.
    await page.goto(`${demo.appUrl}?openMs=${OPEN_MS}#/contacts`);
    await waitForText(page, 'table', 'ada@example.com');
    await page.getByTestId('menu-storm').click();
    const isolate = page.getByTestId('isolate-contacts');
    await isolate.click();
    await waitForChip(page, 'contacts', 'isolated', 10_000);
    await expect.poll(() => isolate.textContent()).toBe('Release isolation');

    await page.getByTestId('menu-events').click();
    await page.locator('[data-testid="event-log"]').waitFor();
    await page.getByTestId('menu-storm').click();
    await expect.poll(() => page.getByTestId('isolate-contacts').textContent()).toBe('Release isolation');
    await page.getByTestId('isolate-contacts').click();
    await waitForChip(page, 'contacts', 'closed', 10_000);
    await expect.poll(() => page.getByTestId('isolate-contacts').textContent()).toBe('Isolate');

    await page.getByTestId('isolate-contacts').click();
    await waitForChip(page, 'contacts', 'isolated', 10_000);
    await page.getByTestId('menu-events').click();
    await page.getByTestId('menu-storm').click();
    await page.getByTestId('reset-contacts').click();
    await waitForChip(page, 'contacts', 'closed', 10_000);
    await expect.poll(() => page.getByTestId('isolate-contacts').textContent()).toBe('Isolate');
    expect(demo.pageErrors).toEqual([]);
  });

  it('shows a failed list as an error during an outage, and brings its rows back with no user action once it ends', async () => {
    const { page, backend } = demo;
    await page.goto(`${demo.appUrl}?openMs=${OPEN_MS}&probeMs=500#/contacts`);
    await waitForText(page, 'table', 'ada@example.com');
    await waitForChip(page, 'contacts', 'closed');
    await page.getByTestId('menu-storm').click();
    await page.getByTestId('outage-switch').click();
    await expect.poll(() => backend.faults.outage, { timeout: 10_000 }).toBe(true);
    await page.getByTestId('storm-start').click();
    await waitForChip(page, 'contacts', 'open', 20_000);

    await page.locator('a[href="#/contacts"]').first().click();
    const alert = await waitForText(page, '[data-testid="list-error-contacts"]', 'Could not load contacts');
    expect(alert).toContain('The server is not answering.');
    expect(await page.getByText('No Contacts found').count()).toBe(0);
    expect(await page.getByText(/\d+-\d+ of \d+/).count()).toBe(0);
    await demo.screenshot('list-error');

    // Ended from the server side: nobody touches the page from here on.
    backend.faults.outage = false;
    await waitForText(page, 'table', 'ada@example.com', OPEN_MS * 3 + 20_000);
    await waitForChip(page, 'contacts', 'closed', 10_000);
    expect(await page.locator('[data-testid="list-error-contacts"]').count()).toBe(0);
    expect(demo.pageErrors).toEqual([]);
  });
});
