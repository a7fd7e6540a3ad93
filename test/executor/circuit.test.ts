import { describe, expect, it, vi } from 'vitest';
import { CircuitOpenError, createExecutor, isCircuitOpenError, type Executor } from '../../src/index.js';
import { createTestClock, httpError, track } from '../support/clock.js';

const fail500 = async (): Promise<never> => {
  throw httpError(500);
};

async function failTimes(executor: Executor, n: number): Promise<void> {
  for (let i = 0; i < n; i++) await executor.execute(fail500).catch(() => undefined);
}

describe('circuit through the executor', () => {
  it('opens after exactly 5 consecutive failed operations and rejects without calling', async () => {
    const clock = createTestClock();
    const executor = createExecutor({ clock });
    await failTimes(executor, 4);
    expect(executor.getCircuitState()).toMatchObject({ state: 'closed', consecutiveFailures: 4, isOpen: false });
    await failTimes(executor, 1);
    const state = executor.getCircuitState();
    expect(state).toMatchObject({ state: 'open', isOpen: true, openedAt: clock.now(), nextAttemptAt: clock.now() + 60_000 });

    const op = vi.fn(async () => 'never');
    const error = await executor.execute(op).catch((e: unknown) => e);
    expect(op).not.toHaveBeenCalled();
    expect(isCircuitOpenError(error)).toBe(true);
    expect(error).toMatchObject({
      code: 'RATE_LIMIT_CIRCUIT_OPEN',
      // 500s opened it: a refused call tells the reason the circuit opened for, not a rate limit.
      message: 'The server is not answering. Next try in 60 s.',
      reason: 'unavailable',
      retryAfterMs: 60_000,
      state: 'open',
    });
    expect(executor.getStats().rejected).toBe(1);
  });

  it('a circuit opened by 429s refuses with the rate-limit line', async () => {
    const executor = createExecutor({ clock: createTestClock(), maxRetries: 0 });
    for (let i = 0; i < 5; i++) await executor.execute(async () => Promise.reject(httpError(429))).catch(() => undefined);
    const error = await executor.execute(async () => 'never').catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'RATE_LIMIT_CIRCUIT_OPEN',
      message: 'Too many requests. Wait 1-2 minutes before trying again.',
      reason: 'rate-limited',
      tripped: false,
    });
  });

  it('a success in between resets the count', async () => {
    const executor = createExecutor({ clock: createTestClock() });
    await failTimes(executor, 4);
    await executor.execute(() => 'ok');
    await failTimes(executor, 4);
    expect(executor.getCircuitState().state).toBe('closed');
  });

  it('does not count 4xx errors that are not 429 as failures', async () => {
    const executor = createExecutor({ clock: createTestClock() });
    for (let i = 0; i < 10; i++) await executor.execute(async () => Promise.reject(httpError(400))).catch(() => undefined);
    expect(executor.getCircuitState()).toMatchObject({ state: 'closed', consecutiveFailures: 0 });
  });

  it('half-opens after 60 s, admits one trial, rejects the rest, and closes on its success', async () => {
    const clock = createTestClock();
    const executor = createExecutor({ clock });
    await failTimes(executor, 5);
    await clock.advance(59_999);
    expect(executor.getCircuitState().state).toBe('open');
    await clock.advance(1);
    expect(executor.getCircuitState()).toMatchObject({ state: 'halfOpen', isOpen: false });

    let release!: (value: string) => void;
    const trial = track(executor.execute(() => new Promise<string>((resolve) => (release = resolve))));
    expect(executor.getCircuitState()).toMatchObject({ state: 'halfOpen', trialsInFlight: 1, isOpen: true });
    const other = vi.fn(async () => 'x');
    const rejected = await executor.execute(other).catch((e: unknown) => e);
    expect(other).not.toHaveBeenCalled();
    expect(rejected).toBeInstanceOf(CircuitOpenError);
    expect(rejected).toMatchObject({ state: 'halfOpen' });

    release('trial ok');
    await clock.advance(0);
    expect(trial).toMatchObject({ settled: true, value: 'trial ok' });
    expect(executor.getCircuitState()).toMatchObject({ state: 'closed', consecutiveFailures: 0, openedAt: null });
  });

  it('re-opens when the trial fails, with the open duration growing when asked', async () => {
    const clock = createTestClock();
    const executor = createExecutor({ clock, openDurationMs: 1000, openBackoffMultiplier: 2, maxOpenDurationMs: 3000 });
    await failTimes(executor, 5);
    await clock.advance(1000);
    await failTimes(executor, 1);
    expect(executor.getCircuitState()).toMatchObject({ state: 'open', reopenCount: 1, nextAttemptAt: clock.now() + 2000 });
    await clock.advance(2000);
    await failTimes(executor, 1);
    expect(executor.getCircuitState()).toMatchObject({ state: 'open', reopenCount: 2, nextAttemptAt: clock.now() + 3000 });
  });

  it('a trial that ends with a non-failure error gives its slot back instead of leaving the circuit stuck', async () => {
    const clock = createTestClock();
    const executor = createExecutor({ clock });
    await failTimes(executor, 5);
    await clock.advance(60_000);
    await executor.execute(async () => Promise.reject(httpError(404))).catch(() => undefined);
    expect(executor.getCircuitState()).toMatchObject({ state: 'halfOpen', trialsInFlight: 0 });
    await expect(executor.execute(() => 'next trial')).resolves.toBe('next trial');
    expect(executor.getCircuitState().state).toBe('closed');
  });

  it('an aborted trial gives its slot back', async () => {
    const clock = createTestClock();
    const executor = createExecutor({ clock });
    await failTimes(executor, 5);
    await clock.advance(60_000);
    const controller = new AbortController();
    const trial = executor.execute(() => new Promise(() => {}), { signal: controller.signal });
    expect(executor.getCircuitState().trialsInFlight).toBe(1);
    controller.abort(new Error('user left'));
    await expect(trial).rejects.toThrow('user left');
    expect(executor.getCircuitState()).toMatchObject({ state: 'halfOpen', trialsInFlight: 0 });
  });

  it('a half-open trial that never settles holds the circuit only for trialTimeoutMs: then a new trial is admitted', async () => {
    const clock = createTestClock();
    const executor = createExecutor({ clock, trialTimeoutMs: 5_000 });
    await failTimes(executor, 5);
    await clock.advance(60_000);
    const stuck = track(executor.execute(() => new Promise<never>(() => {})));
    await expect(executor.execute(() => 'too early')).rejects.toBeInstanceOf(CircuitOpenError);
    await clock.advance(4_999);
    await expect(executor.execute(() => 'still too early')).rejects.toBeInstanceOf(CircuitOpenError);

    await clock.advance(1);
    await expect(executor.execute(() => 'a new trial')).resolves.toBe('a new trial');
    expect(executor.getCircuitState().state).toBe('closed');
    expect(stuck.settled).toBe(false);
    executor.stop();
  });

  it('aborting one of two half-open trials gives back its own slot only: one more trial is admitted, not two', async () => {
    const clock = createTestClock();
    const executor = createExecutor({ clock, halfOpenMaxCalls: 2 });
    await failTimes(executor, 5);
    await clock.advance(60_000);
    const hang = ({ signal }: { signal: AbortSignal }) => new Promise<never>((_, reject) => signal.addEventListener('abort', () => reject(signal.reason)));
    const controller = new AbortController();
    const aborted = track(executor.execute(hang, { signal: controller.signal }));
    const kept = track(executor.execute(hang));
    expect(executor.getCircuitState()).toMatchObject({ state: 'halfOpen', trialsInFlight: 2 });

    controller.abort(new Error('user left'));
    await clock.advance(0);
    expect(aborted.settled).toBe(true);
    expect(executor.getCircuitState()).toMatchObject({ state: 'halfOpen', trialsInFlight: 1 });

    const third = track(executor.execute(hang));
    await expect(executor.execute(() => 'a fourth')).rejects.toBeInstanceOf(CircuitOpenError);
    expect(executor.getCircuitState()).toMatchObject({ trialsInFlight: 2 });
    expect([kept.settled, third.settled]).toEqual([false, false]);
    executor.stop();
  });

  it('late failures of calls started before the circuit opened do not extend the open time', async () => {
    const clock = createTestClock();
    const executor = createExecutor({ clock });
    const rejecters: Array<(e: unknown) => void> = [];
    const late = Array.from({ length: 3 }, () =>
      executor.execute(() => new Promise((_, reject) => rejecters.push(reject))).catch(() => undefined),
    );
    await failTimes(executor, 5);
    const { nextAttemptAt } = executor.getCircuitState();
    await clock.advance(30_000);
    for (const reject of rejecters) reject(httpError(500));
    await Promise.all(late);
    expect(executor.getCircuitState()).toMatchObject({ state: 'open', nextAttemptAt });
    await clock.advance(30_000);
    expect(executor.getCircuitState().state).toBe('halfOpen');
  });

  it('keeps the circuit open at least as long as the Retry-After that opened it', async () => {
    const clock = createTestClock();
    const executor = createExecutor({ clock, maxRetries: 0, openDurationMs: 1000, failureThreshold: 1 });
    await executor.execute(async () => Promise.reject(httpError(429, { 'Retry-After': '30' }))).catch(() => undefined);
    expect(executor.getCircuitState().nextAttemptAt).toBe(clock.now() + 30_000);
  });

  it('opens on a failure rate once the minimum number of calls is reached', async () => {
    const executor = createExecutor({
      clock: createTestClock(),
      failureThreshold: 0,
      failureRate: { kind: 'count', size: 10, threshold: 0.5, minimumCalls: 6 },
    });
    for (let i = 0; i < 5; i++) {
      await executor.execute(() => 'ok');
      await failTimes(executor, 1);
      expect(executor.getCircuitState().state).toBe(i < 2 ? 'closed' : 'open');
      if (executor.getCircuitState().state === 'open') break;
    }
    expect(executor.getCircuitState().state).toBe('open');
  });

  it('does not count rejected calls in the failure rate', async () => {
    const clock = createTestClock();
    const executor = createExecutor({ clock, failureThreshold: 0, failureRate: { kind: 'count', size: 4, threshold: 0.5, minimumCalls: 4 } });
    for (let i = 0; i < 2; i++) await executor.execute(() => 'ok');
    await failTimes(executor, 2);
    expect(executor.getCircuitState().state).toBe('open');
    await executor.execute(() => 'x').catch(() => undefined);
    await clock.advance(60_000);
    await executor.execute(() => 'trial');
    expect(executor.getCircuitState()).toMatchObject({ state: 'closed' });
  });

  it('endIsolation() ends an isolation whose handle was lost, and that handle later releases nothing', async () => {
    const executor = createExecutor({ clock: createTestClock() });
    const lost = executor.isolate();
    executor.isolate(); // a second hold, lost too
    expect(executor.getCircuitState().state).toBe('isolated');
    executor.endIsolation();
    expect(executor.getCircuitState().state).toBe('closed');

    const current = executor.isolate();
    lost.dispose();
    expect(executor.getCircuitState().state).toBe('isolated');
    current.dispose();
    expect(executor.getCircuitState().state).toBe('closed');
    executor.endIsolation(); // nothing to end: harmless
    expect(executor.getCircuitState().state).toBe('closed');
  });

  it('isolate() holds the circuit open until the last handle is disposed', async () => {
    const executor = createExecutor({ clock: createTestClock() });
    const a = executor.isolate();
    const b = executor.isolate();
    expect(executor.getCircuitState()).toMatchObject({ state: 'isolated', isOpen: true });
    await expect(executor.execute(() => 1)).rejects.toMatchObject({ state: 'isolated', retryAfterMs: null });
    a.dispose();
    a.dispose();
    expect(executor.getCircuitState().state).toBe('isolated');
    executor.resetCircuit();
    expect(executor.getCircuitState().state).toBe('isolated');
    b.dispose();
    expect(executor.getCircuitState().state).toBe('closed');
  });

  it('resetCircuit() closes an open circuit and forgets its failures', async () => {
    const executor = createExecutor({ clock: createTestClock() });
    await failTimes(executor, 5);
    executor.resetCircuit();
    expect(executor.getCircuitState()).toMatchObject({ state: 'closed', consecutiveFailures: 0, lastFailureTime: null });
  });

  it('stops retrying a call when the circuit opened during its back-off', async () => {
    const clock = createTestClock();
    const executor = createExecutor({ clock, jitter: 'none' });
    const op = vi.fn(async () => {
      throw httpError(429);
    });
    const call = track(executor.execute(op));
    await clock.advance(0);
    await failTimes(executor, 5);
    await clock.advance(100);
    expect(op).toHaveBeenCalledTimes(1);
    expect(call.error).toBeInstanceOf(CircuitOpenError);
    expect((call.error as Error).cause).toMatchObject({ status: 429 });
  });

  it('notifies subscribers once per change and returns a stable object otherwise', async () => {
    const clock = createTestClock();
    const executor = createExecutor({ clock, failureThreshold: 2 });
    const seen: string[] = [];
    const unsubscribe = executor.subscribe((s) => seen.push(`${s.state}:${s.consecutiveFailures}`));
    const before = executor.getCircuitState();
    await executor.execute(() => 'ok');
    expect(executor.getCircuitState()).toBe(before);
    await failTimes(executor, 2);
    await clock.advance(60_000);
    await executor.execute(() => 'ok');
    unsubscribe();
    await failTimes(executor, 1);
    expect(seen).toEqual(['closed:1', 'open:2', 'halfOpen:2', 'halfOpen:2', 'closed:0']);
  });
});
