import { describe, expect, it, vi } from 'vitest';
import { createExecutor } from '../../src/index.js';
import { createTestClock, httpError, track } from '../support/clock.js';
import { noPacing, circuitInbox } from '../support/executorHelpers.js';

describe('stop()', () => {
  it('rejects later calls with a default AbortError, and a second stop() keeps the first reason', async () => {
    const executor = createExecutor({ clock: createTestClock(), ...noPacing });
    executor.stop();
    const error = await executor.execute(() => 1).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DOMException);
    expect(error).toMatchObject({ name: 'AbortError', message: 'The executor was stopped.' });
    const other = createExecutor({ clock: createTestClock(), ...noPacing });
    other.stop('first');
    other.stop('second');
    await expect(other.execute(() => 1)).rejects.toBe('first');
    expect(other.getStats()).toMatchObject({ calls: 1, aborted: 1, failed: 0 });
  });

  it('aborts the signal fast-path attempts receive', async () => {
    const executor = createExecutor({ clock: createTestClock(), ...noPacing });
    let signal: AbortSignal | undefined;
    void executor
      .execute(({ signal: s }) => {
        signal = s;
        return new Promise(() => {});
      })
      .catch(() => undefined);
    expect(signal?.aborted).toBe(false);
    executor.stop('done');
    expect(signal?.aborted).toBe(true);
    expect(signal?.reason).toBe('done');
  });
});

describe('stop() and calls already running', () => {
  it('a call without a signal, timeout or pacing wait settles as its operation does, even after stop() (as the README says)', async () => {
    const clock = createTestClock();
    const executor = createExecutor({ clock, ...noPacing });
    let finish!: (value: string) => void;
    const call = track(executor.execute(() => new Promise<string>((resolve) => (finish = resolve))));
    executor.stop('stopped');
    await clock.advance(0);
    expect(call.settled).toBe(false);
    finish('late');
    await clock.advance(0);
    expect(call).toMatchObject({ settled: true, value: 'late' });
    expect(executor.getStats()).toMatchObject({ succeeded: 1, aborted: 0 });
  });

  it('such a call whose operation fails after stop() rejects with the stop reason, counted as aborted, and is not retried', async () => {
    const clock = createTestClock();
    const executor = createExecutor({ clock, jitter: 'none', ...noPacing });
    let fail!: (error: unknown) => void;
    const op = vi.fn(() => new Promise((_, reject) => (fail = reject)));
    const call = track(executor.execute(op));
    executor.stop('stopped');
    fail(httpError(429));
    await clock.advance(0);
    expect(call).toMatchObject({ settled: true, error: 'stopped' });
    await clock.advance(1000);
    expect(op).toHaveBeenCalledTimes(1);
    expect(executor.getStats()).toMatchObject({ aborted: 1, failed: 0, rateLimitedAttempts: 0 });
  });

  it('a success that arrives after stop() sends nothing to the stopped circuit', async () => {
    const clock = createTestClock();
    const inbox = circuitInbox();
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      // With a failure rate every success is reported, so a late one would be sent if nothing held it back.
      const executor = createExecutor({ clock, failureRate: { kind: 'count', size: 10, threshold: 0.5, minimumCalls: 10 }, inspect: inbox.inspect, ...noPacing });
      let finish!: (value: string) => void;
      const call = executor.execute(() => new Promise<string>((resolve) => (finish = resolve)));
      executor.stop('stopped');
      finish('late');
      await expect(call).resolves.toBe('late');
      expect(inbox.sent()).toEqual([]);
      expect(warn).not.toHaveBeenCalled();
    } finally {
      warn.mockRestore();
    }
  });

  it('resetting, isolating or releasing a stopped executor changes nothing and sends nothing to the stopped circuit', () => {
    const inbox = circuitInbox();
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      const executor = createExecutor({ clock: createTestClock(), inspect: inbox.inspect, ...noPacing });
      const held = executor.isolate();
      executor.stop();
      const later = executor.isolate();
      held.dispose();
      later.dispose();
      executor.resetCircuit();
      executor.endIsolation();
      expect(inbox.sent()).toEqual(['ISOLATE']);
      expect(executor.getCircuitState().state).toBe('isolated');
      expect(warn).not.toHaveBeenCalled();
    } finally {
      warn.mockRestore();
    }
  });
});
