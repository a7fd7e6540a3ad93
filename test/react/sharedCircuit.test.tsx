// @vitest-environment happy-dom
import { act, cleanup, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { createExecutor, type Executor } from '../../src/index.js';
import { CircuitStatusBadge, useCircuitState } from '../../src/react/index.js';
import { createTestClock } from '../support/clock.js';
import { failCalls, renderModes } from './support.js';
import { createMemoryStorage, persistCircuit } from '../../src/sync/index.js';

/**
 * The hooks and the badge of one tab follow what another tab's circuit did: two executors share a memory storage (one
 * origin's localStorage) and the real BroadcastChannel (happy-dom's, or Node's where it has none).
 */

const executors: Executor[] = [];
afterEach(() => {
  cleanup();
  for (const executor of executors.splice(0)) executor.stop();
});

let names = 0;

function twoTabs(): { clock: ReturnType<typeof createTestClock>; one: Executor; two: Executor } {
  const clock = createTestClock();
  const storage = createMemoryStorage();
  const name = `react-shared-${process.pid}-${++names}`;
  const tab = (): Executor =>
    createExecutor({ clock, failureThreshold: 2, openDurationMs: 10_000, pacer: false, persist: persistCircuit({ name, storage, shareAcrossTabs: true, locks: null }) });
  const one = tab();
  const two = tab();
  executors.push(one, two);
  return { clock, one, two };
}

function NextTrial({ executor }: { executor: Executor }) {
  const nextAttemptAt = useCircuitState(executor, (state) => state.nextAttemptAt);
  return <span data-testid="next-trial">{nextAttemptAt ?? 'none'}</span>;
}

/** The badge around its live region: it carries `data-state` and the whole visible text. */
const badge = (): HTMLElement => screen.getByRole('status').parentElement!;

describe.each(renderModes)('the badge and hooks of one tab follow the shared circuit (%s)', (_mode, Wrapper) => {
  it('open in tab one shows OPEN in tab two, with tab one’s next trial; a close there shows CLOSED here', async () => {
    const { clock, one, two } = twoTabs();
    render(
      <Wrapper>
        <CircuitStatusBadge executor={two} label="contacts" />
        <NextTrial executor={two} />
      </Wrapper>,
    );
    expect(badge().getAttribute('data-state')).toBe('closed');
    await failCalls(one, 2);
    await waitFor(() => expect(badge().getAttribute('data-state')).toBe('open'));
    expect(badge().textContent).toBe('✕ contacts: Open · next trial in 10 s');
    expect(screen.getByTestId('next-trial').textContent).toBe(String(one.getCircuitState().nextAttemptAt));

    await act(() => clock.advance(10_000));
    expect(badge().getAttribute('data-state')).toBe('halfOpen');
    await act(() => one.execute(() => 'trial ok'));
    await waitFor(() => expect(badge().getAttribute('data-state')).toBe('closed'));
    expect(screen.getByTestId('next-trial').textContent).toBe('none');
  });
});
