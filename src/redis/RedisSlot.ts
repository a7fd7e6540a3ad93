import type { PacerSlot } from '../pacing/pacerTypes.js';
import type { Clock } from '../types.js';

/** What a {@link RedisSlot} asks of its pacer. */
export interface RedisSlotHost {
  readonly clock: Clock;
  /** A request the shared bucket spaced goes now: the local pacer counts it in flight. */
  sent(): void;
  /** A place in the local pacer's line instead (`null`: the request may go now, and it is counted in flight). */
  joinLocal(): PacerSlot | null;
  /** Gives back a local slot that went at once (`joinLocal()` returned `null`) and was not used. */
  giveBackLocal(): void;
}

type SlotState =
  /** Waiting for the script's answer until `deadline` (clock time) at the latest. */
  | { readonly kind: 'pending'; readonly deadline: number }
  /** The shared bucket's slot, at clock time `due`. */
  | { readonly kind: 'shared'; readonly due: number }
  /** Paced by the local pacer: its slot, or `null` when that one went at once. */
  | { readonly kind: 'local'; readonly inner: PacerSlot | null }
  | { readonly kind: 'ended' };

/**
 * A slot of a Redis pacer. It is handed out before Redis answers: until then it says "wait" (at most until the
 * draw's timeout) and its `onMove` fires when the answer comes. Then it is the shared bucket's slot (a fixed time), or a
 * place in the local pacer's line when Redis did not answer or the fleet knows no rate yet. It ends exactly once.
 */
export class RedisSlot implements PacerSlot {
  onMove: (() => void) | null = null;
  #state: SlotState;
  readonly #host: RedisSlotHost;

  constructor(host: RedisSlotHost, waitAtMostMs: number) {
    this.#host = host;
    this.#state = { kind: 'pending', deadline: host.clock.now() + waitAtMostMs };
  }

  /** Whether the script's answer is still awaited. */
  get pending(): boolean {
    return this.#state.kind === 'pending';
  }

  dueInMs(): number {
    const state = this.#state;
    const now = this.#host.clock.now();
    switch (state.kind) {
      // The answer wakes the caller; the deadline bounds the wait if it never does.
      case 'pending':
        return Math.max(1, Math.ceil(state.deadline - now));
      case 'shared':
        return Math.max(0, Math.ceil(state.due - now));
      case 'local':
        return state.inner === null ? 0 : state.inner.dueInMs();
      case 'ended':
        return 0;
    }
  }

  take(): void {
    const state = this.#end();
    if (state.kind === 'local') state.inner?.take();
    // (Taken before the answer came: the caller did not wait, and the shared slot it gets later goes unused.)
    else if (state.kind === 'shared' || state.kind === 'pending') this.#host.sent();
  }

  cancel(): void {
    const state = this.#end();
    // A shared slot is not given back: the bucket spaces the fleet, and the next slot is at most one interval late.
    if (state.kind === 'local') {
      if (state.inner === null) this.#host.giveBackLocal();
      else state.inner.cancel();
    }
  }

  /** The shared bucket's answer: go in `waitMs`. Ignored once the slot ended. */
  granted(waitMs: number): void {
    if (this.#state.kind !== 'pending') return;
    this.#state = { kind: 'shared', due: this.#host.clock.now() + waitMs };
    this.onMove?.();
  }

  /** No answer from the shared bucket (or no rate there): the local pacer paces this slot. Ignored once it ended. */
  paceLocally(): void {
    if (this.#state.kind !== 'pending') return;
    const inner = this.#host.joinLocal();
    if (inner !== null) inner.onMove = () => this.onMove?.();
    this.#state = { kind: 'local', inner };
    this.onMove?.();
  }

  #end(): SlotState {
    const state = this.#state;
    this.#state = { kind: 'ended' };
    if (state.kind !== 'ended') this.onMove = null;
    return state;
  }
}
