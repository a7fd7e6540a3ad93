// @vitest-environment happy-dom
import { act, cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createExecutor } from '../../src/index.js';
import { CircuitProvider, CircuitStatusBadge } from '../../src/react/index.js';
import { createTestClock } from '../support/clock.js';
import { failCalls, renderModes, succeedCall } from './support.js';

/** The whole indicator (it carries `data-state`); its live region (`role="status"`) holds only the state sentence. */
function badgeElement(): HTMLElement {
  const element = screen.getByRole('status').closest<HTMLElement>('[data-state]');
  if (element === null) throw new Error('The live region is not inside the element that carries data-state.');
  return element;
}

afterEach(() => {
  cleanup();
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe.each(renderModes)('CircuitStatusBadge (%s)', (_mode, Wrapper) => {
  it('follows the circuit as it opens, half-opens and closes, in text, role and data-state', async () => {
    const clock = createTestClock();
    const executor = createExecutor({ clock, failureThreshold: 2, openDurationMs: 10_000 });
    render(
      <Wrapper>
        <CircuitStatusBadge executor={executor} label="contacts" />
      </Wrapper>,
    );
    const badge = badgeElement();
    expect(screen.getByRole('status').getAttribute('aria-live')).toBe('polite');
    expect(badge.getAttribute('data-state')).toBe('closed');
    expect(badge.textContent).toBe('✓ contacts: Closed');

    // Closed with one of the two failures that open it: the badge says so, outside the live region.
    await failCalls(executor, 1);
    expect(badgeElement().textContent).toBe('✓ contacts: Closed · 1 of 2 failed');
    expect(screen.getByRole('status').textContent).toBe('contacts: Closed');

    await failCalls(executor, 1);
    expect(badgeElement().getAttribute('data-state')).toBe('open');
    expect(badgeElement().textContent).toBe('✕ contacts: Open · next trial in 10 s');

    await act(() => clock.advance(10_000));
    expect(badgeElement().getAttribute('data-state')).toBe('halfOpen');
    expect(badgeElement().textContent).toBe('◐ contacts: Half-open');

    await succeedCall(executor);
    expect(badgeElement().getAttribute('data-state')).toBe('closed');
    expect(badgeElement().textContent).toBe('✓ contacts: Closed');
  });

  it('counts down to the next trial, one second at a time, with one source of time (fake timers)', async () => {
    // The executor uses its default clock (Date.now + globalThis.setTimeout, looked up at call time), so fake timers
    // drive both the circuit's open timer and the badge's ticks: advancing them is the passing of time for everything.
    vi.useFakeTimers({ now: new Date('2030-01-01T00:00:00Z') });
    const executor = createExecutor({ failureThreshold: 2, openDurationMs: 10_000 });
    render(
      <Wrapper>
        <CircuitStatusBadge executor={executor} />
      </Wrapper>,
    );
    await failCalls(executor, 2);
    const text = (): string | null => badgeElement().textContent;
    expect(text()).toBe('✕ Open · next trial in 10 s');

    await act(() => vi.advanceTimersByTimeAsync(1000));
    expect(text()).toBe('✕ Open · next trial in 9 s');
    await act(() => vi.advanceTimersByTimeAsync(3500));
    expect(text()).toBe('✕ Open · next trial in 6 s');
    await act(() => vi.advanceTimersByTimeAsync(500));
    expect(text()).toBe('✕ Open · next trial in 5 s');
    await act(() => vi.advanceTimersByTimeAsync(4999));
    expect(text()).toBe('✕ Open · next trial in 1 s');
    await act(() => vi.advanceTimersByTimeAsync(1));
    expect(badgeElement().getAttribute('data-state')).toBe('halfOpen');
    expect(text()).toBe('◐ Half-open');
  });

  it("reads the time from the executor's clock, so a SimulatedClock sets the countdown", async () => {
    // The SimulatedClock is years away from Date.now(): a countdown computed from Date.now() would read 0 here.
    // The ticks are fake timers (setTimeout only: the test clock's flush needs a real setImmediate).
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const clock = createTestClock(1_000_000);
    const executor = createExecutor({ clock, failureThreshold: 2, openDurationMs: 10_000 });
    render(
      <Wrapper>
        <CircuitStatusBadge executor={executor} label="deals" />
      </Wrapper>,
    );
    await failCalls(executor, 2);
    expect(badgeElement().textContent).toBe('✕ deals: Open · next trial in 10 s');

    // Simulated time passes, but nothing re-renders until the badge's next tick reads the clock again.
    act(() => clock.increment(4000));
    expect(badgeElement().textContent).toBe('✕ deals: Open · next trial in 10 s');
    await act(() => vi.advanceTimersByTimeAsync(1000));
    expect(badgeElement().textContent).toBe('✕ deals: Open · next trial in 6 s');
  });

  it('says "Isolated" with no countdown while isolated by hand, and takes custom labels', async () => {
    const executor = createExecutor({ clock: createTestClock() });
    render(
      <Wrapper>
        <CircuitStatusBadge executor={executor} labels={{ isolated: 'Maintenance' }} />
      </Wrapper>,
    );
    let handle!: ReturnType<typeof executor.isolate>;
    act(() => {
      handle = executor.isolate();
    });
    expect(badgeElement().getAttribute('data-state')).toBe('isolated');
    expect(badgeElement().textContent).toBe('⊘ Maintenance');
    act(() => handle.dispose());
    expect(badgeElement().textContent).toBe('✓ Closed');
  });

  it('renders nothing while closed with hideWhenClosed, and appears when the circuit opens', async () => {
    const executor = createExecutor({ clock: createTestClock(), failureThreshold: 1 });
    render(
      <Wrapper>
        <CircuitStatusBadge executor={executor} hideWhenClosed />
      </Wrapper>,
    );
    expect(screen.queryByRole('status')).toBeNull();
    await failCalls(executor, 1);
    expect(badgeElement().getAttribute('data-state')).toBe('open');
  });
});

describe('CircuitStatusBadge theming and lookup', () => {
  it('colours through CSS custom properties with defaults, and passes className and style through', () => {
    const executor = createExecutor({ clock: createTestClock() });
    render(<CircuitStatusBadge executor={executor} className="mine" style={{ fontWeight: 'bold' }} />);
    const badge = badgeElement();
    expect(badge.className).toBe('mine');
    expect(badge.style.fontWeight).toBe('bold');
    expect(badge.getAttribute('style')).toContain('var(--xcb-closed, #1b6e34)');
  });

  it('finds a named executor in the provider and uses its name as the label', async () => {
    const contacts = createExecutor({ clock: createTestClock(), failureThreshold: 1 });
    const deals = createExecutor({ clock: createTestClock() });
    render(
      <CircuitProvider executors={{ contacts, deals }}>
        <CircuitStatusBadge name="contacts" />
        <CircuitStatusBadge name="deals" />
      </CircuitProvider>,
    );
    await failCalls(contacts, 1);
    expect(screen.getAllByRole('status').map((region) => region.closest('[data-state]')?.textContent)).toEqual([
      '✕ contacts: Open · next trial in 1 min',
      '✓ deals: Closed',
    ]);
  });

  it('says what to do when it has neither an executor prop nor a provider', () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    expect(() => render(<CircuitStatusBadge />)).toThrow(
      '<CircuitStatusBadge> must be used inside <CircuitProvider executor={...}>. Wrap your app (or this part of it) in <CircuitProvider executor={createExecutor()}>, or pass the executor as a prop.',
    );
  });
});
