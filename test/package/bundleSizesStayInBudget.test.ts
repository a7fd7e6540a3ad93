import { describe, expect, it } from 'vitest';
import { formatBundleSizes, measureBundleSizes, measurePeers, measureXstate } from '../../scripts/measureBundleSizes.js';

/**
 * What each import costs a browser bundle beyond xstate (esbuild, minified, tree-shaken, gzip -9), printed on every
 * run, and held under a budget so that growth is a decision, not an accident. The budgets sit a little above today's
 * sizes. Cross-tab sync (persistence, the shared trial lock) is paid for only by those who import
 * `xstate-circuit-breaker/persist` (it took about 2.1 KB off every executor entry, and the pacer's cross-tab channel
 * another 0.8 KB). (Reading the shared
 * bucket so that clients on one key converge to fair shares added about 0.6 KB to every entry with the executor; letting
 * the machines decide admission and run `.provide()`d rules, with the `machines` option, about 0.5 KB; splitting the
 * executor into modules with one job each, about 0.5 KB more; keeping the former names of the stats and report
 * counters as deprecated getters for one release, about 0.15 KB, which goes with the next major release.)
 */
const BUDGET_GZIP_BYTES: Readonly<Record<string, number>> = {
  '. createExecutor': 20_250,
  '. RateLimitService': 20_750,
  '. runBulk + createExecutor': 22_950,
  '. (everything)': 24_050,
  '/machines': 3_200,
  '/react': 3_200,
  '/react-admin': 3_200,
  '/ra-core': 22_550,
  '/supabase': 3_800,
  '/persist': 4_400,
  // The fleet link carries persist's machinery (record checks, CircuitSync, the trial lock), its Redis link, and the
  // Redis pacer with the adaptive pacer it learns the rate with (about 9 KB of the 16.4).
  '/redis': 17_000,
  '. createExecutor + /persist': 22_850,
};

describe('the size of each entry in a browser bundle', () => {
  it('prints each import with its cost and stays within its budget', async () => {
    const costs = await measureBundleSizes();
    console.log(formatBundleSizes(costs, await measureXstate(), await measurePeers()));
    expect(costs.map((cost) => cost.entry).sort()).toEqual(Object.keys(BUDGET_GZIP_BYTES).sort());
    const over = costs.filter((cost) => cost.gzipBytes > BUDGET_GZIP_BYTES[cost.entry]!).map((cost) => `${cost.entry}: ${cost.gzipBytes} B > ${BUDGET_GZIP_BYTES[cost.entry]} B`);
    expect(over).toEqual([]);
  }, 60_000);
});
