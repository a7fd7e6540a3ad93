import { describe, expect, it } from 'vitest';
import { startCircuit } from './support/circuitActor.js';

describe('an opening adopted from another tab runs out on time', () => {
  it('an opening whose period ends exactly now is over: it half-opens at once, without passing through open', () => {
    const { actor, clock } = startCircuit({});
    const seen: string[] = [];
    actor.subscribe((snapshot) => seen.push(String(snapshot.value)));
    const at = clock.now();
    actor.send({ type: 'ADOPT_OPEN', at, openedAt: at - 5_000, openDurationMs: 5_000, reopenCount: 0 });
    expect(seen).toEqual(['halfOpen']);
    // One millisecond left is still a running period.
    actor.send({ type: 'ADOPT_CLOSED' });
    actor.send({ type: 'ADOPT_OPEN', at, openedAt: at - 4_999, openDurationMs: 5_000, reopenCount: 0 });
    expect(actor.getSnapshot().value).toBe('open');
    clock.increment(1);
    expect(actor.getSnapshot().value).toBe('halfOpen');
  });
});
