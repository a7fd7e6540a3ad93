import { getEventListeners } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { AttemptTimeoutError, createExecutor, type Clock } from '../../src/index.js';
import { createTestClock, httpError, track } from '../support/clock.js';
import { noPacing, fail500, timerCountingClock } from '../support/executorHelpers.js';

describe('attempt timeouts', () => {
  it('a timed-out attempt of a call that is not idempotent rejects with AttemptTimeoutError and counts as a failure', async () => {
    const clock = createTestClock();
    const executor = createExecutor({ clock, failureThreshold: 1, attemptTimeoutMs: 500, ...noPacing });
    let signal: AbortSignal | undefined;
    const call = track(
      executor.execute((context) => {
        signal = context.signal;
        return new Promise(() => {});
      }),
    );
    await clock.advance(499);
    expect(call.settled).toBe(false);
    await clock.advance(1);
    expect(call.error).toBeInstanceOf(AttemptTimeoutError);
    expect(call.error).toMatchObject({ timeoutMs: 500, message: 'The attempt did not finish within 500 ms.' });
    expect(signal?.aborted).toBe(true);
    expect(signal?.reason).toBe(call.error);
    expect(executor.getCircuitState()).toMatchObject({ state: 'open', consecutiveFailures: 1 });
  });

  it('an attempt that answers in time leaves no timer and its signal is never aborted later', async () => {
    const base = createTestClock();
    const clock = timerCountingClock(base);
    const executor = createExecutor({ clock, attemptTimeoutMs: 500, ...noPacing });
    let signal: AbortSignal | undefined;
    await expect(
      executor.execute((context) => {
        signal = context.signal;
        return 'fast';
      }),
    ).resolves.toBe('fast');
    expect(clock.pending()).toBe(0);
    await base.advance(1000);
    expect(signal?.aborted).toBe(false);
  });

  it('a caller abort reaches the attempt signal with its reason and clears the timeout timer', async () => {
    const base = createTestClock();
    const clock = timerCountingClock(base);
    const executor = createExecutor({ clock, attemptTimeoutMs: 500, ...noPacing });
    const controller = new AbortController();
    let signal: AbortSignal | undefined;
    const call = track(
      executor.execute(
        (context) => {
          signal = context.signal;
          return new Promise(() => {});
        },
        { signal: controller.signal },
      ),
    );
    expect(signal).not.toBe(controller.signal);
    expect(clock.pending()).toBe(1);
    const reason = new Error('left');
    controller.abort(reason);
    await base.advance(0);
    expect(call).toMatchObject({ settled: true, error: reason });
    expect(signal?.aborted).toBe(true);
    expect(signal?.reason).toBe(reason);
    expect(clock.pending()).toBe(0);
  });

  it('an abort during the back-off does not reach the signal of the attempt that already ended', async () => {
    const clock = createTestClock();
    const executor = createExecutor({ clock, jitter: 'none', attemptTimeoutMs: 500, ...noPacing });
    const controller = new AbortController();
    const signals: AbortSignal[] = [];
    const call = track(
      executor.execute(
        async ({ signal }) => {
          signals.push(signal);
          throw httpError(429);
        },
        { signal: controller.signal },
      ),
    );
    await clock.advance(50);
    controller.abort('bye');
    await clock.advance(0);
    expect(call).toMatchObject({ settled: true, error: 'bye' });
    expect(signals).toHaveLength(1);
    expect(signals[0]!.aborted).toBe(false);
  });
});

describe('caller signals shared between calls', () => {
  it('a signal reused after its calls ended still aborts the next call', async () => {
    const executor = createExecutor({ clock: createTestClock(), ...noPacing });
    const controller = new AbortController();
    await executor.execute(() => 1, { signal: controller.signal });
    const call = executor.execute(() => new Promise(() => {}), { signal: controller.signal });
    controller.abort('second');
    await expect(call).rejects.toBe('second');
  });

  it('a call that ends does not stop the signal from aborting the calls still sharing it', async () => {
    const executor = createExecutor({ clock: createTestClock(), ...noPacing });
    const controller = new AbortController();
    const add = vi.spyOn(controller.signal, 'addEventListener');
    const remove = vi.spyOn(controller.signal, 'removeEventListener');
    const hanging = executor.execute(() => new Promise(() => {}), { signal: controller.signal });
    await executor.execute(() => 'quick', { signal: controller.signal });
    expect(remove).not.toHaveBeenCalled();
    controller.abort('both');
    await expect(hanging).rejects.toBe('both');
    expect(add).toHaveBeenCalledTimes(1);
  });

  it('the first abort reason wins over a stop() that follows at once', async () => {
    const executor = createExecutor({ clock: createTestClock(), ...noPacing });
    const controller = new AbortController();
    const call = executor.execute(() => new Promise(() => {}), { signal: controller.signal });
    controller.abort('user');
    executor.stop('stopped');
    await expect(call).rejects.toBe('user');
    expect(executor.getStats().aborted).toBe(1);
  });
});

