import type { CircuitPolicy, FailureRateWindow } from '../machines/circuitBreaker.machine.js';
import { defaultCircuitPolicy } from '../machines/circuitBreaker.machine.js';
import type { JitterStrategy, RetryPolicy } from '../machines/retry.machine.js';
import { defaultRetryPolicy } from '../machines/retry.machine.js';
import { createSystemClock } from './clock.js';
import { describeValue, isClock, rejectUnknownKeys } from './options-shared.js';
import type { ExecutorOptions, ResolvedOptions } from './executorOptionTypes.js';
import { createPacer, DEFAULT_MAX_WAIT_MS, type Pacer } from './pacing/createPacer.js';
import { createRetryBudget, RETRY_BUDGET_OPTION_KEYS, type RetryBudget, type RetryBudgetOptions } from './pacing/createRetryBudget.js';
import { isCircuitPersistence, type CircuitPersistence } from './sync/CircuitPersistence.js';
import { MACHINE_OPTION_KEYS, resolveMachines } from './executor/resolveMachines.js';
import type { Clock, Logger } from './types.js';

export { describeValue };

export type { ErrorDecisionInfo, ExecutorOptions, ExecutorSettings, ResolvedOptions } from './executorOptionTypes.js';

const COUNT_WINDOW_KEYS: readonly string[] = ['kind', 'size', 'threshold', 'minimumCalls'];
const TIME_WINDOW_KEYS: readonly string[] = ['kind', 'windowMs', 'threshold', 'minimumCalls'];

/** The options `createExecutor` knows; adapters check nested executor options against them by their full path. */
export const EXECUTOR_OPTION_KEYS: ReadonlySet<string> = new Set<string>([
  'maxRetries',
  'initialDelayMs',
  'maxDelayMs',
  'backoffMultiplier',
  'jitter',
  'jitterFactor',
  'respectRetryAfter',
  'maxRetryAfterMs',
  'rateLimitRetries',
  'failureThreshold',
  'failureRate',
  'openDurationMs',
  'openBackoffMultiplier',
  'maxOpenDurationMs',
  'halfOpenMaxCalls',
  'trialTimeoutMs',
  'attemptTimeoutMs',
  'idempotent',
  'shouldRetry',
  'isFailure',
  'clock',
  'random',
  'inspect',
  'logger',
  'pacer',
  'retryBudget',
  'persist',
  'machines',
]);

const JITTERS: readonly JitterStrategy[] = ['none', 'proportional', 'full', 'equal', 'decorrelated'];

function fail(kind: 'range' | 'type', name: string, expected: string, value: unknown): never {
  const message = `xstate-circuit-breaker: option "${name}" must be ${expected}, got ${describeValue(value)}.`;
  throw kind === 'range' ? new RangeError(message) : new TypeError(message);
}

function number(name: string, value: unknown, fallback: number, rule: { min: number; integer?: boolean; max?: number }): number {
  if (value === undefined) return fallback;
  const expected = `${rule.integer ? 'an integer' : 'a finite number'} >= ${rule.min}${rule.max === undefined ? '' : ` and <= ${rule.max}`}`;
  if (typeof value !== 'number') fail('type', name, expected, value);
  if (!Number.isFinite(value) || value < rule.min || (rule.max !== undefined && value > rule.max)) fail('range', name, expected, value);
  if (rule.integer && !Number.isInteger(value)) fail('range', name, expected, value);
  return value;
}

function boolean(name: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') fail('type', name, 'a boolean', value);
  return value;
}

function optionalFunction<F>(name: string, value: unknown): F | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'function') fail('type', name, 'a function', value);
  return value as F;
}

/**
 * Throws a `TypeError` naming the full path of the first unknown key in executor options, nested ones included:
 * `failureRate`, `machines` and a `retryBudget` options object (`perResource.options.failureRate.treshold`), so that
 * options kept as a template (one executor per resource, made later) are checked at construction too.
 *
 * @internal
 */
