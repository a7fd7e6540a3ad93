import type { SyncChannel } from '../sync/types.js';
import type { PacerSharingLink } from './PacerSharingLink.js';
import type { Clock } from '../types.js';

/** Where the pacer's current rate comes from. */
export type PacingSource = 'unknown' | 'headers' | 'adaptive';

/** A snapshot of the pacer, for dashboards and tests. */
export interface PacerState {
  readonly source: PacingSource;
  /** Requests per second the pacer lets through now (`Infinity` while it knows of no limit). */
  readonly ratePerSecond: number;
  /** The largest burst it lets through at once. */
  readonly burst: number;
  /** Tokens in the bucket now (negative when requests are already queued for later slots). */
  readonly tokens: number;
  /** Clock time before which no request goes out (the server said the quota is used up), or `null`. */
  readonly blockedUntil: number | null;
  /** Requests the server rejected with 429 that the pacer saw. */
  readonly throttled: number;
  /** Requests reserved and not yet answered. */
  readonly inFlight: number;
  /** The highest rate the pacer goes back up to: the server's stated rate (less headroom), or `Infinity`. */
  readonly ceilingPerSecond?: number;
  /** Clock time of the last response the server accepted (not a 429), or `null`. */
  readonly lastAcceptedAt?: number | null;
}

/** Options of `createPacer()`; every one has a default. */
export interface PacerOptions {
  /** Share of the server's stated rate to use, leaving room for clock skew. Default 0.98. */
  headroom?: number;
  /**
   * On a 429, pace at this share of the rate the server was seen to accept from this pacer (its share of a limit that
   * other clients may use too), or of the current rate while too few answers were seen to measure. Default 0.9.
   */
  decrease?: number;
  /**
   * Additive increase while no 429 comes, in requests per second gained per second, up to the stated rate. Default:
   * a twentieth of the stated rate (2 while no rate is stated).
   */
  increasePerSecond?: number;
  /** Never pace below this. Default 0.5 requests per second. */
  minRatePerSecond?: number;
  /** Start with a known rate instead of learning it. Default: unknown (no pacing until the server says). */
  initialRatePerSecond?: number | null;
  /** Burst used with an adaptive rate. Default 1 (steady spacing). */
  adaptiveBurst?: number;
  /**
   * The longest the pacer holds requests back because the server said its quota is used up. Default 120 000 ms (an
   * executor's own pacer: its `maxRetryAfterMs`, when shorter).
   */
  maxWaitMs?: number;
  clock?: Clock;
  /**
   * Draws in [0, 1): where in its next interval a client comes back after the server's quota reset, so that clients
   * sharing a key do not all return at once. Default `Math.random` (an executor's own pacer: the executor's `random`).
   */
  random?: () => number;
  /**
   * Share what this pacer learns of the server's limit with the pacers of the same name in other tabs of this
   * origin: `sharePacerAcrossTabs({ name })` from `xstate-circuit-breaker/persist` (apps that do not import it do not
   * bundle the channel code). Default: not shared.
   */
  shareAcrossTabs?: PacerSharingLink;
}

/** The options of `sharePacerAcrossTabs`: the name the tabs share limits under, and how they talk. */
export interface PacerSharing {
  /** Pacers with the same name (in any tab of the origin) share their limits. */
  name: string;
  /** Opens the channel. Default: `new BroadcastChannel(name)`. */
  createChannel?: (name: string) => SyncChannel;
}

/** What a shared pacer has told and heard; see {@link Pacer.getSharingStats}. */
export interface PacerSharingStats {
  /** Limits this pacer announced. */
  readonly published: number;
  /** Announcements from other tabs that changed this pacer (a rate, or a hold). */
  readonly adopted: number;
  /** Messages that were not a valid announcement, ignored. */
  readonly malformed: number;
  /** Announcements of another format version, ignored. */
  readonly unsupported: number;
}

/**
 * A place in a pacer's line, from {@link Pacer.queue}. It ends exactly once: taken when its time comes, or cancelled.
 * Either way the request it was for is then counted as in flight until one of the pacer's `observe…` methods ends it.
 */
export interface PacerSlot {
  /** Milliseconds from now until this slot, as the pacer knows now: 0 means go (then call {@link PacerSlot.take}). */
  dueInMs(): number;
  /** The request goes now. Nothing happens on a slot that already ended. */
  take(): void;
  /** Gives the place back unused; the places behind it move up. Nothing happens on a slot that already ended. */
  cancel(): void;
  /** Set by the waiting caller: the pacer calls it when this slot may have moved earlier than the caller waits for. */
  onMove: (() => void) | null;
}

/**
 * A client-side limiter that keeps requests just under the server's limit. Share one between executors that talk to
 * the same server (the limit is per client, not per resource).
 */
export interface Pacer {
  /**
   * Takes a slot: returns 0 when the request may go now, else the milliseconds to wait for the slot reserved for it
   * (slots are handed out in order; a caller that gives up calls {@link Pacer.cancel}).
   */
  reserve(): number;
  /** Gives back a slot reserved by {@link Pacer.reserve} and not used. */
  cancel(): void;
  /**
   * Takes a place in line for a slot that moves while its caller waits: earlier when the pacer learns it may go faster
   * (or a place ahead is given back), later when it must slow down. Returns `null` when the request may go now (the
   * slot is taken). An executor prefers this to {@link Pacer.reserve} when the pacer has it.
   */
  queue?(): PacerSlot | null;
  /**
   * Learns from a response that was not a 429 (its rate-limit headers, if any). Ends a reserved request. `accepted`
   * false: the server answered but did not serve the request (a 5xx): its headers count, it does not show the server
   * serving. Default true.
   */
  observeSuccess(headers: unknown, accepted?: boolean): void;
  /** A reserved request ended without a response to learn from (a network error, an abort). */
  observeFailure(): void;
  /**
   * Learns from a 429: its rate-limit headers, or else the rate the server accepted recently. `retryAfterMs` is the
   * wait the executor read from it (Retry-After first), which bounds how long the pacer holds everything back.
   * Ends a reserved request.
   */
  observeRateLimited(headers: unknown, retryAfterMs?: number | null): void;
  getState(): PacerState;
  /**
   * Whether the server accepted a request lately: a 429 then means "slow down", not "down". The executor retries such
   * a 429 for free, at the pacer's next slot, and does not count it against the circuit. Without this method every
   * 429 counts as a failure.
   */
  isServing?(): boolean;
  /** With `shareAcrossTabs`: what was told and heard; otherwise `null`. */
  getSharingStats?(): PacerSharingStats | null;
  /** Closes the channel of a shared pacer (it then neither tells nor hears). Nothing to do otherwise. */
  stop?(): void;
}
