import { createTokenBucket, type TokenBucket } from './tokenBucket.js';

/**
 * Which rate-limit headers to send on every limited route (successes and 429s alike).
 * - `ietf`: draft-ietf-httpapi-ratelimit-headers (draft 6 field names):
 *   `RateLimit-Policy: <quota>;w=<window>` with the window the seconds an empty bucket takes to refill (rounded up,
 *   at least 1) and the quota the requests the bucket lets through in that window (rate × window, at least the
 *   burst): the sustained rate a client can pace to. `RateLimit-Limit` (= the quota), `RateLimit-Remaining` (whole
 *   tokens left) and `RateLimit-Reset` (seconds, rounded up, until the bucket is full again).
 * - `x-ratelimit`: the GitHub convention: `X-RateLimit-Limit`, `X-RateLimit-Remaining`,
 *   `X-RateLimit-Reset` as Unix epoch seconds (from the injected clock) at which the bucket is full.
 * - `none`: no rate-limit headers.
 */
export type RateLimitHeaderStyle = 'ietf' | 'none' | 'x-ratelimit';

/** `integer`: `Retry-After` on 429 in whole seconds (rounded up, at least 1). `none`: no `Retry-After`. */
export type RetryAfterStyle = 'integer' | 'none';

/** Settings of the edge rate limiter (one token bucket per client). */
export interface RateLimitSettings {
  readonly ratePerSecond: number;
  readonly burst: number;
  readonly headers: RateLimitHeaderStyle;
  readonly retryAfter: RetryAfterStyle;
}

/** Outcome of {@link RateLimiter.check}. */
export interface RateLimitVerdict {
  readonly allowed: boolean;
  /** Headers to add to the response (rate-limit headers, and `Retry-After` on a refusal). */
  readonly headers: Readonly<Record<string, string>>;
}

/** Per-client token buckets: {@link createRateLimiter}. */
export interface RateLimiter {
  /** Current settings; `false` lets everything through. Assigning validates and empties the buckets. */
  settings: RateLimitSettings | false;
  /** Takes a token from the bucket of `clientKey`. */
  check(clientKey: string): RateLimitVerdict;
  /** Forgets every bucket (all clients start full again). */
  clear(): void;
}

const HEADER_STYLES: readonly RateLimitHeaderStyle[] = ['ietf', 'none', 'x-ratelimit'];
const RETRY_AFTER_STYLES: readonly RetryAfterStyle[] = ['integer', 'none'];
const MAX_TRACKED_CLIENTS = 1000;

/**
 * Checks a rate-limit settings value; throws a `TypeError`/`RangeError` naming the field and the value.
 *
 * @example
 * ```ts
 * const settings = parseRateLimitSettings({ ratePerSecond: 20, burst: 10, headers: 'ietf', retryAfter: 'integer' });
 * ```
 */
export function parseRateLimitSettings(value: unknown, name = 'rateLimit'): RateLimitSettings | false {
  if (value === false) return false;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TypeError(`${name} must be false or an object { ratePerSecond, burst, headers, retryAfter }, got ${JSON.stringify(value)}`);
  }
  const v = value as Record<string, unknown>;
  const { ratePerSecond, burst, headers, retryAfter } = v;
  if (typeof ratePerSecond !== 'number' || !Number.isFinite(ratePerSecond) || ratePerSecond <= 0) {
    throw new RangeError(`${name}.ratePerSecond must be a finite number > 0, got ${JSON.stringify(ratePerSecond)}`);
  }
  if (typeof burst !== 'number' || !Number.isInteger(burst) || burst < 1) {
    throw new RangeError(`${name}.burst must be an integer >= 1, got ${JSON.stringify(burst)}`);
  }
  if (!HEADER_STYLES.includes(headers as RateLimitHeaderStyle)) {
    throw new RangeError(`${name}.headers must be one of ${HEADER_STYLES.join(', ')}, got ${JSON.stringify(headers)}`);
  }
  if (!RETRY_AFTER_STYLES.includes(retryAfter as RetryAfterStyle)) {
    throw new RangeError(`${name}.retryAfter must be one of ${RETRY_AFTER_STYLES.join(', ')}, got ${JSON.stringify(retryAfter)}`);
  }
  return Object.freeze({
    ratePerSecond,
    burst,
    headers: headers as RateLimitHeaderStyle,
    retryAfter: retryAfter as RetryAfterStyle,
  });
}

/**
 * Creates the edge rate limiter: one token bucket per client key, all with the same settings.
 *
 * @example
 * ```ts
 * const limiter = createRateLimiter({
 *   settings: { ratePerSecond: 20, burst: 10, headers: 'ietf', retryAfter: 'integer' },
 *   now: () => Date.now(),
 * });
 * const verdict = limiter.check('client-a'); // { allowed: true, headers: { 'RateLimit-Limit': '20', … } }
 * ```
 */
export function createRateLimiter(options: {
  settings: RateLimitSettings | false;
  now: () => number;
}): RateLimiter {
  const { now } = options;
  let settings = parseRateLimitSettings(options.settings);
  const buckets = new Map<string, TokenBucket>();

  const evictFullBuckets = (limit: RateLimitSettings): void => {
    // A full bucket is indistinguishable from a new one, so forgetting it changes nothing.
    for (const [key, bucket] of buckets) {
      if (bucket.available() >= limit.burst) buckets.delete(key);
    }
  };

  return {
    get settings() {
      return settings;
    },
    set settings(next) {
      settings = parseRateLimitSettings(next);
      buckets.clear();
    },
    check(clientKey) {
      const limit = settings;
      if (limit === false) return { allowed: true, headers: {} };
      let bucket = buckets.get(clientKey);
      if (bucket === undefined) {
        if (buckets.size >= MAX_TRACKED_CLIENTS) evictFullBuckets(limit);
        bucket = createTokenBucket({ ratePerSecond: limit.ratePerSecond, burst: limit.burst, now });
        buckets.set(clientKey, bucket);
      }
      const decision = bucket.take();
      const headers: Record<string, string> = {};
      const window = Math.max(1, Math.ceil(limit.burst / limit.ratePerSecond));
      const quota = Math.max(limit.burst, Math.round(limit.ratePerSecond * window));
      if (limit.headers === 'ietf') {
        headers['RateLimit-Limit'] = String(quota);
        headers['RateLimit-Remaining'] = String(decision.remaining);
        headers['RateLimit-Reset'] = String(Math.ceil(decision.resetMs / 1000));
        headers['RateLimit-Policy'] = `${quota};w=${window}`;
      } else if (limit.headers === 'x-ratelimit') {
        headers['X-RateLimit-Limit'] = String(quota);
        headers['X-RateLimit-Remaining'] = String(decision.remaining);
        headers['X-RateLimit-Reset'] = String(Math.ceil((now() + decision.resetMs) / 1000));
      }
      if (!decision.allowed && limit.retryAfter === 'integer') {
        headers['Retry-After'] = String(Math.max(1, Math.ceil(decision.retryAfterMs / 1000)));
      }
      return { allowed: decision.allowed, headers };
    },
    clear() {
      buckets.clear();
    },
  };
}
