import { describe, expect, it } from 'vitest';
import type { HttpStatusError } from '../../bench/support/postRow.js';
import { runStorm } from '../../bench/support/runStorm.js';
import type { StormContender } from '../../bench/support/stormContender.js';
import { bulkContender, classicContender } from '../../bench/support/stormContenders.js';
import { selectScenarios } from '../../bench/support/stormScenarios.js';

const [b, e] = selectScenarios('b,e');

/** Sends every row at once and re-sends a rejected row every 20 ms, ignoring any Retry-After. */
function impatient(seen: { retryAfter: (number | null)[]; rateLimitHeaders: number }): StormContender {
  return {
    name: 'impatient',
    async run({ rows, send, signal, report }) {
      await Promise.all(
        rows.map(async (row) => {
          for (;;) {
            try {
              await send(row, signal);
              report(row.id, { ok: true });
              return;
            } catch (error) {
              const { retryAfterMs, headers } = error as HttpStatusError;
              seen.retryAfter.push(retryAfterMs);
              if (headers?.get('ratelimit-reset') !== null) seen.rateLimitHeaders++;
              await new Promise((resolve) => setTimeout(resolve, 20));
            }
          }
        }),
      );
    },
  };
}

describe('storm with bare 429s', () => {
  it('answers 429 with neither Retry-After nor RateLimit-*, so no retry counts as early; with Retry-After the same client is early', async () => {
    const bare = { retryAfter: [] as (number | null)[], rateLimitHeaders: 0 };
    const told = { retryAfter: [] as (number | null)[], rateLimitHeaders: 0 };
    const [inBare] = await runStorm({ contenders: [impatient(bare)], scenarios: [e!], rows: 10, rate: 100, burst: 3 });
    const [inTold] = await runStorm({ contenders: [impatient(told)], scenarios: [b!], rows: 10, rate: 100, burst: 3 });
    expect(bare.retryAfter.length).toBeGreaterThan(0);
    expect(bare.retryAfter.every((ms) => ms === null)).toBe(true);
    expect(bare.rateLimitHeaders).toBe(0);
    expect(inBare).toMatchObject({ lost: 0, reportMatches: true });
    expect(inBare!.server).toMatchObject({ earlyRetries: 0, storedIds: 10 });
    expect(inBare!.server.rejected429).toBe(bare.retryAfter.length);

    expect(told.retryAfter).toContain(1000);
    expect(inTold!.server.earlyRetries).toBeGreaterThan(0);
  });

  it('judges real contenders against bare 429s by the server', async () => {
    const results = await runStorm({ contenders: [classicContender(), bulkContender()], scenarios: [e!], rows: 12, concurrency: 4, rate: 40, burst: 2 });
    for (const result of results) {
      expect(result).toMatchObject({ rows: 12, clients: 1, reportMatches: true, timedOut: false });
      expect(result.server).toMatchObject({ duplicates: 0, earlyRetries: 0 });
      expect(result.lost).toBe(12 - result.server.storedIds);
      expect(result.idealMs).toBeCloseTo(((12 - 2) / 40) * 1000, 6);
    }
    expect(results[0]!.server.rejected429).toBeGreaterThan(0);
  }, 60_000);
});
