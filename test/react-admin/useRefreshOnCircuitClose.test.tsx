// @vitest-environment happy-dom
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, cleanup, render } from '@testing-library/react';
import type { ReactNode } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createExecutor, type Executor } from '../../src/index.js';
import { createCircuitRegistry } from '../../src/ra-core/createCircuitRegistry.js';
import { CircuitProvider } from '../../src/react/index.js';
import { useRefreshOnCircuitClose } from '../../src/react-admin/index.js';
import { createTestClock, httpError } from '../support/clock.js';

afterEach(() => cleanup());

function Watch({ source }: { source?: Parameters<typeof useRefreshOnCircuitClose>[0] }): null {
  useRefreshOnCircuitClose(source);
  return null;
}

function setup(children: ReactNode): { refreshes: () => number } {
  const queryClient = new QueryClient();
  const spy = vi.spyOn(queryClient, 'invalidateQueries');
  render(<QueryClientProvider client={queryClient}>{children}</QueryClientProvider>);
  return { refreshes: () => spy.mock.calls.length };
}

function makeExecutor(): { executor: Executor; clock: ReturnType<typeof createTestClock> } {
  const clock = createTestClock();
  return { clock, executor: createExecutor({ clock, failureThreshold: 1, openDurationMs: 1_000, maxRetries: 0 }) };
}

const fail = async (executor: Executor): Promise<void> => {
  await executor.execute(async () => Promise.reject(httpError(500))).catch(() => undefined);
};

describe('useRefreshOnCircuitClose', () => {
  it('refreshes once when the circuit goes from open through half-open to closed, and not on opening', async () => {
    const { executor, clock } = makeExecutor();
    const { refreshes } = setup(<Watch source={executor} />);
    await act(() => fail(executor));
    expect(executor.getCircuitState().state).toBe('open');
    await act(() => clock.advance(1_000));
    expect(executor.getCircuitState().state).toBe('halfOpen');
    expect(refreshes()).toBe(0);
    await act(() => executor.execute(() => 'ok'));
    expect(executor.getCircuitState().state).toBe('closed');
    expect(refreshes()).toBe(1);
    await act(() => executor.execute(() => 'ok again'));
    expect(refreshes()).toBe(1);
  });

  it('refreshes when an isolation ends and when a reset closes an open circuit', async () => {
    const { executor } = makeExecutor();
    const { refreshes } = setup(<Watch source={executor} />);
    const handle = executor.isolate();
    await act(async () => undefined);
    act(() => handle.dispose());
    expect(executor.getCircuitState().state).toBe('closed');
    expect(refreshes()).toBe(1);
    await act(() => fail(executor));
    act(() => executor.resetCircuit());
    expect(refreshes()).toBe(2);
  });

  it('watches every circuit of a registry, and every executor of the provider when given nothing', async () => {
    const { executor: a } = makeExecutor();
    const { executor: b } = makeExecutor();
    const registry = createCircuitRegistry({ create: () => a, owned: false });
    registry.getExecutor('contacts');
    const fromRegistry = setup(<Watch source={registry} />);
    await act(() => fail(a));
    act(() => a.resetCircuit());
    expect(fromRegistry.refreshes()).toBe(1);

    cleanup();
    const fromProvider = setup(
      <CircuitProvider executors={{ b }}>
        <Watch />
      </CircuitProvider>,
    );
    await act(() => fail(b));
    act(() => b.resetCircuit());
    expect(fromProvider.refreshes()).toBe(1);
  });

  it('throws, saying what to do, with no argument outside a provider', () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    expect(() => setup(<Watch />)).toThrow(/CircuitProvider/);
  });
});
