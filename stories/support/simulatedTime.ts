import { SimulatedClock } from 'xstate';

/** The time every story clock starts at (a fixed date, so snapshots and screenshots do not change from run to run). */
export const storyStartTime = Date.UTC(2025, 0, 6, 9, 0, 0);

/** A `SimulatedClock` set to {@link storyStartTime}: nothing in a story waits for real time. */
export function createStoryClock(): SimulatedClock {
  const clock = new SimulatedClock();
  clock.set(storyStartTime);
  return clock;
}

/** One macrotask turn, so that every promise callback queued so far has run. */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => globalThis.setTimeout(resolve, 0));
}

/**
 * Moves `clock` forward by `ms` in steps of `stepMs`, letting promise callbacks run between steps: a retry that a timer
 * starts can set its next timer, and that one fires within the same advance, as it would in real time.
 */
export async function advanceClock(clock: SimulatedClock, ms: number, stepMs = 250): Promise<void> {
  if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`advanceClock: ms must be a finite number >= 0, got ${ms}.`);
  let remaining = ms;
  await nextTurn();
  while (remaining > 0) {
    const step = Math.min(stepMs, remaining);
    clock.increment(step);
    remaining -= step;
    await nextTurn();
  }
}

/**
 * Waits for `promise`, moving `clock` forward by `stepMs` each time it is still pending after its callbacks ran.
 * Throws when it has not settled after `limitMs` of simulated time (a story must not hang on a call nobody answers).
 */
export async function settleOnClock<T>(clock: SimulatedClock, promise: Promise<T>, options: { stepMs?: number; limitMs?: number } = {}): Promise<T> {
  const { stepMs = 250, limitMs = 600_000 } = options;
  let settled = false;
  const observed = promise.finally(() => {
    settled = true;
  });
  // The outcome is read by the `await observed` below; this only keeps an early rejection from being reported as unhandled.
  observed.catch(() => undefined);
  let elapsed = 0;
  await nextTurn();
  while (!settled) {
    if (elapsed >= limitMs) throw new Error(`settleOnClock: still pending after ${limitMs} ms of simulated time.`);
    clock.increment(stepMs);
    elapsed += stepMs;
    await nextTurn();
  }
  return observed;
}
