import { TokenBucket } from '../pacing/TokenBucket.js';
import type { PacerSlot } from '../pacing/pacerTypes.js';
import type { Clock } from '../types.js';

/**
 * How a process of a fleet paces itself while Redis does not answer: at its share of the fleet's last rate (the rate
 * over the members), never above what its own pacer learnt. Without a fleet rate heard within `forgetMs`, there is
 * nothing to share and its own pacer paces it. All processes losing Redis at once so keep about the fleet's rate
 * together, instead of each going at the whole limit its pacer read.
 */
export class FleetShare {
  readonly #bucket = new TokenBucket();
  readonly #forgetMs: number;
  #fleetRate: number | null = null;
  #members = 1;
  #heardAt = Number.NEGATIVE_INFINITY;
  #started = false;

  constructor(forgetMs: number) {
    this.#forgetMs = forgetMs;
  }

  /** The bucket answered: the fleet's rate and how many processes share it. */
  heard(fleetRate: number, members: number, now: number): void {
    this.#fleetRate = fleetRate;
    this.#members = Math.max(1, members);
    this.#heardAt = now;
  }

  /** This process's rate alone now, or `null` when no fleet rate was heard within `forgetMs`. */
  rate(now: number, learnt: number): number | null {
    if (this.#fleetRate === null || now - this.#heardAt > this.#forgetMs) return null;
    return Math.min(this.#fleetRate / this.#members, learnt);
  }

  /**
   * A slot at `rate`, no earlier than `holdUntil`: `null` when it may go now (and it is taken). `taken` and
   * `gaveBack` tell the pacer's learner about it.
   */
  slot(rate: number, now: number, holdUntil: number | null, clock: Clock, taken: () => void, gaveBack: () => void): PacerSlot | null {
    this.#bucket.set(rate, 1, now, !this.#started);
    this.#started = true;
    const wait = Math.max(this.#bucket.reserve(now), holdUntil === null ? 0 : Math.ceil(holdUntil - now));
    if (wait <= 0) {
      taken();
      return null;
    }
    const due = now + wait;
    let ended = false;
    return {
      onMove: null,
      dueInMs: () => (ended ? 0 : Math.max(0, Math.ceil(due - clock.now()))),
      take: () => {
        if (ended) return;
        ended = true;
        taken();
      },
      cancel: () => {
        if (ended) return;
        ended = true;
        this.#bucket.giveBack();
        gaveBack();
      },
    };
  }
}
