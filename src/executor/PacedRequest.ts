import { findHeaders } from '../classify/headers.js';
import { fixedSlot } from '../pacing/fixedSlot.js';
import type { Pacer, PacerSlot } from '../pacing/pacerTypes.js';
import type { Clock } from '../types.js';
import type { FailureFacts } from './decideFailure.js';
import { responseHeaders } from './snapshotHelpers.js';

/**
 * One attempt's turn with the pacer, from its slot to its answer. The pacer hears of it exactly once, whatever path
 * the call takes: a slot never used is given back (`cancel`), a request that went is ended by what it got (a success,
 * a failure's answer, or nothing). The first ending counts; every later one does nothing, so no caller keeps the
 * pairing by hand. None of its methods throws: a broken custom pacer must not change a call's outcome.
 */
export class PacedRequest {
  readonly #pacer: Pacer;
  readonly #slot: PacerSlot | null;
  #phase: 'queued' | 'sent' | 'ended';

  /**
   * Takes the pacer's next slot for one attempt: `undefined` when nothing paces the call. The request is `sent` at once
   * when the pacer lets it go now, else `queued` until {@link PacedRequest.send}.
   */
  static take(pacer: Pacer | undefined, clock: Clock): PacedRequest | undefined {
    if (pacer === undefined) return undefined;
    if (typeof pacer.queue === 'function') return new PacedRequest(pacer, pacer.queue());
    const wait = pacer.reserve();
    return new PacedRequest(pacer, wait > 0 ? fixedSlot(pacer, wait, clock) : null);
  }

  private constructor(pacer: Pacer, slot: PacerSlot | null) {
    this.#pacer = pacer;
    this.#slot = slot;
    this.#phase = slot === null ? 'sent' : 'queued';
  }

  /** Whether the request still waits for its slot. */
  get queued(): boolean {
    return this.#phase === 'queued';
  }

  /** Milliseconds until the slot, as the pacer knows now (0: go). The slot may move; {@link onMove} says when. */
  dueInMs(): number {
    return this.#phase === 'queued' ? this.#slot!.dueInMs() : 0;
  }

  /** Called by the pacer when the slot may have moved earlier than its caller waits for. */
  set onMove(listener: (() => void) | null) {
    if (this.#slot !== null) this.#slot.onMove = listener;
  }

  /** The request goes now: its slot is used. */
  send(): void {
    if (this.#phase !== 'queued') return;
    this.#phase = 'sent';
    this.#slot!.take();
  }

  /** The request got an answer that was not an error: the pacer learns from its headers, if it is a `Response`. */
  succeeded(value: unknown): void {
    if (!this.#end()) return;
    let headers: unknown;
    try {
      headers = responseHeaders(value);
    } catch {
      // A value whose `headers` getter throws has nothing to learn from.
    }
    // (Each call to the pacer has its own try, without a closure: this runs on every call's success path.)
    try {
      this.#pacer.observeSuccess(headers);
    } catch {
      // A broken custom pacer must not fail a call that succeeded.
    }
  }

  /** The attempt failed: the pacer learns what its answer says (a rate limit, a 5xx, a 4xx with headers, or nothing). */
  failed(error: unknown, facts: FailureFacts): void {
    if (!this.#end()) return;
    let headers: unknown = null;
    try {
      headers = findHeaders(error);
    } catch {
      // Headers that cannot be read teach nothing.
    }
    const pacer = this.#pacer;
    try {
      if (facts.rateLimited) pacer.observeRateLimited(headers, facts.retryAfterMs);
      else if (headers === null) pacer.observeFailure();
      // Its rate-limit headers teach the pacer; a 5xx is not the server accepting the request, a 4xx is.
      else pacer.observeSuccess(headers, !(typeof facts.status === 'number' && facts.status >= 500));
    } catch {
      // A broken custom pacer must not change the call's outcome.
    }
  }

  /**
   * The attempt ends with nothing to learn from: a slot never used is given back; a request that went is told to the
   * pacer as ended without an answer (an abort, a throwing predicate).
   */
  abandon(): void {
    const phase = this.#phase;
    if (phase === 'ended') return;
    this.#phase = 'ended';
    try {
      if (phase === 'queued') this.#slot!.cancel();
      else this.#pacer.observeFailure();
    } catch {
      // A broken custom pacer must not change the call's outcome.
    }
  }

  /** Ends a request that went; false (nothing to tell) when it never went or has already ended. */
  #end(): boolean {
    if (this.#phase !== 'sent') return false;
    this.#phase = 'ended';
    return true;
  }
}
