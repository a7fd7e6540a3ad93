import { isCircuitOpenError } from '../errors/CircuitOpenError.js';

/** The time until the next trial a CircuitOpenError carries, or `null`. Never throws. */
export function retryAfterOf(error: unknown): number | null {
  try {
    const value = (error as { retryAfterMs?: unknown }).retryAfterMs;
    return typeof value === 'number' && Number.isFinite(value) ? value : null;
  } catch {
    return null;
  }
}

/** Whether a row's error is the run's or the executor's abort (not an error of its own). Never throws. */
export function isAbortLike(error: unknown, signal: AbortSignal | undefined, stopSignal: AbortSignal | undefined): boolean {
  if (signal?.aborted === true && Object.is(error, signal.reason)) return true;
  if (stopSignal?.aborted === true && Object.is(error, stopSignal.reason)) return true;
  try {
    return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'AbortError';
  } catch {
    return false;
  }
}

/** Never throws, even for an error whose `code` getter does. */
export function isCircuitOpen(error: unknown): boolean {
  try {
    return isCircuitOpenError(error);
  } catch {
    return false;
  }
}
