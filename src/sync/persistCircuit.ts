import { PERSISTENCE, type CircuitPersistence } from './CircuitPersistence.js';
import { CircuitSync } from './CircuitSync.js';
import { resolvePersistOptions } from './resolvePersistOptions.js';
import type { PersistOptions } from './types.js';

/**
 * Keeps a circuit across reloads (in `localStorage` by default) and, with `shareAcrossTabs`, in step between the tabs
 * of an origin, with one tab running each half-open trial. Options are checked here.
 *
 * @throws {TypeError | RangeError} An option is missing, of the wrong type or out of range (naming it, `persist.name`),
 *   an unknown option is given, or the platform lacks what the options need (`localStorage`, `BroadcastChannel`).
 * @example
 * import { createExecutor } from 'xstate-circuit-breaker'
 * import { persistCircuit } from 'xstate-circuit-breaker/persist'
 * const executor = createExecutor({ persist: persistCircuit({ name: 'api', shareAcrossTabs: true }) })
 */
export function persistCircuit(options: PersistOptions): CircuitPersistence {
  const settings = resolvePersistOptions(options);
  if (settings === undefined) {
    throw new TypeError('xstate-circuit-breaker: persistCircuit() needs options such as { name: \'api\' }.');
  }
  return {
    settings,
    named: (name) => persistCircuit({ ...options, name }),
    attach: (circuit, clock, maxOpenDurationMs) => new CircuitSync(circuit, settings, clock, maxOpenDurationMs),
    [PERSISTENCE]: true,
  };
}
