import { describe, expect, it, vi } from 'vitest';
import { createExecutor } from '../../src/index.js';
import { createTestClock, flush, httpError, track } from '../support/clock.js';

describe('cancellation', () => {
  it('rejects at once with the abort reason during a back-off and makes no further attempt', async () => {
    const clock = createTestClock();
    const executor = createExecutor({ clock });
    const controller = new AbortController();
    const op = vi.fn(async () => {
      throw httpError(429, { 'Retry-After': '30' });
    });
    const call = track(executor.execute(op, { signal: controller.signal }));
    await clock.advance(1000);
    expect(call.settled).toBe(false);
    const reason = new Error('navigated away');
    controller.abort(reason);
    await clock.advance(0);
    expect(call).toMatchObject({ settled: true, error: reason });
    await clock.advance(60_000);
    expect(op).toHaveBeenCalledTimes(1);
    expect(executor.getStats()).toMatchObject({ aborted: 1, failed: 0 });
  });

  it('rejects at once during an attempt and aborts the attempt signal', async () => {
    const executor = createExecutor({ clock: createTestClock() });
    const controller = new AbortController();
    let seen: AbortSignal | undefined;
    const call = executor.execute(
      ({ signal }) => {
        seen = signal;
        return new Promise(() => {});
      },
      { signal: controller.signal },
    );
    controller.abort('stop');
    await expect(call).rejects.toBe('stop');
    expect(seen?.aborted).toBe(true);
  });

  it('many calls sharing one signal add one listener and all end when it aborts', async () => {
    const executor = createExecutor({ clock: createTestClock() });
    const controller = new AbortController();
    const add = vi.spyOn(controller.signal, 'addEventListener');
    const calls = Array.from({ length: 50 }, () => executor.execute(() => new Promise(() => {}), { signal: controller.signal }));
    expect(add).toHaveBeenCalledTimes(1);
    controller.abort('all done');
    const outcomes = await Promise.allSettled(calls);
    expect(outcomes.every((o) => o.status === 'rejected' && o.reason === 'all done')).toBe(true);
    expect(executor.getStats().aborted).toBe(50);
  });

  it('removes its listener from a caller signal once the calls using it have ended', async () => {
    const executor = createExecutor({ clock: createTestClock() });
    const controller = new AbortController();
    const remove = vi.spyOn(controller.signal, 'removeEventListener');
    await Promise.all([1, 2, 3].map((n) => executor.execute(() => n, { signal: controller.signal })));
    expect(remove).toHaveBeenCalledTimes(1);
  });

  it('does not start a call whose signal is already aborted', async () => {
    const executor = createExecutor({ clock: createTestClock() });
    const op = vi.fn(async () => 1);
    await expect(executor.execute(op, { signal: AbortSignal.abort('gone') })).rejects.toBe('gone');
    expect(op).not.toHaveBeenCalled();
  });

  it('an aborted call does not count against the circuit', async () => {
    const executor = createExecutor({ clock: createTestClock(), failureThreshold: 1 });
    const controller = new AbortController();
    const call = executor.execute(() => new Promise(() => {}), { signal: controller.signal });
    controller.abort();
    await call.catch(() => undefined);
    expect(executor.getCircuitState()).toMatchObject({ state: 'closed', consecutiveFailures: 0 });
  });

  it('stop() aborts calls in back-off, aborts the signal of running attempts, clears timers, and rejects later calls', async () => {
    vi.useFakeTimers();
    try {
      const executor = createExecutor();
      const backingOff = track(executor.execute(async () => Promise.reject(httpError(429, { 'Retry-After': '10' }))));
      let running: AbortSignal | undefined;
      const inFlight = track(
        executor.execute(({ signal }) => {
          running = signal;
          return new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason)));
        }),
      );
      await vi.advanceTimersByTimeAsync(5);
      executor.stop();
      await vi.advanceTimersByTimeAsync(0);
      expect(backingOff.settled).toBe(true);
      expect((backingOff.error as Error).name).toBe('AbortError');
      expect(running?.aborted).toBe(true);
      expect(inFlight.settled).toBe(true);
      expect(vi.getTimerCount()).toBe(0);
      await expect(executor.execute(() => 1)).rejects.toMatchObject({ name: 'AbortError' });
    } finally {
      vi.useRealTimers();
    }
  });

  describe.each([
    ['NaN', () => Number.NaN],
    ['undefined (the signal makes an AbortError)', () => undefined],
    ['a string', () => 'user left'],
    ['a frozen object', () => Object.freeze({ why: 'user left' })],
    ['null', () => null],
  ])('an abort whose reason is %s', (_label, makeReason) => {
    const phases = {
      'while its attempt runs': { op: () => new Promise<never>(() => {}), before: 10 },
      'while it backs off': { op: () => Promise.reject(httpError(429, { 'Retry-After': '30' })), before: 1_000 },
      'while beforeRetry holds the retry': { op: () => Promise.reject(httpError(429, { 'Retry-After': '1' })), before: 2_000, hold: true },
      'while its attempt, given up by the timeout, still runs': { op: () => new Promise<never>(() => {}), before: 10, attemptTimeoutMs: 5_000 },
    } as const;

    it.each(Object.keys(phases) as (keyof typeof phases)[])('counts the call once, as aborted, and rejects with the reason %s', async (phase) => {
      const { op, before, ...rest } = phases[phase];
      const clock = createTestClock();
      const executor = createExecutor({ clock, jitter: 'none', attemptTimeoutMs: 'attemptTimeoutMs' in rest ? rest.attemptTimeoutMs : null });
      const controller = new AbortController();
      const operation = vi.fn(op);
      const call = track(
        executor.execute(operation, { signal: controller.signal, beforeRetry: 'hold' in rest ? () => new Promise<void>(() => {}) : undefined }),
      );
      await clock.advance(before);
      expect(call.settled).toBe(false);

      controller.abort(makeReason());
      await clock.advance(0);
      await clock.advance(60_000);

      expect(call.settled).toBe(true);
      expect(Object.is(call.error, controller.signal.reason)).toBe(true);
      expect(executor.getStats()).toMatchObject({ calls: 1, aborted: 1, failed: 0, succeeded: 0, rejected: 0 });
      expect(operation).toHaveBeenCalledTimes(1);
      expect(executor.getCircuitState()).toMatchObject({ state: 'closed', consecutiveFailures: 0 });
    });

    it('given to stop(), counts a running call once, as aborted', async () => {
      const executor = createExecutor({ clock: createTestClock() });
      const reason = makeReason();
      const call = track(executor.execute(({ signal }) => new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason)))));
      executor.stop(reason);
      await flush();
      expect(call.settled).toBe(true);
      expect(executor.getStats()).toMatchObject({ calls: 1, aborted: 1, failed: 0 });
    });
  });

  it('stop() on an open circuit leaves no open timer behind', async () => {
    vi.useFakeTimers();
    try {
      const executor = createExecutor({ failureThreshold: 1 });
      await executor.execute(async () => Promise.reject(httpError(500))).catch(() => undefined);
      expect(executor.getCircuitState().state).toBe('open');
      expect(vi.getTimerCount()).toBe(1);
      executor.stop();
      expect(vi.getTimerCount()).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });
});
