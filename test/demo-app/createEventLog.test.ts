import { createActor, createMachine } from 'xstate';
import { describe, expect, it } from 'vitest';
import { createEventLog } from '../../demo/app/src/inspector/createEventLog.js';

const toggle = createMachine({ id: 'toggle', initial: 'off', states: { off: { on: { FLIP: 'on' } }, on: { on: { FLIP: 'off' } } } });

describe('the offline event log', () => {
  it('records each actor and each of its transitions, newest first, and tells listeners once per batch', () => {
    const timers: Array<() => void> = [];
    const log = createEventLog({ setTimeout: (fn) => timers.push(fn), now: () => 0 });
    let told = 0;
    log.subscribe(() => told++);
    const actor = createActor(toggle, { inspect: log.inspect }).start();
    actor.send({ type: 'FLIP' });
    actor.send({ type: 'FLIP' });
    expect(log.getSnapshot().inspection).toEqual([]); // nothing until the batch is flushed
    expect(timers).toHaveLength(1);
    timers.shift()!();
    expect(told).toBe(1);
    const lines = log.getSnapshot().inspection.map(({ machine, eventType, state }) => [machine, eventType, state]);
    expect(lines).toEqual([
      ['toggle', 'FLIP', 'off'],
      ['toggle', 'FLIP', 'on'],
      ['toggle', 'xstate.init', 'off'],
      ['toggle', 'xstate.init', 'created'],
    ]);
  });

  it('keeps only the last `limit` lines but counts them all', () => {
    const timers: Array<() => void> = [];
    const log = createEventLog({ limit: 3, setTimeout: (fn) => timers.push(fn) });
    const actor = createActor(toggle, { inspect: log.inspect }).start();
    for (let i = 0; i < 10; i++) actor.send({ type: 'FLIP' });
    timers.shift()!();
    const { inspection, inspectionTotal } = log.getSnapshot();
    expect(inspection).toHaveLength(3);
    expect(inspectionTotal).toBe(12);
  });
});
