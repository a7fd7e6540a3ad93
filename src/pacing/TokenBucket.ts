/**
 * The local token bucket that spaces one pacer's requests: `rate` tokens per second up to `burst`, and a hold until a
 * time when the server said its quota is used up. It knows nothing of how the rate is learnt.
 */
export class TokenBucket {
  rate = Number.POSITIVE_INFINITY;
  burst = Number.POSITIVE_INFINITY;
  #tokens = Number.POSITIVE_INFINITY;
  #refilledAt = 0;
  /** No request goes before this time (`null`: no hold). */
  blockedUntil: number | null = null;

  /** The tokens there are at `now`. */
  tokens(now: number): number {
    this.#refill(now);
    return this.#tokens;
  }

  /** Sets the rate and burst; a bucket that had no rate yet starts with one token. */
  set(rate: number, burst: number, now: number, first: boolean): void {
    if (first) {
      this.#tokens = Math.min(burst, 1);
      this.#refilledAt = now;
    } else {
      this.#refill(now);
      this.#tokens = Math.min(this.#tokens, burst);
    }
    this.rate = rate;
    this.burst = burst;
  }

  /** Changes the rate (and burst) from `now` on, keeping the tokens there are. */
  grow(rate: number, burst: number, now: number): void {
    this.#refill(now);
    this.rate = rate;
    this.burst = burst;
  }

  /** Sets the tokens there are now. */
  fill(tokens: number, now: number): void {
    this.#refill(now);
    this.#tokens = tokens;
  }

  /** Never more tokens than `most` (what the server says is left for everyone). */
  atMost(most: number, now: number): void {
    this.#refill(now);
    this.#tokens = Math.min(this.#tokens, most);
  }

  /** Takes a token even when there is none: the ms until it is there (and the hold is over). */
  reserve(now: number): number {
    this.#refill(now);
    const blockedWait = this.blockedUntil === null ? 0 : this.blockedUntil - now;
    if (blockedWait <= 0) this.blockedUntil = null;
    this.#tokens -= 1;
    const tokenWait = this.#tokens >= 0 ? 0 : (-this.#tokens / this.rate) * 1000;
    return Math.max(0, Math.ceil(Math.max(tokenWait, blockedWait)));
  }

  /** Takes a token if there is one and nothing holds; false otherwise. */
  tryTake(now: number): boolean {
    this.#refill(now);
    if (this.blockedUntil !== null && this.blockedUntil <= now) this.blockedUntil = null;
    if (this.blockedUntil !== null || this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }

  /** Takes the token a waiting request was due (it may be short by rounding). */
  take(now: number): void {
    this.#refill(now);
    this.#tokens -= 1;
  }

  /** A token taken for a request that was not sent. */
  giveBack(): void {
    this.#tokens = Math.min(this.burst, this.#tokens + 1);
  }

  /** The ms until the request at `position` in line (0: the next) has its token and the hold is over. */
  dueInMs(position: number, now: number): number {
    this.#refill(now);
    const blockedWait = this.blockedUntil === null ? 0 : this.blockedUntil - now;
    // (A token short by rounding only is there.)
    const missing = position + 1 - this.#tokens;
    const tokenWait = missing <= 1e-9 ? 0 : (missing / this.rate) * 1000;
    return Math.max(0, Math.ceil(Math.max(tokenWait, blockedWait)));
  }

  /**
   * Holds every request until `until`, unless a later hold is on; `emptied`: the bucket is empty then and refills only
   * from `until`, so that what comes after the hold is spaced, not a burst. True when the hold was set.
   */
  hold(until: number, emptied: boolean): boolean {
    if (this.blockedUntil !== null && until <= this.blockedUntil) return false;
    this.blockedUntil = until;
    if (emptied) {
      this.#tokens = Math.min(this.#tokens, 0);
      this.#refilledAt = Math.max(this.#refilledAt, until);
    }
    return true;
  }

  #refill(now: number): void {
    if (!Number.isFinite(this.rate)) return;
    const elapsed = now - this.#refilledAt;
    if (elapsed > 0) {
      this.#tokens = Math.min(this.burst, this.#tokens + (elapsed / 1000) * this.rate);
      this.#refilledAt = now;
    }
  }
}
