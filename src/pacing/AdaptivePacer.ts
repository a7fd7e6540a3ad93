import { parseRateLimitHeaders, type RateLimitInfo } from '../classify/parseRateLimitHeaders.js';
import { describeValue } from '../options-shared.js';
import { createSystemClock } from '../clock.js';
import type { Clock } from '../types.js';
import { PacerChannel, resolveSharing } from './PacerChannel.js';
import { TimeRing } from './TimeRing.js';
import type { SharedLimits } from './pacerMessages.js';
import type { Pacer, PacerOptions, PacerSharingStats, PacerState, PacingSource } from './pacerTypes.js';

/** How long a pacer holds requests back at most when the server says its quota is used up, by default. @internal */
export const DEFAULT_MAX_WAIT_MS = 120_000;
const ACCEPTED_SAMPLES = 128;
const MEASURE_WINDOW_MS = 500;
const MIN_SAMPLES = 3;
const MIN_SPAN_MS = 20;

/** Share of the current rate kept on a 429 when too few answers were seen to measure what the server accepts. */
const UNMEASURED_DECREASE = 0.7;
/** A server that accepted a request within this many of the pacer's intervals (and at least 1 s) is serving. */
const SERVING_INTERVALS = 4;
/**
 * A server that states its limit and turns this client away while others use the quota is still serving: its 429s
 * are waited out for this long since the first one after the last accepted request (or the start), then they count.
 */
const WAITING_TURN_MS = 30_000;
/** Sends seen to estimate the rate a client was sending at when its first 429 came, with nothing else known. */
const SENT_SAMPLES = 64;
const SENT_WINDOW_MS = 1000;
const MIN_SENT_SPAN_MS = 100;

/** The pacer {@link createPacer} makes: a token bucket at a rate learnt from headers and 429s (AIMD). */
export class AdaptivePacer implements Pacer {
  readonly #clock: Clock;
  readonly #headroom: number;
  readonly #decrease: number;
  readonly #increasePerSecond: number | null;
  readonly #minRate: number;
  readonly #adaptiveBurst: number;
  readonly #maxWaitMs: number;
  #source: PacingSource = 'unknown';
  #rate = Number.POSITIVE_INFINITY;
  #burst = Number.POSITIVE_INFINITY;
  /** The stated rate (less headroom) the rate climbs back to, never above; `Infinity` while none is stated. */
  #ceiling = Number.POSITIVE_INFINITY;
  /** The stated burst, scaled down with the rate while the pacer runs below its ceiling. */
  #statedBurst = Number.POSITIVE_INFINITY;
  #tokens = Number.POSITIVE_INFINITY;
  #refilledAt = 0;
  #blockedUntil: number | null = null;
  #throttled = 0;
  /**
   * Requests reserved and not yet answered. A response's `RateLimit-Remaining` was counted before the requests sent
   * after it reached the server, so those are taken off it.
   */
  #inFlight = 0;
  /**
   * Answers still to come for requests that were in flight when the rate was last cut: their 429s belong to the same
   * congestion and do not cut it again (one decrease per window of requests, as TCP does).
   */
  #recovering = 0;
  /** Times of recent accepted requests, to measure what the server let through. */
  readonly #accepted = new TimeRing(ACCEPTED_SAMPLES);
  #lastAcceptedAt: number | null = null;
  #firstThrottleAt: number | null = null;
  #lastThrottleAt = Number.NEGATIVE_INFINITY;
  /** The first 429 since the last accepted request (or since the start), or `null` after an acceptance. */
  #refusedSince: number | null = null;
  /** Times of the requests sent while no rate is known: what a first bare 429 cuts down from. */
  readonly #sent = new TimeRing(SENT_SAMPLES);
  readonly #sharing: PacerChannel | null;

