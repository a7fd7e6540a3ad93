import type { FleetResult } from './runFleet.js';
import { formatTable } from './table.js';

const percent = (part: number, whole: number): string => (whole === 0 ? '-' : `${((100 * part) / whole).toFixed(1)}%`);

/** One table per fleet scenario: the runs without and with the Redis link side by side. */
export function formatFleetResults(results: readonly FleetResult[]): string {
  const out: string[] = [];
  for (const scenario of [...new Set(results.map((r) => r.scenario))]) {
    const group = results.filter((r) => r.scenario === scenario);
    const first = group[0]!;
    const repeated = group.some((r) => r.run > 1);
    out.push(
      `Scenario ${scenario}: ${first.processes} processes × ${first.rows / first.processes} rows = ${first.rows} rows, ` +
        `ideal ${(first.idealMs / 1000).toFixed(2)} s`,
    );
    out.push(
      formatTable(
        ['link', 'elapsed', 'elapsed/ideal', 'slowest/fastest', 'requests', '429 share', '429s in 1st s', 'stored once', 'lost', 'duplicates', 'report matches', 'shared/local slots'],
        group.map((r) => {
          const fastest = Math.min(...r.processElapsedMs);
          return [
            `${r.link === 'redis' ? 'Redis link' : 'none (own pacers)'}${repeated ? ` #${r.run}` : ''}`,
            `${(r.elapsedMs / 1000).toFixed(2)} s`,
            r.idealMs > 0 ? `${(r.elapsedMs / r.idealMs).toFixed(2)}x` : '-',
            r.processElapsedMs.length > 1 ? `${(Math.max(...r.processElapsedMs) / Math.max(fastest, 1)).toFixed(2)}x` : '-',
            String(r.server.requests),
            percent(r.server.rejected429, r.server.requests),
            `${(r.server.rejected429PerHalfSecond[0] ?? 0) + (r.server.rejected429PerHalfSecond[1] ?? 0)} of ${r.server.rejected429}`,
            `${r.storedOnce} of ${r.rows}`,
            String(r.lost),
            String(r.server.duplicates),
            r.reportMatches ? 'yes' : 'no',
            r.redis === null ? '-' : `${r.redis.sharedSlots}/${r.redis.localSlots}${r.redis.failures > 0 ? ` (${r.redis.failures} failed)` : ''}`,
          ];
        }),
      ),
    );
    for (const r of group) {
      const reasons = Object.entries(r.failures).map(([reason, count]) => `${reason} x${count}`);
      const extra = [reasons.length > 0 ? `failed rows: ${reasons.join(', ')}` : '', r.crash === undefined ? '' : `CRASHED: ${r.crash}`].filter(Boolean);
      if (extra.length > 0) out.push(`  ${r.link}${repeated ? ` #${r.run}` : ''}: ${extra.join('; ')}`);
    }
    out.push('');
  }
  return out.join('\n');
}
