import { useContext, useEffect, useRef } from 'react';
import { useRefresh } from 'ra-core';
import type { Executor } from '../createExecutor.js';
import type { CircuitRegistry } from '../ra-core/createCircuitRegistry.js';
import type { CircuitStateName } from '../types.js';
import { CircuitContext } from '../react/CircuitContext.js';
import { outsideProvider } from '../react/findExecutor.js';

const BROKEN: ReadonlySet<CircuitStateName> = new Set<CircuitStateName>(['open', 'halfOpen', 'isolated']);

function isRegistry(source: Executor | CircuitRegistry): source is CircuitRegistry {
  return typeof (source as CircuitRegistry).list === 'function' && typeof (source as Executor).execute !== 'function';
}

/** Subscribes to every circuit of `sources` and calls `onClose` each time one goes from open/halfOpen/isolated to closed. */
function watchCloses(sources: readonly (Executor | CircuitRegistry)[], onClose: () => void): () => void {
  const last = new Map<Executor, CircuitStateName>();
  const seen = (executor: Executor, state: CircuitStateName): void => {
    const before = last.get(executor);
    last.set(executor, state);
    if (state === 'closed' && before !== undefined && BROKEN.has(before)) onClose();
  };
  const unsubscribes = sources.map((source) => {
    if (isRegistry(source)) {
      for (const entry of source.list()) last.set(entry.executor, entry.state.state);
      return source.subscribe((entries) => {
        for (const entry of entries) seen(entry.executor, entry.state.state);
      });
    }
    last.set(source, source.getCircuitState().state);
    return source.subscribe((state) => seen(source, state.state));
  });
  return () => {
    for (const unsubscribe of unsubscribes) unsubscribe();
  };
}

/**
 * Refetches what react-admin shows (ra-core's `useRefresh`) once each time a circuit recovers: goes from `open`,
 * `halfOpen` or `isolated` to `closed`. So a list that failed during an outage fills again by itself once the
 * service is back (pair it with `createProbe` so the circuit closes without a click).
 *
 * Give it an executor or the `CircuitRegistry` of `withCircuitBreaker`; with no argument it watches every executor
 * of the nearest `<CircuitProvider>` (and throws outside one).
 *
 * @throws {@link Error} when called without an executor or registry outside a `<CircuitProvider>`.
 * @example
 * function Layout({ children }: { children: React.ReactNode }) {
 *   useRefreshOnCircuitClose(circuits)
 *   return <>{children}</>
 * }
 */
export function useRefreshOnCircuitClose(executorOrRegistry?: Executor | CircuitRegistry): void {
  const refresh = useRefresh();
  const refreshRef = useRef(refresh);
  refreshRef.current = refresh;
  const context = useContext(CircuitContext);
  if (executorOrRegistry === undefined && context === null) throw outsideProvider('useRefreshOnCircuitClose()');
  const fromContext = executorOrRegistry === undefined ? context : null;

  useEffect(() => {
    const sources: (Executor | CircuitRegistry)[] = [];
    if (executorOrRegistry !== undefined) sources.push(executorOrRegistry);
    else if (fromContext !== null) {
      const all = new Set<Executor>(Object.values(fromContext.executors));
      if (fromContext.executor !== undefined) all.add(fromContext.executor);
      sources.push(...all);
    }
    return watchCloses(sources, () => refreshRef.current());
  }, [executorOrRegistry, fromContext]);
}
