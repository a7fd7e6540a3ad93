import type { AdaptivePacer } from '../pacing/AdaptivePacer.js';
import type { PacerSlot, PacerState } from '../pacing/pacerTypes.js';
import type { Clock } from '../types.js';
import { FleetShare } from './FleetShare.js';
import type { DrawResult, MemberReport, RedisBucketLink } from './RedisBucketLink.js';
import type { RedisPacer as RedisPacerType, RedisPacerStats } from './redisPacerTypes.js';
import { RedisSlot, type RedisSlotHost } from './RedisSlot.js';

export interface RedisPacerParts {
  readonly local: AdaptivePacer;
  readonly link: RedisBucketLink;
  readonly key: string;
  readonly clock: Clock;
  readonly timeoutMs: number;
  readonly retryAfterMs: number;
  readonly forgetAfterMs: number;
  readonly onError: ((error: unknown) => void) | undefined;
}

/**
 * A pacer whose slots come from a token bucket in Redis that every process of the same name draws from. The local
 * pacer learns the rate from this process's answers (headers, 429s) and keeps spacing the slots whenever the shared
 * bucket cannot: Redis not connected, not answering within the timeout, failing, or no process knows a rate yet.
 */
export class RedisPacer implements RedisPacerType {
  readonly #local: AdaptivePacer;
  readonly #link: RedisBucketLink;
  readonly #key: string;
  readonly #clock: Clock;
  readonly #timeoutMs: number;
  readonly #retryAfterMs: number;
  readonly #onError: ((error: unknown) => void) | undefined;
  /** Slots paced locally until this clock time, after a failure. */
  #localUntil = Number.NEGATIVE_INFINITY;
  #stopped = false;
  readonly #pending = new Set<RedisSlot>();
  #mode: 'shared' | 'local' = 'local';
  #sharedSlots = 0;
  #localSlots = 0;
  #timeouts = 0;
  #errors = 0;
  #lastError: unknown = null;
  #fleetRate: number | null = null;
  #members = 0;
  /** A 429 came since the last draw: the next one tells the bucket. */
  #congested = false;
  readonly #slotHost: RedisSlotHost;
  readonly #share: FleetShare;

  constructor(parts: RedisPacerParts) {
    this.#local = parts.local;
    this.#link = parts.link;
    this.#key = parts.key;
    this.#clock = parts.clock;
    this.#timeoutMs = parts.timeoutMs;
    this.#retryAfterMs = parts.retryAfterMs;
    this.#onError = parts.onError;
    this.#share = new FleetShare(parts.forgetAfterMs);
    const local = this.#local;
    this.#slotHost = {
      clock: parts.clock,
      sent: () => local.sentPacedElsewhere(),
      joinLocal: () => this.#paceAlone(),
      giveBackLocal: () => local.cancel(),
    };
  }

  /**
   * A slot this process paces alone: at its share of the fleet's last rate while that is fresh (the other processes
   * are likely pacing alone too, or still drawing from the bucket), else with its own pacer.
   */
  #paceAlone(): PacerSlot | null {
    this.#localSlots++;
    const local = this.#local;
    const state = local.getState();
    const now = this.#clock.now();
    const rate = this.#share.rate(now, state.ratePerSecond);
    if (rate === null) return local.queue();
    return this.#share.slot(
      rate,
      now,
      state.blockedUntil,
      this.#clock,
      () => local.sentPacedElsewhere(),
      () => undefined,
    );
  }

  queue(): PacerSlot | null {
    if (this.#stopped || !this.#link.ready || this.#clock.now() < this.#localUntil) {
      this.#mode = 'local';
      return this.#paceAlone();
    }
    const slot = new RedisSlot(this.#slotHost, this.#timeoutMs + 1);
    this.#pending.add(slot);
    void this.#link.draw(this.#report(), this.#answeredLate).then((result) => this.#answered(slot, result));
    return slot;
  }

  /** The local pacer's fixed wait: `reserve()` cannot wait for Redis (the executor uses {@link RedisPacer.queue}). */
  reserve(): number {
    return this.#local.reserve();
  }

  cancel(): void {
    this.#local.cancel();
  }

  observeSuccess(headers: unknown, accepted?: boolean): void {
    this.#local.observeSuccess(headers, accepted);
  }

  observeFailure(): void {
    this.#local.observeFailure();
  }

  observeRateLimited(headers: unknown, retryAfterMs?: number | null): void {
    this.#congested = true;
    this.#local.observeRateLimited(headers, retryAfterMs);
  }

  isServing(): boolean {
    return this.#local.isServing();
  }

  /** The local pacer's state; while the shared bucket spaces the slots, `ratePerSecond` is the fleet's rate. */
  getState(): PacerState {
    const state = this.#local.getState();
    if (this.#mode === 'shared' && this.#fleetRate !== null) return { ...state, ratePerSecond: this.#fleetRate };
    return state;
  }

  getRedisStats(): RedisPacerStats {
    return {
      mode: this.#mode,
      sharedSlots: this.#sharedSlots,
      localSlots: this.#localSlots,
      timeouts: this.#timeouts,
      errors: this.#errors,
      lastError: this.#lastError,
      fleetRatePerSecond: this.#fleetRate,
      members: this.#members,
      learntRatePerSecond: this.#local.getState().ratePerSecond,
      key: this.#key,
    };
  }

  stop(): void {
    this.#stopped = true;
    this.#mode = 'local';
    // Slots still waiting for Redis are paced locally at once.
    for (const slot of [...this.#pending]) {
      this.#pending.delete(slot);
      slot.paceLocally();
    }
    this.#local.stop();
  }

  /** Redis answered a draw that had timed out: it is up, so the next slots try it again without waiting out retryAfterMs. */
  readonly #answeredLate = (): void => {
    if (!this.#stopped) this.#localUntil = Number.NEGATIVE_INFINITY;
  };

  /** What this process tells the bucket: what its pacer learnt (rate and stated ceiling), the hold its server asked for, and whether a 429 came. */
  #report(): MemberReport {
    const state = this.#local.getState();
    const now = this.#clock.now();
    const ceiling = state.ceilingPerSecond ?? Number.POSITIVE_INFINITY;
    const congested = this.#congested;
    this.#congested = false;
    return {
      congested,
      ratePerSecond: state.ratePerSecond,
      ceilingPerSecond: Number.isFinite(ceiling) ? ceiling : 0,
      holdMs: state.blockedUntil === null ? 0 : Math.max(0, state.blockedUntil - now),
    };
  }

  #answered(slot: RedisSlot, result: DrawResult): void {
    if (!this.#pending.delete(slot)) return;
    if (result.kind === 'failed') {
      if (result.timedOut) this.#timeouts++;
      else this.#errors++;
      this.#lastError = result.error;
      this.#mode = 'local';
      this.#localUntil = this.#clock.now() + this.#retryAfterMs;
      slot.paceLocally();
      this.#onError?.(result.error);
      return;
    }
    this.#members = result.members;
    if (result.kind === 'unknown') {
      this.#mode = 'local';
      slot.paceLocally();
      return;
    }
    this.#mode = 'shared';
    this.#sharedSlots++;
    this.#fleetRate = result.ratePerSecond;
    this.#share.heard(result.ratePerSecond, result.members, this.#clock.now());
    slot.granted(result.waitMs);
  }
}
