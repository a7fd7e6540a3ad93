import { describeValue, isAbortSignal } from '../options-shared.js';
import type { BulkOptions } from './bulkTypes.js';

const BULK_OPTIONS = new Set(['executor', 'concurrency', 'signal', 'onProgress', 'idempotent', 'onCircuitOpen', 'maxCircuitWaitMs']);

/** Checks runBulk's arguments and options (throwing a TypeError or RangeError that names the option); returns the concurrency. */
export function checkOptions(items: unknown, task: unknown, options: BulkOptions): number {
  const fail = (name: string, expected: string, value: unknown, kind: 'type' | 'range' = 'type'): never => {
    const message = `xstate-circuit-breaker: runBulk() option "${name}" must be ${expected}, got ${describeValue(value)}.`;
    throw kind === 'type' ? new TypeError(message) : new RangeError(message);
  };
  if (!Array.isArray(items)) throw new TypeError(`xstate-circuit-breaker: runBulk() items must be an array, got ${describeValue(items)}.`);
  if (typeof task !== 'function') throw new TypeError(`xstate-circuit-breaker: runBulk() task must be a function, got ${describeValue(task)}.`);
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`xstate-circuit-breaker: runBulk() options must be an object, got ${describeValue(options)}.`);
  }
  for (const key of Object.keys(options)) {
    if (!BULK_OPTIONS.has(key)) {
      throw new TypeError(`xstate-circuit-breaker: unknown runBulk() option "${key}". Known options: ${[...BULK_OPTIONS].join(', ')}.`);
    }
  }
  const { executor, signal, idempotent, onProgress } = options;
  const concurrency = options.concurrency ?? 5;
  if (typeof concurrency !== 'number') fail('concurrency', 'an integer >= 1', concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1) fail('concurrency', 'an integer >= 1', concurrency, 'range');
  if (
    executor !== undefined &&
    (typeof executor !== 'object' ||
      executor === null ||
      typeof executor.execute !== 'function' ||
      typeof executor.subscribe !== 'function' ||
      typeof executor.getCircuitState !== 'function')
  ) {
    fail('executor', 'an executor from createExecutor()', executor);
  }
  if (signal !== undefined && !isAbortSignal(signal)) {
    fail('signal', 'an AbortSignal', signal);
  }
  if (idempotent !== undefined && typeof idempotent !== 'boolean') fail('idempotent', 'a boolean', idempotent);
  if (onProgress !== undefined && typeof onProgress !== 'function') fail('onProgress', 'a function', onProgress);
  const { onCircuitOpen, maxCircuitWaitMs } = options;
  if (onCircuitOpen !== undefined && onCircuitOpen !== 'wait' && onCircuitOpen !== 'fail') {
    fail('onCircuitOpen', '"wait" or "fail"', onCircuitOpen, typeof onCircuitOpen === 'string' ? 'range' : 'type');
  }
  if (maxCircuitWaitMs !== undefined) {
    if (typeof maxCircuitWaitMs !== 'number') fail('maxCircuitWaitMs', 'a finite number >= 0', maxCircuitWaitMs);
    if (!Number.isFinite(maxCircuitWaitMs) || maxCircuitWaitMs < 0) fail('maxCircuitWaitMs', 'a finite number >= 0', maxCircuitWaitMs, 'range');
  }
  return concurrency;
}
