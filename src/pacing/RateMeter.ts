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
