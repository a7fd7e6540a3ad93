import { createExecutor, type Executor } from './createExecutor.js';
import type { ExecutorOptions } from './options.js';
import type { CircuitState, LogEntry, Logger } from './types.js';

/** The configuration names of the hand-written service this class replaces. */
export interface RateLimitConfig {
  maxRetries?: number;
  initialDelayMs?: number;
  maxDelayMs?: number;
  jitterFactor?: number;
  respectRetryAfter?: boolean;
  /** Consecutive failed operations that open the circuit (default 5). */
  circuitBreakerThreshold?: number;
  /** How long the circuit stays open (default 60 000 ms). */
  circuitBreakerTimeoutMs?: number;
}

/** `getCircuitState()` of the drop-in service: the executor's view plus the legacy names and number types. */
export interface LegacyCircuitState extends Omit<CircuitState, 'lastFailureTime'> {
  /** Same as `consecutiveFailures`. */
  readonly failures: number;
  /** Clock time of the last failed operation, or `0` when there was none (the seed's type). */
  readonly lastFailureTime: number;
  /** Milliseconds since the last failed operation on the executor's clock, or `0` when there was none. */
  readonly timeSinceLastFailure: number;
}

/** The context the seed's callers pass: a string, or an object naming the resource and the operation. */
export type RateLimitContext = string | { resourceName?: string; operation?: string; [key: string]: unknown };

/** `{ resourceName: 'contacts', operation: 'import' }` → `'contacts.import'`; a string stays as it is. */
function contextName(context: RateLimitContext | undefined): string | undefined {
  if (context === undefined || context === null || typeof context === 'string') return context ?? undefined;
  if (typeof context !== 'object') return String(context);
  const parts = [context.resourceName, context.operation].filter((part): part is string => typeof part === 'string' && part !== '');
  return parts.length === 0 ? undefined : parts.join('.');
}

/**
 * The seed's console lines: each retry is a `console.warn('[RateLimit] …')`, an opened circuit and exhausted retries
 * are `console.error('[RateLimit] …')`; the other events are not printed.
 */
const consoleRateLimitLogger: Logger = (entry: LogEntry) => {
  const line = entry.message.startsWith('[RateLimit]') ? entry.message : `[RateLimit] ${entry.message}`;
  const detail = { ...(entry.context === undefined ? {} : { context: entry.context }), ...entry.data };
  if (entry.event === 'retry') console.warn(line, detail);
  else if (entry.event === 'circuit-opened' || entry.event === 'retries-exhausted' || entry.event === 'retry-after-too-long') {
    console.error(line, detail);
  }
};

/** The executor's option names, as the caller of this service knows them. */
const CALLER_NAMES: ReadonlyArray<readonly [RegExp, string]> = [
  [/\bfailureThreshold\b/g, 'circuitBreakerThreshold'],
  [/\bopenDurationMs\b/g, 'circuitBreakerTimeoutMs'],
];

function renamed(error: unknown): unknown {
  if (!(error instanceof RangeError || error instanceof TypeError)) return error;
  let message = error.message;
  for (const [name, callerName] of CALLER_NAMES) message = message.replace(name, callerName);
  if (message === error.message) return error;
  const Type = error instanceof RangeError ? RangeError : TypeError;
  return new Type(message, { cause: error });
}

const LEGACY_KEYS = new Set([
  'maxRetries',
  'initialDelayMs',
  'maxDelayMs',
  'jitterFactor',
  'respectRetryAfter',
  'circuitBreakerThreshold',
  'circuitBreakerTimeoutMs',
]);

/**
 * A drop-in for apps that already call a `RateLimitService`: same method names, same config names, same error codes,
 * now backed by the circuit and retry machines. `extra` takes any other executor option (clock, logger, inspect …).
 *
 * @throws {@link TypeError} when `config` is not an object, names an unknown option, or an option has the wrong type.
 * @throws {@link RangeError} when an option is out of range (the message uses the seed's option names).
 * @example
 * const service = new RateLimitService({ maxRetries: 3, circuitBreakerThreshold: 5 })
 * const rows = await service.executeWithRetry(() => supabase.from('contacts').select().throwOnError(), 'contacts.list')
 */
export class RateLimitService {
  readonly executor: Executor;

  constructor(config: RateLimitConfig = {}, extra: Omit<ExecutorOptions, 'failureThreshold' | 'openDurationMs'> = {}) {
    if (typeof config !== 'object' || config === null) {
      throw new TypeError(`xstate-circuit-breaker: RateLimitService config must be an object, got ${String(config)}.`);
    }
    for (const key of Object.keys(config)) {
      if (!LEGACY_KEYS.has(key)) {
        throw new TypeError(`xstate-circuit-breaker: unknown RateLimitService option "${key}". Known options: ${[...LEGACY_KEYS].join(', ')}.`);
      }
    }
    const { circuitBreakerThreshold, circuitBreakerTimeoutMs, ...retry } = config;
    try {
      this.executor = createExecutor({
        ...('logger' in extra ? {} : { logger: consoleRateLimitLogger }),
        // The seed's loop: every 429 spends one of its retries and counts against the circuit, whatever the headers.
        rateLimitRetries: 0,
        ...extra,
        ...retry,
        ...(circuitBreakerThreshold === undefined ? {} : { failureThreshold: circuitBreakerThreshold }),
        ...(circuitBreakerTimeoutMs === undefined ? {} : { openDurationMs: circuitBreakerTimeoutMs }),
      });
    } catch (error) {
      throw renamed(error);
    }
  }

  /**
   * Runs `operation` with retries and the circuit; `context` names the call in log entries: a string, or the seed's
   * `{ resourceName, operation }` (named `resourceName.operation`). Something that is not a function rejects with a
   * `TypeError` without counting against the circuit.
   */
  executeWithRetry<T>(operation: () => PromiseLike<T> | T, context?: RateLimitContext): Promise<T> {
    if (typeof operation !== 'function') {
      return Promise.reject(new TypeError(`xstate-circuit-breaker: executeWithRetry() needs a function, got ${operation === null ? 'null' : typeof operation}.`));
    }
    return this.executor.execute(() => operation(), { context: contextName(context) });
  }

  /** The circuit as the seed reported it (`isOpen`, `failures`, `lastFailureTime`, `timeSinceLastFailure`) and more. */
  getCircuitState(): LegacyCircuitState {
    const state = this.executor.getCircuitState();
    const last = state.lastFailureTime;
    return {
      ...state,
      failures: state.consecutiveFailures,
      lastFailureTime: last ?? 0,
      timeSinceLastFailure: last === null ? 0 : Math.max(0, this.executor.options.clock.now() - last),
    };
  }

  resetCircuit(): void {
    this.executor.resetCircuit();
  }
}

/** A shared instance with the default configuration, for apps that imported the old singleton. */
export const rateLimitService: RateLimitService = /* @__PURE__ */ new RateLimitService();
