import { describe, expect, it } from 'vitest';
import { formatStormResults } from '../../bench/support/formatStormResults.js';
import { runStorm } from '../../bench/support/runStorm.js';
import type { StormContender } from '../../bench/support/stormContender.js';
import { bulkContender, classicContender } from '../../bench/support/stormContenders.js';
import { selectScenarios } from '../../bench/support/stormScenarios.js';

const [c, d] = selectScenarios('c,d');

describe('storm with independent clients on one limit', () => {
  it('runs one instance of the contender per client at once, on one server, each with its own rows, and adds them up', async () => {
    const instances: string[][] = [];
    let othersDone!: () => void;
    const othersFinished = new Promise<void>((resolve) => (othersDone = resolve));
    let running = 0;
    let mostAtOnce = 0;
    let finished = 0;
    const probe: StormContender = {
      name: 'probe',
      async run({ rows, send, signal, report }) {
        const instance = instances.push(rows.map((r) => r.id)) - 1;
        running++;
        mostAtOnce = Math.max(mostAtOnce, running);
        // The second client waits until the others are done, so it is the slowest whatever the machine's speed.
        if (instance === 1) await othersFinished;
        for (const row of rows) {
          await send(row, signal);
          report(row.id, { ok: true });
        }
        running--;
        if (++finished === 2 && instance !== 1) othersDone();
      },
    };
    const [result] = await runStorm({
      contenders: [probe],
      scenarios: [{ ...c!, rowsPerClient: 3 }],
      rate: 1000,
      burst: 20,
      budgetMs: 15_000,
    });
    expect(instances).toHaveLength(3);
    expect(mostAtOnce).toBe(3);
    expect(new Set(instances.flat()).size).toBe(9);
    expect(result).toMatchObject({ clients: 3, rows: 9, lost: 0, reportedOk: 9, reportMatches: true, timedOut: false });
    expect(result!.server).toMatchObject({ storedIds: 9, duplicates: 0 });
    expect(result!.clientElapsedMs).toHaveLength(3);
    const slowest = Math.max(...result!.clientElapsedMs);
    expect(result!.clientElapsedMs[1]).toBe(slowest);
    expect(result!.fairness).toBeCloseTo(slowest / Math.min(...result!.clientElapsedMs), 6);
    expect(result!.fairness!).toBeGreaterThan(1);
    // The ideal is for all the clients' rows through the one bucket.
    expect(result!.idealMs).toBe(0); // 9 rows fit in the burst of 20

    const table = formatStormResults([result!]);
    expect(table).toContain('3 clients × 3 rows = 9 rows');
    expect(table).toMatch(/contender\s+clients\s+elapsed\s+elapsed\/ideal\s+slowest\/fastest/);
  });

  it('does not let a client report rows of another client', async () => {
    const grabber: StormContender = {
      name: 'grabber',
      async run({ rows, send, signal, report }) {
        for (const row of rows) {
          await send(row, signal);
          report(row.id, { ok: true });
        }
        // A report for a row this client never had is ignored, even if it is another client's.
        report('not-mine', { ok: false, error: 'x' });
      },
    };
    const [result] = await runStorm({ contenders: [grabber], scenarios: [{ ...c!, rowsPerClient: 2 }], rate: 1000, burst: 10 });
    expect(result).toMatchObject({ rows: 6, reportedOk: 6, reportedFailed: 0, reportMatches: true });
  });

  it('judges real contenders sharing one limit by the server, adding up their clients', async () => {
    const results = await runStorm({
      contenders: [classicContender(), bulkContender()],
      scenarios: [
        { ...c!, rowsPerClient: 6 },
        { ...d!, clients: 8, rowsPerClient: 2 },
      ],
      concurrency: 3,
      rate: 40,
      burst: 2,
      budgetMs: 20_000,
    });
    expect(results.map((r) => [r.key, r.contender, r.clients, r.rows])).toEqual([
      ['c', 'classic service', 3, 18],
      ['c', 'ours: runBulk', 3, 18],
      ['d', 'classic service', 8, 16],
      ['d', 'ours: runBulk', 8, 16],
    ]);
    for (const result of results) {
      // Both report honestly and honour Retry-After; whether every row made it is the bench's question, not the harness's.
      expect(result).toMatchObject({ reportMatches: true, timedOut: false, unreported: 0 });
      expect(result.server).toMatchObject({ duplicates: 0, earlyRetries: 0 });
      expect(result.lost).toBe(result.rows - result.server.storedIds);
      expect(result.reportedOk).toBe(result.server.storedIds);
      expect(Object.values(result.failures).reduce((a, b) => a + b, 0)).toBe(result.reportedFailed);
      expect(result.idealMs).toBeCloseTo(((result.rows - 2) / 40) * 1000, 6);
      expect(result.clientElapsedMs).toHaveLength(result.clients);
      expect(Math.max(...result.clientElapsedMs)).toBeLessThanOrEqual(result.elapsedMs);
      expect(result.fairness!).toBeGreaterThanOrEqual(1);
    }
    // Several unpaced clients with a burst smaller than their pools meet the limit.
    expect(results[0]!.server.rejected429).toBeGreaterThan(0);
  }, 60_000);
});
