import { parseRateLimitHeaders, type RateLimitInfo } from '../classify/parseRateLimitHeaders.js';
import type { AnnouncedLimits, PacerLink } from './PacerSharingLink.js';
import { DEFAULT_MAX_WAIT_MS, resolvePacerSettings, type PacerSettings } from './checkPacerOption.js';
import { RateMeter } from './RateMeter.js';
import { SlotQueue } from './SlotQueue.js';
import { SharedBucket } from './SharedBucket.js';
import { SlowStart } from './SlowStart.js';
import { TokenBucket } from './TokenBucket.js';
import { statedLimit } from './statedLimit.js';
import type { Pacer, PacerOptions, PacerSharingStats, PacerSlot, PacerState, PacingSource } from './pacerTypes.js';

export { DEFAULT_MAX_WAIT_MS };

/** The longest time one answer's growth counts: a client that was quiet for a while does not jump. */
const SLACK_STEP_MS = 250;
/** Waiting slots are woken when the rate rose by this factor since they last were: smaller rises wait their turn. */
const WAKE_ON_RISE = 1.1;

/** The pacer {@link createPacer} makes: a token bucket at a rate learnt from headers and 429s (AIMD). */
export class AdaptivePacer implements Pacer {
  /** Its options, checked, with the defaults filled in. */
  readonly #o: PacerSettings;
  #source: PacingSource = 'unknown';
  /** The local bucket that spaces this pacer's requests, at the rate learnt. */
  readonly #local = new TokenBucket();
  /** The stated rate (less headroom) the rate climbs back to, never above; `Infinity` while none is stated. */
  #ceiling = Number.POSITIVE_INFINITY;
  /** The stated burst, scaled down with the rate while the pacer runs below its ceiling. */
  #statedBurst = Number.POSITIVE_INFINITY;
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
  readonly #meter = new RateMeter();
  #lastThrottleAt = Number.NEGATIVE_INFINITY;
  #increasedAt = 0;
  readonly #slowStart = new SlowStart(() => this.#line.moved());
  /** What the shared RateLimit-Remaining says of the other clients on the key. */
  readonly #shared = new SharedBucket();
  readonly #sharing: PacerLink | null;
  /** Requests waiting in line for their slots (from {@link AdaptivePacer.queue}). */
  readonly #line = new SlotQueue({
    dueInMs: (position) => this.#dueInMs(position),
    took: () => this.#took(),
    gaveBack: () => this.#ended(),
  });
  /** The rate the waiting slots were last woken for. */
  #wokenAtRate = 0;

  /** Requests sent and not yet answered (the ones waiting in line are not sent). */
  #sentInFlight(): number {
    return this.#inFlight - this.#line.length;
  }

  constructor(options: PacerOptions) {
    this.#o = resolvePacerSettings(options);
    const { initialRatePerSecond, sharing } = this.#o;
    if (initialRatePerSecond !== null) this.#setRate(initialRatePerSecond, this.#o.adaptiveBurst, 'adaptive');
    this.#sharing = sharing === undefined ? null : sharing.connect((limits) => this.#adopt(limits));
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
    this.#sharing.announce(this.#source, this.#local.rate, this.#local.burst, this.#local.blockedUntil);
  }

  /** What another tab learnt: its hold always applies; its rate only where this pacer knows less. */
  #adopt(limits: AnnouncedLimits): boolean {
    const now = this.#o.clock.now();
    let changed = false;
    if (this.#source === 'unknown' || (this.#source === 'adaptive' && limits.ratePerSecond < this.#local.rate)) {
      this.#setRate(Math.max(this.#o.minRate, limits.ratePerSecond), Math.max(1, Math.floor(limits.burst)), limits.source);
      changed = true;
    }
    if (limits.blockedUntil !== null && limits.blockedUntil > now) {
      if (this.#local.hold(Math.min(limits.blockedUntil, now + this.#o.maxWaitMs), false)) changed = true;
    }
    return changed;
  }

  reserve(): number {
    this.#inFlight++;
    if (this.#source === 'unknown') {
      this.#meter.sent(this.#o.clock.now());
      return 0;
    }
    return this.#local.reserve(this.#o.clock.now());
  }

  queue(): PacerSlot | null {
    const now = this.#o.clock.now();
    // The common case, a pacer that knows no limit and has no line: the call goes (as cheap as reserve()).
    if (this.#source === 'unknown' && this.#slowStart.over && this.#line.length === 0) {
      this.#inFlight++;
      this.#meter.sent(now);
      return null;
    }
    const sent = this.#sentInFlight();
    this.#inFlight++;
    this.#slowStart.begin(now, this.#source === 'unknown', this.#o.maxWaitMs);
    if (this.#line.length > 0 || !this.#slowStart.allows(sent, now)) return this.#line.join();
    if (this.#source === 'unknown') {
      this.#meter.sent(now);
      return null;
    }
    return this.#local.tryTake(now) ? null : this.#line.join();
  }

  /**
   * A request that another limiter spaced (a token bucket several processes share) goes now: it counts in flight and
   * is measured as this pacer's own, as a slot taken from {@link AdaptivePacer.queue} would, but draws nothing from
   * this pacer's bucket, so that the bucket is full, not in debt, when this pacer spaces requests again itself. One of
   * the `observe…` methods ends it, as usual. @internal
   */
  sentPacedElsewhere(): void {
    this.#inFlight++;
    if (this.#source === 'unknown') this.#meter.sent(this.#o.clock.now());
  }

  /** When the slot at `position` in line comes, at the rate, tokens and hold the pacer has now. */
  #dueInMs(position: number): number {
    const now = this.#o.clock.now();
    // In the slow start, a place beyond the window waits for answers (each one wakes the line), or for its end.
    if (!this.#slowStart.allows(this.#sentInFlight() + position, now)) return this.#slowStart.waitMs(now);
    return this.#source === 'unknown' ? 0 : this.#local.dueInMs(position, now);
  }

  #took(): void {
    const now = this.#o.clock.now();
    if (this.#source === 'unknown') {
      this.#meter.sent(now);
      return;
    }
    this.#local.take(now);
  }

  /** Wakes the waiting slots when the rate rose enough since they were last woken (they re-read their time). */
  #rateChanged(): void {
    if (this.#local.rate < this.#wokenAtRate) this.#wokenAtRate = this.#local.rate;
    else if (this.#local.rate >= this.#wokenAtRate * WAKE_ON_RISE) {
      this.#wokenAtRate = this.#local.rate;
      this.#line.moved();
    }
  }

  cancel(): void {
    this.#ended();
    if (this.#source !== 'unknown') this.#local.giveBack();
  }

  observeFailure(): void {
    this.#ended();
    // A request whose answer was lost may have drawn from the bucket: counted as this client's own, not others'.
    this.#shared.answered();
    this.#slowStart.answered(false, this.#source !== 'unknown');
  }

  isServing(): boolean {
    // Without a rate there are no slots to space a free retry: a 429 then backs off like any other failure.
    if (this.#source === 'unknown') return false;
    const interval = Number.isFinite(this.#local.rate) ? 1000 / this.#local.rate : 0;
    return this.#meter.serving(this.#o.clock.now(), interval, Number.isFinite(this.#ceiling));
  }

  #ended(): void {
    if (this.#inFlight > 0) this.#inFlight--;
    if (this.#recovering > 0) this.#recovering--;
  }

  observeSuccess(headers: unknown, accepted = true): void {
    this.#success(headers, accepted);
    this.#slowStart.answered(accepted, this.#source !== 'unknown');
  }

  #success(headers: unknown, accepted: boolean): void {
    this.#ended();
    const now = this.#o.clock.now();
    const nothingToLearn = headers === null || headers === undefined;
    if (accepted === false) {
      // (A 5xx may have drawn from the bucket too.)
      this.#shared.answered();
      const info = nothingToLearn ? null : parseRateLimitHeaders(headers, now);
      if (info !== null && this.#learn(info, now, null, false)) this.#announce();
      return;
    }
    this.#meter.served(now);
    if (nothingToLearn && !this.#meter.throttled) return;
    this.#meter.accepted(now);
    const info = nothingToLearn ? null : parseRateLimitHeaders(headers, now);
    if (info !== null && this.#learn(info, now, null, false)) this.#announce();
    if (info === null) this.#shared.answered();
    else if (this.#shared.read(info, now, this.#sentInFlight())) {
      // The shared bucket runs low while others draw from it: slow down as on a 429, before anyone is turned away.
      this.#slowStart.end();
      if (this.#recovering > 0 || !Number.isFinite(this.#local.rate)) this.#increase(now);
      else {
        this.#cut(this.#shared.cut(this.#local.rate, this.#o.decrease), now);
        this.#announce();
      }
      return;
    }
    this.#increase(now, info !== null && this.#shared.hasRoom(info));
  }

  /** Sets the rate after congestion; the requests already sent were sent at the old rate: their 429s are the same. */
  #cut(next: number, now: number): void {
    const rate = Math.max(this.#o.minRate, next);
    this.#setRate(rate, this.#burstFor(rate), this.#source === 'headers' ? 'headers' : 'adaptive');
    this.#increasedAt = now;
    this.#recovering = this.#sentInFlight();
  }

  observeRateLimited(headers: unknown, retryAfterMs: number | null = null): void {
    // A request that was in flight when the rate was last cut was sent at the old rate: its 429 is that congestion.
    const answered = this.#recovering > 0;
    this.#ended();
    const now = this.#o.clock.now();
    this.#throttled++;
    this.#meter.rateLimited(now);
    this.#lastThrottleAt = now;
    const info = headers === null || headers === undefined ? null : parseRateLimitHeaders(headers, now);
    const learnt = info !== null && this.#learn(info, now, retryAfterMs, true);
    // The stated limit is a ceiling, not a promise: other clients may share it. Every 429 is congestion, and the rate
    // comes down multiplicatively, once per window of requests in flight.
    const cut = !answered && this.#congested(now);
    if (learnt || cut) this.#announce();
    // A 429 ends the slow start: the rate it cut to spaces the rest.
    this.#slowStart.end();
  }

  /** Lowers the rate after a 429 that does not belong to a congestion already answered; true when it changed. */
  #congested(now: number): boolean {
    let next: number | null;
    // With the shared bucket read, the clients drawing most cut most (see SharedBucket); else from what was measured.
    if (this.#shared.reading && Number.isFinite(this.#local.rate)) next = this.#shared.cut(this.#local.rate, this.#o.decrease);
    else next = this.#meter.rateAfterThrottle(now, this.#local.rate, this.#o.decrease, Number.isFinite(this.#ceiling));
    if (next === null) return false;
    this.#cut(next, now);
    return true;
  }

  getState(): PacerState {
    return {
      source: this.#source,
      ratePerSecond: this.#local.rate,
      burst: this.#local.burst,
      tokens: this.#local.tokens(this.#o.clock.now()),
      blockedUntil: this.#local.blockedUntil,
      throttled: this.#throttled,
      inFlight: this.#inFlight,
      ceilingPerSecond: this.#ceiling,
      lastAcceptedAt: this.#meter.lastAcceptedAt,
    };
  }

  /** The burst for a rate: the stated burst at the ceiling, scaled down with the rate below it, at least 1. */
  #burstFor(rate: number): number {
    if (!Number.isFinite(this.#statedBurst) || !Number.isFinite(this.#ceiling)) return this.#o.adaptiveBurst;
    return Math.max(1, Math.floor((this.#statedBurst * rate) / this.#ceiling));
  }

  /**
   * Applies what the headers say; returns false when they did not say enough to set a rate. The stated rate becomes
   * the ceiling; the rate itself only comes down to it (a 429 or a lower statement), never jumps up to it.
   */
  #learn(info: RateLimitInfo, now: number, retryAfterMs: number | null, limited: boolean): boolean {
    const { remaining, resetMs, windowMs } = info;
    // (A short maxWaitMs caps holds only; it does not make a real 100 s window unbelievable: resets up to 120 s count.)
    const statement = statedLimit(info, { headroom: this.#o.headroom, minRate: this.#o.minRate, maxResetMs: Math.max(this.#o.maxWaitMs, DEFAULT_MAX_WAIT_MS) });
    if (statement === null) return false;
    const { stated, burst } = statement;
    const wasKnown = this.#source !== 'unknown';
    this.#ceiling = stated;
    this.#statedBurst = burst;
    // Learnt at the first answer: when it turned this client away, others share the bucket: start at a share.
    const rate = wasKnown ? Math.min(this.#local.rate, stated) : Math.max(this.#o.minRate, stated * this.#shared.firstShare(info, limited));
    this.#setRate(rate, this.#burstFor(rate), 'headers');
    if (remaining !== null) {
      // Remaining counts what everyone on the key has left: never send more than that.
      const left = Math.max(0, remaining - this.#sentInFlight());
      if (wasKnown) this.#local.atMost(left, now);
      else this.#local.fill(Math.min(this.#local.burst, left), now);
      if (limited && remaining === 0 && resetMs !== null) {
        // Nothing left: hold everything until the quota comes back. A stated window bounds that (a window's quota is
        // back within the window); so do Retry-After and maxWaitMs, so that a garbage reset (an epoch in the year 3000)
        // cannot park every call.
        const wait = Math.min(resetMs, windowMs ?? resetMs, retryAfterMs ?? resetMs, this.#o.maxWaitMs);
        // Clients on one key all hear the same reset: once others were seen drawing, this one comes back at its own
        // moment within one of its intervals, with an empty bucket, so that they do not all return as one burst.
        const shared = this.#shared.othersSeen && Number.isFinite(this.#local.rate);
        const until = now + wait + (shared ? (this.#o.random() * 1000) / this.#local.rate : 0);
        this.#local.hold(until, shared);
      }
    }
    return true;
  }

  #setRate(rate: number, burst: number, source: PacingSource): void {
    this.#local.set(rate, burst, this.#o.clock.now(), this.#source === 'unknown');
    this.#source = source;
    this.#rateChanged();
  }

  /** Additive increase per second of successes, spread over the requests of that second, up to the ceiling. */
  #increase(now: number, slack = false): void {
    if (this.#source === 'unknown' || !Number.isFinite(this.#local.rate) || this.#local.rate >= this.#ceiling) return;
    if (!slack && now - this.#lastThrottleAt < 1000) return;
    const perSecond = this.#o.increasePerSecond ?? (Number.isFinite(this.#ceiling) ? this.#ceiling / 20 : 2);
    let rate = Math.min(this.#ceiling, this.#local.rate + perSecond / Math.max(1, this.#local.rate));
    // The shared bucket is more than half full: the server has room, so grow faster, by the same amount per second
    // whatever this client's rate (clients sharing the key stay fair).
    const elapsed = Math.min(SLACK_STEP_MS, Math.max(0, now - this.#increasedAt));
    this.#increasedAt = now;
    if (slack) rate = Math.min(this.#ceiling, Math.max(rate, this.#local.rate + this.#shared.growth(this.#ceiling, elapsed)));
    this.#local.grow(rate, this.#source === 'headers' ? this.#burstFor(rate) : this.#local.burst, now);
    this.#rateChanged();
  }
}