describe('one attempt after another (CallScope)', () => {
  it('an attempt that settles after its timeout leaves the abort of the next attempt intact: rejected at once, signal aborted, timer cleared', async () => {
    const base = createTestClock();
    const clock = timerCountingClock(base);
    const executor = createExecutor({ clock, jitter: 'none', attemptTimeoutMs: 100, ...noPacing });
    const controller = new AbortController();
    const signals: AbortSignal[] = [];
    let settleFirst!: (value: string) => void;
    const call = track(
      executor.execute(
        ({ signal, attempt }) => {
          signals.push(signal);
          // Both attempts ignore their signal; the first one answers late, the second never.
          return new Promise<string>((resolve) => {
            if (attempt === 1) settleFirst = resolve;
          });
        },
        { signal: controller.signal, idempotent: true },
      ),
    );
    await base.advance(100); // attempt 1 times out; back-off of 100 ms
    await base.advance(100); // attempt 2 starts, with its own timeout timer
    expect(signals).toHaveLength(2);
    settleFirst('too late');
    await base.advance(0);
    expect(call.settled).toBe(false);
    expect(clock.pending()).toBe(1);

    controller.abort('leave');
    await base.advance(0);
    expect(call).toMatchObject({ settled: true, error: 'leave' });
    expect(signals[1]!.aborted).toBe(true);
    expect(signals[1]!.reason).toBe('leave');
    expect(clock.pending()).toBe(0);
  });

  it('an operation that throws synchronously rejects with its own error on the fast path, with a signal and with a timeout', async () => {
    const base = createTestClock();
    const clock = timerCountingClock(base);
    const bug = httpError(400);
    const op = (): never => {
      throw bug;
    };
    const plain = createExecutor({ clock, ...noPacing });
    await expect(plain.execute(op)).rejects.toBe(bug);
    await expect(plain.execute(op, { signal: new AbortController().signal })).rejects.toBe(bug);
    const timed = createExecutor({ clock, attemptTimeoutMs: 500, ...noPacing });
    await expect(timed.execute(op)).rejects.toBe(bug);
    expect(clock.pending()).toBe(0);
    expect(plain.getStats()).toMatchObject({ calls: 2, failed: 2, succeeded: 0 });
  });

  it('hands the clock only timers it created to clear, never undefined', async () => {
    const base = createTestClock();
    const cleared: unknown[] = [];
    const clock: Clock<number> = {
      now: () => base.now(),
      setTimeout: (fn, ms) => base.setTimeout(fn, ms),
      clearTimeout: (id) => {
        cleared.push(id);
        base.clearTimeout(id);
      },
    };
    const executor = createExecutor({ clock, ...noPacing });
    await executor.execute(() => 'ok', { signal: new AbortController().signal });
    await executor.execute(fail500, { signal: new AbortController().signal }).catch(() => undefined);
    expect(cleared).not.toContain(undefined);
  });
});

describe('caller signal listeners', () => {
  it('a caller signal keeps no listener of the executor once its calls ended, or once it aborted them', async () => {
    const executor = createExecutor({ clock: createTestClock(), ...noPacing });
    const ended = new AbortController();
    await executor.execute(() => 1, { signal: ended.signal });
    expect(getEventListeners(ended.signal, 'abort')).toHaveLength(0);

    const aborted = new AbortController();
    const call = executor.execute(() => new Promise(() => {}), { signal: aborted.signal });
    expect(getEventListeners(aborted.signal, 'abort')).toHaveLength(1);
    aborted.abort('gone');
    await expect(call).rejects.toBe('gone');
    expect(getEventListeners(aborted.signal, 'abort')).toHaveLength(0);
  });

  it('execute() rejects a function dressed as an AbortSignal', async () => {
    const fake = Object.assign(() => undefined, { aborted: false, addEventListener: () => undefined, removeEventListener: () => undefined });
    const executor = createExecutor({ clock: createTestClock(), ...noPacing });
    await expect(executor.execute(() => 1, { signal: fake as never })).rejects.toThrow(
      new TypeError('xstate-circuit-breaker: execute() option "signal" must be an AbortSignal, got a function.'),
    );
  });
});
