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

/** What a pacer measures of the server from the times of its requests: the rates it cuts to on a 429. */
export class RateMeter {
  /** Times of recent accepted requests since the first 429, to measure what the server let through. */
  readonly #accepted = new TimeRing(ACCEPTED_SAMPLES);
  /** Times of the requests sent while no rate is known: what a first bare 429 cuts down from. */
  readonly #sent = new TimeRing(SENT_SAMPLES);
  #firstThrottleAt: number | null = null;

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
    this.#firstThrottleAt ??= at;
  }

  /**
   * The rate to pace at after a 429 from what was measured, or `null` to keep it: `decrease` × what the server was seen
   * to accept; with too few answers to measure, UNMEASURED_DECREASE of the `rate`, and under a `stated` limit that
   * others may share, down to a guess at this client's share (at most to UNMEASURED_FLOOR of the rate at once); with
   * no rate yet (a bare 429 early on), below the rate this client was sending at, when the server `servedBefore`
   * (one that never did may be refusing everyone).
   */
  rateAfterThrottle(now: number, rate: number, decrease: number, stated: boolean, servedBefore: boolean): number | null {
    const measured = this.measuredRate(now);
    if (measured !== null) return Math.min(rate, measured) * decrease;
    if (Number.isFinite(rate)) {
      const next = rate * UNMEASURED_DECREASE;
      const guess = stated ? this.guessedShare(now) : null;
      return guess === null ? next : Math.max(rate * UNMEASURED_FLOOR, Math.min(next, guess));
    }
    const sending = servedBefore ? this.sendingRate(now) : null;
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
