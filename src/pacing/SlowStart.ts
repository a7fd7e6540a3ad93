/**
 * Slow start, while nothing is known of the server's limit: FIRST_WINDOW requests go at once (a page's first few reads
 * are not delayed), the rest wait for answers (each accepted one lets one more go). It ends at the first 429, when
 * the answers teach nothing, at MAX_WINDOW requests in flight, or after MAX_MS.
 */
const FIRST_WINDOW = 4;
const MAX_WINDOW = 64;
const MAX_MS = 1000;

export class SlowStart {
  /** Called when the window changed, so that requests waiting for it look again. */
  readonly #moved: () => void;
  /** Sent requests that may await their answers at once, or `Infinity` when there is no slow start (any more). */
  #window = Number.POSITIVE_INFINITY;
  #until = 0;
  #started = false;

  constructor(moved: () => void) {
    this.#moved = moved;
  }

  /** Starts it at a pacer's first request, if nothing is known yet; it lasts `maxMs` at most. */
  begin(now: number, unknown: boolean, maxMs: number): void {
    if (this.#started) return;
    this.#started = true;
    if (!unknown) return;
    this.#window = FIRST_WINDOW;
    this.#until = now + Math.min(MAX_MS, maxMs);
  }

  /** Begun and ended (or never needed): only the rate and holds space requests from now on. */
  get over(): boolean {
    return this.#started && this.#window === Number.POSITIVE_INFINITY;
  }

  get running(): boolean {
    return this.#window !== Number.POSITIVE_INFINITY;
  }

  /** Whether one more request may go with `sent` awaiting answers. */
  allows(sent: number, now: number): boolean {
    if (sent < this.#window) return true;
    if (now < this.#until) return false;
    this.#window = Number.POSITIVE_INFINITY;
    return true;
  }

  /** How long a request it holds back waits at most (an answer lets it go sooner). */
  waitMs(now: number): number {
    return Math.max(1, Math.ceil(this.#until - now));
  }

  /** An answer came: one more may be in flight (accepted), or it ends (nothing learnt, or the window is full). */
  answered(accepted: boolean, learnt: boolean): void {
    if (!this.running) return;
    if (!learnt || this.#window >= MAX_WINDOW) this.#window = Number.POSITIVE_INFINITY;
    else if (accepted) this.#window++;
    this.#moved();
  }

  /** Ends it: from now on only the rate and holds space requests. */
  end(): void {
    if (!this.running) return;
    this.#window = Number.POSITIVE_INFINITY;
    this.#moved();
  }
}
