/** Options of {@link createTokenBucket}. */
export interface TokenBucketOptions {
  /** Tokens added per second (the sustained request rate). Finite, > 0. */
  readonly ratePerSecond: number;
  /** Bucket size: how many requests may pass back to back. Integer >= 1. The bucket starts full. */
  readonly burst: number;
  /** Clock in milliseconds (like `Date.now`). Injected so tests never wait on the wall clock. */
  readonly now: () => number;
}

/** What one {@link TokenBucket.take} decided. */
export interface TokenBucketDecision {
  /** Whether a token was taken. */
  readonly allowed: boolean;
  /** Whole tokens left after this call. */
  readonly remaining: number;
  /** Milliseconds until the next token is available; 0 when this call was allowed. */
  readonly retryAfterMs: number;
  /** Milliseconds until the bucket is full again (0 when it is full). */
  readonly resetMs: number;
}

/** A token bucket: {@link createTokenBucket}. */
export interface TokenBucket {
  /** Takes one token when there is one. */
  take(): TokenBucketDecision;
  /** Tokens available now (fractional), without taking one. */
  available(): number;
}

/**
 * Creates a token bucket that refills continuously at `ratePerSecond` up to `burst` tokens.
 * Pure apart from the injected clock: no timers.
 *
 * @example
 * ```ts
 * let t = 0;
 * const bucket = createTokenBucket({ ratePerSecond: 2, burst: 1, now: () => t });
 * bucket.take().allowed; // true
 * bucket.take(); // { allowed: false, remaining: 0, retryAfterMs: 500, resetMs: 500 }
 * t += 500;
 * bucket.take().allowed; // true
 * ```
 */
export function createTokenBucket(options: TokenBucketOptions): TokenBucket {
  const { ratePerSecond, burst, now } = options;
  if (typeof ratePerSecond !== 'number' || !Number.isFinite(ratePerSecond) || ratePerSecond <= 0) {
    throw new RangeError(`ratePerSecond must be a finite number > 0, got ${String(ratePerSecond)}`);
  }
  if (typeof burst !== 'number' || !Number.isInteger(burst) || burst < 1) {
    throw new RangeError(`burst must be an integer >= 1, got ${String(burst)}`);
  }
  if (typeof now !== 'function') {
    throw new TypeError(`now must be a function returning milliseconds, got ${typeof now}`);
  }

  let tokens = burst;
  let last = now();

  const refill = (): void => {
    const t = now();
    // A clock that goes backwards adds nothing (and does not take tokens away).
    const elapsed = Math.max(0, t - last);
    last = Math.max(last, t);
    tokens = Math.min(burst, tokens + (elapsed * ratePerSecond) / 1000);
  };

  const msFor = (missingTokens: number): number =>
    missingTokens <= 0 ? 0 : Math.ceil((missingTokens * 1000) / ratePerSecond);

  return {
    take() {
      refill();
      // Tolerate float dust (20/s * 50 ms = 0.9999999…).
      if (tokens + 1e-9 >= 1) {
        tokens = Math.max(0, tokens - 1);
        return {
          allowed: true,
          remaining: Math.floor(tokens + 1e-9),
          retryAfterMs: 0,
          resetMs: msFor(burst - tokens),
        };
      }
      return {
        allowed: false,
        remaining: 0,
        retryAfterMs: Math.max(1, msFor(1 - tokens)),
        resetMs: msFor(burst - tokens),
      };
    },
    available() {
      refill();
      return tokens;
    },
  };
}
