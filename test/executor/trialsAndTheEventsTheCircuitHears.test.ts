import { describe, expect, it, vi } from 'vitest';
import { CircuitOpenError, createExecutor } from '../../src/index.js';
import { createTestClock, httpError, track } from '../support/clock.js';
import { noPacing, failTimes, pendingCall, closed, circuitInbox, isCircuitActor } from '../support/executorHelpers.js';

describe('a half-open trial that is retried', () => {
  it('keeps its slot through the back-off and closes the circuit on success', async () => {
    const clock = createTestClock();
    const executor = createExecutor({ clock, jitter: 'none', failureThreshold: 1, openDurationMs: 1000, ...noPacing });
    await failTimes(executor, 1);
    await clock.advance(1000);
    const op = vi.fn(async ({ attempt }: { attempt: number }) => (attempt === 1 ? Promise.reject(httpError(429)) : 'trial ok'));
    const call = track(executor.execute(op));
    await clock.advance(50);
    expect(executor.getCircuitState()).toMatchObject({ state: 'halfOpen', trialsInFlight: 1, isOpen: true });
    await clock.advance(50);
    expect(call).toMatchObject({ settled: true, value: 'trial ok' });
    expect(op).toHaveBeenCalledTimes(2);
    expect(executor.getCircuitState().state).toBe('closed');
  });
});

describe('the retry loop as the inspector sees it', () => {
  it('a call that succeeds on a retry ends its retry actor in succeeded', async () => {
    const clock = createTestClock();
    const snapshots: Array<{ actor: unknown; value: unknown }> = [];
    const executor = createExecutor({
      clock,
      jitter: 'none',
      inspect: (event) => {
        if (event.type === '@xstate.snapshot') snapshots.push({ actor: event.actorRef, value: (event.snapshot as { value?: unknown }).value });
      },
      ...noPacing,
    });
    const call = track(executor.execute(async ({ attempt }) => (attempt === 1 ? Promise.reject(httpError(429)) : 'ok')));
    await clock.advance(100);
    expect(call.value).toBe('ok');
    expect(snapshots.filter((s) => !isCircuitActor(s.actor)).map((s) => s.value)).toEqual(['attempting', 'backingOff', 'attempting', 'succeeded']);
  });
});

describe('the events the circuit hears', () => {
  it('a call an isolated or open circuit refuses only asks it (TRY_ACQUIRE): it reports no result', async () => {
    const clock = createTestClock();
    const inbox = circuitInbox();
    const executor = createExecutor({ clock, failureThreshold: 1, inspect: inbox.inspect, ...noPacing });
    const hold = executor.isolate();
    await expect(executor.execute(() => 1)).rejects.toBeInstanceOf(CircuitOpenError);
    hold.dispose();
    await failTimes(executor, 1);
    await expect(executor.execute(() => 1)).rejects.toBeInstanceOf(CircuitOpenError);
    expect(inbox.sent()).toEqual(['ISOLATE', 'TRY_ACQUIRE', 'RELEASE', 'FAILURE', 'TRY_ACQUIRE']);
  });

  it('a success is sent only when the circuit has something to forget or counts a rate (a closed circuit is not asked: it admits)', async () => {
    const clock = createTestClock();
    const inbox = circuitInbox();
    const executor = createExecutor({ clock, inspect: inbox.inspect, ...noPacing });
    await executor.execute(() => 'ok');
    await executor.execute(() => 'ok', { signal: new AbortController().signal });
    expect(inbox.sent()).toEqual([]);
    await failTimes(executor, 1);
    await executor.execute(() => 'ok');
    await executor.execute(() => 'ok');
    expect(inbox.sent()).toEqual(['FAILURE', 'SUCCESS']);
  });

  it('a success from before a reset is left to the circuit, which counts nothing of it', async () => {
    const clock = createTestClock();
    const inbox = circuitInbox();
    const executor = createExecutor({ clock, failureRate: { kind: 'count', size: 10, threshold: 0.5, minimumCalls: 10 }, inspect: inbox.inspect, ...noPacing });
    const old = pendingCall(executor);
    executor.resetCircuit();
    old.resolve('late');
    await clock.advance(0);
    expect(old.call.value).toBe('late');
    expect(inbox.sent()).toEqual(['RESET', 'SUCCESS']);
    expect(executor.circuit.getSnapshot().context.outcomes).toEqual([]);
  });

  it('a call that ends without a verdict sends IGNORED only to give back its own trial slot', async () => {
    const clock = createTestClock();
    const inbox = circuitInbox();
    const executor = createExecutor({ clock, failureThreshold: 1, openDurationMs: 1000, inspect: inbox.inspect, ...noPacing });
    const notFound = async (): Promise<never> => Promise.reject(httpError(404));
    // Closed: a 404 says nothing about the server and holds no slot.
    await executor.execute(notFound).catch(() => undefined);
    // A 404 admitted while closed that ends once the circuit is half-open holds no slot either.
    let late!: (error: unknown) => void;
    const stale = track(executor.execute(() => new Promise((_, reject) => (late = reject))));
    await failTimes(executor, 1);
    await clock.advance(1000);
    expect(executor.getCircuitState().state).toBe('halfOpen');
    late(httpError(404));
    await clock.advance(0);
    expect(stale.settled).toBe(true);
    // A trial that gets a 404 gives its slot back.
    await executor.execute(notFound).catch(() => undefined);
    expect(inbox.sent()).toEqual(['FAILURE', 'TRY_ACQUIRE', 'IGNORED']);
    expect(executor.getCircuitState()).toMatchObject({ state: 'halfOpen', trialsInFlight: 0 });
  });

  it('a retry in a circuit that half-opened during its back-off becomes the trial, and its success closes the circuit', async () => {
    const clock = createTestClock();
    const executor = createExecutor({ clock, jitter: 'none', failureThreshold: 1, openDurationMs: 50, ...noPacing });
    const call = track(executor.execute(async ({ attempt }) => (attempt === 1 ? Promise.reject(httpError(429)) : 'ok')));
    await clock.advance(0);
    await failTimes(executor, 1);
    expect(executor.getCircuitState().state).toBe('open');
    await clock.advance(50);
    expect(executor.getCircuitState()).toMatchObject({ state: 'halfOpen', trialsInFlight: 0 });
    await clock.advance(50);
    expect(call.value).toBe('ok');
    expect(executor.getCircuitState().state).toBe('closed');
  });
});
