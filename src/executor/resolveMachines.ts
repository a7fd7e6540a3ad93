import { circuitBreakerMachine, type CircuitBreakerMachine } from '../../machines/circuitBreaker.machine.js';
import { retryMachine, type RetryMachine } from '../../machines/retry.machine.js';
import { describeValue, rejectUnknownKeys } from '../options-shared.js';

/**
 * The machines an executor runs. Each must be ours or derived from ours with `.provide({ guards, delays, actions })`:
 * the same graph and events, other rules. Omitted ones are ours.
 */
export interface ExecutorMachines {
  /** The circuit: `circuitBreakerMachine`, or `circuitBreakerMachine.provide({ … })`. */
  circuit?: CircuitBreakerMachine;
  /** The per-call retry loop: `retryMachine`, or `retryMachine.provide({ … })`. */
  retry?: RetryMachine;
}

/** The machines with the defaults filled in. */
export interface ResolvedMachines {
  readonly circuit: CircuitBreakerMachine;
  readonly retry: RetryMachine;
}

export const MACHINE_OPTION_KEYS: readonly string[] = ['circuit', 'retry'];

const DEFAULT_MACHINES: ResolvedMachines = { circuit: circuitBreakerMachine, retry: retryMachine };

/**
 * Whether `value` runs `ours`'s graph: ours, or a machine `.provide()` made from it (XState keeps the config object and
 * replaces only the implementations). A machine built from an edited copy of the config does not pass: the executor
 * speaks the events and reads the states, tags and context of this graph.
 */
function derivedFrom(value: unknown, ours: { readonly config: unknown }): boolean {
  const machine = value as { config?: unknown; provide?: unknown } | null;
  return typeof machine === 'object' && machine !== null && typeof machine.provide === 'function' && machine.config === ours.config;
}

/**
 * Checks the `machines` option. Throws a `TypeError` naming the option (`machines.circuit`) for a value that is not
 * one of our machines or derived from it with `.provide()`, and for an unknown key (`machines.circut`).
 */
export function resolveMachines(value: unknown): ResolvedMachines {
  if (value === undefined) return DEFAULT_MACHINES;
  if (typeof value !== 'object' || value === null) {
    throw new TypeError(`xstate-circuit-breaker: option "machines" must be an object ({ circuit?, retry? }), got ${describeValue(value)}.`);
  }
  rejectUnknownKeys(value, MACHINE_OPTION_KEYS, 'machines');
  const { circuit = circuitBreakerMachine, retry = retryMachine } = value as ExecutorMachines;
  if (!derivedFrom(circuit, circuitBreakerMachine)) {
    throw new TypeError(
      `xstate-circuit-breaker: option "machines.circuit" must be circuitBreakerMachine or made from it with .provide({ guards, delays, actions }), got ${describeValue(circuit)}.`,
    );
  }
  if (!derivedFrom(retry, retryMachine)) {
    throw new TypeError(
      `xstate-circuit-breaker: option "machines.retry" must be retryMachine or made from it with .provide({ guards, delays, actions }), got ${describeValue(retry)}.`,
    );
  }
  return { circuit, retry };
}
