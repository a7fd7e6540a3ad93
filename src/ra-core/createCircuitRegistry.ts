import type { Executor } from '../createExecutor.js';
import type { CircuitState } from '../types.js';

/** One circuit of a {@link CircuitRegistry}: the resource, the executor that guards it, and its state now. */
export interface CircuitEntry {
  readonly resource: string;
  readonly executor: Executor;
  readonly state: CircuitState;
}

/**
 * The circuits of a data provider wrapped by `withCircuitBreaker`, one per resource (or one shared by all). Built for
 * `useSyncExternalStore`: `get` and `list` return the same object until something changes, and `subscribe` calls its
 * listener on every change (a circuit changed state, or a resource got its first executor).
 */
export interface CircuitRegistry {
  /** The executor that guards `resource`, created on first use with `perResource`. */
  getExecutor(resource: string): Executor;
  /** The circuit state of `resource`; a closed circuit for a resource not called yet. Creates nothing. */
  get(resource: string): CircuitState;
  /** Every resource called so far, in first-call order, with its executor and state. */
  list(): readonly CircuitEntry[];
  /** Calls `listener` with the new list after every change; returns the function that unsubscribes. */
  subscribe(listener: (entries: readonly CircuitEntry[]) => void): () => void;
  /** Stops the executors the wrapper created (an executor you passed in is yours to stop) and the subscriptions. */
  stop(reason?: unknown): void;
}

/** The state of a circuit that has not been used: what `get` returns for a resource not called yet. */
export const UNUSED_CIRCUIT_STATE: CircuitState = Object.freeze({
  state: 'closed',
  isOpen: false,
  consecutiveFailures: 0,
  lastFailureTime: null,
  openedAt: null,
  nextAttemptAt: null,
  trialsInFlight: 0,
  reopenCount: 0,
});

/**
 * Creates the registry behind `withCircuitBreaker(...).circuits`.
 *
 * @internal
 * @example
 * const registry = createCircuitRegistry({ create: () => createExecutor(), owned: true })
 * registry.getExecutor('contacts') === registry.getExecutor('contacts') // true
 */
export function createCircuitRegistry(options: {
  /** Makes the executor of a resource. Called once per resource, or once in all when `shared` is given. */
  create: (resource: string) => Executor;
  /** One executor for every resource. */
  shared?: Executor;
  /** Whether `stop` stops the executors (false when the caller passed the shared executor in). */
  owned: boolean;
}): CircuitRegistry {
  const { create, shared, owned } = options;
  const executors = new Map<string, Executor>();
  const unsubscribes = new Map<Executor, () => void>();
  const listeners = new Set<(entries: readonly CircuitEntry[]) => void>();
  let cached: readonly CircuitEntry[] | undefined;

  const changed = (): void => {
    cached = undefined;
    if (listeners.size === 0) return;
    const entries = list();
    for (const listener of [...listeners]) listener(entries);
  };

  const watch = (executor: Executor): void => {
    if (!unsubscribes.has(executor)) unsubscribes.set(executor, executor.subscribe(changed));
  };

  const list = (): readonly CircuitEntry[] => {
    if (cached !== undefined && cached.every((entry) => entry.executor.getCircuitState() === entry.state)) return cached;
    cached = Object.freeze([...executors].map(([resource, executor]) => Object.freeze({ resource, executor, state: executor.getCircuitState() })));
    return cached;
  };

  return {
    getExecutor(resource) {
      let executor = executors.get(resource);
      if (executor === undefined) {
        executor = shared ?? create(resource);
        executors.set(resource, executor);
        watch(executor);
        changed();
      }
      return executor;
    },
    get(resource) {
      return (executors.get(resource) ?? shared)?.getCircuitState() ?? UNUSED_CIRCUIT_STATE;
    },
    list,
    subscribe(listener) {
      if (typeof listener !== 'function') throw new TypeError('xstate-circuit-breaker: circuits.subscribe() needs a function.');
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    stop(reason) {
      for (const unsubscribe of unsubscribes.values()) unsubscribe();
      unsubscribes.clear();
      if (owned) {
        const mine = new Set(executors.values());
        if (shared !== undefined) mine.add(shared);
        for (const executor of mine) executor.stop(reason);
      }
      listeners.clear();
    },
  };
}
