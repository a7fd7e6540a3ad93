/**
 * The "classic" hand-written rate-limit service many apps carry today, re-implemented from its description so the storm
 * bench can compare against it: a retry loop with exponential back-off and jitter that honours Retry-After, and a
 * consecutive-failure circuit breaker. Deliberately plain: no pacing, no cancellation, no shared budget.
 */

export const CLASSIC_CIRCUIT_OPEN = 'RATE_LIMIT_CIRCUIT_OPEN';
export const CLASSIC_MAX_RETRIES_EXCEEDED = 'RATE_LIMIT_MAX_RETRIES_EXCEEDED';

/** The error the classic service throws; `code` is one of the two constants above. */
export class ClassicServiceError extends Error {
  readonly code: typeof CLASSIC_CIRCUIT_OPEN | typeof CLASSIC_MAX_RETRIES_EXCEEDED;

  constructor(code: ClassicServiceError['code'], message: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'ClassicServiceError';
    this.code = code;
  }
}

export interface ClassicServiceConfig {
  /** Default 3 (4 attempts). */
  maxRetries?: number;
  /** Default 100 ms, doubling per retry. */
  initialDelayMs?: number;
  /** Default 10 000 ms. */
  maxDelayMs?: number;
  /** ± this share of the delay. Default 0.2. */
  jitterFactor?: number;
  /** Consecutive failed operations (after their retries) that open the circuit. Default 5. */
  circuitBreakerThreshold?: number;
  /** Default 60 000 ms. */
  circuitBreakerTimeoutMs?: number;
  /** Injected for tests. Defaults: `Date.now`, a `setTimeout` sleep, `Math.random`. */
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

/** What the classic service looks at on an error. */
interface ErrorLike {
  status?: unknown;
  retryAfterMs?: unknown;
  name?: unknown;
}

/** 429, 5xx and network failures (fetch's `TypeError`) are retried; anything else (4xx, aborts) is not. */
function isRetryable(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { status, name } = error as ErrorLike;
  if (typeof status === 'number') return status === 429 || status >= 500;
  return name === 'TypeError';
}

function retryAfterOf(error: unknown): number {
  if (typeof error !== 'object' || error === null) return 0;
  const { retryAfterMs } = error as ErrorLike;
  return typeof retryAfterMs === 'number' && Number.isFinite(retryAfterMs) && retryAfterMs > 0 ? retryAfterMs : 0;
}

/**
 * @example
 * const service = new ClassicService()
 * await service.executeWithRetry(() => insertRow(row), 'rows.insert')
 */
export class ClassicService {
  private readonly maxRetries: number;
  private readonly initialDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly jitterFactor: number;
  private readonly threshold: number;
  private readonly openMs: number;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;

  private consecutiveFailures = 0;
  private openedAt: number | null = null;

  constructor(config: ClassicServiceConfig = {}) {
    this.maxRetries = config.maxRetries ?? 3;
    this.initialDelayMs = config.initialDelayMs ?? 100;
    this.maxDelayMs = config.maxDelayMs ?? 10_000;
    this.jitterFactor = config.jitterFactor ?? 0.2;
    this.threshold = config.circuitBreakerThreshold ?? 5;
    this.openMs = config.circuitBreakerTimeoutMs ?? 60_000;
    this.now = config.now ?? (() => Date.now());
    this.sleep = config.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.random = config.random ?? Math.random;
  }

  async executeWithRetry<T>(operation: () => Promise<T>, context = 'operation'): Promise<T> {
    if (this.isOpen()) {
      throw new ClassicServiceError(CLASSIC_CIRCUIT_OPEN, `[RateLimit] Circuit open: ${context} rejected without being tried`);
    }
    let lastError: unknown;
    for (let attempt = 0; attempt <= this.maxRetries; attempt++) {
      try {
        const result = await operation();
        this.onSuccess();
        return result;
      } catch (error) {
        lastError = error;
        if (!isRetryable(error)) {
          this.onFailure();
          throw error;
        }
        if (attempt === this.maxRetries) break;
        await this.sleep(this.delayFor(attempt, error));
      }
    }
    this.onFailure();
    throw new ClassicServiceError(CLASSIC_MAX_RETRIES_EXCEEDED, `[RateLimit] Max retries (${this.maxRetries}) exceeded for ${context}`, lastError);
  }

  getCircuitState(): { isOpen: boolean; failures: number; openedAt: number | null } {
    return { isOpen: this.isOpen(), failures: this.consecutiveFailures, openedAt: this.openedAt };
  }

  /** Exponential back-off with ± jitter, but never shorter than the server's Retry-After. */
  private delayFor(attempt: number, error: unknown): number {
    const base = Math.min(this.initialDelayMs * 2 ** attempt, this.maxDelayMs);
    const jittered = base * (1 + this.jitterFactor * (2 * this.random() - 1));
    return Math.max(jittered, retryAfterOf(error));
  }

  /** Open until `openMs` has passed; then calls go through again (any failure re-opens at once). */
  private isOpen(): boolean {
    return this.openedAt !== null && this.now() - this.openedAt < this.openMs;
  }

  private onSuccess(): void {
    this.consecutiveFailures = 0;
    this.openedAt = null;
  }

  private onFailure(): void {
    this.consecutiveFailures++;
    if (this.consecutiveFailures >= this.threshold) this.openedAt = this.now();
  }
}
