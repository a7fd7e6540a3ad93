import type { Clock } from './types.js';

/**
 * The wall clock. It looks the timer functions up on every call rather than capturing them at import time, so
 * fake timers installed later (vitest, sinon) still drive it.
 */
export function createSystemClock(): Clock {
  return {
    now: () => Date.now(),
    setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
    clearTimeout: (id) => globalThis.clearTimeout(id),
  };
}
