import { describe, expect, it, vi } from 'vitest';
import { createExecutor, createProbe, type Executor } from '../../src/index.js';
import { createRecordingClock, type RecordingClock } from '../reliability/support/recordingClock.js';
import { httpError } from '../support/clock.js';

const OPEN_MS = 10_000;

async function openedExecutor(clock: RecordingClock): Promise<Executor> {
  const executor = createExecutor({ clock, failureThreshold: 1, openDurationMs: OPEN_MS, openBackoffMultiplier: 1, maxRetries: 0 });
  await executor.execute(async () => Promise.reject(httpError(500))).catch(() => undefined);
  expect(executor.getCircuitState().state).toBe('open');
  return executor;
}

describe('createProbe: recovery without a click', () => {
  it('runs the probe as the trial once the circuit has sat half-open for delayMs, and its success closes the circuit', async () => {
    const clock = createRecordingClock();
    const executor = await openedExecutor(clock);
    const probe = vi.fn(async (_signal: AbortSignal) => 'ok');
    const handle = createProbe(executor, { probe, delayMs: 500 });

    await clock.advance(OPEN_MS);
    expect(executor.getCircuitState().state).toBe('halfOpen');
    await clock.advance(499);
    expect(probe).not.toHaveBeenCalled();
    await clock.advance(1);
    expect(probe).toHaveBeenCalledTimes(1);
    expect(probe.mock.calls[0]![0]).toBeInstanceOf(AbortSignal);
    expect(executor.getCircuitState().state).toBe('closed');
    expect(executor.getStats()).toMatchObject({ calls: 2, succeeded: 1 });
    handle.stop();
    executor.stop();
  });

  it('waits 1 000 ms by default', async () => {
    const clock = createRecordingClock();
    const executor = await openedExecutor(clock);
    const probe = vi.fn(async () => 'ok');
    createProbe(executor, { probe });
    await clock.advance(OPEN_MS);
    await clock.advance(999);
    expect(probe).not.toHaveBeenCalled();
    await clock.advance(1);
    expect(probe).toHaveBeenCalledTimes(1);
    executor.stop();
  });

  it('does not probe while a real call is the trial, and probes again after that trial fails and the circuit half-opens anew', async () => {
    const clock = createRecordingClock();
    const executor = await openedExecutor(clock);
    const probe = vi.fn(async () => 'ok');
    createProbe(executor, { probe, delayMs: 100 });
    await clock.advance(OPEN_MS);

    let fail!: (e: unknown) => void;
    const trial = executor.execute(() => new Promise<never>((_, reject) => (fail = reject))).catch(() => undefined);
    await clock.advance(5_000);
    expect(executor.getCircuitState().trialsInFlight).toBe(1);
    expect(probe).not.toHaveBeenCalled();

    fail(httpError(500));
    await trial;
    await clock.advance(0);
    expect(executor.getCircuitState().state).toBe('open');
    await clock.runUntil(() => executor.getCircuitState().state === 'closed', clock.now() + OPEN_MS * 10);
    expect(probe).toHaveBeenCalledTimes(1);
    expect(executor.getCircuitState().state).toBe('closed');
    executor.stop();
  });

  it('passes a failed probe to onError, leaves nothing unhandled, and probes again at the next half-open period', async () => {
    const clock = createRecordingClock();
    const executor = await openedExecutor(clock);
    const unhandled = vi.fn();
    process.on('unhandledRejection', unhandled);
    try {
      const failure = httpError(503);
      const probe = vi.fn(async () => Promise.reject(failure));
      const onError = vi.fn();
      createProbe(executor, { probe, delayMs: 0, onError });
      await clock.advance(OPEN_MS);
      await clock.advance(0);
      expect(probe).toHaveBeenCalledTimes(1);
      expect(executor.getCircuitState().state).toBe('open');
      expect(onError).toHaveBeenCalledTimes(1);
      const reported = onError.mock.calls[0]![0] as { cause?: unknown };
      expect(reported === failure || reported.cause === failure).toBe(true);

      const withoutHandler = await openedExecutor(clock);
      createProbe(withoutHandler, { probe, delayMs: 0 });
      await clock.runUntil(() => probe.mock.calls.length >= 3, clock.now() + OPEN_MS * 10);
      expect(probe.mock.calls.length).toBeGreaterThanOrEqual(3);
      await clock.advance(0);
      expect(unhandled).not.toHaveBeenCalled();
      withoutHandler.stop();
    } finally {
      process.off('unhandledRejection', unhandled);
      executor.stop();
    }
  });

  it('stop() clears its timer, aborts a probe in flight and never probes again', async () => {
    const clock = createRecordingClock();
    const executor = await openedExecutor(clock);
    let seen: AbortSignal | undefined;
    const probe = vi.fn((signal: AbortSignal) => {
      seen = signal;
      return new Promise<never>(() => undefined);
    });
    const onError = vi.fn();
    const handle = createProbe(executor, { probe, delayMs: 100, onError });
    await clock.advance(OPEN_MS);
    await clock.advance(100);
    expect(probe).toHaveBeenCalledTimes(1);
    const pending = clock.pendingCount();
    handle.stop();
    await clock.advance(0);
    expect(seen?.aborted).toBe(true);
    expect(onError).not.toHaveBeenCalled();

    executor.resetCircuit();
    await executor.execute(async () => Promise.reject(httpError(500))).catch(() => undefined);
    await clock.runUntil(() => probe.mock.calls.length > 1, clock.now() + OPEN_MS * 10);
    expect(probe).toHaveBeenCalledTimes(1);
    expect(clock.pendingCount()).toBeLessThanOrEqual(pending);
    executor.stop();
  });

  it('rejects bad options at creation, naming them', () => {
    const executor = createExecutor({ clock: createRecordingClock() });
    expect(() => createProbe(executor, { probe: 'x' as never })).toThrow(TypeError);
    expect(() => createProbe(executor, { probe: async () => 1, delayMs: -1 })).toThrow(/delayMs/);
    expect(() => createProbe(executor, { probe: async () => 1, delayMs: Number.NaN })).toThrow(RangeError);
    executor.stop();
  });
});
