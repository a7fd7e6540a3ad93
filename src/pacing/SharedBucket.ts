import type { RateLimitInfo } from '../classify/parseRateLimitHeaders.js';

/** Tokens the bucket may read below this client's own account before others count as drawing: rounding and jitter. */
const MARGIN = 1.5;
/** How fast what was drawn from the shared bucket is forgotten: a time constant of a second. */
const MEMORY_MS = 1000;
/** A stated window this short is a bucket refilling within a second: one answer's Remaining shows who draws now. */
const SHORT_WINDOW_MS = 1000;
/** On congestion the rate is cut by `decrease`, and by this much more times this client's share of what was drawn. */
const SHARE_CUT = 0.4;
/**
 * While the shared bucket is more than half full, the rate grows by this share of the stated rate per second, times
 * this client's share of what was drawn (so N clients together grow as fast as one alone).
 */
const SLACK_GROWTH = 0.5;
/** The smallest share the growth counts with, so that a client squeezed to almost nothing still climbs back. */
const MIN_GROWTH_SHARE = 0.1;

/**
 * A stated policy whose window is a second or less: a bucket (or a window short enough to read as one) that refills at
 * `limit` per window. What is missing from a longer window's quota may have been drawn long ago, by anyone: such
 * policies are not read.
 */
function policyOf(info: RateLimitInfo): { limit: number; ratePerSecond: number } | null {
  const { limit, windowMs } = info;
  if (limit === null || windowMs === null || !(limit > 0) || !(windowMs > 0) || windowMs > SHORT_WINDOW_MS) return null;
  return { limit, ratePerSecond: (limit / windowMs) * 1000 };
}

/**
 * What the shared `RateLimit-Remaining` tells one client about the others on its key. The bucket refills at the
 * stated rate and this client's own requests draw from it; when the server reports less than that, others drew the
 * difference. From that account come this client's share of what was drawn, a congestion signal before any 429 (the
 * bucket below half while others draw, as ECN marks are for TCP), and the rules that make clients sharing a key
 * converge to near-equal shares: the clients drawing most cut most, and all grow while there is room.
 */
export class SharedBucket {
  #remaining: number | null = null;
  #limit = 0;
  #ratePerSecond = 0;
  /**
   * The most the bucket was seen to hold: the quota a policy states need not be what the bucket holds at once (a
   * server may state 20 per second and hold 10), so the account never assumes more than it saw.
   */
  #capacity = 0;
  #at = 0;
  /** This client's requests the server answered since the last reading, each of which may have drawn a token. */
  #answered = 0;
  /** Tokens drawn lately, by this client and by the others, decaying with {@link MEMORY_MS}. */
  #own = 0;
  #others = 0;
  #seen = false;

  /** An answer that reached the server with nothing to read (a 5xx, a lost answer): one more token this client drew. */
  answered(): void {
    this.#answered++;
  }

  /** Whether others were ever seen drawing from the bucket (or it turned this client away at its first answer). */
  get othersSeen(): boolean {
    return this.#seen;
  }

  /** This client's share of what was drawn from the bucket lately: 1 while it saw nobody else draw. */
  get share(): number {
    const total = this.#own + this.#others;
    return total > 0 ? this.#own / total : 1;
  }

  /** Whether the bucket has been read (a policy with a window was stated). */
  get reading(): boolean {
    return this.#limit > 0;
  }

  /**
   * The share of the stated rate to start at, from the first answer: a client turned away at its first requests by a
   * bucket that refills within a second shares it with others (up to `limit` of them); any other first answer says
   * nothing sure (the quota a policy states need not be what the bucket holds at once), and it starts at the whole rate.
   */
  firstShare(info: RateLimitInfo, limited: boolean): number {
    const { limit } = info;
    if (!limited || policyOf(info) === null || limit === null) return 1;
    this.#seen = true;
    return 1 / (1 + limit);
  }

  /**
   * Reads an accepted answer, with `inFlight` more of this client's requests not answered yet: true when the bucket
   * is below half and others drew from it lately.
   */
  read(info: RateLimitInfo, now: number, inFlight: number): boolean {
    const policy = policyOf(info);
    const { remaining } = info;
    if (policy === null || remaining === null) {
      this.answered();
      return false;
    }
    const { limit, ratePerSecond } = policy;
    // A first reading, or one of another policy, is where the account starts: what is missing from it may have been
    // drawn long ago, by anyone.
    const samePolicy = this.#limit === limit && this.#ratePerSecond === ratePerSecond;
    const previous = samePolicy ? this.#remaining : null;
    const capacity = Math.min(limit, Math.max(samePolicy ? this.#capacity : 0, remaining + 1));
    this.#capacity = capacity;
    const drawnByThisClient = this.#answered + 1;
    const elapsed = Math.max(0, now - this.#at);
    this.#remaining = remaining;
    this.#limit = limit;
    this.#ratePerSecond = ratePerSecond;
    this.#at = now;
    this.#answered = 0;
    if (previous === null) return false;
    const refilled = previous + (ratePerSecond * elapsed) / 1000;
    // What others surely drew: even with the bucket full by now (it holds what it was seen to hold at most), less this
    // client's own draws, in flight included, and a token of rounding (Remaining is a whole number rounded down).
    const surely = Math.max(0, Math.min(capacity, refilled) - drawnByThisClient - inFlight - remaining - 1);
    // Once others surely drew, the bucket was kept from filling: all it refilled since went to someone. (Without that
    // evidence nothing is counted: a client alone that was idle finds its bucket full, the refill was not drawn.)
    const drawnByOthers = surely > 0 ? refilled - drawnByThisClient - inFlight - remaining - 1 : 0;
    const keep = Math.exp(-elapsed / MEMORY_MS);
    this.#own = this.#own * keep + drawnByThisClient;
    this.#others = this.#others * keep + drawnByOthers;
    if (this.#others > 0) this.#seen = true;
    return remaining < limit / 2 && this.#others >= MARGIN;
  }

  /** Whether an answer shows the bucket at least half full: the server has room. */
  hasRoom(info: RateLimitInfo): boolean {
    return info.limit !== null && info.remaining !== null && info.remaining >= info.limit / 2;
  }

  /** The rate after congestion (a low bucket, or a 429): cut by `decrease`, and deeper the larger this client's share. */
  cut(rate: number, decrease: number): number {
    return rate * (1 - (1 - decrease + SHARE_CUT) * this.share);
  }

  /** What the rate may grow by over `elapsedMs` while the bucket has room, below a stated `ceiling`. */
  growth(ceiling: number, elapsedMs: number): number {
    return (ceiling * SLACK_GROWTH * Math.max(MIN_GROWTH_SHARE, this.share) * elapsedMs) / 1000;
  }
}
