// @vitest-environment happy-dom
import { composeStories, setProjectAnnotations } from '@storybook/react-vite';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import type { ReactNode } from 'react';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import * as previewAnnotations from '../../.storybook/preview.js';
import * as bulkReportStories from '../../stories/BulkReport.stories.js';
import * as badgeStories from '../../stories/CircuitStatusBadge.stories.js';
import * as chipStories from '../../stories/CircuitStatusChip.stories.js';
import * as playgroundStories from '../../stories/MachinePlayground.stories.js';
import * as sharedStories from '../../stories/SharedAcrossTabs.stories.js';

// The preview's decorators and parameters apply to every composed story, as in Storybook.
const annotations = setProjectAnnotations([previewAnnotations]);
beforeAll(annotations.beforeAll);

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

const Badge = composeStories(badgeStories);
const Chip = composeStories(chipStories);
const Bulk = composeStories(bulkReportStories);
const Playground = composeStories(playgroundStories);
const Shared = composeStories(sharedStories);

const storyFiles = {
  'CircuitStatusBadge.stories': Badge,
  'CircuitStatusChip.stories': Chip,
  'BulkReport.stories': Bulk,
  'MachinePlayground.stories': Playground,
  'SharedAcrossTabs.stories': Shared,
} as const;

/** What the tests need of a composed story: its loaders, and the story as a component. */
interface ComposedStory {
  load(): Promise<void>;
  (): ReactNode;
}

/** Runs the story's loaders, then renders it as Storybook would (with the preview's decorators). */
async function renderStory(Story: ComposedStory): Promise<HTMLElement> {
  await Story.load();
  return render(<Story />).container;
}

/** The text a person reads in the element, with runs of white space collapsed. */
function textOf(element: Element): string {
  return (element.textContent ?? '').replace(/\s+/g, ' ').trim();
}

/** The whole indicator (it carries `data-state`) around its live region, which holds only the state sentence. */
function indicatorOf(region: HTMLElement): HTMLElement {
  const element = region.closest<HTMLElement>('[data-state]');
  if (element === null) throw new Error('The live region is not inside the element that carries data-state.');
  return element;
}

/** The story's one status: a badge or chip as a whole, or a plain live region (the bulk report's summary). */
function status(container: HTMLElement): HTMLElement {
  const region = within(container).getByRole('status');
  return region.closest<HTMLElement>('[data-state]') ?? region;
}

describe('every story', () => {
  const all = Object.entries(storyFiles).flatMap(([file, stories]) =>
    Object.entries(stories).map(([name, Story]) => ({ id: `${file} ${name}`, Story: Story satisfies ComposedStory })),
  );

  it('lists the stories of every file (a story dropped or renamed is noticed)', () => {
    expect(all.map((story) => story.id)).toEqual([
      'CircuitStatusBadge.stories Closed',
      'CircuitStatusBadge.stories ClosedWithFailures',
      'CircuitStatusBadge.stories Open',
      'CircuitStatusBadge.stories HalfOpen',
      'CircuitStatusBadge.stories Isolated',
      'CircuitStatusBadge.stories HiddenWhileClosed',
      'CircuitStatusBadge.stories Translated',
      'CircuitStatusBadge.stories Themed',
      'CircuitStatusChip.stories Closed',
      'CircuitStatusChip.stories ClosedWithFailures',
      'CircuitStatusChip.stories Open',
      'CircuitStatusChip.stories HalfOpen',
      'CircuitStatusChip.stories Isolated',
      'CircuitStatusChip.stories OutlinedMedium',
      'CircuitStatusChip.stories InAppBar',
      'BulkReport.stories AfterAnImport',
      'BulkReport.stories AllImported',
      'BulkReport.stories Retrying',
      'MachinePlayground.stories Interactive',
      'SharedAcrossTabs.stories TwoTabsOneCircuit',
    ]);
  });

  it.each(all)('$id loads, renders something visible, and logs no error', async ({ Story }) => {
    // React reports render errors and warnings (keys, act, invalid DOM nesting) on console.error.
    const consoleError = vi.spyOn(console, 'error');
    const container = await renderStory(Story);
    expect(container.querySelector('*')).not.toBeNull();
    expect(textOf(container)).not.toBe('');
    expect(consoleError).not.toHaveBeenCalled();
  });
});

