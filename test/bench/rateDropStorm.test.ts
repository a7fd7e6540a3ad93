import { describe, expect, it } from 'vitest';
import { formatStormResults } from '../../bench/support/formatStormResults.js';
import type { HttpStatusError } from '../../bench/support/postRow.js';
import { runStorm } from '../../bench/support/runStorm.js';
import type { StormContender } from '../../bench/support/stormContender.js';
import { bulkContender, classicContender } from '../../bench/support/stormContenders.js';
import { selectScenarios } from '../../bench/support/stormScenarios.js';

const [f] = selectScenarios('f');

describe('storm where the limit drops mid-run', () => {
  it('drops the rate once a third of the rows are stored, tells it in the headers, and counts the ideal at both rates', async () => {
    const policies: string[] = [];
    // One row at a time, waiting out each 429's Retry-After, keeping the RateLimit-Policy of every answer.
    const careful: StormContender = {
      name: 'careful',
      async run({ rows, send, signal, report }) {
        for (const row of rows) {
          for (;;) {
            try {
              policies.push((await send(row, signal)).get('ratelimit-policy') ?? 'none');
              report(row.id, { ok: true });
              break;
            } catch (error) {
              const { headers, retryAfterMs } = error as HttpStatusError;
              policies.push(headers?.get('ratelimit-policy') ?? 'none');
              await new Promise((resolve) => setTimeout(resolve, retryAfterMs ?? 100));
            }
          }
        }
      },
    };
    const [result] = await runStorm({ contenders: [careful], scenarios: [f!], rows: 12, rate: 40, burst: 2 });
    // 4 rows stored at 40 req/s, then 10 req/s: (4 − 2) / 40 + (12 − 4) / 10 s.
    expect(result).toMatchObject({ rows: 12, rate: 40, rateChange: { afterStored: 4, rate: 10 }, lost: 0, reportMatches: true });
    expect(result!.idealMs).toBeCloseTo(850, 6);
    expect(result!.server).toMatchObject({ rate: 10, storedIds: 12, earlyRetries: 0 });
    expect(result!.server.rateChangedAt).not.toBeNull();
    expect(policies.slice(0, 3)).toEqual(['2;w=0.05', '2;w=0.05', '2;w=0.05']);
    expect(policies.at(-1)).toBe('2;w=0.2');
    expect(formatStormResults([result!])).toContain('12 rows, 40 req/s, 10 req/s once 4 rows are stored, ideal 0.85 s');
  }, 30_000);

  it('judges real contenders through the drop by the server', async () => {
    const results = await runStorm({ contenders: [classicContender(), bulkContender()], scenarios: [f!], rows: 12, concurrency: 4, rate: 40, burst: 2 });
    for (const result of results) {
      expect(result).toMatchObject({ reportMatches: true, timedOut: false, rateChange: { afterStored: 4, rate: 10 } });
      expect(result.server).toMatchObject({ duplicates: 0, earlyRetries: 0, rate: 10 });
      expect(result.lost).toBe(12 - result.server.storedIds);
    }
  }, 60_000);
});
