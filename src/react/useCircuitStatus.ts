import { useContext } from 'react';
import type { Executor } from '../createExecutor.js';
import type { CircuitStateName } from '../types.js';
import { assertExecutor } from './assertExecutor.js';
import { CircuitContext } from './CircuitContext.js';
import { defaultCircuitStateLabels } from './defaultCircuitStateLabels.js';
import { findExecutor } from './findExecutor.js';
import { formatNextTrial } from './formatNextTrial.js';
import { useCircuitState } from './useCircuitState.js';
import { useCountdown } from './useCountdown.js';

/** What a status indicator shows; the props shared by `CircuitStatusBadge` and `CircuitStatusChip`. */
export interface CircuitStatusOptions {
  /** The executor to show. Without it, the one of the nearest `<CircuitProvider>` (its default, or `name`). */
  readonly executor?: Executor;
  /** With no `executor`, the provider's executor of that name (from its `executors`); also the default `label`. */
  readonly name?: string;
  /** Put before the state, as in `"contacts: Open"`. Defaults to `name`. */
  readonly label?: string;
  /** Words per state, replacing some of {@link defaultCircuitStateLabels}. */
  readonly labels?: Partial<Record<CircuitStateName, string>>;
  /** The countdown text while the circuit is open. Defaults to {@link formatNextTrial} (`"next trial in 42 s"`). */
  readonly formatCountdown?: (remainingMs: number) => string;
}

/** The status of a circuit as words, for a custom indicator. */
export interface CircuitStatus {
  /** The executor shown (the prop, or the one found in the provider). */
  readonly executor: Executor;
  readonly state: CircuitStateName;
  /** The word for the state, with the label: `"contacts: Open"`. */
  readonly stateText: string;
  /** Milliseconds until the next trial while `open`, else `null`. */
  readonly remainingMs: number | null;
  /** `"next trial in 42 s"` while `open`, else `null`. */
  readonly countdownText: string | null;
  /** Consecutive failures counted while `closed` (0 in the other states). */
  readonly consecutiveFailures: number;
  /** `"2 of 5 failed"` while `closed` with consecutive failures and a `failureThreshold`, else `null`. */
  readonly failuresText: string | null;
  /** Everything together: `"contacts: Open · next trial in 42 s"`, `"contacts: Closed · 2 of 5 failed"`. */
  readonly text: string;
}

/**
 * The status of a circuit as the words a person reads, kept up to date: the state with its label and, while open, a
 * countdown to the next trial that ticks each second, and while closed the consecutive failures out of the
 * `failureThreshold` (`"2 of 5 failed"`). The component re-renders when the state, the next trial time or the
 * failures counted while closed change, and on each countdown tick. Build your own indicator on it.
 *
 * @throws {@link TypeError} when `executor` is given and is not an executor.
 * @throws {@link Error} without `executor`: outside a `<CircuitProvider>`, or when it has no executor for `name` (or
 * no default one).
 * @example
 * function CircuitLine() {
 *   const { state, text } = useCircuitStatus({ name: 'contacts' })
 *   return <p className={`circuit-${state}`}>{text}</p>
 * }
 */
export function useCircuitStatus(options: CircuitStatusOptions = {}): CircuitStatus {
  return useCircuitStatusOf(options, 'useCircuitStatus()');
}

/** {@link useCircuitStatus} for a component: `caller` (`'<CircuitStatusBadge>'`) names it in error messages. @internal */
export function useCircuitStatusOf(options: CircuitStatusOptions, caller: string): CircuitStatus {
  const { name, labels, formatCountdown = formatNextTrial } = options;
  const context = useContext(CircuitContext);
  if (options.executor !== undefined) {
    assertExecutor(options.executor, caller.startsWith('<') ? `${caller.slice(0, -1)} executor>` : `${caller.slice(0, -2)}({ executor })`);
  }
  const executor = options.executor ?? findExecutor(context, name, caller);

  const state = useCircuitState(executor, selectState);
  const nextAttemptAt = useCircuitState(executor, selectNextAttemptAt);
  const remainingMs = useCountdown(state === 'open' ? nextAttemptAt : null, executor.options?.clock);

  const label = options.label ?? name;
  const word = labels?.[state] ?? defaultCircuitStateLabels[state];
  const stateText = label === undefined || label === '' ? word : `${label}: ${word}`;
  const countdownText = remainingMs === null ? null : formatCountdown(remainingMs);
  const consecutiveFailures = useCircuitState(executor, selectFailuresWhileClosed);
  const threshold = executor.options?.circuit?.failureThreshold ?? 0;
  const failuresText = consecutiveFailures > 0 && threshold > 0 ? `${consecutiveFailures} of ${threshold} failed` : null;
  const detail = countdownText ?? failuresText;
  return {
    executor,
    state,
    stateText,
    remainingMs,
    countdownText,
    consecutiveFailures,
    failuresText,
    text: detail === null ? stateText : `${stateText} · ${detail}`,
  };
}

function selectState(state: { state: CircuitStateName }): CircuitStateName {
  return state.state;
}

function selectFailuresWhileClosed(state: { state: CircuitStateName; consecutiveFailures: number }): number {
  return state.state === 'closed' ? state.consecutiveFailures : 0;
}

function selectNextAttemptAt(state: { nextAttemptAt: number | null }): number | null {
  return state.nextAttemptAt;
}
