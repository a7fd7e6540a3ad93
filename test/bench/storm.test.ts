import { describe, expect, it } from 'vitest';
import { runStorm } from '../../bench/support/runStorm.js';
import { STORM_SCENARIOS } from '../../bench/support/stormScenarios.js';
import type { StormContender } from '../../bench/support/stormContender.js';
import { bulkContender, classicContender, executorContender } from '../../bench/support/stormContenders.js';

describe('runStorm', () => {
  it('judges contenders by the server: clients that honour Retry-After store every row, on time, and know it', async () => {
    const results = await runStorm({
      contenders: [classicContender(), executorContender(), bulkContender()],
      scenarios: STORM_SCENARIOS.slice(0, 2),
      rows: 8,
      concurrency: 4,
      // A burst smaller than the concurrency: the first wave of an unpaced client meets 429s however slow the machine.
      rate: 10,
      burst: 2,
      budgetMs: 15_000,
    });
    expect(results).toHaveLength(6);
    for (const result of results) {
      expect(result).toMatchObject({ rows: 8, lost: 0, reportMatches: true, timedOut: false, unreported: 0 });
      expect(result.server).toMatchObject({ storedIds: 8, duplicates: 0, earlyRetries: 0 });
      // The storm happened: the client without pacing hit the limit (ours may pace around it entirely).
      if (result.contender === 'classic service') expect(result.server.rejected429).toBeGreaterThan(0);
      expect(result.idealMs).toBe(((8 - 2) / 10) * 1000);
    }
    // 6 runs, each waiting out 1 s Retry-Afters: give a busy 2-core machine room.
  }, 60_000);

  it('stops a contender at its budget and counts its unreported rows as lost', async () => {
    const stuck: StormContender = {
      name: 'stuck',
      async run({ rows, send, signal, report }) {
        await send(rows[0]!, signal);
        report(rows[0]!.id, { ok: true });
        await new Promise(() => undefined); // never settles, ignores its signal
      },
    };
    const [result] = await runStorm({
      contenders: [stuck],
      scenarios: [STORM_SCENARIOS[1]!],
      rows: 5,
      budgetMs: 200,
      graceMs: 50,
    });
    expect(result).toMatchObject({ timedOut: true, ignoredAbort: true, reportedOk: 1, unreported: 4, lost: 4, reportMatches: false });
  });

  it('catches a client that reports rows it never sent', async () => {
    const liar: StormContender = {
      name: 'liar',
      async run({ rows, report }) {
        for (const row of rows) report(row.id, { ok: true });
      },
    };
    const [result] = await runStorm({ contenders: [liar], scenarios: [STORM_SCENARIOS[0]!], rows: 3 });
    expect(result).toMatchObject({ okButMissing: 3, lost: 3, reportMatches: false });
  });
});
