import type { Clock } from './types.js';

/** Node and browsers fire a timer of more than 2^31 - 1 ms (about 24.8 days) at once; longer waits are chained. */
const MAX_TIMER_MS = 2_147_483_647;

/** A wait chained over several platform timers; `id` is the one pending now. */
class LongTimer {
  id: ReturnType<typeof globalThis.setTimeout> | undefined = undefined;
}

/**
 * The wall clock. It looks the timer functions up on every call rather than capturing them at import time, so
 * fake timers installed later (vitest, sinon) still drive it. A wait longer than a platform timer can hold is
 * chained, so a huge Retry-After or open duration never fires early.
 */
export function createSystemClock(): Clock<ReturnType<typeof globalThis.setTimeout> | LongTimer> {
  return {
    now: () => Date.now(),
    setTimeout: (fn, ms) => {
      if (!(ms > MAX_TIMER_MS)) return globalThis.setTimeout(fn, ms);
      const timer = new LongTimer();
      const arm = (remaining: number): void => {
        timer.id = globalThis.setTimeout(
          () => (remaining > MAX_TIMER_MS ? arm(remaining - MAX_TIMER_MS) : fn()),
          Math.min(remaining, MAX_TIMER_MS),
        );
      };
      arm(ms);
      return timer;
    },
    clearTimeout: (id) => globalThis.clearTimeout(id instanceof LongTimer ? id.id : id),
  };
}
