import { TimeRing } from './TimeRing.js';

const ACCEPTED_SAMPLES = 128;
const MEASURE_WINDOW_MS = 500;
const SLOW_MEASURE_WINDOW_MS = 1000;
const MIN_SAMPLES = 3;
const MIN_SPAN_MS = 20;
const SHARE_GUESS_MIN_MS = 200;
/** Sends seen to estimate the rate a client was sending at when its first 429 came, with nothing else known. */
const SENT_SAMPLES = 64;
const SENT_WINDOW_MS = 1000;
const MIN_SENT_SPAN_MS = 100;
/** Share of the current rate kept on a 429 when too few answers were seen to measure what the server accepts. */
const UNMEASURED_DECREASE = 0.7;
/** The deepest one unmeasured cut goes below a stated limit, guessing this client's share: a third of the rate. */
const UNMEASURED_FLOOR = 1 / 3;

/** A server that accepted a request within this many of the pacer's intervals (and at least 1 s) is serving. */
const SERVING_INTERVALS = 4;
/**
 * A server that states its limit and turns this client away while others use the quota is still serving: its 429s
 * are waited out for this long since the first one after the last accepted request (or the start), then they count.
 */
const WAITING_TURN_MS = 30_000;

/**
 * What a pacer measures of the server from the times of its requests: whether it is serving, and the rates it cuts
 * to on a 429.
 */
export class RateMeter {
  /** Times of recent accepted requests since the first 429, to measure what the server let through. */
  readonly #accepted = new TimeRing(ACCEPTED_SAMPLES);
  /** Times of the requests sent while no rate is known: what a first bare 429 cuts down from. */
  readonly #sent = new TimeRing(SENT_SAMPLES);
  #firstThrottleAt: number | null = null;
  /** When the server last accepted a request of this client, or `null`. */
  lastAcceptedAt: number | null = null;
  /** The first 429 since the last accepted request (or since the start), or `null` after an acceptance. */
  #refusedSince: number | null = null;

  /** The server accepted a request of this client (whatever it measures). */
  served(at: number): void {
    this.lastAcceptedAt = at;
    this.#refusedSince = null;
  }

  /**
   * Whether the server is serving: it accepted a request within the last second (or SERVING_INTERVALS of
   * `intervalMs`, if longer), or it turned this client away under a `stated` limit for WAITING_TURN_MS at most (others
   * use the quota, and a client that joins late may get nothing at first; a bare 429 says nothing of the kind).
   */
  serving(now: number, intervalMs: number, stated: boolean): boolean {
    if (this.lastAcceptedAt !== null && now - this.lastAcceptedAt <= Math.max(1000, SERVING_INTERVALS * intervalMs)) return true;
    return stated && this.#refusedSince !== null && now - this.#refusedSince <= WAITING_TURN_MS;
  }

  /** Whether a 429 was seen yet. */
  get throttled(): boolean {
    return this.#firstThrottleAt !== null;
  }

  sent(at: number): void {
    this.#sent.record(at);
  }

  /** An accepted request: counted once the server has started throttling (before that it measures nothing). */
  accepted(at: number): void {
    if (this.#firstThrottleAt !== null) this.#accepted.record(at);
  }

  rateLimited(at: number): void {
    this.#refusedSince ??= at;
    this.#firstThrottleAt ??= at;
  }

  /**
   * The rate to pace at after a 429 from what was measured, or `null` to keep it: `decrease` × what the server was seen
   * to accept; with too few answers to measure, UNMEASURED_DECREASE of the `rate`, and under a `stated` limit that
   * others may share, down to a guess at this client's share (at most to UNMEASURED_FLOOR of the rate at once); with
   * no rate yet (a bare 429 early on), below the rate this client was sending at, when the server served it before
   * (one that never did may be refusing everyone).
   */
  rateAfterThrottle(now: number, rate: number, decrease: number, stated: boolean): number | null {
    const measured = this.measuredRate(now);
    if (measured !== null) return Math.min(rate, measured) * decrease;
    if (Number.isFinite(rate)) {
      const next = rate * UNMEASURED_DECREASE;
      const guess = stated ? this.guessedShare(now) : null;
      return guess === null ? next : Math.max(rate * UNMEASURED_FLOOR, Math.min(next, guess));
    }
    const sending = this.lastAcceptedAt === null ? null : this.sendingRate(now);
    return sending === null ? null : sending * UNMEASURED_DECREASE;
  }

  /** Requests per second sent over the last `SENT_WINDOW_MS` while no rate was known, or `null` with fewer than 3. */
  sendingRate(now: number): number | null {
    const { n, oldest } = this.#sent.countSince(now - SENT_WINDOW_MS, now);
    // One caller retrying alone is not a rate to pace: its back-off spaces it.
    if (n < MIN_SAMPLES) return null;
    return (n / Math.max(now - oldest, MIN_SENT_SPAN_MS)) * 1000;
  }

  /**
   * A guess at this client's share while too few answers were accepted to measure it: one more than were accepted
   * since the first 429, over the time since (at least SHARE_GUESS_MIN_MS), in requests per second.
   */
  guessedShare(now: number): number | null {
    if (this.#firstThrottleAt === null) return null;
    const { n } = this.#accepted.countSince(this.#firstThrottleAt, now);
    return ((n + 1) / Math.max(now - this.#firstThrottleAt, SHARE_GUESS_MIN_MS)) * 1000;
  }

  /**
   * Requests per second the server accepted over the last `MEASURE_WINDOW_MS` since it started throttling (or over
   * the last `SLOW_MEASURE_WINDOW_MS`, for a client whose share is too small to have 3 answers in the shorter window),
   * or `null` with too few samples to say.
   */
  measuredRate(now: number): number | null {
    return this.#measuredOver(MEASURE_WINDOW_MS, now) ?? this.#measuredOver(SLOW_MEASURE_WINDOW_MS, now);
  }

  #measuredOver(windowMs: number, now: number): number | null {
    const since = Math.max(now - windowMs, this.#firstThrottleAt ?? now);
    const { n, oldest, full } = this.#accepted.countSince(since, now);
    if (n < MIN_SAMPLES) return null;
    // With the ring full of samples inside the window, measure over the span those samples cover, not the whole
    // window: otherwise the rate could never read above ACCEPTED_SAMPLES per window.
    const from = full ? oldest : since;
    return (n / Math.max(now - from, MIN_SPAN_MS)) * 1000;
  }
}
