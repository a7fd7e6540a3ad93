/**
 * Bad arguments to runBulk() throw at once, a TypeError or RangeError naming the argument or option and the value.
 */

import { describe, expect, it } from 'vitest';
import { runBulk, type BulkOptions } from '../../src/index.js';

describe('runBulk rejects bad arguments at once', () => {
  const bad: Array<[string, () => unknown, typeof TypeError | typeof RangeError, string]> = [
    ['items', () => runBulk('rows' as never, async () => 1), TypeError, 'xstate-circuit-breaker: runBulk() items must be an array, got "rows".'],
    ['task', () => runBulk([], 'task' as never), TypeError, 'xstate-circuit-breaker: runBulk() task must be a function, got "task".'],
    ['options', () => runBulk([], async () => 1, null as never), TypeError, 'xstate-circuit-breaker: runBulk() options must be an object, got null.'],
    ['options 5', () => runBulk([], async () => 1, 5 as never), TypeError, 'xstate-circuit-breaker: runBulk() options must be an object, got 5.'],
    [
      'an unknown option',
      () => runBulk([], async () => 1, { concurency: 2 } as BulkOptions),
      TypeError,
      'xstate-circuit-breaker: unknown runBulk() option "concurency". Known options: executor, concurrency, signal, onProgress, idempotent, onCircuitOpen, maxCircuitWaitMs.',
    ],
    ['concurrency "3"', () => runBulk([], async () => 1, { concurrency: '3' as never }), TypeError, 'xstate-circuit-breaker: runBulk() option "concurrency" must be an integer >= 1, got "3".'],
    ['concurrency 0', () => runBulk([], async () => 1, { concurrency: 0 }), RangeError, 'xstate-circuit-breaker: runBulk() option "concurrency" must be an integer >= 1, got 0.'],
    ['concurrency 2.5', () => runBulk([], async () => 1, { concurrency: 2.5 }), RangeError, 'xstate-circuit-breaker: runBulk() option "concurrency" must be an integer >= 1, got 2.5.'],
    ['concurrency NaN', () => runBulk([], async () => 1, { concurrency: Number.NaN }), RangeError, 'xstate-circuit-breaker: runBulk() option "concurrency" must be an integer >= 1, got NaN.'],
    ['executor {}', () => runBulk([], async () => 1, { executor: {} as never }), TypeError, 'xstate-circuit-breaker: runBulk() option "executor" must be an executor from createExecutor(), got an object.'],
    ['executor null', () => runBulk([], async () => 1, { executor: null as never }), TypeError, 'xstate-circuit-breaker: runBulk() option "executor" must be an executor from createExecutor(), got null.'],
    [
      'an executor without subscribe',
      () => runBulk([], async () => 1, { executor: { execute: () => undefined, getCircuitState: () => undefined } as never }),
      TypeError,
      'xstate-circuit-breaker: runBulk() option "executor" must be an executor from createExecutor(), got an object.',
    ],
    [
      'an executor without getCircuitState',
      () => runBulk([], async () => 1, { executor: { execute: () => undefined, subscribe: () => undefined } as never }),
      TypeError,
      'xstate-circuit-breaker: runBulk() option "executor" must be an executor from createExecutor(), got an object.',
    ],
    ['signal null', () => runBulk([], async () => 1, { signal: null as never }), TypeError, 'xstate-circuit-breaker: runBulk() option "signal" must be an AbortSignal, got null.'],
    [
      'a signal without addEventListener',
      () => runBulk([], async () => 1, { signal: { aborted: false } as never }),
      TypeError,
      'xstate-circuit-breaker: runBulk() option "signal" must be an AbortSignal, got an object.',
    ],
    [
      'a signal without a boolean aborted',
      () => runBulk([], async () => 1, { signal: { aborted: 0, addEventListener: () => undefined } as never }),
      TypeError,
      'xstate-circuit-breaker: runBulk() option "signal" must be an AbortSignal, got an object.',
    ],
    ['idempotent "yes"', () => runBulk([], async () => 1, { idempotent: 'yes' as never }), TypeError, 'xstate-circuit-breaker: runBulk() option "idempotent" must be a boolean, got "yes".'],
    ['onProgress 1', () => runBulk([], async () => 1, { onProgress: 1 as never }), TypeError, 'xstate-circuit-breaker: runBulk() option "onProgress" must be a function, got 1.'],
  ];

  it.each(bad)('rejects %s at once, naming it', (_name, call, kind, message) => {
    expect(call).toThrow(kind);
    expect(call).toThrow(message);
  });
});

describe('runBulk tells an executor or signal from a lookalike', () => {
  const fakeExecutor = { execute: () => undefined, subscribe: () => undefined, getCircuitState: () => undefined };
  const odd: Array<[string, BulkOptions, string]> = [
    [
      'an executor without execute',
      { executor: { subscribe: () => undefined, getCircuitState: () => undefined } as never },
      'xstate-circuit-breaker: runBulk() option "executor" must be an executor from createExecutor(), got an object.',
    ],
    [
      'a function carrying the executor methods',
      { executor: Object.assign(() => undefined, fakeExecutor) as never },
      'xstate-circuit-breaker: runBulk() option "executor" must be an executor from createExecutor(), got a function.',
    ],
    [
      'a function dressed as an AbortSignal',
      { signal: Object.assign(() => undefined, { aborted: false, addEventListener: () => undefined, removeEventListener: () => undefined }) as never },
      'xstate-circuit-breaker: runBulk() option "signal" must be an AbortSignal, got a function.',
    ],
  ];

  it.each(odd)('rejects %s with a TypeError naming it', (_name, options, message) => {
    expect(() => runBulk([], async () => 1, options)).toThrow(new TypeError(message));
  });
});
