/**
 * A typo inside nested options (`failureRate.treshold`, `perResource.option`, an adapter's own options) must throw a
 * `TypeError` naming the full path and listing the known keys, at construction: silently ignoring it would run with
 * defaults the user thinks they changed.
 */
import { describe, expect, it } from 'vitest';
import type { DataProvider } from 'ra-core';
import { createExecutor, createPacer, type ExecuteOptions, type ExecutorOptions } from '../../src/index.js';
import { createHttpClient, withCircuitBreaker } from '../../src/ra-core/index.js';
import { createResilientFetch } from '../../src/supabase/index.js';
import { createRecordingClock } from './support/recordingClock.js';
import { createMemoryStorage, persistCircuit, sharePacerAcrossTabs } from '../../src/sync/index.js';

function thrown(attempt: () => unknown): Error {
  try {
    attempt();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a throw');
}

function expectUnknown(attempt: () => unknown, path: string, known: readonly string[]): void {
  const error = thrown(attempt);
  expect(error).toBeInstanceOf(TypeError);
  expect(error.message).toContain(`unknown option "${path}"`);
  for (const key of known) expect(error.message).toContain(key);
}

const provider = { create: async () => ({ data: { id: 1 } }) } as unknown as DataProvider;

describe('nested option typos throw, naming the full path and the known keys', () => {
  it('failureRate: a count window', () => {
    const failureRate = { kind: 'count', size: 10, threshold: 0.5, treshold: 0.9 } as unknown as ExecutorOptions['failureRate'];
    expectUnknown(() => createExecutor({ failureRate }), 'failureRate.treshold', ['kind', 'size', 'threshold', 'minimumCalls']);
  });

  it('failureRate: a time window refuses the count window key `size` too', () => {
    const failureRate = { kind: 'time', windowMs: 1000, threshold: 0.5, size: 10 } as unknown as ExecutorOptions['failureRate'];
    expectUnknown(() => createExecutor({ failureRate }), 'failureRate.size', ['windowMs', 'threshold', 'minimumCalls']);
  });

  it('persistCircuit({ … }): persist.shareAcrossTabs', () => {
    const storage = createMemoryStorage();
    expectUnknown(() => persistCircuit({ name: 'api', storage, shareAccrossTabs: true } as never), 'persist.shareAccrossTabs', [
      'shareAcrossTabs',
      'storage',
    ]);
    const error = thrown(() => persistCircuit({ name: 'api', storage, shareAcrossTabs: { enabled: true } } as never));
    expect(error).toBeInstanceOf(TypeError);
    expect(error.message).toContain('"persist.shareAcrossTabs" must be a boolean');
  });

  it('withCircuitBreaker({ perResource }) and its executor options', () => {
    expectUnknown(() => withCircuitBreaker(provider, { perResource: { option: { maxRetries: 1 } } as never }), 'perResource.option', ['options']);
    expectUnknown(
      () => withCircuitBreaker(provider, { perResource: { options: { maxRetry: 1 } as ExecutorOptions } }),
      'perResource.options.maxRetry',
      ['maxRetries', 'failureThreshold'],
    );
    expectUnknown(
      () => withCircuitBreaker(provider, { perResource: true, executor: { openDuration: 1 } as ExecutorOptions }),
      'executor.openDuration',
      ['openDurationMs'],
    );
  });

  it('two levels down: perResource.options.failureRate, .machines and .retryBudget, and the same under executor', () => {
    expectUnknown(
      () => withCircuitBreaker(provider, { perResource: { options: { failureRate: { kind: 'count', size: 10, threshold: 0.5, typo: 1 } as never } } }),
      'perResource.options.failureRate.typo',
      ['kind', 'size', 'threshold', 'minimumCalls'],
    );
    expectUnknown(
      () => withCircuitBreaker(provider, { perResource: { options: { machines: { circut: undefined } as never } } }),
      'perResource.options.machines.circut',
      ['circuit', 'retry'],
    );
    expectUnknown(
      () => withCircuitBreaker(provider, { perResource: { options: { retryBudget: { ration: 0.1 } as never } } }),
      'perResource.options.retryBudget.ration',
      ['ratio', 'burst'],
    );
    expectUnknown(
      () => withCircuitBreaker(provider, { perResource: true, executor: { failureRate: { kind: 'time', windowMs: 1000, threshold: 0.5, size: 3 } as never } }),
      'executor.failureRate.size',
      ['windowMs', 'minimumCalls'],
    );
    expectUnknown(() => withCircuitBreaker(provider, { executor: { retryBudget: { brust: 3 } as never } }), 'executor.retryBudget.brust', ['burst']);
  });

  it('createExecutor names a typo in retryBudget options by its path', () => {
    expectUnknown(() => createExecutor({ retryBudget: { ration: 0.1 } as never }), 'retryBudget.ration', ['ratio', 'burst']);
  });

  it('sharePacerAcrossTabs({ … }): a typo throws naming shareAcrossTabs and its known keys', () => {
    const createChannel = () => ({ postMessage: () => undefined, addEventListener: () => undefined, removeEventListener: () => undefined, close: () => undefined });
    const error = thrown(() => sharePacerAcrossTabs({ name: 'api', createChannel, nmae: 'x' } as never));
    expect(error).toBeInstanceOf(TypeError);
    expect(error.message).toContain('unknown pacer option "shareAcrossTabs.nmae"');
    expect(error.message).toContain('name, createChannel');
  });

  it('createHttpClient options', () => {
    expectUnknown(() => createHttpClient({ header: { apikey: 'k' } } as never), 'header', ['fetch', 'headers']);
  });

  it('createResilientFetch options', () => {
    const executor = createExecutor({ clock: createRecordingClock(), pacer: false });
    expectUnknown(() => createResilientFetch(executor, undefined, { idempotentMethod: ['POST'] } as never), 'idempotentMethod', [
      'idempotentMethods',
      'idempotent',
      'isFailedResponse',
      'context',
    ]);
    executor.stop();
  });

  it('execute() options: a typo rejects the call (it never throws synchronously) and the operation never runs', async () => {
    const executor = createExecutor({ clock: createRecordingClock(), pacer: false });
    let ran = false;
    let returned: Promise<unknown> | undefined;
    expect(() => (returned = executor.execute(() => (ran = true), { contxt: 'x' } as unknown as ExecuteOptions))).not.toThrow();
    await expect(returned).rejects.toThrow(/unknown execute\(\) option "contxt".*context/);
    expect(ran).toBe(false);
    executor.stop();
  });
});