describe('CircuitStatusBadge stories', () => {
  it.each([
    ['Closed', 'closed', '✓ contacts: Closed'],
    ['Open', 'open', '✕ contacts: Open · next trial in 42 s'],
    ['HalfOpen', 'halfOpen', '◐ contacts: Half-open'],
    ['Isolated', 'isolated', '⊘ contacts: Isolated'],
    ['HiddenWhileClosed', 'open', '✕ contacts: Open · next trial in 42 s'],
    ['Translated', 'open', '✕ contacts: ouvert · nouvel essai dans 42 s'],
  ] as const)('%s shows a status badge in state %s: "%s"', async (name, state, text) => {
    const badge = status(await renderStory(Badge[name]));
    expect(badge.dataset.state).toBe(state);
    expect(textOf(badge)).toBe(text);
  });

  it('Themed shows every state at once, coloured by the --xcb-* custom properties of its container', async () => {
    const container = await renderStory(Badge.Themed);
    const badges = within(container).getAllByRole('status').map(indicatorOf);
    expect(badges.map((badge) => [badge.dataset.state, textOf(badge)])).toEqual([
      ['closed', '✓ contacts: Closed'],
      ['open', '✕ contacts: Open · next trial in 42 s'],
      ['halfOpen', '◐ contacts: Half-open'],
      ['isolated', '⊘ contacts: Isolated'],
    ]);
    const theme = within(container).getByTestId('themed');
    expect(theme.style.getPropertyValue('--xcb-open')).toBe('#ff8a80');
    expect(theme.style.getPropertyValue('--xcb-closed')).toBe('#7ee2a8');
    expect(badges[1]!.style.color).toBe('var(--xcb-open, #b3261e)');
  });
});

describe('CircuitStatusChip stories', () => {
  it.each([
    ['Closed', 'closed', 'contacts: Closed', 'MuiChip-colorSuccess'],
    ['Open', 'open', 'contacts: Open · next trial in 42 s', 'MuiChip-colorError'],
    ['HalfOpen', 'halfOpen', 'contacts: Half-open', 'MuiChip-colorWarning'],
    ['Isolated', 'isolated', 'contacts: Isolated', 'MuiChip-colorDefault'],
    ['OutlinedMedium', 'open', 'contacts: Open · next trial in 42 s', 'MuiChip-outlined'],
  ] as const)('%s shows a MUI chip in state %s: "%s"', async (name, state, text, className) => {
    const chip = status(await renderStory(Chip[name]));
    expect(chip.dataset.state).toBe(state);
    expect(textOf(chip)).toContain(text);
    expect(chip.classList).toContain(className);
  });

  it('InAppBar shows the open circuit in the app bar next to the title', async () => {
    const container = await renderStory(Chip.InAppBar);
    const bar = within(container).getByRole('banner');
    expect(within(bar).getByRole('heading', { name: 'Contacts' })).toBeTruthy();
    expect(textOf(indicatorOf(within(bar).getByRole('status')))).toContain('contacts: Open · next trial in 42 s');
  });
});

describe('BulkReport stories', () => {
  /** The table's body lines as [row, field, message, code]. */
  function failedRows(container: HTMLElement): string[][] {
    const table = within(container).getByRole('table');
    return within(table)
      .getAllByRole('row')
      .slice(1)
      .map((row) => within(row).getAllByRole('cell').map(textOf));
  }

  function total(container: HTMLElement, label: string): string {
    const term = within(container).getByText(label, { selector: 'dt' });
    return textOf(term.nextElementSibling!);
  }

  it('AfterAnImport lists every failed row of a real runBulk run: validation, duplicate, outage, circuit open', async () => {
    const container = await renderStory(Bulk.AfterAnImport);
    expect(total(container, 'Imported')).toBe('4 of 9');
    expect(total(container, 'Failed')).toBe('5');
    expect(total(container, 'Retries')).toBe('1');
    expect(textOf(within(container).getByRole('table').querySelector('caption')!)).toBe('5 rows were not imported');
    expect(failedRows(container)).toEqual([
      ['3', 'email', 'Enter a valid email address.', 'VALIDATION'],
      ['3', 'phone', 'Use the international format, such as +44 20 7946 0958.', 'VALIDATION'],
      ['4', 'email', 'duplicate key value violates unique constraint "contacts_email_key"', '23505'],
      ['7', '—', 'HTTP 500 Internal Server Error', 'HTTP_500'],
      // The circuit was opened by 500s, not 429s: the line says the server is not answering, not to slow down.
      ['8', '—', expect.stringMatching(/^The server is not answering\. (Next try in \d+ s|Try again in a few moments)\.$/), 'RATE_LIMIT_CIRCUIT_OPEN'],
      ['9', '—', expect.stringMatching(/^The server is not answering\. (Next try in \d+ s|Try again in a few moments)\.$/), 'RATE_LIMIT_CIRCUIT_OPEN'],
    ]);
    expect(within(container).getByRole('button', { name: 'Retry failed rows' }).hasAttribute('disabled')).toBe(false);
  });

  it('AfterAnImport: "Retry failed rows" sends them again once the circuit lets calls through; the bad rows stay', async () => {
    const container = await renderStory(Bulk.AfterAnImport);
    fireEvent.click(within(container).getByRole('button', { name: 'Retry failed rows' }));
    expect(within(container).getByRole('button', { name: 'Retrying failed rows…' }).hasAttribute('disabled')).toBe(true);
    await waitFor(() => expect(total(container, 'Imported')).toBe('7 of 9'));
    expect(total(container, 'Failed')).toBe('2');
    expect(failedRows(container).map(([row, field, , code]) => [row, field, code])).toEqual([
      ['3', 'email', 'VALIDATION'],
      ['3', 'phone', 'VALIDATION'],
      ['4', 'email', '23505'],
    ]);
    expect(within(container).getByRole('button', { name: 'Retry failed rows' }).hasAttribute('disabled')).toBe(false);
    expect(within(container).queryByRole('alert')).toBeNull();
  });

  it('AllImported says so, with no table and no retry button', async () => {
    const container = await renderStory(Bulk.AllImported);
    expect(textOf(status(container))).toBe('All 6 rows were imported.');
    expect(total(container, 'Retries')).toBe('1');
    expect(within(container).queryByRole('table')).toBeNull();
    expect(within(container).queryByRole('button')).toBeNull();
  });

  it('Retrying disables the button and says the rows are being sent', async () => {
    const container = await renderStory(Bulk.Retrying);
    const button = within(container).getByRole('button', { name: 'Retrying failed rows…' });
    expect(button.hasAttribute('disabled')).toBe(true);
  });
});

