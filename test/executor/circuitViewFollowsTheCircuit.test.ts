import { describe, expect, it } from 'vitest';
import { createExecutor } from '../../src/index.js';
import { createTestClock, httpError } from '../support/clock.js';

const fail500 = async (): Promise<never> => {
  throw httpError(500);
};

describe('executor.circuit, the read-only view of the circuit', () => {
  it('shows the snapshot the executor decides on, through open, half-open and closed again', async () => {
    const clock = createTestClock();
    const executor = createExecutor({ clock, failureThreshold: 2, openDurationMs: 1_000, pacer: false });
    const values = (): unknown => executor.circuit.getSnapshot().value;
    expect(values()).toBe('closed');
    await executor.execute(fail500).catch(() => undefined);
    expect(executor.circuit.getSnapshot().context.consecutiveFailures).toBe(1);
    await executor.execute(fail500).catch(() => undefined);
    expect(values()).toBe('open');
    await clock.advance(1_000);
    expect(values()).toBe('halfOpen');
    await executor.execute(() => 'ok');
    expect(values()).toBe('closed');
    expect(executor.getCircuitState().state).toBe('closed');
    executor.stop();
  });

  it('tells a subscriber every change until it unsubscribes', async () => {
    const clock = createTestClock();
    const executor = createExecutor({ clock, failureThreshold: 1, openDurationMs: 1_000, pacer: false });
    const seen: unknown[] = [];
    const subscription = executor.circuit.subscribe((snapshot) => seen.push(snapshot.value));
    await executor.execute(fail500).catch(() => undefined);
    await clock.advance(1_000);
    expect(seen).toEqual(['open', 'halfOpen']);
    subscription.unsubscribe();
    executor.resetCircuit();
    expect(executor.circuit.getSnapshot().value).toBe('closed');
    expect(seen).toEqual(['open', 'halfOpen']);
    executor.stop();
  });

  it('takes an observer object as the actor does (what @xstate/react subscribes with)', async () => {
    const executor = createExecutor({ clock: createTestClock(), failureThreshold: 1, pacer: false });
    const seen: unknown[] = [];
    const subscription = executor.circuit.subscribe({ next: (snapshot) => seen.push(snapshot.value) });
    await executor.execute(fail500).catch(() => undefined);
    expect(seen).toEqual(['open']);
    subscription.unsubscribe();
    executor.stop();
  });

  it('offers nothing but getSnapshot and subscribe: no send, no stop, and it cannot be given one', () => {
    const executor = createExecutor({ clock: createTestClock(), failureThreshold: 1, pacer: false });
    const view = executor.circuit as unknown as Record<string, unknown>;
    expect(Object.keys(view).sort()).toEqual(['getSnapshot', 'subscribe']);
    expect('send' in view).toBe(false);
    expect('stop' in view).toBe(false);
    expect(Object.isFrozen(view)).toBe(true);
    expect(() => {
      view.send = () => undefined;
    }).toThrow(TypeError);
    executor.stop();
  });
});
