import { describeValue, isAbortSignal } from '../options-shared.js';
import type { ExecuteOptions } from '../types.js';

const EXECUTE_OPTIONS = new Set(['signal', 'idempotent', 'context', 'onRetry', 'beforeRetry']);

/**
 * Reads the options of one `execute()` call once, into a plain object; returns it, or the error to reject with (an
 * unknown key, a wrong type, or a getter that throws: the call rejects, it never throws synchronously).
 */
export function readExecuteOptions(options: unknown): ExecuteOptions | Error {
  if (typeof options !== 'object' || options === null) {
    return new TypeError(`xstate-circuit-breaker: execute() options must be an object, got ${describeValue(options)}.`);
  }
  let copy: ExecuteOptions;
  try {
    for (const key of Object.keys(options)) {
      if (!EXECUTE_OPTIONS.has(key)) {
        return new TypeError(`xstate-circuit-breaker: unknown execute() option "${key}". Known options: ${[...EXECUTE_OPTIONS].join(', ')}.`);
      }
    }
    const { signal, idempotent, context, onRetry, beforeRetry } = options as ExecuteOptions;
    copy = { signal, idempotent, context, onRetry, beforeRetry };
  } catch (error) {
    return error instanceof Error ? error : new TypeError(`xstate-circuit-breaker: execute() options could not be read: ${describeValue(error)}.`);
  }
  const problem = checkExecuteOptions(copy);
  return problem ?? copy;
}

/** Checks the options of one `execute()` call; returns the error to reject with, or `undefined`. */
export function checkExecuteOptions(options: ExecuteOptions): TypeError | undefined {
  const { signal, idempotent, onRetry, beforeRetry } = options;
  if (beforeRetry !== undefined && typeof beforeRetry !== 'function') {
    return new TypeError(`xstate-circuit-breaker: execute() option "beforeRetry" must be a function, got ${describeValue(beforeRetry)}.`);
  }
  if (signal !== undefined && !isAbortSignal(signal)) {
    return new TypeError(`xstate-circuit-breaker: execute() option "signal" must be an AbortSignal, got ${describeValue(signal)}.`);
  }
  if (idempotent !== undefined && typeof idempotent !== 'boolean') {
    return new TypeError(`xstate-circuit-breaker: execute() option "idempotent" must be a boolean, got ${describeValue(idempotent)}.`);
  }
  if (onRetry !== undefined && typeof onRetry !== 'function') {
    return new TypeError(`xstate-circuit-breaker: execute() option "onRetry" must be a function, got ${describeValue(onRetry)}.`);
  }
  return undefined;
}
