import type { Actor } from 'xstate';
import type { CircuitBreakerMachine } from '../../machines/circuitBreaker.machine.js';

/**
 * A read-only view of an executor's circuit actor (`executor.circuit`): its machine snapshot and its changes, enough
 * for `@xstate/react`'s `useSelector(executor.circuit, (s) => s.value)` or to read `snapshot.context`. It has no
 * `send`: only the executor tells the circuit what happened, so no caller can close it with a made-up `SUCCESS`.
 * `executor.getCircuitState()` and `executor.subscribe()` give the same circuit as plain data.
 *
 * @example
 * const state = useSelector(executor.circuit, (snapshot) => snapshot.value) // 'closed' | 'open' | …
 */
export interface CircuitView extends Pick<Actor<CircuitBreakerMachine>, 'getSnapshot' | 'subscribe'> {}

/** The view the executor hands out: the actor's `getSnapshot` and `subscribe`, nothing else. */
export function createCircuitView(actor: Actor<CircuitBreakerMachine>): CircuitView {
  return Object.freeze({
    getSnapshot: () => actor.getSnapshot(),
    subscribe: actor.subscribe.bind(actor) as CircuitView['subscribe'],
  });
}
