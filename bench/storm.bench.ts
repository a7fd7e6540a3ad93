/**
 * A 429 storm: import rows through each contender against a real token-bucket HTTP server and judge the result by the
 * server's own records. Run with `node --import tsx bench/storm.bench.ts` (`npm run bench:storm`).
 *
 * Environment: STORM_ROWS (default 300), STORM_BUDGET_MS (per contender and scenario, default 60000), STORM_REPEAT
 * (runs per contender and scenario, default 1).
 */
import { packageVersion } from './support/packageVersion.js';
import { formatStormResults, runStorm, STORM_SCENARIOS } from './support/runStorm.js';
import { defaultContenders } from './support/stormContenders.js';
import { positiveInteger } from './support/envInteger.js';


const rows = positiveInteger('STORM_ROWS', 300);
const budgetMs = positiveInteger('STORM_BUDGET_MS', 60_000);
const repeat = positiveInteger('STORM_REPEAT', 1);
const contenders = defaultContenders();
const rate = 100;
const burst = 10;

console.log(
  `node ${process.version} · xstate-circuit-breaker ${packageVersion('.')} · xstate ${packageVersion('xstate')} · ` +
    `cockatiel ${packageVersion('cockatiel')}`,
);
console.log(
  `${rows} rows (client-generated ids), 10 in flight, server token bucket ${rate} req/s burst ${burst}, Retry-After: 1; ` +
    `fresh server per run; budget ${budgetMs / 1000} s per run; ${repeat} run(s) each.`,
);
console.log(`Scenarios: ${STORM_SCENARIOS.map((s) => s.name).join('; ')}.\n`);

const started = performance.now();
const results = await runStorm({
  contenders,
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
  '\nelapsed/ideal: ideal = (rows − burst) / rate. 429 share: of all requests the server received. lost: rows not ' +
    'stored at the server. early retries: requests for a row sent before its last 429 + Retry-After (2 ms tolerance for timer rounding).',
);
console.log(`Total ${((performance.now() - started) / 1000).toFixed(1)} s.`);
