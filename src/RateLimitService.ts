import { createExecutor, type Executor } from './createExecutor.js';
import type { ExecutorOptions } from './options.js';
import type { CircuitState } from './types.js';

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

/** `getCircuitState()` of the drop-in service: the executor's view plus the legacy `failures` name. */
export interface LegacyCircuitState extends CircuitState {
  /** Same as `consecutiveFailures`. */
  readonly failures: number;
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
    this.executor = createExecutor({
      ...extra,
      ...retry,
      ...(circuitBreakerThreshold === undefined ? {} : { failureThreshold: circuitBreakerThreshold }),
      ...(circuitBreakerTimeoutMs === undefined ? {} : { openDurationMs: circuitBreakerTimeoutMs }),
    });
  }

  /** Runs `operation` with retries and the circuit; `context` names the call in log entries. */
  executeWithRetry<T>(operation: () => PromiseLike<T> | T, context?: string): Promise<T> {
    return this.executor.execute(() => operation(), { context });
  }

  getCircuitState(): LegacyCircuitState {
    const state = this.executor.getCircuitState();
    return { ...state, failures: state.consecutiveFailures };
  }

  resetCircuit(): void {
    this.executor.resetCircuit();
  }
}

/** A shared instance with the default configuration, for apps that imported the old singleton. */
export const rateLimitService: RateLimitService = /* @__PURE__ */ new RateLimitService();
