import { describe, expect, it, vi } from 'vitest';
import { createExecutor } from '../../src/index.js';
import { createTestClock, httpError } from '../support/clock.js';
import { T0, noPacing, failTimes, pendingCall, closed } from '../support/executorHelpers.js';

describe('getCircuitState() field by field', () => {
  it('is exact in closed, open, halfOpen, re-opened and closed-again states', async () => {
    const clock = createTestClock();
    const executor = createExecutor({ clock, failureThreshold: 2, openDurationMs: 1000, ...noPacing });
    expect(executor.getCircuitState()).toEqual(closed());

    await clock.advance(5);
    await failTimes(executor, 1);
    expect(executor.getCircuitState()).toEqual(closed({ consecutiveFailures: 1, lastFailureTime: T0 + 5 }));

    await clock.advance(5);
    await failTimes(executor, 1);
    expect(executor.getCircuitState()).toEqual({
      state: 'open',
      isOpen: true,
      consecutiveFailures: 2,
      lastFailureTime: T0 + 10,
      openedAt: T0 + 10,
      nextAttemptAt: T0 + 1010,
      trialsInFlight: 0,
      reopenCount: 0,
    });

    // Half-open: still remembers when it opened, but no longer announces a next attempt.
    await clock.advance(1000);
    expect(executor.getCircuitState()).toEqual({
      state: 'halfOpen',
      isOpen: false,
      consecutiveFailures: 2,
      lastFailureTime: T0 + 10,
      openedAt: T0 + 10,
      nextAttemptAt: null,
      trialsInFlight: 0,
      reopenCount: 0,
    });

    // The trial fails: open again, counted as a re-open.
    await clock.advance(7);
    await failTimes(executor, 1);
    expect(executor.getCircuitState()).toEqual({
      state: 'open',
      isOpen: true,
      consecutiveFailures: 3,
      lastFailureTime: T0 + 1017,
      openedAt: T0 + 1017,
      nextAttemptAt: T0 + 2017,
      trialsInFlight: 0,
      reopenCount: 1,
    });

    // A successful trial closes it: openedAt is gone, the time of the last failure is kept until a reset.
    await clock.advance(1000);
    await executor.execute(() => 'trial ok');
    expect(executor.getCircuitState()).toEqual(closed({ lastFailureTime: T0 + 1017 }));
    executor.resetCircuit();
    expect(executor.getCircuitState()).toEqual(closed());
  });

  it('in halfOpen, isOpen is true only once every trial slot is taken, and trials are counted', async () => {
    const clock = createTestClock();
    const executor = createExecutor({ clock, failureThreshold: 1, openDurationMs: 1000, halfOpenMaxCalls: 2, ...noPacing });
    await failTimes(executor, 1);
    await clock.advance(1000);
    const first = pendingCall(executor);
    expect(executor.getCircuitState()).toMatchObject({ state: 'halfOpen', isOpen: false, trialsInFlight: 1, nextAttemptAt: null });
    const second = pendingCall(executor);
    expect(executor.getCircuitState()).toMatchObject({ state: 'halfOpen', isOpen: true, trialsInFlight: 2 });

    // One trial fails: open again; trials still running are not reported outside halfOpen.
    first.reject(httpError(500));
    await clock.advance(0);
    expect(executor.getCircuitState()).toEqual({
      state: 'open',
      isOpen: true,
      consecutiveFailures: 2,
      lastFailureTime: T0 + 1000,
      openedAt: T0 + 1000,
      nextAttemptAt: T0 + 2000,
      trialsInFlight: 0,
      reopenCount: 1,
    });
    second.resolve('late');
    await clock.advance(0);
    expect(second.call).toMatchObject({ settled: true, value: 'late' });
    expect(executor.getCircuitState()).toMatchObject({ state: 'open', trialsInFlight: 0 });
  });

  it('an isolated circuit is open, with openedAt at the isolation and no next attempt', async () => {
    const clock = createTestClock();
    const executor = createExecutor({ clock, ...noPacing });
    await clock.advance(42);
    const hold = executor.isolate();
    expect(executor.getCircuitState()).toEqual({
      state: 'isolated',
      isOpen: true,
      consecutiveFailures: 0,
      lastFailureTime: null,
      openedAt: T0 + 42,
      nextAttemptAt: null,
      trialsInFlight: 0,
      reopenCount: 0,
    });
    hold[Symbol.dispose]!();
    expect(executor.getCircuitState()).toEqual(closed());
  });

  it('an isolation taken while trials run reports no trials', async () => {
    const clock = createTestClock();
    const executor = createExecutor({ clock, failureThreshold: 1, openDurationMs: 1000, ...noPacing });
    await failTimes(executor, 1);
    await clock.advance(1000);
    const trial = pendingCall(executor);
    expect(executor.getCircuitState().trialsInFlight).toBe(1);
    const hold = executor.isolate();
    expect(executor.getCircuitState()).toMatchObject({ state: 'isolated', isOpen: true, trialsInFlight: 0, nextAttemptAt: null, openedAt: T0 + 1000 });
    hold.dispose();
    trial.resolve(1);
    await clock.advance(0);
  });
});