  constructor(options: PacerOptions) {
    this.#clock = options.clock ?? createSystemClock();
    this.#headroom = check('headroom', options.headroom, 0.98, 0.01, 1);
    this.#decrease = check('decrease', options.decrease, 0.9, 0.01, 1);
    this.#increasePerSecond = options.increasePerSecond === undefined ? null : check('increasePerSecond', options.increasePerSecond, 2, 0, 1e6);
    this.#minRate = check('minRatePerSecond', options.minRatePerSecond, 0.5, 0.001, 1e9);
    this.#adaptiveBurst = check('adaptiveBurst', options.adaptiveBurst, 1, 1, 1e6);
    this.#maxWaitMs = check('maxWaitMs', options.maxWaitMs, DEFAULT_MAX_WAIT_MS, 0, 1e12);
    const initial = options.initialRatePerSecond;
    if (initial !== undefined && initial !== null) {
      this.#setRate(check('initialRatePerSecond', initial, 0, this.#minRate, 1e9), this.#adaptiveBurst, 'adaptive');
    }
    this.#sharing = options.shareAcrossTabs === undefined ? null : new PacerChannel(resolveSharing(options.shareAcrossTabs), (limits) => this.#adopt(limits));
  }

  getSharingStats(): PacerSharingStats | null {
    return this.#sharing === null ? null : this.#sharing.getStats();
  }

  stop(): void {
    this.#sharing?.stop();
  }

  /** Tells the other tabs what this pacer knows now, when it knows something and it changed. */
  #announce(): void {
    if (this.#sharing === null || this.#source === 'unknown') return;
    this.#sharing.announce(this.#source, this.#rate, this.#burst, this.#blockedUntil);
  }

  /** What another tab learnt: its hold always applies; its rate only where this pacer knows less. */
  #adopt(limits: SharedLimits): boolean {
    const now = this.#clock.now();
    let changed = false;
    if (this.#source === 'unknown' || (this.#source === 'adaptive' && limits.ratePerSecond < this.#rate)) {
      this.#setRate(Math.max(this.#minRate, limits.ratePerSecond), Math.max(1, Math.floor(limits.burst)), limits.source);
      changed = true;
    }
    if (limits.blockedUntil !== null && limits.blockedUntil > now) {
      const until = Math.min(limits.blockedUntil, now + this.#maxWaitMs);
      if (this.#blockedUntil === null || until > this.#blockedUntil) {
        this.#blockedUntil = until;
        changed = true;
      }
    }
    return changed;
  }

  reserve(): number {
    this.#inFlight++;
    if (this.#source === 'unknown') {
      this.#sent.record(this.#clock.now());
      return 0;
    }
    const now = this.#clock.now();
    this.#refill(now);
    const blockedWait = this.#blockedUntil === null ? 0 : this.#blockedUntil - now;
    if (blockedWait <= 0) this.#blockedUntil = null;
    this.#tokens -= 1;
    const tokenWait = this.#tokens >= 0 ? 0 : (-this.#tokens / this.#rate) * 1000;
    return Math.max(0, Math.ceil(Math.max(tokenWait, blockedWait)));
  }

