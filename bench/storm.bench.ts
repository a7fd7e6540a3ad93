/**
 * A 429 storm: import rows through each contender against a real token-bucket HTTP server and judge the result by the
 * server's own records. Run with `node --import tsx bench/storm.bench.ts` (`npm run bench:storm`).
 *
 * Environment: STORM_ROWS (rows of the single-client scenarios, default 300), STORM_SCENARIOS (comma list of scenario
 * letters, default all), STORM_BUDGET_MS (per contender and scenario, default 60000), STORM_REPEAT (runs per
 * contender and scenario, default 1).
 */
import { formatStormResults } from './support/formatStormResults.js';
import { packageVersion } from './support/packageVersion.js';
import { runStorm } from './support/runStorm.js';
import { rateChangeFor, selectScenarios } from './support/stormScenarios.js';
import { defaultContenders } from './support/stormContenders.js';
import { positiveInteger } from './support/envInteger.js';

const rows = positiveInteger('STORM_ROWS', 300);
const budgetMs = positiveInteger('STORM_BUDGET_MS', 60_000);
const repeat = positiveInteger('STORM_REPEAT', 1);
const scenarios = selectScenarios(process.env['STORM_SCENARIOS']);
const contenders = defaultContenders();
const rate = 100;
const burst = 10;

console.log(
  `node ${process.version} · xstate-circuit-breaker ${packageVersion('.')} · xstate ${packageVersion('xstate')} · ` +
    `cockatiel ${packageVersion('cockatiel')}`,
);
console.log(
  `Client-generated ids, 10 in flight per client, server token bucket ${rate} req/s burst ${burst}, ` +
    `Retry-After (when sent) in whole seconds; fresh server per run; budget ${budgetMs / 1000} s per run; ${repeat} run(s) each.`,
);
console.log('Scenarios (each client is its own instance of the contender; the clients of a scenario share one server):');
for (const s of scenarios) {
  const total = s.clients * (s.rowsPerClient ?? rows);
  const change = rateChangeFor(s, total, rate);
  const who = s.clients > 1 ? `${s.clients} clients × ${s.rowsPerClient ?? rows} rows` : `1 client, ${total} rows`;
  console.log(`  ${s.name}: ${who}${change === undefined ? '' : `; ${rate} → ${change.rate} req/s after ${change.afterStored} stored`}.`);
}
console.log('');

const started = performance.now();
const results = await runStorm({
  contenders,
  scenarios,
  rows,
  rate,
  burst,
  budgetMs,
  repeat,
  onResult: (r) =>
    console.error(`  done: ${r.scenario} · ${r.contender}${repeat > 1 ? ` #${r.run}` : ''} in ${(r.elapsedMs / 1000).toFixed(1)} s`),
});
console.log(formatStormResults(results));
for (const contender of contenders) if (contender.note !== undefined) console.log(`- ${contender.note}`);
console.log(
  [
    '',
    'elapsed/ideal: ideal = (all rows of the scenario − burst) / rate; with a rate change, the rows after it count at the new rate.',
    'slowest/fastest: finish time of the slowest client / of the fastest, all started together (1.00x = fair).',
    '429 share: of all requests the server received. stored: distinct rows the server has. lost: rows not stored at the server.',
    'duplicates: a second insert of a stored row (409). replays: with idempotent inserts, a re-insert of a stored row (200),',
    '  harmless. answers lost: the server stored the row and dropped the connection unanswered (the row counts as stored).',
    '503s: answered 503 without storing. early retries: requests for a row sent before its last 429 + Retry-After',
    '  (or RateLimit-Reset without Retry-After; 2 ms tolerance for timer rounding); with bare 429s nothing was asked, so none.',
    'report matches server: every row reported, and reported ok exactly when the server stored it.',
  ].join('\n'),
);
console.log(`Total ${((performance.now() - started) / 1000).toFixed(1)} s.`);
