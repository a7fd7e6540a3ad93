import type { Executor } from '../createExecutor.js';
import type { CircuitState, Clock } from '../types.js';

/** Options of {@link createProbe}. */
export interface ProbeOptions {
  /** A cheap call to the protected service (a `HEAD`, a `GET ?limit=1`). It runs as the half-open trial. */
  probe: (signal: AbortSignal) => Promise<unknown>;
  /** How long the circuit must sit half-open with no trial running before the probe runs. Default 1 000 ms. */
  delayMs?: number;
  /** Told every error of a probe (a failed trial, a `CircuitOpenError` when a real call took the slot first). */
  onError?: (error: unknown) => void;
  /** Drives the delay. Default: the executor's own clock (`executor.options.clock`). */
  clock?: Clock;
}

/** A running probe; `stop()` unsubscribes, clears its timer and aborts a probe in flight. */
export interface Probe {
  stop(): void;
}

const DEFAULT_DELAY_MS = 1_000;

function waitsForTrial(state: CircuitState): boolean {
  return state.state === 'halfOpen' && state.trialsInFlight === 0;
}

/**
 * Recovers a circuit without waiting for a user's click: when the circuit has been half-open for `delayMs` with no
 * trial in flight, runs `probe` through `executor.execute()`, so the probe IS the trial. Its success closes the circuit;
 * its failure reopens it, and the next half-open period is probed again.
 *
 * @throws {@link TypeError} when `probe` is not a function or `onError` is given and is not one.
 * @throws {@link RangeError} when `delayMs` is negative or not finite.
 * @example
 * ```ts
 * const probe = createProbe(executor, {
 *   probe: (signal) => fetch(`${url}/contacts?limit=1`, { method: 'HEAD', signal }),
 *   onError: (error) => console.debug('probe failed', error),
 * });
 * // later
 * probe.stop();
 * ```
 */
export function createProbe(executor: Executor, options: ProbeOptions): Probe {
  const { probe, onError } = options ?? ({} as ProbeOptions);
  if (typeof probe !== 'function') throw new TypeError(`xstate-circuit-breaker: createProbe() needs a probe function, got ${typeof probe}.`);
  if (onError !== undefined && typeof onError !== 'function')
    throw new TypeError(`xstate-circuit-breaker: createProbe() onError must be a function, got ${typeof onError}.`);
  const delayMs = options.delayMs ?? DEFAULT_DELAY_MS;
  if (typeof delayMs !== 'number' || !Number.isFinite(delayMs) || delayMs < 0)
    throw new RangeError(`xstate-circuit-breaker: createProbe() delayMs must be a finite number >= 0, got ${String(delayMs)}.`);
  const clock = options.clock ?? executor.options.clock;

  const controller = new AbortController();
  let timer: unknown = undefined;
  let running = false;

  const clearTimer = (): void => {
    if (timer === undefined) return;
    clock.clearTimeout(timer);
    timer = undefined;
  };

  const run = (): void => {
    timer = undefined;
    if (controller.signal.aborted || running || !waitsForTrial(executor.getCircuitState())) return;
    running = true;
    executor
      .execute(({ signal }) => probe(signal), { signal: controller.signal, context: 'circuit-probe' })
      .then(
        () => undefined,
        (error: unknown) => {
          if (!controller.signal.aborted) onError?.(error);
        },
      )
      .finally(() => {
        running = false;
        update(executor.getCircuitState());
      });
  };

  const update = (state: CircuitState): void => {
    if (controller.signal.aborted) return;
    if (!waitsForTrial(state) || running) {
      clearTimer();
      return;
    }
    if (timer === undefined) timer = clock.setTimeout(run, delayMs);
  };

  const unsubscribe = executor.subscribe(update);
  update(executor.getCircuitState());

  return {
    stop() {
      if (controller.signal.aborted) return;
      unsubscribe();
      clearTimer();
      controller.abort(new DOMException('The circuit probe was stopped.', 'AbortError'));
    },
  };
}
