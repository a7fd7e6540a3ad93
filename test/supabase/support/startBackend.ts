import { createBackend, type Backend } from '../../../demo/server/createBackend.js';
import type { RateLimitSettings } from '../../../demo/server/rateLimiter.js';

/** The API key the tests' clients send; the backend's rate limiter buckets requests by it. */
export const API_KEY = 'anon';

/** The demo backend (real PostgreSQL in PGlite behind a PostgREST subset) with a rate-limiter clock the test sets. */
export interface TestBackend {
  readonly backend: Backend;
  /** Sets what the rate limiter reads as the time (ms). Each test ties it to its clock or freezes it. */
  setNow(now: () => number): void;
  /** Truncates the tables, zeroes the counters, and sets the limiter (fresh buckets). */
  reset(rateLimit: RateLimitSettings | false): Promise<void>;
  /** Spends the one token of a `burst: 1` bucket, as another tab of the same client would. */
  drain(): Promise<void>;
  /** Rows of `table` whose `column` equals `value`, counted in the database. */
  countRows(table: string, column: string, value: string): Promise<number>;
  close(): Promise<void>;
}

/** A limiter that allows one request a second and answers `Retry-After: 1` (and the IETF RateLimit headers). */
export const ONE_PER_SECOND: RateLimitSettings = { ratePerSecond: 1, burst: 1, headers: 'ietf', retryAfter: 'integer' };

/** Starts the demo backend on 127.0.0.1, port 0. */
export async function startBackend(): Promise<TestBackend> {
  let now: () => number = () => Date.now();
  const backend = await createBackend({ port: 0, now: () => now(), rateLimit: false });
  return {
    backend,
    setNow(next) {
      now = next;
    },
    async reset(rateLimit) {
      await backend.reset();
      backend.rateLimit = rateLimit;
      backend.faults.clear();
    },
    async drain() {
      const response = await fetch(`${backend.restUrl}/contacts?select=id&limit=1`, { headers: { apikey: API_KEY } });
      await response.text();
      if (response.status !== 200) throw new Error(`drain(): expected 200, got ${response.status}`);
    },
    async countRows(table, column, value) {
      const result = await backend.db.query<{ n: number }>(`select count(*)::int as n from ${table} where ${column} = $1`, [value]);
      return result.rows[0]?.n ?? 0;
    },
    close: () => backend.close(),
  };
}
