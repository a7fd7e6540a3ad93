import type { Clock } from '../types.js';
import type { Pacer, PacerSlot } from './pacerTypes.js';

/**
 * The slot of a pacer that only has {@link Pacer.reserve}: its time is fixed when it is reserved, and giving it back
 * is {@link Pacer.cancel}.
 */
export function fixedSlot(pacer: Pacer, waitMs: number, clock: Clock): PacerSlot {
  const due = clock.now() + waitMs;
  let ended = false;
  return {
    onMove: null,
    dueInMs: () => (ended ? 0 : Math.max(0, due - clock.now())),
    take: () => {
      ended = true;
    },
    cancel: () => {
      if (ended) return;
      ended = true;
      pacer.cancel();
    },
  };
}
