import { describe, expect, it } from 'vitest';
import { idealStormMs, rateChangeFor, selectScenarios, STORM_SCENARIOS } from '../../bench/support/stormScenarios.js';

describe('storm scenarios', () => {
  it('lists the seven scenarios a to g with the clients and rows the bench promises', () => {
    expect(STORM_SCENARIOS.map((s) => [s.key, s.clients, s.rowsPerClient])).toEqual([
      ['a', 1, undefined],
      ['b', 1, undefined],
      ['c', 3, 200],
      ['d', 20, 30],
      ['e', 1, undefined],
      ['f', 1, undefined],
      ['g', 1, undefined],
    ]);
    const [e, g] = selectScenarios('e,g');
    expect(e!.server).toEqual({ retryAfter: false, headers: 'none' });
    expect(g!.server).toMatchObject({ lostResponseRate: 0.05, unavailableRate: 0.03, idempotent: true, headers: 'ietf' });
    expect(typeof g!.server.seed).toBe('number');
  });

  it('selects a subset by letters, in table order, and names an unknown letter', () => {
    expect(selectScenarios('g, c,A').map((s) => s.key)).toEqual(['a', 'c', 'g']);
    expect(selectScenarios(undefined)).toBe(STORM_SCENARIOS);
    expect(selectScenarios('')).toBe(STORM_SCENARIOS);
    expect(() => selectScenarios('a,z')).toThrow(RangeError);
    expect(() => selectScenarios('a,z')).toThrow(/"z"/);
  });

  it('drops the limit of (f) from 100/s to 25/s once a third of the rows are stored', () => {
    const [f] = selectScenarios('f');
    expect(rateChangeFor(f!, 300, 100)).toEqual({ afterStored: 100, rate: 25 });
    expect(rateChangeFor(selectScenarios('a')[0]!, 300, 100)).toBeUndefined();
  });

  it('computes the ideal time from the burst and the rate, and counts the rows after a drop at the new rate', () => {
    expect(idealStormMs(300, 10, 100)).toBe(2900);
    expect(idealStormMs(600, 10, 100)).toBe(5900);
    // 90 rows at 100/s after the burst, then 200 at 25/s.
    expect(idealStormMs(300, 10, 100, { afterStored: 100, rate: 25 })).toBeCloseTo(8900, 6);
    // A change before the burst is spent: every row past the burst runs at the new rate.
    expect(idealStormMs(300, 10, 100, { afterStored: 5, rate: 25 })).toBeCloseTo(11_600, 6);
    expect(idealStormMs(5, 10, 100)).toBe(0);
  });
});
