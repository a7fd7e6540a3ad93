// @vitest-environment happy-dom
import { act, cleanup, render, screen } from '@testing-library/react';
import type { ReactNode } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createExecutor, type Executor } from '../../src/index.js';
import { CircuitStatusChip } from '../../src/react-admin/index.js';
import { CircuitStatusBadge } from '../../src/react/index.js';
import { failCalls, succeedCall } from './support.js';

afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

const indicators: ReadonlyArray<readonly [string, (executor: Executor) => ReactNode]> = [
  ['CircuitStatusBadge', (executor) => <CircuitStatusBadge executor={executor} label="contacts" />],
  ['CircuitStatusChip', (executor) => <CircuitStatusChip executor={executor} label="contacts" descriptions={false} />],
];

/** Every text the live region holds after each batch of DOM mutations, when it differs from the one before. */
function recordAnnouncements(region: HTMLElement): { readonly texts: string[]; stop(): void } {
  const texts: string[] = [];
  let last = region.textContent;
  const observer = new MutationObserver(() => {
    if (region.textContent !== last) {
      last = region.textContent;
      texts.push(last ?? '');
    }
  });
  observer.observe(region, { subtree: true, childList: true, characterData: true, attributes: true });
  return { texts, stop: () => observer.disconnect() };
}

describe.each(indicators)('%s live region', (_name, renderIndicator) => {
  it('changes once per state change: not on counted failures, not on the countdown ticks', async () => {
    vi.useFakeTimers({ now: new Date('2030-01-01T00:00:00Z') });
    const executor = createExecutor({ failureThreshold: 3, openDurationMs: 10_000 });
    render(renderIndicator(executor));
    const region = screen.getByRole('status');
    expect(region.getAttribute('aria-live')).toBe('polite');
    expect(region.textContent).toBe('contacts: Closed');
    const announcements = recordAnnouncements(region);

    await failCalls(executor, 2);
    // The failures show beside the live region, not in it.
    expect(region.closest('[data-state]')?.textContent).toContain('2 of 3 failed');
    await failCalls(executor, 1);
    expect(region.closest('[data-state]')?.textContent).toContain('next trial in 10 s');
    for (let second = 1; second < 10; second++) await act(() => vi.advanceTimersByTimeAsync(1000));
    expect(region.closest('[data-state]')?.textContent).toContain('next trial in 1 s');
    await act(() => vi.advanceTimersByTimeAsync(1000));
    expect(executor.getCircuitState().state).toBe('halfOpen');
    await succeedCall(executor);

    announcements.stop();
    // The same element throughout (a remounted region would not be observed) and one text per state change.
    expect(screen.getByRole('status')).toBe(region);
    expect(announcements.texts).toEqual(['contacts: Open', 'contacts: Half-open', 'contacts: Closed']);
    executor.stop();
  });
});
