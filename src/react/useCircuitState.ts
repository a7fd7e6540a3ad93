import { useCallback, useEffect, useMemo, useRef, useSyncExternalStore } from 'react';
import type { Executor } from '../createExecutor.js';
import type { CircuitState } from '../types.js';
import { assertExecutor } from './assertExecutor.js';

/** The selection of the last committed render, so a selector recreated on each render still keeps equal values. */
interface Committed<Selection> {
  hasValue: boolean;
  value: Selection | undefined;
}

/**
 * The circuit of `executor`, kept up to date. The component re-renders only when the circuit changes.
 *
 * @throws {@link TypeError} when `executor` is not an executor from `createExecutor()`.
 * @example
 * function CircuitDebug({ executor }: { executor: Executor }) {
 *   const circuit = useCircuitState(executor)
 *   return <pre>{circuit.state} after {circuit.consecutiveFailures} failures</pre>
 * }
 */
export function useCircuitState(executor: Executor): CircuitState;
/**
 * A value selected from the circuit of `executor`. The component re-renders only when the selected value changes:
 * by `Object.is`, or by `isEqual` when given (for a selector that builds an object or array).
 *
 * @throws {@link TypeError} when `executor` is not an executor from `createExecutor()`, or `selector` is not a
 * function.
 * @example
 * function SaveButton({ executor }: { executor: Executor }) {
 *   // Not re-rendered while failures are merely counted, only when calls start or stop being rejected.
 *   const isOpen = useCircuitState(executor, (circuit) => circuit.isOpen)
 *   return <button disabled={isOpen}>Save</button>
 * }
 */
export function useCircuitState<Selection>(
  executor: Executor,
  selector: (state: CircuitState) => Selection,
  isEqual?: (a: Selection, b: Selection) => boolean,
): Selection;
export function useCircuitState<Selection>(
  executor: Executor,
  selector?: (state: CircuitState) => Selection,
  isEqual: (a: Selection, b: Selection) => boolean = Object.is,
): CircuitState | Selection {
  assertExecutor(executor, 'useCircuitState(executor)');
  if (selector !== undefined && typeof selector !== 'function') {
    throw new TypeError(`xstate-circuit-breaker: useCircuitState(executor, selector) needs a function, got ${typeof selector}.`);
  }
  const subscribe = useCallback((onChange: () => void) => executor.subscribe(onChange), [executor]);

  const committed = useRef<Committed<Selection>>({ hasValue: false, value: undefined });
  // A getter that returns the same selection (same identity) until the circuit changes AND the selected value is not
  // equal to the previous one: useSyncExternalStore re-renders only when the getter's result is not Object.is-equal.
  const getSelection = useMemo(() => {
    if (selector === undefined) return () => executor.getCircuitState();
    let hasMemo = false;
    let memoState: CircuitState | undefined;
    let memoSelection: Selection | undefined;
    return (): Selection => {
      const state = executor.getCircuitState();
      if (hasMemo && state === memoState) return memoSelection as Selection;
      const next = selector(state);
      // The first call of a new getter (new selector or isEqual) compares with what the last render showed.
      const previous = hasMemo ? { has: true, value: memoSelection } : { has: committed.current.hasValue, value: committed.current.value };
      hasMemo = true;
      memoState = state;
      memoSelection = previous.has && isEqual(previous.value as Selection, next) ? (previous.value as Selection) : next;
      return memoSelection;
    };
  }, [executor, selector, isEqual]);

  const value = useSyncExternalStore<CircuitState | Selection>(subscribe, getSelection, getSelection);

  useEffect(() => {
    committed.current.hasValue = true;
    committed.current.value = value as Selection;
  }, [value]);

  return value;
}