describe('getCircuitState() identity', () => {
  it('returns the same object while no field changes, even when the machine took an event', async () => {
    const clock = createTestClock();
    // With a failure rate, every success is sent to the circuit, so its snapshot changes without any field changing.
    const executor = createExecutor({
      clock,
      failureThreshold: 5,
      failureRate: { kind: 'count', size: 10, threshold: 0.9, minimumCalls: 10 },
      ...noPacing,
    });
    const snapshot = executor.circuit.getSnapshot();
    const before = executor.getCircuitState();
    expect(executor.getCircuitState()).toBe(before);
    await executor.execute(() => 'ok');
    expect(executor.circuit.getSnapshot()).not.toBe(snapshot);
    expect(executor.getCircuitState()).toBe(before);
  });

  it('returns a new object when only consecutiveFailures changes (two failures at the same clock time)', async () => {
    const clock = createTestClock();
    const executor = createExecutor({ clock, ...noPacing });
    await failTimes(executor, 1);
    const one = executor.getCircuitState();
    await failTimes(executor, 1);
    const two = executor.getCircuitState();
    expect(two).not.toBe(one);
    expect(two).toMatchObject({ consecutiveFailures: 2, lastFailureTime: one.lastFailureTime });
  });

  it('returns a new object when only lastFailureTime changes (a reset after a success)', async () => {
    const clock = createTestClock();
    const executor = createExecutor({ clock, ...noPacing });
    await failTimes(executor, 1);
    await executor.execute(() => 'ok');
    const kept = executor.getCircuitState();
    expect(kept).toEqual(closed({ lastFailureTime: T0 }));
    executor.resetCircuit();
    expect(executor.getCircuitState()).not.toBe(kept);
    expect(executor.getCircuitState()).toEqual(closed());
  });

  it('returns a new object when only trialsInFlight changes', async () => {
    const clock = createTestClock();
    const executor = createExecutor({ clock, failureThreshold: 1, openDurationMs: 1000, halfOpenMaxCalls: 3, ...noPacing });
    await failTimes(executor, 1);
    await clock.advance(1000);
    const idle = executor.getCircuitState();
    const trial = pendingCall(executor);
    const busy = executor.getCircuitState();
    expect(busy).not.toBe(idle);
    expect(busy).toEqual({ ...idle, trialsInFlight: 1 });
    trial.resolve(1);
    await clock.advance(0);
  });

  it('returns a new object when the state changes (isolated, open, halfOpen)', async () => {
    const clock = createTestClock();
    const executor = createExecutor({ clock, failureThreshold: 1, openDurationMs: 1000, ...noPacing });
    const a = executor.getCircuitState();
    const hold = executor.isolate();
    const b = executor.getCircuitState();
    expect(b).not.toBe(a);
    hold.dispose();
    await failTimes(executor, 1);
    const open = executor.getCircuitState();
    await clock.advance(1000);
    const half = executor.getCircuitState();
    expect(half).not.toBe(open);
    expect([open.state, half.state]).toEqual(['open', 'halfOpen']);
  });
});

describe('subscribe()', () => {
  it('rejects a listener that is not a function, and stops notifying once unsubscribed', async () => {
    const executor = createExecutor({ clock: createTestClock(), failureThreshold: 1, ...noPacing });
    expect(() => executor.subscribe('x' as never)).toThrow(new TypeError('xstate-circuit-breaker: subscribe() needs a function.'));
    const seen: string[] = [];
    const unsubscribe = executor.subscribe((s) => seen.push(s.state));
    await failTimes(executor, 1);
    unsubscribe();
    executor.resetCircuit();
    expect(seen).toEqual(['open']);
  });
});

describe('subscribe() and events that change nothing', () => {
  it('does not call the listener when the circuit took an event but no field of the state changed', async () => {
    const executor = createExecutor({
      clock: createTestClock(),
      failureRate: { kind: 'count', size: 10, threshold: 0.9, minimumCalls: 10 },
      ...noPacing,
    });
    const listener = vi.fn();
    executor.subscribe(listener);
    const snapshot = executor.circuit.getSnapshot();
    await executor.execute(() => 'ok');
    await executor.execute(() => 'ok');
    expect(executor.circuit.getSnapshot()).not.toBe(snapshot);
    expect(listener).not.toHaveBeenCalled();
  });
});
