import type { SimulatedClock } from 'xstate';
import { createExecutor, type CircuitStateName, type Executor, type ExecutorOptions } from '../../src/index.js';
import { httpError } from './httpError.js';
import { createStoryClock } from './simulatedTime.js';

/** A real executor on a simulated clock, and that clock, to move time on in a story. */
export interface CircuitInState {
  readonly executor: Executor;
  readonly clock: SimulatedClock;
}

export interface ExecutorInStateOptions {
  /** For `open`: how long ago the circuit opened, so the countdown shows the rest (default 18 s: "next trial in 42 s"). */
  readonly openForMs?: number;
  /** For `closed`: calls that fail first, fewer than the `failureThreshold` (`"2 of 5 failed"`); default 0. */
  readonly failedCalls?: number;
  /** Options merged over the story defaults (`failureThreshold: 1`, `openDurationMs: 60_000`). */
  readonly executor?: Omit<ExecutorOptions, 'clock'>;
}

/** The options every badge and chip story uses: one failed call opens the circuit for a minute. */
export const storyExecutorOptions = { failureThreshold: 1, openDurationMs: 60_000 } as const satisfies ExecutorOptions;

/** Fails one call with a 500, the way a real outage does, and checks that it failed as expected. */
async function failOneCall(executor: Executor): Promise<void> {
  const outage = httpError(500);
  const outcome = await executor.execute(() => Promise.reject(outage)).then(
    () => 'resolved' as const,
    (error: unknown) => error,
  );
  if (outcome !== outage) {
    throw new Error(`executorInState: the failing call should reject with its HTTP 500, got ${outcome === 'resolved' ? 'a value' : String(outcome)}.`);
  }
}

/**
 * Creates an executor (`createExecutor({ clock: SimulatedClock, failureThreshold: 1, openDurationMs: 60_000 })`) and
 * puts its circuit into `state` the way a user's app would get there: `open` by a failed call, `halfOpen` by a failed
 * call and the open period passing on the clock, `isolated` by `isolate()`. Use it in a story's `loaders`; it resolves
 * within a few microtasks, with no real time passing.
 *
 * @example
 * export const Open: Story = { loaders: [async () => ({ circuit: await executorInState('open') })] }
 */
export async function executorInState(state: CircuitStateName, options: ExecutorInStateOptions = {}): Promise<CircuitInState> {
  const clock = createStoryClock();
  const executor = createExecutor({ ...storyExecutorOptions, ...options.executor, clock });
  switch (state) {
    case 'closed':
      for (let i = 0; i < (options.failedCalls ?? 0); i++) await failOneCall(executor);
      break;
    case 'open':
      await failOneCall(executor);
      clock.increment(options.openForMs ?? 18_000);
      break;
    case 'halfOpen': {
      await failOneCall(executor);
      const { nextAttemptAt } = executor.getCircuitState();
      if (nextAttemptAt === null) throw new Error('executorInState: the circuit did not open after a failed call.');
      // The open timer fires when the clock reaches the end of the open period.
      clock.increment(nextAttemptAt - clock.now());
      break;
    }
    case 'isolated':
      // The hold is never released: the story shows the isolated state for as long as it is on screen.
      executor.isolate();
      break;
    default:
      throw new TypeError(`executorInState: unknown circuit state ${JSON.stringify(state satisfies never)}.`);
  }
  const reached = executor.getCircuitState().state;
  if (reached !== state) {
    executor.stop();
    throw new Error(`executorInState: wanted the circuit ${state}, but it is ${reached}.`);
  }
  return { executor, clock };
}
