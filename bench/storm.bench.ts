/**
 * A 429 storm: import rows through each contender against a real token-bucket HTTP server and judge the result by the
 * server's own records. Run with `node --import tsx bench/storm.bench.ts` (`npm run bench:storm`).
 *
 * Environment: STORM_ROWS (rows of the single-client scenarios, default 300), STORM_SCENARIOS (comma list of scenario
 * letters, default all; h and i are the fleet's), STORM_BUDGET_MS (per contender and scenario, default 60000),
 * STORM_REPEAT (runs per contender and scenario, default 1), FLEET_ROWS (rows per process of the fleet scenarios,
 * default 150), FLEET_TRACE (1: the fleet's processes print what their pacers know every second).
 */
import { formatFleetResults } from './support/formatFleetResults.js';
import { formatStormResults } from './support/formatStormResults.js';
import { packageVersion } from './support/packageVersion.js';
import { FLEET_SCENARIOS, runFleet } from './support/runFleet.js';
import { runStorm } from './support/runStorm.js';
import { rateChangeFor, selectScenarios } from './support/stormScenarios.js';
import { defaultContenders } from './support/stormContenders.js';
import { positiveInteger } from './support/envInteger.js';

const rows = positiveInteger('STORM_ROWS', 300);
const budgetMs = positiveInteger('STORM_BUDGET_MS', 60_000);
const repeat = positiveInteger('STORM_REPEAT', 1);
// The fleet's letters (real child processes, with and without the Redis link) run after the in-process scenarios.
const letters = (process.env['STORM_SCENARIOS'] ?? '').split(',').map((letter) => letter.trim().toLowerCase()).filter(Boolean);
const fleetLetters = new Set(FLEET_SCENARIOS.map((s) => s.key));
const fleetScenarios = FLEET_SCENARIOS.filter((s) => letters.length === 0 || letters.includes(s.key));
const stormLetters = letters.filter((letter) => !fleetLetters.has(letter));
const scenarios = letters.length > 0 && stormLetters.length === 0 ? [] : selectScenarios(stormLetters.join(','));
const fleetRows = positiveInteger('FLEET_ROWS', 150);
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
for (const s of fleetScenarios) {
  console.log(`  ${s.name}: ${s.processes} child processes × ${fleetRows} rows, each runBulk over its own executor; run without the link (each its own pacer) and with createRedisPacer (one redis-server).`);
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
if (results.length > 0) {
  console.log(formatStormResults(results));
  for (const contender of contenders) if (contender.note !== undefined) console.log(`- ${contender.note}`);
}
if (fleetScenarios.length > 0) {
  const fleet = await runFleet({
    scenarios: fleetScenarios,
    rowsPerProcess: fleetRows,
    rate,
    burst,
    budgetMs,
    repeat,
    onResult: (r) =>
      console.error(`  done: ${r.scenario} · ${r.link === 'redis' ? 'Redis link' : 'no link'}${repeat > 1 ? ` #${r.run}` : ''} in ${(r.elapsedMs / 1000).toFixed(1)} s`),
  });
  console.log(formatFleetResults(fleet));
  console.log(
    [
      'Fleet: processes start and connect first; the clock starts when all are told to go. Redis link: createRedisPacer(client,',
      '  { prefix, name }) in every process, one bucket in Redis; shared/local slots: spaced by that bucket / by the local',
      '  pacer (Redis not answering in time, or no rate learnt yet; failed draws in brackets). stored once: rows the server',
      '  has exactly once. Fleet figures move with the machine\'s load: each request waits for one Redis round trip first.',
    ].join('\n'),
  );
}
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
