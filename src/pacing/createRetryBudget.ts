import { describeValue } from '../options-shared.js';

/** Options of `createRetryBudget()` (or the executor's `retryBudget` option as an object). */
export interface RetryBudgetOptions {
  /** Retries earned per call: 0.2 lets retries be at most 20% of calls (plus the burst). Default 0.2. */
  ratio?: number;
  /** Retries that may be spent at once before calls have earned any. Default 10. */
  burst?: number;
}

/**
 * Bounds retries to a share of traffic, as Envoy's retry budget and gRPC retry throttling do, so that retries cannot
 * multiply the load on a struggling server. Each call earns `ratio` of a retry, up to `burst` saved; each retry the
 * server did not ask for (no Retry-After) spends one. A retry the server scheduled with Retry-After is free: waiting
 * it out is what the server asked.
 */
export interface RetryBudget {
  /** A call started. */
  earn(): void;
  /** Spends one retry if there is one; false when the budget is empty. */
  trySpend(): boolean;
  /** Retries that can be spent now. */
  available(): number;
}

class TokenRetryBudget implements RetryBudget {
  #tokens: number;
  readonly #ratio: number;
  readonly #burst: number;

  constructor(ratio: number, burst: number) {
    this.#ratio = ratio;
    this.#burst = burst;
    this.#tokens = burst;
  }

  earn(): void {
    const next = this.#tokens + this.#ratio;
    this.#tokens = next > this.#burst ? this.#burst : next;
  }

  trySpend(): boolean {
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }

  available(): number {
    return Math.floor(this.#tokens);
  }
}

/** The keys of retry budget options. @internal */
export const RETRY_BUDGET_OPTION_KEYS: readonly string[] = ['ratio', 'burst'];

/**
 * Creates a retry budget; pass it to several executors to share it.
 *
 * @throws {@link TypeError} when `options` is not an object, names an unknown option, or `ratio`/`burst` is not a
 * number.
 * @throws {@link RangeError} when `ratio` is outside 0-1 or `burst` is negative or not finite.
 * @example
 * const executor = createExecutor({ retryBudget: createRetryBudget({ ratio: 0.1, burst: 5 }) })
 */
export function createRetryBudget(options: RetryBudgetOptions = {}): RetryBudget {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`xstate-circuit-breaker: createRetryBudget() options must be an object, got ${describeValue(options)}.`);
  }
  for (const key of Object.keys(options)) {
    if (!RETRY_BUDGET_OPTION_KEYS.includes(key)) {
      throw new TypeError(`xstate-circuit-breaker: unknown retry budget option "${key}". Known options: ratio, burst.`);
    }
  }
  const ratio = options.ratio ?? 0.2;
  const burst = options.burst ?? 10;
  if (typeof ratio !== 'number') {
    throw new TypeError(`xstate-circuit-breaker: retry budget option "ratio" must be a number, got ${describeValue(ratio)}.`);
  }
  if (!Number.isFinite(ratio) || ratio < 0 || ratio > 1) {
    throw new RangeError(`xstate-circuit-breaker: retry budget option "ratio" must be a number >= 0 and <= 1, got ${describeValue(ratio)}.`);
  }
  if (typeof burst !== 'number') {
    throw new TypeError(`xstate-circuit-breaker: retry budget option "burst" must be a number, got ${describeValue(burst)}.`);
  }
  if (!Number.isFinite(burst) || burst < 0) {
    throw new RangeError(`xstate-circuit-breaker: retry budget option "burst" must be a finite number >= 0, got ${describeValue(burst)}.`);
  }
  return new TokenRetryBudget(ratio, burst);
}