export function rejectUnknownExecutorKeys(options: object, path: string, owner = ''): void {
  rejectUnknownKeys(options, EXECUTOR_OPTION_KEYS, path, owner);
  const o = options as Record<string, unknown>;
  const at = (key: string): string => (path === '' ? key : `${path}.${key}`);
  const window = o.failureRate;
  if (isObject(window) && (window.kind === 'count' || window.kind === 'time')) {
    rejectUnknownKeys(window, window.kind === 'count' ? COUNT_WINDOW_KEYS : TIME_WINDOW_KEYS, at('failureRate'), owner);
  }
  if (isObject(o.machines)) rejectUnknownKeys(o.machines, MACHINE_OPTION_KEYS, at('machines'), owner);
  if (isObject(o.retryBudget) && !isRetryBudget(o.retryBudget)) rejectUnknownKeys(o.retryBudget, RETRY_BUDGET_OPTION_KEYS, at('retryBudget'), owner);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function failureRate(value: unknown): FailureRateWindow | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'object') fail('type', 'failureRate', 'an object or null', value);
  const window = value as Record<string, unknown>;
  if (window.kind !== 'count' && window.kind !== 'time') fail('type', 'failureRate.kind', '"count" or "time"', window.kind);
  rejectUnknownKeys(window, window.kind === 'count' ? COUNT_WINDOW_KEYS : TIME_WINDOW_KEYS, 'failureRate');
  const threshold = number('failureRate.threshold', window.threshold, NaN, { min: 0, max: 1 });
  if (Number.isNaN(threshold) || threshold === 0) fail('range', 'failureRate.threshold', 'a number > 0 and <= 1', window.threshold);
  if (window.kind === 'count') {
    const size = number('failureRate.size', window.size, NaN, { min: 1, integer: true });
    if (Number.isNaN(size)) fail('type', 'failureRate.size', 'an integer >= 1', window.size);
    const minimumCalls = number('failureRate.minimumCalls', window.minimumCalls, size, { min: 1, integer: true });
    if (minimumCalls > size) fail('range', 'failureRate.minimumCalls', `an integer <= failureRate.size (${size})`, minimumCalls);
    return { kind: 'count', size, threshold, minimumCalls };
  }
  if (window.kind === 'time') {
    const windowMs = number('failureRate.windowMs', window.windowMs, NaN, { min: 1 });
    if (Number.isNaN(windowMs)) fail('type', 'failureRate.windowMs', 'a finite number >= 1', window.windowMs);
    const minimumCalls = number('failureRate.minimumCalls', window.minimumCalls, 10, { min: 1, integer: true });
    return { kind: 'time', windowMs, threshold, minimumCalls };
  }
  return fail('type', 'failureRate.kind', '"count" or "time"', window.kind);
}

function clock(value: unknown): Clock {
  if (value === undefined) return createSystemClock();
  if (!isClock(value)) fail('type', 'clock', 'an object with now(), setTimeout() and clearTimeout()', value);
  return value;
}

/**
 * Checks every option and fills in the defaults. Throws a `TypeError` (wrong type, unknown option) or a
 * `RangeError` (out of range, contradictory) naming the option and the value.
 */