describe('MachinePlayground story', () => {
  async function renderPlayground() {
    const container = await renderStory(Playground.Interactive);
    const view = within(container);
    const click = (name: string | RegExp): void => {
      fireEvent.click(view.getByRole('button', { name }));
    };
    const badge = (): string => textOf(indicatorOf(view.getAllByRole('status')[0]!));
    const circuit = (): Record<string, unknown> => JSON.parse(textOf(view.getByRole('region', { name: 'getCircuitState()' }).querySelector('pre')!));
    const stats = (): Record<string, number> => JSON.parse(textOf(view.getByRole('region', { name: 'getStats()' }).querySelector('pre')!));
    const inspection = (): string[] => within(view.getByRole('region', { name: 'Inspection events' })).queryAllByRole('listitem').map(textOf);
    const calls = (): string[] => within(view.getByRole('region', { name: 'Calls' })).queryAllByRole('listitem').map(textOf);
    /** Clicks "Advance 10 s" and waits until the advance is over (the button is enabled again). */
    const advance = async (): Promise<void> => {
      click('Advance 10 s');
      await waitFor(() => expect(view.getByRole('button', { name: 'Advance 10 s' }).hasAttribute('disabled')).toBe(false));
    };
    return { view, click, badge, circuit, stats, inspection, calls, advance };
  }

  it('shows every button, the closed badge, the circuit as JSON and zeroed stats', async () => {
    const p = await renderPlayground();
    const group = p.view.getByRole('group', { name: 'Drive the circuit' });
    expect(within(group).getAllByRole('button').map(textOf)).toEqual([
      'Succeed',
      'Fail (500)',
      '429 with Retry-After',
      'Advance 10 s',
      'Isolate',
      'Release',
      'Reset',
    ]);
    expect(p.badge()).toBe('✓ api: Closed');
    expect(p.circuit()).toMatchObject({ state: 'closed', isOpen: false, consecutiveFailures: 0 });
    expect(p.stats()).toEqual({ calls: 0, succeeded: 0, failed: 0, retries: 0, rejected: 0, rateLimitedAttempts: 0, aborted: 0 });
  });

  it('walks closed → open → half-open → closed with Fail, Advance and Succeed', async () => {
    const p = await renderPlayground();
    p.click('Fail (500)');
    await waitFor(() => expect(p.circuit()).toMatchObject({ state: 'closed', consecutiveFailures: 1 }));
    p.click('Fail (500)');
    await waitFor(() => expect(p.badge()).toBe('✕ api: Open · next trial in 30 s'));
    expect(p.stats()).toMatchObject({ calls: 2, failed: 2 });
    expect(p.inspection().some((line) => /^@xstate\.snapshot · circuitBreaker .* · FAILURE · open$/.test(line))).toBe(true);
    expect(p.inspection().some((line) => /^@xstate\.event · circuitBreaker .* · FAILURE · closed$/.test(line))).toBe(true);

    p.click('Succeed');
    await waitFor(() => expect(p.calls()[0]).toBe('#3 Succeed → rejected: CircuitOpenError (RATE_LIMIT_CIRCUIT_OPEN): The server is not answering. Next try in 30 s.'));
    expect(p.stats()).toMatchObject({ rejected: 1 });

    await p.advance();
    expect(p.badge()).toBe('✕ api: Open · next trial in 20 s');
    await p.advance();
    await p.advance();
    expect(p.badge()).toBe('◐ api: Half-open');
    expect(p.inspection().some((line) => /^@xstate\.snapshot · circuitBreaker .* · xstate\.after\.openDuration\..* · halfOpen$/.test(line))).toBe(true);

    p.click('Succeed');
    await waitFor(() => expect(p.badge()).toBe('✓ api: Closed'));
    // The circuit closes as the trial's success is recorded, before its promise resolves: the call's line follows.
    await waitFor(() => expect(p.calls()[0]).toBe('#4 Succeed → resolved: 200 OK'));
    expect(p.circuit()).toMatchObject({ state: 'closed', consecutiveFailures: 0, nextAttemptAt: null });
  });

  it('Isolate holds the circuit isolated until Release; Reset closes an open circuit', async () => {
    const p = await renderPlayground();
    p.click('Isolate');
    await waitFor(() => expect(p.badge()).toBe('⊘ api: Isolated'));
    expect(p.inspection()[0]).toMatch(/^@xstate\.snapshot · circuitBreaker .* · ISOLATE · isolated$/);
    p.click('Release');
    await waitFor(() => expect(p.badge()).toBe('✓ api: Closed'));
    expect(p.view.getByRole('button', { name: 'Release' }).hasAttribute('disabled')).toBe(true);

    p.click('Fail (500)');
    p.click('Fail (500)');
    await waitFor(() => expect(p.circuit()).toMatchObject({ state: 'open' }));
    p.click('Reset');
    await waitFor(() => expect(p.badge()).toBe('✓ api: Closed'));
    expect(p.inspection()[0]).toMatch(/^@xstate\.snapshot · circuitBreaker .* · RESET · closed$/);
  });

  it('429 with Retry-After waits on the simulated clock; Advance 10 s lets the retry through', async () => {
    const p = await renderPlayground();
    p.click('429 with Retry-After');
    await waitFor(() => expect(p.stats()).toMatchObject({ calls: 1, rateLimitedAttempts: 1 }));
    expect(p.calls()[0]).toBe('#1 429 with Retry-After: 5 → pending…');
    expect(p.inspection().some((line) => /^@xstate\.snapshot · retry .* · backingOff$/.test(line))).toBe(true);

    await p.advance();
    await waitFor(() => expect(p.calls()[0]).toBe('#1 429 with Retry-After: 5 → resolved: 200 OK'));
    expect(p.stats()).toMatchObject({ calls: 1, succeeded: 1, retries: 1, rateLimitedAttempts: 1, failed: 0 });
    expect(p.badge()).toBe('✓ api: Closed');
  });
});

