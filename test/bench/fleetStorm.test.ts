import { describe, expect, it } from 'vitest';
import { formatFleetResults } from '../../bench/support/formatFleetResults.js';
import { FLEET_SCENARIOS, runFleet } from '../../bench/support/runFleet.js';

describe('fleet storm: processes on one limit, with and without the Redis link', () => {
  it('stores every row of every process exactly once, and reports it so, with the link and without', async () => {
    const [withHeaders] = FLEET_SCENARIOS;
    const results = await runFleet({ scenarios: [withHeaders!], rowsPerProcess: 12, rate: 200, burst: 5, budgetMs: 30_000 });
    console.log(formatFleetResults(results));
    expect(results.map((r) => [r.link, r.processes, r.rows])).toEqual([
      ['none', 4, 48],
      ['redis', 4, 48],
    ]);
    for (const result of results) {
      expect(result.crash).toBeUndefined();
      expect(result).toMatchObject({ storedOnce: 48, lost: 0, reportMatches: true });
      expect(result.server).toMatchObject({ storedIds: 48, duplicates: 0, earlyRetries: 0 });
      // Four real processes, each timed on its own.
      expect(result.processElapsedMs).toHaveLength(4);
    }
    expect(results[0]!.redis).toBeNull();
    // With the link, the processes drew their slots from the bucket in Redis once they had learnt the rate.
    const link = results[1]!.redis!;
    expect(link.sharedSlots).toBeGreaterThan(0);
    expect(link.sharedSlots + link.localSlots).toBeGreaterThanOrEqual(48);
    expect(formatFleetResults(results)).toMatch(/none \(own pacers\)[\s\S]*Redis link/);
  }, 90_000);
});
