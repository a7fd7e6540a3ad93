import { describe, expect, it } from 'vitest';
import { formatStormResults } from '../../bench/support/formatStormResults.js';
import type { Row } from '../../bench/support/postRow.js';
import { runStorm } from '../../bench/support/runStorm.js';
import type { StormContender } from '../../bench/support/stormContender.js';
import { bulkContender, classicContender } from '../../bench/support/stormContenders.js';
import { selectScenarios } from '../../bench/support/stormScenarios.js';

const [g] = selectScenarios('g');
/** Scenario (g) with faults frequent enough to show in a handful of rows. */
const faulty = { ...g!, server: { ...g!.server, lostResponseRate: 0.2, unavailableRate: 0.15 } };

type Seen = { network: number; unavailable: number };

/** Sends rows one at a time; `persistent` re-sends a row after any error until it is answered 2xx. */
function scripted(name: string, persistent: boolean, seen: Seen): StormContender {
  const attempt = async (row: Row, send: (row: Row, signal: AbortSignal) => Promise<Headers>, signal: AbortSignal): Promise<void> => {
    try {
      await send(row, signal);
    } catch (error) {
      if ((error as { status?: unknown }).status === 503) seen.unavailable++;
      else seen.network++;
      throw error;
    }
  };
  return {
    name,
    async run({ rows, send, signal, report }) {
      for (const row of rows) {
        for (let tries = 1; ; tries++) {
          try {
            await attempt(row, send, signal);
            report(row.id, { ok: true });
            break;
          } catch {
            if (!persistent || tries === 20) {
              report(row.id, { ok: false, error: 'failed' });
              break;
            }
          }
        }
      }
    },
  };
}

describe('storm against a faulty server with idempotent inserts', () => {
  it('counts a row whose answer was lost as stored, and its re-insert as a replay, not a duplicate', async () => {
    const seen: Seen = { network: 0, unavailable: 0 };
    const [result] = await runStorm({ contenders: [scripted('persistent', true, seen)], scenarios: [faulty], rows: 30, rate: 1000, burst: 100 });
    expect(seen.network).toBeGreaterThan(0);
    expect(seen.unavailable).toBeGreaterThan(0);
    expect(result).toMatchObject({ rows: 30, lost: 0, reportMatches: true, faults: true, idempotent: true });
    expect(result!.server).toMatchObject({
      storedIds: 30,
      duplicates: 0,
      lostResponses: seen.network,
      // Every lost answer was for a stored row, so its re-send is a replay (answered 200, or lost again).
      replays: seen.network,
      unavailable: seen.unavailable,
    });
    const table = formatStormResults([result!]);
    expect(table).toMatch(/answers lost\s+503s\s+stored\s+lost\s+duplicates\s+replays/);
  });

  it('judges a client that gives up on a lost answer: the row is stored, so it is not lost but reported wrongly', async () => {
    const seen: Seen = { network: 0, unavailable: 0 };
    const [result] = await runStorm({ contenders: [scripted('one-shot', false, seen)], scenarios: [faulty], rows: 30, rate: 1000, burst: 100 });
    expect(seen.network).toBeGreaterThan(0);
    expect(result!.server).toMatchObject({ lostResponses: seen.network, unavailable: seen.unavailable, replays: 0, storedIds: 30 - seen.unavailable });
    expect(result).toMatchObject({ lost: seen.unavailable, failedButStored: seen.network, reportMatches: false });
  });

  it('draws the same faults for every contender: one seed, one fault sequence', async () => {
    const first: Seen = { network: 0, unavailable: 0 };
    const second: Seen = { network: 0, unavailable: 0 };
    const results = await runStorm({
      contenders: [scripted('one-shot', false, first), scripted('one-shot again', false, second)],
      scenarios: [faulty],
      rows: 30,
      rate: 1000,
      burst: 100,
    });
    expect(second).toEqual(first);
    expect(results[1]!.server.lostResponses).toBe(results[0]!.server.lostResponses);
  });

  it('judges real contenders by the server: replays are not duplicates, and lost counts only rows the server lacks', async () => {
    // Scenario (g) as the bench runs it: with seed 42, the first 30 requests the server admits include lost answers and 503s.
    const results = await runStorm({ contenders: [classicContender(), bulkContender()], scenarios: [g!], rows: 30, concurrency: 4, rate: 200, burst: 5 });
    for (const result of results) {
      expect(result.server.duplicates).toBe(0);
      expect(result.server.lostResponses).toBeGreaterThan(0);
      expect(result.server.unavailable).toBeGreaterThan(0);
      expect(result.lost).toBe(30 - result.server.storedIds);
      expect(result.server.earlyRetries).toBe(0);
    }
    // The classic service retries network errors and 5xx, so it stores every row and ends up knowing it.
    expect(results[0]).toMatchObject({ contender: 'classic service', lost: 0, reportMatches: true });
  }, 60_000);
});