describe('SharedAcrossTabs stories', () => {
  it('two failed calls in tab 1 open the badge of tab 2 too; tab 2 then refuses its calls with CircuitOpenError', async () => {
    const container = await renderStory(Shared.TwoTabsOneCircuit);
    const tab1 = await within(container).findByTestId('tab-1');
    const tab2 = within(container).getByTestId('tab-2');
    expect(within(tab2).getByRole('status').closest<HTMLElement>('[data-state]')?.dataset.state).toBe('closed');
    fireEvent.click(within(tab1).getByRole('button', { name: 'Fail a call' }));
    await waitFor(() => expect(textOf(within(container).getByTestId('result-1'))).toBe('HTTP 503 Service Unavailable'));
    expect(within(tab1).getByRole('status').closest<HTMLElement>('[data-state]')?.dataset.state).toBe('closed');
    fireEvent.click(within(tab1).getByRole('button', { name: 'Fail a call' }));
    await waitFor(() => expect(within(tab1).getByRole('status').closest<HTMLElement>('[data-state]')?.dataset.state).toBe('open'));
    await waitFor(() => expect(within(tab2).getByRole('status').closest<HTMLElement>('[data-state]')?.dataset.state).toBe('open'));
    fireEvent.click(within(tab2).getByRole('button', { name: 'Send a good call' }));
    await waitFor(() => expect(textOf(within(container).getByTestId('result-2'))).toBe('The server is not answering. Next try in 5 s.'));
  });
});
