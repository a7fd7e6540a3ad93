import type { PacerSlot } from './pacerTypes.js';

/** What a {@link SlotQueue} asks of its pacer. */
export interface SlotQueueHost {
  /** Milliseconds from now until the slot at `position` (0: the front of the line). */
  dueInMs(position: number): number;
  /** A slot was taken: its request goes now. */
  took(): void;
  /** A slot was given back unused. */
  gaveBack(): void;
}

/**
 * The line of requests waiting for a pacer's slots. A slot's time is not fixed when it joins: it is computed from its
 * place in line whenever it is read, so that slots move as soon as the pacer's rate or hold changes.
 */
export class SlotQueue {
  readonly #slots: QueuedSlot[] = [];
  readonly #host: SlotQueueHost;

  constructor(host: SlotQueueHost) {
    this.#host = host;
  }

  get length(): number {
    return this.#slots.length;
  }

  join(): PacerSlot {
    const slot = new QueuedSlot(this);
    this.#slots.push(slot);
    return slot;
  }

  /** Tells every waiting slot that it may have moved earlier. */
  moved(): void {
    for (const slot of [...this.#slots]) slot.onMove?.();
  }

  /** @internal */
  dueInMs(slot: QueuedSlot): number {
    return this.#host.dueInMs(this.#slots.indexOf(slot));
  }

  /** @internal */
  leave(slot: QueuedSlot, taken: boolean): void {
    const position = this.#slots.indexOf(slot);
    this.#slots.splice(position, 1);
    if (taken) this.#host.took();
    else {
      this.#host.gaveBack();
      // The places behind this one moved up.
      if (position < this.#slots.length) this.moved();
    }
  }
}

class QueuedSlot implements PacerSlot {
  onMove: (() => void) | null = null;
  #queue: SlotQueue | null;

  constructor(queue: SlotQueue) {
    this.#queue = queue;
  }

  dueInMs(): number {
    return this.#queue === null ? 0 : this.#queue.dueInMs(this);
  }

  take(): void {
    this.#end(true);
  }

  cancel(): void {
    this.#end(false);
  }

  #end(taken: boolean): void {
    const queue = this.#queue;
    if (queue === null) return;
    this.#queue = null;
    this.onMove = null;
    queue.leave(this, taken);
  }
}
