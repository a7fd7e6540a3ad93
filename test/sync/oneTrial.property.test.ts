import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createExecutor, type Executor, type SyncChannel } from '../../src/index.js';
import { createTestClock, flush, httpError } from '../support/clock.js';
import { createMemoryStorage, persistCircuit } from '../../src/sync/index.js';

/**
 * Safety of the one-tab trial under any interleaving: three tabs share a circuit; their messages are held in a queue
 * and delivered only when the test says (any delay, in order per channel), calls start and end at random, time moves
 * at random. However it goes, at no moment do two trials run at once across the tabs (each tab admits one,
 * `halfOpenMaxCalls: 1`, and only the holder of the trial lease may).
 */

type Listener = (event: { data: unknown }) => void;

/** A BroadcastChannel whose deliveries wait in a queue until `deliver()`; messages are cloned, as the real one does. */
class HeldChannels {
  readonly queue: Array<{ to: Held; data: unknown }> = [];
  readonly #all = new Set<Held>();

  create = (name: string): SyncChannel => {
    const channel = new Held(name, this);
    this.#all.add(channel);
    return channel;
  };

  post(from: Held, data: unknown): void {
    for (const to of this.#all) if (to !== from && to.name === from.name && !to.closed) this.queue.push({ to, data: structuredClone(data) });
  }

  deliver(count: number): void {
    for (const { to, data } of this.queue.splice(0, count)) if (!to.closed) for (const listener of to.listeners) listener({ data });
  }
}

class Held implements SyncChannel {
  readonly listeners = new Set<Listener>();
  closed = false;
  constructor(
    readonly name: string,
    readonly hub: HeldChannels,
  ) {}
  postMessage(message: unknown): void {
    if (this.closed) throw new DOMException('closed', 'InvalidStateError');
    this.hub.post(this, message);
  }
  addEventListener(_type: 'message', listener: Listener): void {
    this.listeners.add(listener);
  }
  removeEventListener(_type: 'message', listener: Listener): void {
    this.listeners.delete(listener);
  }
  close(): void {
    this.closed = true;
  }
}

type Command =
  | { kind: 'fail'; tab: number }
  | { kind: 'call'; tab: number }
  | { kind: 'settle'; ok: boolean }
  | { kind: 'tick'; ms: number }
  | { kind: 'deliver'; count: number };

const TABS = 3;
const tabArb = fc.integer({ min: 0, max: TABS - 1 });
const commandArb: fc.Arbitrary<Command> = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constant('fail' as const), tab: tabArb }), weight: 4 },
  { arbitrary: fc.record({ kind: fc.constant('call' as const), tab: tabArb }), weight: 5 },
  { arbitrary: fc.record({ kind: fc.constant('settle' as const), ok: fc.boolean() }), weight: 3 },
  { arbitrary: fc.record({ kind: fc.constant('tick' as const), ms: fc.constantFrom(10, 400, 1_000, 2_500, 7_000) }), weight: 3 },
  { arbitrary: fc.record({ kind: fc.constant('deliver' as const), count: fc.integer({ min: 1, max: 6 }) }), weight: 4 },
);

interface Totals {
  trials: number;
  turnedAway: number;
}

async function run(commands: Command[], totals: Totals): Promise<void> {
  const clock = createTestClock();
  const storage = createMemoryStorage();
  const channels = new HeldChannels();
  const tabs: Executor[] = Array.from({ length: TABS }, () =>
    createExecutor({
      clock,
      maxRetries: 0,
      failureThreshold: 2,
      openDurationMs: 1_000,
      halfOpenMaxCalls: 1,
      pacer: false,
      retryBudget: false,
      persist: persistCircuit({ name: 'prop', storage, shareAcrossTabs: true, locks: null, createChannel: channels.create, trialLeaseMs: 3_000 }),
    }),
  );
  const pending: Array<{ ok(): void; fail(): void; done: Promise<unknown> }> = [];
  const trialsNow = (): number => tabs.reduce((n, t) => n + t.circuit.getSnapshot().context.trialsInFlight, 0);
  try {
    for (const command of commands) {
      switch (command.kind) {
        case 'fail':
          await tabs[command.tab]!.execute(() => Promise.reject(httpError(503))).catch(() => undefined);
          break;
        case 'call': {
          let ok!: () => void;
          let fail!: () => void;
          const answer = new Promise<string>((resolve, reject) => {
            ok = () => resolve('ok');
            fail = () => reject(httpError(503));
          });
          // A call turned away never reads its answer: the test's own promise must not reject unhandled.
          answer.catch(() => undefined);
          const done = tabs[command.tab]!.execute(() => answer).catch(() => undefined);
          pending.push({ ok, fail, done });
          break;
        }
        case 'settle': {
          const call = pending.shift();
          if (call !== undefined) {
            if (command.ok) call.ok();
            else call.fail();
            await call.done;
          }
          break;
        }
        case 'tick':
          await clock.advance(command.ms);
          break;
        case 'deliver':
          channels.deliver(command.count);
          break;
      }
      await flush();
      expect(trialsNow(), `trials running at once after ${JSON.stringify(command)}`).toBeLessThanOrEqual(1);
    }
    for (const t of tabs) {
      const stats = t.getSyncStats()!;
      totals.trials += stats.trialsLed;
      totals.turnedAway += stats.trialsElsewhere;
      expect(stats.malformed + stats.unsupported + stats.storageErrors).toBe(0);
    }
  } finally {
    for (const t of tabs) t.stop();
    for (const call of pending) call.ok();
  }
}

describe('shareAcrossTabs: one trial at a time across tabs, whatever the interleaving', () => {
  it('never two trials at once (fast-check over calls, failures, time and message delays)', async () => {
    const totals: Totals = { trials: 0, turnedAway: 0 };
    await fc.assert(
      fc.asyncProperty(fc.array(commandArb, { minLength: 10, maxLength: 60 }), (commands) => run(commands, totals)),
      { numRuns: 150 },
    );
    // The generator reaches the interesting cases: trials were run, and calls were turned away for another tab's trial.
    expect(totals.trials).toBeGreaterThan(20);
    expect(totals.turnedAway).toBeGreaterThan(5);
  }, 60_000);
});
