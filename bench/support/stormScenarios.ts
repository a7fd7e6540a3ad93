import type { TokenBucketServerOptions } from './tokenBucketServer.js';

/** One situation of the storm bench: who imports how much, and how the server behaves. A new one is one more entry. */
export interface StormScenario {
  /** The letter `STORM_SCENARIOS=a,c` selects it by. */
  readonly key: string;
  readonly name: string;
  /**
   * Independent clients on the one server: each is its own instance of the contender (its own executor, service or
   * policy), knowing nothing of the others, all started at once. A contender's result adds up its clients.
   */
  readonly clients: number;
  /** Rows each client imports. Omitted: the run's `rows` (STORM_ROWS), for the single-client scenarios. */
  readonly rowsPerClient?: number;
  /** How the server answers, beyond its token bucket (which comes from the run's `rate` and `burst`). */
  readonly server: Pick<TokenBucketServerOptions, 'retryAfter' | 'headers' | 'lostResponseRate' | 'unavailableRate' | 'idempotent' | 'seed'>;
  /** The server's rate becomes `rateFactor` × the run's rate once `afterStoredShare` of all the rows of the run are stored. */
  readonly rateChange?: { readonly afterStoredShare: number; readonly rateFactor: number };
}

/** The scenarios of `npm run bench:storm`, in order. */
export const STORM_SCENARIOS: readonly StormScenario[] = [
  { key: 'a', name: '(a) Retry-After + IETF RateLimit-* headers', clients: 1, server: { retryAfter: true, headers: 'ietf' } },
  { key: 'b', name: '(b) Retry-After only', clients: 1, server: { retryAfter: true, headers: 'none' } },
  {
    key: 'c',
    name: '(c) 3 independent clients on one limit, IETF headers',
    clients: 3,
    rowsPerClient: 200,
    server: { retryAfter: true, headers: 'ietf' },
  },
  {
    key: 'd',
    name: '(d) 20 independent clients on one limit, IETF headers',
    clients: 20,
    rowsPerClient: 30,
    server: { retryAfter: true, headers: 'ietf' },
  },
  { key: 'e', name: '(e) bare 429s: no Retry-After, no RateLimit-*', clients: 1, server: { retryAfter: false, headers: 'none' } },
  {
    key: 'f',
    name: '(f) the limit drops to a quarter once a third of the rows are stored; IETF headers tell the new limit',
    clients: 1,
    server: { retryAfter: true, headers: 'ietf' },
    rateChange: { afterStoredShare: 1 / 3, rateFactor: 0.25 },
  },
  {
    key: 'g',
    name: '(g) faults: 5% of answers lost after storing, 3% 503 without storing; idempotent inserts; IETF headers',
    clients: 1,
    server: { retryAfter: true, headers: 'ietf', lostResponseRate: 0.05, unavailableRate: 0.03, idempotent: true, seed: 42 },
  },
];

/**
 * The scenarios a comma list of letters names (`'a,c'`), in the table's order; all of them for `undefined` or `''`.
 * Throws a RangeError naming an unknown letter.
 */
export function selectScenarios(letters: string | undefined, scenarios: readonly StormScenario[] = STORM_SCENARIOS): readonly StormScenario[] {
  if (letters === undefined || letters.trim() === '') return scenarios;
  const wanted = new Set(letters.split(',').map((letter) => letter.trim().toLowerCase()));
  for (const letter of wanted) {
    if (!scenarios.some((s) => s.key === letter)) {
      throw new RangeError(`STORM_SCENARIOS: unknown scenario "${letter}" in ${JSON.stringify(letters)}; known: ${scenarios.map((s) => s.key).join(', ')}.`);
    }
  }
  return scenarios.filter((s) => wanted.has(s.key));
}

/** The server's `rateChange` for a run of `totalRows` at `rate`; `undefined` without a change. */
export function rateChangeFor(scenario: StormScenario, totalRows: number, rate: number): { afterStored: number; rate: number } | undefined {
  const change = scenario.rateChange;
  if (change === undefined) return undefined;
  return { afterStored: Math.max(1, Math.round(totalRows * change.afterStoredShare)), rate: rate * change.rateFactor };
}

/**
 * The fastest any set of clients can get `rows` through the bucket: the burst at once, then one row per token at
 * `rate`, and at `change.rate` for the rows after the change.
 */
export function idealStormMs(rows: number, burst: number, rate: number, change?: { afterStored: number; rate: number }): number {
  if (change === undefined || change.afterStored >= rows) return (Math.max(0, rows - burst) / rate) * 1000;
  const beforeChange = Math.max(0, change.afterStored - burst) / rate;
  const afterChange = (rows - Math.max(change.afterStored, burst)) / change.rate;
  return (beforeChange + Math.max(0, afterChange)) * 1000;
}
