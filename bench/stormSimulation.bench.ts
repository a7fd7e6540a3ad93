/**
 * `npm run bench:storm:sim`: the storm scenarios of `npm run bench:storm`, on XState's SimulatedClock against a
 * simulated token bucket, for ours only. A run takes milliseconds instead of seconds and gives the same figures every
 * time for a seed, so a change to the pacer can be compared over many start patterns before the real storm (which
 * stays the judge: it has real sockets, a real event loop and peers in the same run).
 *
 * Knobs: `STORM_SCENARIOS=c,d` (letters of bench/support/stormScenarios.ts), `SIM_SEEDS=5` (runs per scenario, each
 * with its own latencies and jitter).
 */
import { SimulatedClock } from 'xstate';
import { runBulk } from '../src/bulk/runBulk.js';
import { createExecutor } from '../src/createExecutor.js';
import { positiveInteger } from './support/envInteger.js';
import { seededRandom as seeded } from './support/seededRandom.js';
import { idealStormMs, rateChangeFor, selectScenarios, type StormScenario } from './support/stormScenarios.js';

const RATE = 100;
const BURST = 10;
const IN_FLIGHT = 10;
/** Single-client scenarios import this many rows, as the real storm does by default. */
const ROWS = 300;
/** A simulated run that has not ended by then is reported as such. */
const MAX_SIMULATED_MS = 300_000;

const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

interface SimResult {
  readonly timeOverIdeal: number;
  readonly slowestOverFastest: number;
  readonly share429: number;
  readonly stored: number;
  readonly rows: number;
  readonly failedRows: number;
  readonly earlyRetries: number;
  readonly rejectedFirstSecond: number;
}

async function simulate(scenario: StormScenario, seed: number): Promise<SimResult> {
  const clock = new SimulatedClock();
  clock.set(1_700_000_000_000);
  const random = seeded(seed);
  const rowsPerClient = scenario.rowsPerClient ?? ROWS;
  const rows = scenario.clients * rowsPerClient;
  const change = rateChangeFor(scenario, rows, RATE);
  const { retryAfter = true, headers = 'none', lostResponseRate = 0, unavailableRate = 0 } = scenario.server;
  let rate = RATE;
  let tokens = BURST;
  let refilledAt = clock.now();
  let requests = 0;
  let rejected = 0;
  let rejectedFirstSecond = 0;
  let earlyRetries = 0;
  const stored = new Set<string>();
  const notBefore = new Map<string, number>();
  const start = clock.now();
  /** Half a round trip: 0.5 to 2 ms, as on loopback under load. */
  const latency = (): number => 0.5 + random() * 1.5;
  const policy = (): Record<string, string> => ({ 'RateLimit-Limit': String(BURST), 'RateLimit-Policy': `${BURST};w=${BURST / rate}` });
  const fail = (status: number, fields: Record<string, string>): Error =>
    Object.assign(new Error(`POST /rows answered ${status}`), { status, headers: new Headers(fields) });

  const send = (id: string): Promise<{ headers: Headers }> =>
    new Promise((resolve, reject) => {
      clock.setTimeout(() => {
        requests++;
        const now = clock.now();
        tokens = Math.min(BURST, tokens + ((now - refilledAt) * rate) / 1000);
        refilledAt = now;
        const earliest = notBefore.get(id);
        if (earliest !== undefined && now < earliest - 2) earlyRetries++;
        const answer = (settle: () => void): void => void clock.setTimeout(settle, latency());
        if (tokens < 1) {
          rejected++;
          if (now - start < 1000) rejectedFirstSecond++;
          const waitSeconds = Math.max(1, Math.ceil((1 - tokens) / rate));
          const fields: Record<string, string> = {};
          if (retryAfter) fields['Retry-After'] = String(waitSeconds);
          if (headers === 'ietf') Object.assign(fields, policy(), { 'RateLimit-Remaining': '0', 'RateLimit-Reset': String(waitSeconds) });
          if (retryAfter || headers === 'ietf') notBefore.set(id, now + waitSeconds * 1000);
          answer(() => reject(fail(429, fields)));
          return;
        }
        tokens -= 1;
        if (random() < unavailableRate) {
          answer(() => reject(fail(503, {})));
          return;
        }
        stored.add(id);
        if (change !== undefined && stored.size === change.afterStored) rate = change.rate;
        const fields: Record<string, string> = {};
        if (headers === 'ietf') Object.assign(fields, policy(), { 'RateLimit-Remaining': String(Math.floor(tokens)), 'RateLimit-Reset': String(Math.ceil((BURST - tokens) / rate)) });
        if (random() < lostResponseRate) {
          answer(() => reject(Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNRESET' } })));
          return;
        }
        answer(() => resolve({ headers: new Headers(fields) }));
      }, latency());
    });

  const finishedAt: number[] = [];
  let failedRows = 0;
  const clients = Array.from({ length: scenario.clients }, async (_, client) => {
    const executor = createExecutor({ clock, random: seeded(seed * 1000 + client) });
    const ids = Array.from({ length: rowsPerClient }, (_, row) => `${client}-${row}`);
    try {
      const report = await runBulk(ids, (id) => send(id), { executor, concurrency: IN_FLIGHT, idempotent: true });
      failedRows += report.failed;
    } finally {
      finishedAt[client] = clock.now() - start;
      executor.stop();
    }
  });
  let done = false;
  void Promise.all(clients).then(() => (done = true));
  while (!done && clock.now() - start < MAX_SIMULATED_MS) {
    await flush();
    clock.increment(1);
    await flush();
  }
  const finishes = finishedAt.filter((t) => t !== undefined);
  const last = done ? Math.max(...finishes) : MAX_SIMULATED_MS;
  return {
    timeOverIdeal: last / idealStormMs(rows, BURST, RATE, change),
    slowestOverFastest: Math.max(...finishes) / Math.max(1, Math.min(...finishes)),
    share429: rejected / Math.max(1, requests),
    stored: stored.size,
    rows,
    failedRows,
    earlyRetries,
    rejectedFirstSecond,
  };
}

const seeds = positiveInteger('SIM_SEEDS', 5);
console.log(`Simulated storm (SimulatedClock, token bucket ${RATE} req/s burst ${BURST}, ${IN_FLIGHT} in flight per client), ours only, ${seeds} seeds each:`);
for (const scenario of selectScenarios(process.env.STORM_SCENARIOS)) {
  const results: SimResult[] = [];
  for (let seed = 1; seed <= seeds; seed++) results.push(await simulate(scenario, seed));
  const cells = results.map(
    (r) =>
      `${r.timeOverIdeal.toFixed(2)}x` +
      (scenario.clients > 1 ? ` ${r.slowestOverFastest.toFixed(2)}x` : '') +
      ` ${(r.share429 * 100).toFixed(1)}% (1st s ${r.rejectedFirstSecond})` +
      ` ${r.stored}/${r.rows}` +
      (r.failedRows > 0 ? ` failed ${r.failedRows}` : '') +
      (r.earlyRetries > 0 ? ` EARLY ${r.earlyRetries}` : ''),
  );
  console.log(`${scenario.name}\n  time/ideal${scenario.clients > 1 ? ' slowest/fastest' : ''} 429-share stored: ${cells.join(' | ')}`);
}
