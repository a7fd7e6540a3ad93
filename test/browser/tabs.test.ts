import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApp, startDemo, waitForChip, waitForText, type Demo } from './support/startDemo.js';

/**
 * Two tabs of the demo in one real Chromium profile (one origin: one localStorage, one BroadcastChannel, one
 * navigator.locks): an outage seen by one tab opens the contacts circuit in both, and when it half-opens, exactly one
 * trial request reaches the backend, counted there, however many tabs call.
 */
const OPEN_MS = 8_000;
const CONTACTS = '/rest/v1/contacts';

describe('demo: one circuit across two tabs', () => {
  let demo: Demo;

  beforeAll(async () => {
    demo = await startDemo({ rateLimit: false });
  });

  afterAll(async () => {
    await demo?.close();
  });

  const contactsRequests = (): number => demo.backend.stats.byPath[CONTACTS] ?? 0;
  const text = (page: Page, testId: string): Promise<string | null> => page.getByTestId(testId).textContent();

  it('an outage seen in one tab opens the badge in both; the half-open trial runs in one tab only', async () => {
    const { page: one, backend } = demo;
    const two = await one.context().newPage();
    const twoErrors: string[] = [];
    two.on('pageerror', (error) => twoErrors.push(error.message));

    // Each tab calls contacts once (the list), so each has the contacts circuit; then both go to the storm page.
    await openApp(demo, `?openMs=${OPEN_MS}#/contacts`);
    await waitForText(one, 'table', 'ada@example.com');
    await two.goto(`${demo.appUrl}?openMs=${OPEN_MS}#/contacts`, { timeout: 120_000 });
    await waitForText(two, 'table', 'ada@example.com');
    for (const page of [one, two]) {
      await page.getByTestId('menu-storm').click();
      await page.getByTestId('circuit-card-contacts').waitFor();
    }
    const callsOfTwo = await text(two, 'stat-contacts-calls');

    // The outage, seen by tab one only: its storm opens its circuit, and tab two's badge opens with it.
    backend.faults.outage = true;
    await one.getByTestId('storm-start').click();
    await waitForChip(one, 'contacts', 'open', 20_000);
    await waitForChip(two, 'contacts', 'open', 5_000);
    expect(await two.locator('[data-testid="circuit-contacts"]').textContent()).toMatch(/contacts: Open · next trial in \d+ s/);
    await waitForText(two, '[data-testid="sync-contacts-adopted"]', /^[1-9]/);
    // Tab two made no call: it learnt of the outage from tab one.
    expect(await text(two, 'stat-contacts-calls')).toBe(callsOfTwo);
    await waitForText(one, '[data-testid="storm-summary"]', '200/200 ended · 0 succeeded');
    await demo.screenshot('tabs-open-in-both');

    // The backend recovers, slowly: a trial takes 4 s, so both tabs call while it runs.
    backend.faults.outage = false;
    backend.faults.latencyMs = 4_000;
    await waitForChip(one, 'contacts', 'halfOpen', OPEN_MS + 10_000);
    await waitForChip(two, 'contacts', 'halfOpen', 5_000);
    const before = contactsRequests();
    // Both clicks at once, without waiting for the pages to be painted (a background page may be painted late).
    await Promise.all([one.getByTestId('probe-contacts').dispatchEvent('click'), two.getByTestId('probe-contacts').dispatchEvent('click')]);
    await waitForChip(one, 'contacts', 'closed', 15_000);
    await waitForChip(two, 'contacts', 'closed', 5_000);
    backend.faults.latencyMs = 0;

    expect(contactsRequests() - before).toBe(1);
    const results = [await text(one, 'probe-result-contacts'), await text(two, 'probe-result-contacts')].sort();
    // One tab ran the trial; the other was turned away while it ran, told why the circuit opened (an outage).
    expect(results).toEqual([expect.stringMatching(/^The server is not answering\./), 'ok (6 rows)']);
    await waitForText(one, '[data-testid="sync-contacts-trialsLed"]', /^\d+$/);
    const led = Number(await text(one, 'sync-contacts-trialsLed')) + Number(await text(two, 'sync-contacts-trialsLed'));
    expect(led).toBe(1);

    // A reload of tab two restores the closed circuit from storage: its list loads at once.
    await two.goto(`${demo.appUrl}?openMs=${OPEN_MS}#/contacts`);
    await two.reload();
    await waitForText(two, 'table', 'ada@example.com');
    await waitForChip(two, 'contacts', 'closed', 5_000);
    expect(demo.pageErrors).toEqual([]);
    expect(twoErrors).toEqual([]);
    await two.close();
  });

  it('a tab closed in the middle of its trial does not strand the other: the browser lets its Web Lock go', async () => {
    const { backend } = demo;
    const context = demo.page.context();
    // The first test's tab leaves the app, so only these two tabs share the circuit (its probe could run the trial).
    await demo.page.goto('about:blank');
    const [one, two] = [await context.newPage(), await context.newPage()];
    // The recovery probe is put off (?probeMs): only the clicks below may run a trial.
    for (const page of [one, two]) {
      await page.goto(`${demo.appUrl}?openMs=${OPEN_MS}&probeMs=600000#/contacts`, { timeout: 120_000 });
      await waitForText(page, 'table', 'ada@example.com');
      await page.getByTestId('menu-storm').click();
      await page.getByTestId('circuit-card-contacts').waitFor();
    }
    backend.faults.outage = true;
    await one.getByTestId('storm-start').click();
    await waitForChip(one, 'contacts', 'open', 20_000);
    await waitForChip(two, 'contacts', 'open', 5_000);
    await waitForText(one, '[data-testid="storm-summary"]', '200/200 ended');
    backend.faults.outage = false;
    backend.faults.latencyMs = 4_000;
    await waitForChip(one, 'contacts', 'halfOpen', OPEN_MS + 10_000);
    await waitForChip(two, 'contacts', 'halfOpen', 5_000);

    const before = contactsRequests();
    await one.getByTestId('probe-contacts').dispatchEvent('click'); // tab one's trial: the backend takes 4 s to answer it
    await expect.poll(contactsRequests, { timeout: 5_000 }).toBe(before + 1);
    await two.getByTestId('probe-contacts').dispatchEvent('click');
    await waitForText(two, '[data-testid="probe-result-contacts"]', /^The server is not answering\./);
    await one.close(); // gone mid-trial, without writing an outcome

    backend.faults.latencyMs = 0;
    // The browser lets the closed tab's lock go as it tears the tab down; until then a call is still turned away
    // (and sends nothing). Call again until one runs the trial.
    for (let i = 0; i < 30 && (await two.locator('[data-testid="circuit-contacts"] [role="group"][data-state]').getAttribute('data-state')) !== 'closed'; i++) {
      await two.getByTestId('probe-contacts').dispatchEvent('click');
      await two.waitForTimeout(500);
    }
    await waitForChip(two, 'contacts', 'closed', 5_000);
    await waitForText(two, '[data-testid="probe-result-contacts"]', 'ok (6 rows)');
    // One request per trial: the closed tab's, and tab two's.
    expect(contactsRequests() - before).toBe(2);
    await two.close();
  });
});
