import { useEffect, useState } from 'react';
import type { Clock } from '../types.js';

/** Anything with a `now()` in milliseconds: an executor's `options.clock`, XState's `SimulatedClock`, … */
export type NowSource = Pick<Clock, 'now'>;

const wallClock: NowSource = { now: () => Date.now() };

/**
 * Milliseconds left until `targetTime` (a time of `clock`), or `null` when there is no target. The component
 * re-renders on each whole second of the remaining time and stops at 0.
 *
 * Time is read from `clock.now()` (pass `executor.options.clock`, so a `SimulatedClock` is honoured; the default is
 * `Date.now()`). The ticks are `globalThis.setTimeout` looked up when scheduled, so fake timers drive them.
 *
 * @example
 * function NextTrial({ executor }: { executor: Executor }) {
 *   const nextAttemptAt = useCircuitState(executor, (s) => s.nextAttemptAt)
 *   const remainingMs = useCountdown(nextAttemptAt, executor.options.clock)
 *   return remainingMs === null ? null : <span>next trial in {Math.ceil(remainingMs / 1000)} s</span>
 * }
 */
export function useCountdown(targetTime: number | null | undefined, clock: NowSource = wallClock): number | null {
  // Each tick bumps this to re-render; the remaining time itself is read from the clock on every render, so it is
  // right at once when the target changes, whatever woke the component.
  const [tick, setTick] = useState(0);
  const remaining = targetTime === null || targetTime === undefined ? null : Math.max(0, targetTime - clock.now());

  useEffect(() => {
    if (remaining === null || remaining <= 0) return undefined;
    // Wake up when the whole number of seconds left changes (9 500 ms left: in 500 ms), then every second.
    const delay = remaining % 1000 || 1000;
    const timer = globalThis.setTimeout(() => setTick((n) => n + 1), delay);
    return () => globalThis.clearTimeout(timer);
    // `tick` keeps it ticking when the clock did not move between two ticks (a SimulatedClock nobody advanced).
  }, [remaining, tick]);

  return remaining;
}