  cancel(): void {
    this.#ended();
    if (this.#source !== 'unknown') this.#tokens = Math.min(this.#burst, this.#tokens + 1);
  }

  observeFailure(): void {
    this.#ended();
  }

  isServing(): boolean {
    // Without a rate there are no slots to space a free retry: a 429 then backs off like any other failure.
    if (this.#source === 'unknown') return false;
    const now = this.#clock.now();
    const interval = Number.isFinite(this.#rate) ? 1000 / this.#rate : 0;
    if (this.#lastAcceptedAt !== null && now - this.#lastAcceptedAt <= Math.max(1000, SERVING_INTERVALS * interval)) return true;
    // Turned away while the server states its limit: others use the quota (a client that joins late may get nothing at
    // first), and this client waits its turn, for WAITING_TURN_MS at most. A bare 429 says nothing of the kind.
    return Number.isFinite(this.#ceiling) && this.#refusedSince !== null && now - this.#refusedSince <= WAITING_TURN_MS;
  }

  #ended(): void {
    if (this.#inFlight > 0) this.#inFlight--;
    if (this.#recovering > 0) this.#recovering--;
  }

  observeSuccess(headers: unknown, accepted = true): void {
    this.#ended();
    const now = this.#clock.now();
    const nothingToLearn = headers === null || headers === undefined;
    if (accepted === false) {
      const info = nothingToLearn ? null : parseRateLimitHeaders(headers, now);
      if (info !== null && this.#learn(info, now, null, false)) this.#announce();
      return;
    }
    this.#lastAcceptedAt = now;
    this.#refusedSince = null;
    if (nothingToLearn && this.#firstThrottleAt === null) return;
    if (this.#firstThrottleAt !== null) this.#accepted.record(now);
    const info = nothingToLearn ? null : parseRateLimitHeaders(headers, now);
    if (info !== null && this.#learn(info, now, null, false)) this.#announce();
    this.#increase(now);
  }

  observeRateLimited(headers: unknown, retryAfterMs: number | null = null): void {
    // A request that was in flight when the rate was last cut was sent at the old rate: its 429 is that congestion.
    const answered = this.#recovering > 0;
    this.#ended();
    const now = this.#clock.now();
    this.#throttled++;
    this.#firstThrottleAt ??= now;
    this.#refusedSince ??= now;
    this.#lastThrottleAt = now;
    const info = headers === null || headers === undefined ? null : parseRateLimitHeaders(headers, now);
    const learnt = info !== null && this.#learn(info, now, retryAfterMs, true);
    // The stated limit is a ceiling, not a promise: other clients may share it. Every 429 is congestion, and the rate
    // comes down multiplicatively, once per window of requests in flight.
    const cut = !answered && this.#congested(now);
    if (learnt || cut) this.#announce();
  }

  /** Lowers the rate after a 429 that does not belong to a congestion already answered; true when it changed. */
  #congested(now: number): boolean {
    // While throttled, what the server accepts from this pacer is its share of the capacity: pace a little under it.
    const measured = this.#measuredRate(now);
    let next: number;
    if (measured !== null) next = Math.min(this.#rate, measured) * this.#decrease;
    else if (Number.isFinite(this.#rate)) next = this.#rate * UNMEASURED_DECREASE;
    else {
      // Nothing known and nothing measured (a bare 429 early on): a server that served this client before now says
      // "slower" (one that never did may be refusing everyone): start below the rate this client was sending at.
      const sending = this.#lastAcceptedAt === null ? null : this.#sendingRate(now);
      if (sending === null) return false;
      next = sending * UNMEASURED_DECREASE;
    }
    const rate = Math.max(this.#minRate, next);
    const source = this.#source === 'headers' ? 'headers' : 'adaptive';
    this.#setRate(rate, this.#burstFor(rate), source);
    // The requests already sent were sent at the old rate: their 429s are this same congestion.
    this.#recovering = this.#inFlight;
    return true;
  }

  getState(): PacerState {
    this.#refill(this.#clock.now());
    return {
      source: this.#source,
      ratePerSecond: this.#rate,
      burst: this.#burst,
      tokens: this.#tokens,
      blockedUntil: this.#blockedUntil,
      throttled: this.#throttled,
      inFlight: this.#inFlight,
      ceilingPerSecond: this.#ceiling,
      lastAcceptedAt: this.#lastAcceptedAt,
    };
  }

  /** The burst for a rate: the stated burst at the ceiling, scaled down with the rate below it, at least 1. */
  #burstFor(rate: number): number {
    if (!Number.isFinite(this.#statedBurst) || !Number.isFinite(this.#ceiling)) return this.#adaptiveBurst;
    return Math.max(1, Math.floor((this.#statedBurst * rate) / this.#ceiling));
  }

  /**
   * Applies what the headers say; returns false when they did not say enough to set a rate. The stated rate becomes
   * the ceiling; the rate itself only comes down to it (a 429 or a lower statement), never jumps up to it.
   */
  #learn(info: RateLimitInfo, now: number, retryAfterMs: number | null, limited: boolean): boolean {
    const { limit, remaining, resetMs, windowMs } = info;
    let stated: number | null = null;
    let burst = this.#adaptiveBurst;
    if (limit !== null && limit > 0 && windowMs !== null && windowMs > 0) {
      stated = (limit / windowMs) * 1000 * this.#headroom;
      burst = Math.max(1, Math.floor(limit * this.#headroom));
    } else if (remaining !== null && resetMs !== null && resetMs > 0 && resetMs <= Math.max(this.#maxWaitMs, DEFAULT_MAX_WAIT_MS)) {
      // (A reset further away than maxWaitMs, or 120 s when that is shorter, is not believed: it would pace to a crawl
      // on a garbage header. A short maxWaitMs caps holds only; it does not make a real 100 s window unbelievable.)
      // No window stated: spread what is left evenly until the reset.
      stated = (Math.max(remaining, 1) / resetMs) * 1000 * this.#headroom;
      burst = 1;
    }
    if (stated === null) return false;
    stated = Math.max(this.#minRate, stated);
    const wasKnown = this.#source !== 'unknown';
    this.#ceiling = stated;
    this.#statedBurst = burst;
    const rate = wasKnown ? Math.min(this.#rate, stated) : stated;
    this.#setRate(rate, this.#burstFor(rate), 'headers');
    if (remaining !== null) {
      // Remaining counts what everyone on the key has left: never send more than that.
      const left = Math.max(0, remaining - this.#inFlight);
      this.#tokens = wasKnown ? Math.min(this.#tokens, left) : Math.min(this.#burst, left);
      if (limited && remaining === 0 && resetMs !== null) {
        // Nothing left: hold everything until the quota comes back. A stated window bounds that (a window's quota is
        // back within the window); so do Retry-After and maxWaitMs, so that a garbage reset (an epoch in the year 3000)
        // cannot park every call.
        const wait = Math.min(resetMs, windowMs ?? resetMs, retryAfterMs ?? resetMs, this.#maxWaitMs);
        const until = now + wait;
        if (this.#blockedUntil === null || until > this.#blockedUntil) this.#blockedUntil = until;
      }
    }
    return true;
  }

  #setRate(rate: number, burst: number, source: PacingSource): void {
    const now = this.#clock.now();
    if (this.#source === 'unknown') {
      this.#tokens = Math.min(burst, 1);
      this.#refilledAt = now;
    } else {
      this.#refill(now);
      this.#tokens = Math.min(this.#tokens, burst);
    }
    this.#rate = rate;
    this.#burst = burst;
    this.#source = source;
  }

  #refill(now: number): void {
    if (!Number.isFinite(this.#rate)) return;
    const elapsed = now - this.#refilledAt;
    if (elapsed > 0) {
      this.#tokens = Math.min(this.#burst, this.#tokens + (elapsed / 1000) * this.#rate);
      this.#refilledAt = now;
    }
  }

  /** Additive increase per second of successes, spread over the requests of that second, up to the ceiling. */
  #increase(now: number): void {
    if (this.#source === 'unknown' || !Number.isFinite(this.#rate) || this.#rate >= this.#ceiling) return;
    if (now - this.#lastThrottleAt < 1000) return;
    this.#refill(now);
    const perSecond = this.#increasePerSecond ?? (Number.isFinite(this.#ceiling) ? this.#ceiling / 20 : 2);
    const rate = Math.min(this.#ceiling, this.#rate + perSecond / Math.max(1, this.#rate));
    this.#rate = rate;
    this.#burst = this.#source === 'headers' ? this.#burstFor(rate) : this.#burst;
  }

  /** Requests per second sent over the last `SENT_WINDOW_MS` while no rate was known, or `null` with fewer than 3. */
  #sendingRate(now: number): number | null {
    const { n, oldest } = this.#sent.countSince(now - SENT_WINDOW_MS, now);
    // One caller retrying alone is not a rate to pace: its back-off spaces it.
    if (n < MIN_SAMPLES) return null;
    return (n / Math.max(now - oldest, MIN_SENT_SPAN_MS)) * 1000;
  }

  /**
   * Requests per second the server accepted over the last `MEASURE_WINDOW_MS` since it started throttling, or `null`
   * with too few samples to say.
   */
  #measuredRate(now: number): number | null {
    const since = Math.max(now - MEASURE_WINDOW_MS, this.#firstThrottleAt ?? now);
    const { n, oldest, full } = this.#accepted.countSince(since, now);
    if (n < MIN_SAMPLES) return null;
    // With the ring full of samples inside the window, measure over the span those samples cover, not the whole
    // window: otherwise the rate could never read above ACCEPTED_SAMPLES per window.
    const from = full ? oldest : since;
    return (n / Math.max(now - from, MIN_SPAN_MS)) * 1000;
  }
}

function check(name: string, value: unknown, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number') {
    throw new TypeError(`xstate-circuit-breaker: pacer option "${name}" must be a number, got ${describeValue(value)}.`);
  }
  if (!Number.isFinite(value) || value < min || value > max) {
    throw new RangeError(`xstate-circuit-breaker: pacer option "${name}" must be >= ${min} and <= ${max}, got ${describeValue(value)}.`);
  }
  return value;
}
