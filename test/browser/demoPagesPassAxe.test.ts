import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, describeViolations } from './support/axe.js';
import { openApp, startDemo, waitForChip, waitForText, type Demo } from './support/startDemo.js';

/** A seeded contact and the seeded opportunity "Enigma audit" (demo/server/seed.sql): their edit and show pages. */
const ADA = '00000000-0000-4000-8000-000000000001';

/**
 * Every route of the demo (App.tsx: the three resources' list/create/edit/show pages and the custom routes), each
 * with what shows once it has loaded, closed and with the contacts circuit open. `?inspect` shows the app bar's
 * inspector button too (it connects nothing until it is clicked).
 */
interface DemoRoute {
  readonly hash: string;
  /** A selector and the text it shows once the page has loaded, circuit closed. */
  readonly ready: readonly [string, string | RegExp];
}

function routes(opportunityId: number): DemoRoute[] {
  return [
    { hash: '#/contacts', ready: ['table', 'ada@example.com'] },
    { hash: '#/contacts/create', ready: ['form', 'Email'] },
    { hash: `#/contacts/${ADA}`, ready: ['form', 'Email'] },
    { hash: `#/contacts/${ADA}/show`, ready: ['#main-content', 'ada@example.com'] },
    { hash: '#/opportunities', ready: ['table', 'Enigma audit'] },
    { hash: '#/opportunities/create', ready: ['form', 'Name'] },
    { hash: `#/opportunities/${opportunityId}`, ready: ['form', 'Name'] },
    { hash: '#/segments', ready: ['table', 'newsletter'] },
    { hash: '#/segments/create', ready: ['form', 'Name'] },
    { hash: '#/import', ready: ['#main-content', 'Columns: first_name'] },
    { hash: '#/storm', ready: ['#main-content', 'Outage'] },
    { hash: '#/events', ready: ['#main-content', /event/i] },
  ];
}

/**
 * Waits for the page's finite CSS transitions and animations to end (a label fading from its disabled colour would
 * be measured half-way), not for the endless ones (a spinner).
 */
async function transitionsEnded(page: Demo['page']): Promise<void> {
  await page.evaluate(() =>
    Promise.all(
      document
        .getAnimations()
        .filter((animation) => animation.effect?.getComputedTiming().endTime !== Infinity)
        .map((animation) => animation.finished.catch(() => undefined)),
    ),
  );
}

describe('demo: every page passes axe-core (WCAG 2.2 AA)', () => {
  let demo: Demo;
  let pages: DemoRoute[];

  beforeAll(async () => {
    demo = await startDemo({ rateLimit: false });
    const { rows } = await demo.backend.db.query<{ id: number }>("select id from opportunities where name = 'Enigma audit'");
    pages = routes(rows[0]!.id);
    // A long open time and no recovery probe: once open, the contacts circuit stays open for the second test.
    await openApp(demo, '?openMs=600000&probeMs=600000&inspect#/contacts');
  });

  afterAll(async () => {
    await demo?.close();
  });

  /** Goes to a route without reloading (the circuits live in the page), waits for it, then runs axe on the document. */
  async function check(route: DemoRoute, ready: boolean): Promise<string | null> {
    const { page } = demo;
    await page.evaluate((hash) => {
      window.location.hash = hash;
    }, route.hash);
    await page.locator('#main-content').waitFor();
    if (ready) await waitForText(page, route.ready[0], route.ready[1]);
    // Let react-admin finish its loading state (a list's skeleton, a form's first render) before the check.
    await page.locator('#main-content .MuiLinearProgress-root').waitFor({ state: 'detached', timeout: 15_000 }).catch(() => undefined);
    await page.waitForTimeout(300);
    await transitionsEnded(page);
    let violations = await axeViolations(page);
    if (violations.length > 0) {
      // A notification that slid in while axe ran (a failed load's snackbar) is measured mid-fade: check the settled
      // page once more before reporting.
      await page.waitForTimeout(500);
      await transitionsEnded(page);
      violations = await axeViolations(page);
    }
    return violations.length === 0 ? null : `${route.hash}:\n${describeViolations(violations)}`;
  }

  it('has no violation on any route while every circuit is closed', async () => {
    const failures: string[] = [];
    for (const route of pages) {
      const failure = await check(route, true);
      if (failure !== null) failures.push(failure);
    }
    // The import page with a run's counters and its report of failed rows (the row fails the check: nothing is sent).
    const { page } = demo;
    await page.evaluate(() => {
      window.location.hash = '#/import';
    });
    await page.getByTestId('import-csv').fill('email,first_name\nnot-an-email,Bad\n');
    await page.getByTestId('import-start').click();
    await waitForText(page, '[data-testid="import-summary"]', '0 imported, 1 failed');
    await page.getByTestId('import-report').waitFor();
    await transitionsEnded(page);
    const report = await axeViolations(page);
    if (report.length > 0) failures.push(`#/import with a report:\n${describeViolations(report)}`);

    expect(await page.getByTestId('open-inspector').count()).toBe(1);
    // Printed whole: the assertion's diff cuts a long text short.
    if (failures.length > 0) console.error(failures.join('\n\n'));
    expect(failures.join('\n\n')).toBe('');
    expect(demo.pageErrors).toEqual([]);
  });

  it('names the inspector button by its visible label, its tooltip only describing it (WCAG 2.5.3)', async () => {
    const { page } = demo;
    const button = page.getByTestId('open-inspector');
    const label = (await button.textContent())?.trim();
    expect(label).toBe('Stately inspector');
    // getByRole matches the accessible name: exactly the visible label, not the tooltip's sentence.
    await expect.poll(() => page.getByRole('button', { name: label, exact: true }).count()).toBe(1);
    await button.hover();
    const tooltip = page.getByRole('tooltip');
    await tooltip.waitFor();
    expect(await tooltip.textContent()).toContain('Opens stately.ai/inspect in a new window');
    expect(await button.getAttribute('aria-describedby')).toBe(await tooltip.getAttribute('id'));
    expect(await page.getByRole('button', { name: label, exact: true }).count()).toBe(1);
    await page.mouse.move(0, 0);
    await tooltip.waitFor({ state: 'detached' });
  });

  it('has no violation on any route while the contacts circuit is open', async () => {
    const { page, backend } = demo;
    await page.evaluate(() => {
      window.location.hash = '#/storm';
    });
    backend.faults.outage = true;
    await page.getByTestId('storm-start').click();
    await waitForChip(page, 'contacts', 'open', 20_000);
    const failures: string[] = [];
    for (const route of pages) {
      const failure = await check(route, false);
      if (failure !== null) failures.push(failure);
    }
    // Still open after the walk: every page was checked in the state this test is about.
    await waitForChip(page, 'contacts', 'open', 1_000);
    await page.evaluate(() => {
      window.location.hash = '#/contacts';
    });
    await page.locator('[data-testid="list-error-contacts"]').waitFor();
    if (failures.length > 0) console.error(failures.join('\n\n'));
    expect(failures.join('\n\n')).toBe('');
  });
});
