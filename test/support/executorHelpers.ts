import { UNUSED_CIRCUIT_STATE } from '../../src/ra-core/createCircuitRegistry.js';
import type { InspectionEvent } from 'xstate';
import { circuitBreakerMachine } from '../../machines/circuitBreaker.machine.js';
import type { CircuitState, Clock, Executor, Pacer } from '../../src/index.js';
import { httpError, track } from './clock.js';

// Set-up shared by the executor's feature tests (test/executor/*).

export const T0 = 1_700_000_000_000;
export const noPacing = { pacer: false, retryBudget: false } as const;

export const fail500 = async (): Promise<never> => {
  throw httpError(500);
};

export async function failTimes(executor: Executor, n: number, context?: unknown): Promise<void> {
  for (let i = 0; i < n; i++) await executor.execute(fail500, { context }).catch(() => undefined);
}

/** A call that stays pending until `settle` is called. */
export function pendingCall(executor: Executor): { call: ReturnType<typeof track>; resolve(value?: unknown): void; reject(error: unknown): void } {
  let resolve!: (value?: unknown) => void;
  let reject!: (error: unknown) => void;
  const call = track(executor.execute(() => new Promise((res, rej) => ((resolve = res), (reject = rej)))));
  return { call, resolve: (v) => resolve(v), reject: (e) => reject(e) };
}

/** Delegates to `clock` and knows which of its timers are still pending. */
export function timerCountingClock(clock: Clock): Clock & { pending(): number } {
  const live = new Set<unknown>();
  return {
    now: () => clock.now(),
    setTimeout(fn, ms) {
      const id: unknown = clock.setTimeout(() => {
        live.delete(id);
        fn();
      }, ms);
      live.add(id);
      return id;
    },
    clearTimeout(id) {
      live.delete(id);
      clock.clearTimeout(id);
    },
    pending: () => live.size,
  };
}

/** The state of an unused closed circuit, with `over` changed. */
export const closed = (over: Partial<CircuitState> = {}): CircuitState => ({ ...UNUSED_CIRCUIT_STATE, ...over });


/** Records the events an executor sends to its circuit actor, as the Stately inspector sees them (one executor per inbox). */
export function circuitInbox(): { inspect: (event: InspectionEvent) => void; sent(): string[] } {
  const seen: string[] = [];
  return {
    inspect: (event) => {
      if (event.type === '@xstate.event' && isCircuitActor(event.actorRef) && !event.event.type.startsWith('xstate.')) seen.push(event.event.type);
    },
    sent: () => [...seen],
  };
}

/**
 * The inspector sees actors, not the executor's read-only view: the circuit actor is the one running the circuit machine
 * (ours, or one `.provide()` made from it: the same config).
 */
export function isCircuitActor(actor: unknown): boolean {
  return (actor as { logic?: { config?: unknown } }).logic?.config === circuitBreakerMachine.config;
}

/** A pacer that never holds a call back unless told to, and records what the executor tells it. */
export function recordingPacer(waits: number[] = []): Pacer & { calls: string[] } {
  const calls: string[] = [];
  const describe = (headers: unknown): string => (headers === null || headers === undefined ? String(headers) : 'headers');
  return {
    calls,
    reserve: () => (calls.push('reserve'), waits.shift() ?? 0),
    cancel: () => void calls.push('cancel'),
    observeSuccess: (headers) => void calls.push(`observeSuccess(${describe(headers)})`),
    observeFailure: () => void calls.push('observeFailure'),
    observeRateLimited: (headers) => void calls.push(`observeRateLimited(${describe(headers)})`),
    getState: () => ({ source: 'unknown', ratePerSecond: Infinity, burst: Infinity, tokens: Infinity, blockedUntil: null, throttled: 0, inFlight: 0 }),
  };
}
