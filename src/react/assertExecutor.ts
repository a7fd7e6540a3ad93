import type { Executor } from '../createExecutor.js';

/** True for anything shaped like an executor (it may come from another copy of the package). */
export function isExecutor(value: unknown): value is Executor {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Executor).getCircuitState === 'function' &&
    typeof (value as Executor).subscribe === 'function'
  );
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object without getCircuitState()/subscribe()' : `${typeof value} ${String(value)}`;
}

/** Throws a TypeError naming `where` when `value` is not an executor. @internal */
export function assertExecutor(value: unknown, where: string): asserts value is Executor {
  if (!isExecutor(value)) {
    throw new TypeError(`xstate-circuit-breaker: ${where} must be an executor from createExecutor(), got ${describe(value)}.`);
  }
}