export function resolveOptions(options: ExecutorOptions = {}): ResolvedOptions {
  if (typeof options !== 'object' || options === null) fail('type', 'options', 'an object', options);
  rejectUnknownExecutorKeys(options, '');
  const o = options as Record<string, unknown>;
  const initialDelayMs = number('initialDelayMs', o.initialDelayMs, defaultRetryPolicy.initialDelayMs, { min: 0 });
  const maxDelayMs = number('maxDelayMs', o.maxDelayMs, Math.max(defaultRetryPolicy.maxDelayMs, initialDelayMs), { min: 0 });
  if (maxDelayMs < initialDelayMs) fail('range', 'maxDelayMs', `>= initialDelayMs (${initialDelayMs})`, maxDelayMs);
  const jitter = o.jitter === undefined ? defaultRetryPolicy.jitter : (o.jitter as JitterStrategy);
  if (!JITTERS.includes(jitter)) fail(typeof o.jitter === 'string' ? 'range' : 'type', 'jitter', JITTERS.map((j) => `"${j}"`).join(' | '), o.jitter);

  const retry: RetryPolicy = {
    maxRetries: number('maxRetries', o.maxRetries, defaultRetryPolicy.maxRetries, { min: 0, integer: true, max: 100 }),
    initialDelayMs,
    maxDelayMs,
    multiplier: number('backoffMultiplier', o.backoffMultiplier, defaultRetryPolicy.multiplier, { min: 1, max: 100 }),
    jitter,
    jitterFactor: number('jitterFactor', o.jitterFactor, defaultRetryPolicy.jitterFactor, { min: 0, max: 1 }),
    respectRetryAfter: boolean('respectRetryAfter', o.respectRetryAfter, defaultRetryPolicy.respectRetryAfter),
    maxRetryAfterMs: number('maxRetryAfterMs', o.maxRetryAfterMs, defaultRetryPolicy.maxRetryAfterMs, { min: 0 }),
    rateLimitRetries: number('rateLimitRetries', o.rateLimitRetries, defaultRetryPolicy.rateLimitRetries, { min: 0, integer: true, max: 1000 }),
  };

  const openDurationMs = number('openDurationMs', o.openDurationMs, defaultCircuitPolicy.openDurationMs, { min: 1 });
  const maxOpenDurationMs = number('maxOpenDurationMs', o.maxOpenDurationMs, Math.max(defaultCircuitPolicy.maxOpenDurationMs, openDurationMs), { min: 1 });
  if (maxOpenDurationMs < openDurationMs) fail('range', 'maxOpenDurationMs', `>= openDurationMs (${openDurationMs})`, maxOpenDurationMs);
  const circuit: CircuitPolicy = {
    failureThreshold: number('failureThreshold', o.failureThreshold, defaultCircuitPolicy.failureThreshold, { min: 0, integer: true }),
    failureRate: failureRate(o.failureRate),
    openDurationMs,
    openBackoffMultiplier: number('openBackoffMultiplier', o.openBackoffMultiplier, defaultCircuitPolicy.openBackoffMultiplier, { min: 1, max: 100 }),
    maxOpenDurationMs,
    halfOpenMaxCalls: number('halfOpenMaxCalls', o.halfOpenMaxCalls, defaultCircuitPolicy.halfOpenMaxCalls, { min: 1, integer: true }),
    trialTimeoutMs:
      o.trialTimeoutMs === undefined || o.trialTimeoutMs === null ? null : number('trialTimeoutMs', o.trialTimeoutMs, 0, { min: 1 }),
    // The circuit honours the server's wait, but no longer than the longest wait the options allow anywhere.
    maxServerWaitMs: Math.max(maxOpenDurationMs, retry.maxRetryAfterMs),
  };
  if (circuit.failureThreshold === 0 && circuit.failureRate === null) {
    fail('range', 'failureThreshold', '>= 1 unless a failureRate is given (0 would never open the circuit)', 0);
  }

  let attemptTimeoutMs: number | null = null;
  if (o.attemptTimeoutMs !== undefined && o.attemptTimeoutMs !== null) {
    attemptTimeoutMs = number('attemptTimeoutMs', o.attemptTimeoutMs, 0, { min: 1 });
  }

  const inspect = o.inspect;
  if (inspect !== undefined && typeof inspect !== 'function' && (typeof inspect !== 'object' || inspect === null)) {
    fail('type', 'inspect', 'a function or an observer object', inspect);
  }

  const resolvedClock = clock(o.clock);
  const random = optionalFunction<() => number>('random', o.random) ?? Math.random;
  let pacer: Pacer | undefined;
  // The executor's own pacer holds calls for at most maxRetryAfterMs when the server says its quota is used up. A
  // longer hold would refuse every later call for the server's whole reset (100 s) although the caller said it waits
  // 5 s at most; capped, the next call goes out after 5 s, and if the quota is still gone its 429 sets the next hold.
  // Calls held meanwhile leave one by one at the pacer's rate, not in a burst, so the server sees few requests.
  if (o.pacer === undefined) pacer = createPacer({ clock: resolvedClock, random, maxWaitMs: Math.min(retry.maxRetryAfterMs, DEFAULT_MAX_WAIT_MS) });
  else if (o.pacer === false) pacer = undefined;
  else if (isPacer(o.pacer)) pacer = o.pacer;
  else fail('type', 'pacer', 'a pacer from createPacer() or false', o.pacer);

  let retryBudget: RetryBudget | undefined;
  const budget = o.retryBudget;
  if (budget === false) retryBudget = undefined;
  else if (budget === undefined) retryBudget = createRetryBudget();
  else if (isRetryBudget(budget)) retryBudget = budget;
  else if (typeof budget === 'object' && budget !== null) retryBudget = createRetryBudget(budget as RetryBudgetOptions);
  else fail('type', 'retryBudget', 'an object, a createRetryBudget() budget or false', budget);

  return {
    retry,
    circuit,
    attemptTimeoutMs,
    idempotent: boolean('idempotent', o.idempotent, false),
    shouldRetry: optionalFunction('shouldRetry', o.shouldRetry),
    isFailure: optionalFunction('isFailure', o.isFailure),
    clock: resolvedClock,
    random,
    inspect: inspect as ExecutorOptions['inspect'],
    logger: optionalFunction<Logger>('logger', o.logger),
    pacer,
    retryBudget,
    persist: persistence(o.persist)?.settings,
    machines: resolveMachines(o.machines),
  };
}

function isPacer(value: unknown): value is Pacer {
  const p = value as Partial<Pacer> | null;
  return typeof p === 'object' && p !== null && typeof p.reserve === 'function' && typeof p.observeRateLimited === 'function';
}

function isRetryBudget(value: unknown): value is RetryBudget {
  const b = value as Partial<RetryBudget> | null;
  return typeof b === 'object' && b !== null && typeof b.trySpend === 'function' && typeof b.earn === 'function';
}

/**
 * The `persist` option: a `persistCircuit()` persistence, or nothing. A plain options object (the shape `persistCircuit`
 * takes) is refused with a message that says where the function is: the sync code is not part of the core bundle.
 */
export function persistence(value: unknown): CircuitPersistence | undefined {
  if (value === undefined || value === false) return undefined;
  if (isCircuitPersistence(value)) return value;
  fail(
    'type',
    'persist',
    "persistCircuit({ name }) from 'xstate-circuit-breaker/persist' (the circuit's storage and tab sharing are loaded from there), or false",
    value,
  );
}
