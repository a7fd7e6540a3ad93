/** The last `size` clock times something happened, to count how many fell inside a recent window. */
export class TimeRing {
  readonly #times: Float64Array;
  #count = 0;

  constructor(size: number) {
    this.#times = new Float64Array(size);
  }

  record(at: number): void {
    this.#times[this.#count % this.#times.length] = at;
    this.#count++;
  }

  /**
   * How many of the kept times are later than `since`, and the earliest of them (`now` when none): newest first, so a
   * ring full of times inside the window reports the span those times cover.
   */
  countSince(since: number, now: number): { readonly n: number; readonly oldest: number; readonly full: boolean } {
    const size = this.#times.length;
    const available = Math.min(this.#count, size);
    let n = 0;
    let oldest = now;
    while (n < available) {
      const at = this.#times[(this.#count - 1 - n) % size]!;
      if (at <= since) break;
      oldest = at;
      n++;
    }
    return { n, oldest, full: n === size };
  }
}
