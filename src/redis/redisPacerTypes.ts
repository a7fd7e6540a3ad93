import type { Pacer, PacerOptions, PacerSlot } from '../pacing/pacerTypes.js';
import type { Clock } from '../types.js';
import type { RedisPacerTimeoutError } from './RedisPacerTimeoutError.js';

/** Options of `createRedisPacer()`. `prefix` and `name` are required; the rest have defaults. */
export interface RedisPacerOptions {
  /** Prepended to every key this pacer writes, e.g. `'myapp:'`. May be `''`. */
  prefix: string;
  /** Pacers with the same prefix and name, in any process, draw from one bucket: name it after the limit (`'supabase'`). */
  name: string;
  /**
   * How long a slot waits for Redis's answer before the local pacer paces it instead (Redis is down or slow). Default
   * 250 ms: Redis answers in about a millisecond on a LAN, but a loaded machine can take a hundred or two.
   */
  timeoutMs?: number;
  /**
   * After a draw failed, slots are paced locally for this long before the shared bucket is tried again (at once when
   * Redis answers a draw that timed out: it is slow, not gone). Default 1000 ms.
   */
  retryAfterMs?: number;
  /**
   * How long what a process learnt counts in the shared bucket after its last slot: a process that stopped (or
   * crashed) no longer adds its part of the rate, nor its stated limit, after this. It is also how long a process that
   * lost Redis keeps pacing at its share of the fleet's last rate (the rate over the processes) before its own pacer
   * takes over. Default 30 000 ms.
   */
  forgetAfterMs?: number;
  /** Options of the local pacer that learns the rate (`createPacer()`'s, without `clock` and `shareAcrossTabs`). */
  pacer?: Omit<PacerOptions, 'clock' | 'shareAcrossTabs'>;
  /** Timers and time of this process (the shared bucket itself runs on Redis's clock). Default: the system clock. */
  clock?: Clock;
  /**
   * Called with every error of the link (a Redis error, a {@link RedisPacerTimeoutError}, a reply it cannot read). The
   * calls go on, paced locally; the last error is also in `getRedisStats()`. It must not throw.
   */
  onError?: (error: unknown) => void;
}

/** What a Redis pacer's link did; see {@link RedisPacer.getRedisStats}. */
export interface RedisPacerStats {
  /** `'shared'`: the last slot came from the shared bucket; `'local'`: slots are paced by this process alone now. */
  readonly mode: 'shared' | 'local';
  /** Slots the shared bucket spaced. */
  readonly sharedSlots: number;
  /** Slots the local pacer spaced: Redis not ready, failing, or the fleet knows no rate yet. */
  readonly localSlots: number;
  /** Draws Redis did not answer within `timeoutMs`. */
  readonly timeouts: number;
  /** Draws that failed otherwise (a Redis error, an unreadable reply). */
  readonly errors: number;
  /** The last error of the link, or `null`. */
  readonly lastError: unknown;
  /** The fleet's rate at the last shared slot (requests per second), or `null` before one. */
  readonly fleetRatePerSecond: number | null;
  /** Processes that reported to the bucket within `forgetAfterMs`, at the last answer. */
  readonly members: number;
  /** The rate this process's pacer learnt (its part of the fleet's). */
  readonly learntRatePerSecond: number;
  /** The Redis key of the bucket. */
  readonly key: string;
}

/**
 * A pacer whose token bucket lives in Redis; see `createRedisPacer()`. `reserve()` cannot wait for Redis: it paces
 * with the local pacer only.
 */
export interface RedisPacer extends Pacer {
  /**
   * A place in the shared bucket's line: until Redis answers, the slot says "wait" and its `onMove` fires when the
   * answer comes (at most `timeoutMs` later, when the local pacer takes the slot over). `null`: the request may go now.
   */
  queue(): PacerSlot | null;
  /** Whether the server accepted this process's requests lately (its local pacer's view). */
  isServing(): boolean;
  /** What the link to Redis did: shared or local slots, failures, the fleet's rate. */
  getRedisStats(): RedisPacerStats;
  /** Stops using Redis (slots are paced locally from now on). The client is not closed: it is yours. */
  stop(): void;
}
