import type { StormResult } from './runStorm.js';
import { formatTable } from './table.js';

const percent = (part: number, whole: number): string => (whole === 0 ? '-' : `${((100 * part) / whole).toFixed(1)}%`);
const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;

/** What the scenario is, in one line: clients, rows, the rate (and its change), the ideal time. */
function describeScenario(first: StormResult): string {
  const perClient = first.rows / first.clients;
  const who = first.clients > 1 ? `${first.clients} clients × ${perClient} rows = ${first.rows} rows` : `${first.rows} rows`;
  const rate =
    first.rateChange === undefined
      ? `${first.rate} req/s`
      : `${first.rate} req/s, ${first.rateChange.rate} req/s once ${first.rateChange.afterStored} rows are stored`;
  return `Scenario ${first.scenario}: ${who}, ${rate}, ideal ${seconds(first.idealMs)}`;
}

/** How many of a run's 429s came in its first second (while its clients learnt the limit), as "n of total". */
function firstSecondCell(r: StormResult): string {
  const perHalfSecond = r.server.rejected429PerHalfSecond;
  const early = (perHalfSecond[0] ?? 0) + (perHalfSecond[1] ?? 0);
  return r.server.rejected429 === 0 ? '0' : `${early} of ${r.server.rejected429}`;
}

function reportCell(r: StormResult): string {
  if (r.reportMatches) return 'yes';
  return `no: ${[
    r.unreported > 0 ? `${r.unreported} unreported (${r.unreportedButStored} of them stored)` : '',
    r.okButMissing > 0 ? `${r.okButMissing} ok but missing` : '',
    r.failedButStored > 0 ? `${r.failedButStored} failed but stored` : '',
  ]
    .filter(Boolean)
    .join(', ')}`;
}

/**
 * One table per scenario, then why rows failed. Multi-client scenarios get a `slowest/fastest` column (client finish
 * times); scenarios with faults get the server's lost answers and 503s, and with idempotent inserts its replays.
 */
export function formatStormResults(results: readonly StormResult[]): string {
  const out: string[] = [];
  const scenarios = [...new Set(results.map((r) => r.scenario))];
  for (const scenario of scenarios) {
    const group = results.filter((r) => r.scenario === scenario);
    const first = group[0]!;
    const repeated = group.some((r) => r.run > 1);
    const multiClient = first.clients > 1;
    const faults = first.faults;
    const replays = first.idempotent;
    const label = (r: StormResult): string => (repeated ? `${r.contender} #${r.run}` : r.contender);
    const columns: [string, (r: StormResult) => string, boolean][] = [
      ['contender', label, true],
      ['clients', (r) => String(r.clients), true],
      ['elapsed', (r) => `${seconds(r.elapsedMs)}${r.timedOut ? ' (budget)' : ''}`, true],
      ['elapsed/ideal', (r) => (r.idealMs > 0 ? `${(r.elapsedMs / r.idealMs).toFixed(2)}x` : '-'), true],
      ['slowest/fastest', (r) => (r.fairness === null ? '-' : `${r.fairness.toFixed(2)}x`), multiClient],
      ['requests', (r) => String(r.server.requests), true],
      ['429 share', (r) => percent(r.server.rejected429, r.server.requests), true],
      ['429s in 1st s', firstSecondCell, group.some((r) => r.server.rejected429 > 0)],
      ['answers lost', (r) => String(r.server.lostResponses), faults],
      ['503s', (r) => String(r.server.unavailable), faults],
      ['stored', (r) => String(r.server.storedIds), true],
      ['lost', (r) => `${r.lost} (${percent(r.lost, r.rows)})`, true],
      ['duplicates', (r) => String(r.server.duplicates), true],
      ['replays', (r) => String(r.server.replays), replays],
      ['early retries', (r) => String(r.server.earlyRetries), true],
      ['report matches server', reportCell, true],
    ];
    const shown = columns.filter(([, , show]) => show);
    out.push(describeScenario(first));
    out.push(
      formatTable(
        shown.map(([header]) => header),
        group.map((r) => shown.map(([, cell]) => cell(r))),
      ),
    );
    for (const r of group) {
      const reasons = Object.entries(r.failures)
        .map(([reason, count]) => `${reason} x${count}`)
        .join(', ');
      const extra = [
        reasons === '' ? '' : `failed rows: ${reasons}`,
        r.crash === undefined ? '' : `CRASHED: ${r.crash}`,
        r.ignoredAbort ? 'did not stop when its budget ran out' : '',
        r.server.expired ? 'server hit its max duration' : '',
      ].filter(Boolean);
      if (extra.length > 0) out.push(`  ${label(r)}: ${extra.join('; ')}`);
    }
    out.push('');
  }
  return out.join('\n');
}
