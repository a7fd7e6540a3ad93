/**
 * Success-path cost per call: what wrapping an operation that always succeeds costs, for our executor and its peers,
 * measured in the same process, round-robin. Run with `npm run bench`
 * (`node --expose-gc --import tsx bench/overhead.bench.ts`).
 *
 * Environment: BENCH_CALLS (calls per contender per round, default 200000), BENCH_ROUNDS (default 7),
 * BENCH_BATCH (calls per Promise.all in the concurrent table, default 1000).
 */
import { ConsecutiveBreaker, ExponentialBackoff, circuitBreaker, handleAll, retry, wrap } from 'cockatiel';
import { setMaxListeners } from 'node:events';
import CircuitBreaker from 'opossum';
import { createExecutor } from '../src/createExecutor.js';
import { measure, type Contender, type Measurement } from './support/measure.js';
import { packageVersion } from './support/packageVersion.js';
import { formatTable } from './support/table.js';
import { positiveInteger } from './support/envInteger.js';


const CALLS = positiveInteger('BENCH_CALLS', 200_000);
const ROUNDS = positiveInteger('BENCH_ROUNDS', 7);
const BATCH = positiveInteger('BENCH_BATCH', 1000);
const WARMUP = Math.min(CALLS, 50_000);
/** The scoped path is ~100x slower; fewer calls keep the whole bench within a minute. */
const SCOPED_CALLS = Math.max(BATCH, Math.ceil(CALLS / 20 / BATCH) * BATCH);
const VALUE = 42;

const op = async (): Promise<number> => VALUE;

const executor = createExecutor();
/** The same retry and circuit without the default adaptive pacer: what pacing adds, separated from the rest. */
const unpaced = createExecutor({ pacer: false });
const cockatiel = wrap(
  retry(handleAll, { maxAttempts: 3, backoff: new ExponentialBackoff({ initialDelay: 100, maxDelay: 10_000 }) }),
  circuitBreaker(handleAll, { halfOpenAfter: 60_000, breaker: new ConsecutiveBreaker(5) }),
);
// Opossum's defaults otherwise (rolling stats and latency percentiles on); `timeout: false` so no timer per call.
const opossum = new CircuitBreaker(op, { timeout: false, resetTimeout: 60_000 });

let cockatielCalls = 0;
const cockatielOp = async (): Promise<number> => {
  cockatielCalls++;
  return VALUE;
};

function wrong(name: string, value: unknown): Error {
  return new Error(`${name} returned ${String(value)} instead of ${VALUE}: the bench is not measuring a success path.`);
}

// One loop per contender, written out, so that no call site is shared (and made polymorphic) between contenders.

async function bareSequential(calls: number): Promise<void> {
  for (let i = 0; i < calls; i++) {
    const value = await op();
    if (value !== VALUE) throw wrong('bare', value);
  }
}

async function oursSequential(calls: number): Promise<void> {
  for (let i = 0; i < calls; i++) {
    const value = await executor.execute(op);
    if (value !== VALUE) throw wrong('ours', value);
  }
}

async function unpacedSequential(calls: number): Promise<void> {
  for (let i = 0; i < calls; i++) {
    const value = await unpaced.execute(op);
    if (value !== VALUE) throw wrong('ours unpaced', value);
  }
}

const callerSignal = new AbortController().signal;
// Up to BATCH calls listen to this one signal at once; say so to Node, or it warns about a listener leak.
setMaxListeners(BATCH + 10, callerSignal);

async function oursSignalSequential(calls: number): Promise<void> {
  for (let i = 0; i < calls; i++) {
    const value = await executor.execute(op, { signal: callerSignal });
    if (value !== VALUE) throw wrong('ours with signal', value);
  }
}

async function cockatielSequential(calls: number): Promise<void> {
  for (let i = 0; i < calls; i++) {
    const value = await cockatiel.execute(cockatielOp);
    if (value !== VALUE) throw wrong('cockatiel', value);
  }
}

async function opossumSequential(calls: number): Promise<void> {
  for (let i = 0; i < calls; i++) {
    const value = await opossum.fire();
    if (value !== VALUE) throw wrong('opossum', value);
  }
}

function checkAll(name: string, values: readonly unknown[]): void {
  for (const value of values) if (value !== VALUE) throw wrong(name, value);
}

async function bareBatch(calls: number): Promise<void> {
  for (let done = 0; done < calls; done += BATCH) {
    const pending: Promise<number>[] = [];
    for (let j = 0; j < BATCH; j++) pending.push(op());
    checkAll('bare', await Promise.all(pending));
  }
}

async function oursBatch(calls: number): Promise<void> {
  for (let done = 0; done < calls; done += BATCH) {
    const pending: Promise<number>[] = [];
    for (let j = 0; j < BATCH; j++) pending.push(executor.execute(op));
    checkAll('ours', await Promise.all(pending));
  }
}

async function unpacedBatch(calls: number): Promise<void> {
  for (let done = 0; done < calls; done += BATCH) {
    const pending: Promise<number>[] = [];
    for (let j = 0; j < BATCH; j++) pending.push(unpaced.execute(op));
    checkAll('ours unpaced', await Promise.all(pending));
  }
}

async function oursSignalBatch(calls: number): Promise<void> {
  for (let done = 0; done < calls; done += BATCH) {
    const pending: Promise<number>[] = [];
    for (let j = 0; j < BATCH; j++) pending.push(executor.execute(op, { signal: callerSignal }));
    checkAll('ours with signal', await Promise.all(pending));
  }
}

async function cockatielBatch(calls: number): Promise<void> {
  for (let done = 0; done < calls; done += BATCH) {
    const pending: Promise<number>[] = [];
    for (let j = 0; j < BATCH; j++) pending.push(cockatiel.execute(cockatielOp));
    checkAll('cockatiel', await Promise.all(pending));
  }
}

async function opossumBatch(calls: number): Promise<void> {
  for (let done = 0; done < calls; done += BATCH) {
    const pending: Promise<unknown>[] = [];
    for (let j = 0; j < BATCH; j++) pending.push(opossum.fire());
    checkAll('opossum', await Promise.all(pending));
  }
}

const NAMES = {
  bare: 'bare await op()',
  ours: 'ours: createExecutor()',
  unpaced: 'ours, { pacer: false }‡',
  oursSignal: 'ours, execute(op, { signal })†',
  cockatiel: 'cockatiel: retry(3)+breaker',
  opossum: 'opossum: breaker only*',
} as const;

function report(title: string, results: readonly Measurement[]): string {
  const byName = new Map(results.map((r) => [r.name, r]));
  const ratio = (peer: string, contender: string = NAMES.ours): string => {
    const overhead = byName.get(peer)!.overheadNs;
    return overhead > 0 ? `${(byName.get(contender)!.overheadNs / overhead).toFixed(2)}x` : 'n/a (peer overhead <= 0)';
  };
  const table = formatTable(
    ['contender', 'ns/call', 'overhead ns/call', 'spread (min-max ns/call)'],
    results.map((r) => [
      r.name,
      r.nsPerCall.toFixed(1),
      r.name === NAMES.bare ? '-' : r.overheadNs.toFixed(1),
      `${Math.min(...r.rounds).toFixed(0)}-${Math.max(...r.rounds).toFixed(0)}`,
    ]),
  );
  return [
    title,
    table,
    `our overhead / cockatiel overhead: ${ratio(NAMES.cockatiel)}   (below 1x: we cost less)`,
    `our overhead / opossum overhead:   ${ratio(NAMES.opossum)}`,
    `unpaced overhead / cockatiel's:    ${ratio(NAMES.cockatiel, NAMES.unpaced)}   (the same retry and circuit, no pacer)`,
  ].join('\n');
}

async function main(): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  console.log(
    `node ${process.version} (${process.platform}/${process.arch}) · xstate-circuit-breaker ${packageVersion('.')} · ` +
      `xstate ${packageVersion('xstate')} · cockatiel ${packageVersion('cockatiel')} · opossum ${packageVersion('opossum')}`,
  );
  console.log(
    `${ROUNDS} rounds x ${CALLS} calls per contender, round-robin, median; batch size ${BATCH}` +
      (gc === undefined ? ' · WARNING: run with --expose-gc so GC between loops is not billed to the next contender' : ' · gc between loops'),
  );
  console.log('op = async () => 42; overhead = contender − bare, median of the per-round differences.\n');

  const sequential: Contender[] = [
    { name: NAMES.bare, loop: bareSequential },
    { name: NAMES.ours, loop: oursSequential },
    { name: NAMES.unpaced, loop: unpacedSequential },
    { name: NAMES.oursSignal, loop: oursSignalSequential, calls: SCOPED_CALLS },
    { name: NAMES.cockatiel, loop: cockatielSequential },
    { name: NAMES.opossum, loop: opossumSequential },
  ];
  const batch: Contender[] = [
    { name: NAMES.bare, loop: bareBatch },
    { name: NAMES.ours, loop: oursBatch },
    { name: NAMES.unpaced, loop: unpacedBatch },
    { name: NAMES.oursSignal, loop: oursSignalBatch, calls: SCOPED_CALLS },
    { name: NAMES.cockatiel, loop: cockatielBatch },
    { name: NAMES.opossum, loop: opossumBatch },
  ];
  const options = { calls: CALLS, rounds: ROUNDS, warmupCalls: WARMUP, baseline: NAMES.bare, settle: gc };
  const started = performance.now();
  console.log(report('Sequential: one awaited call at a time', await measure(sequential, options)));
  console.log();
  console.log(report(`Concurrent: ${BATCH} calls per Promise.all`, await measure(batch, { ...options, calls: Math.ceil(CALLS / BATCH) * BATCH })));
  console.log();
  console.log('* opossum has no retry: its row is a circuit breaker alone (timeout: false, resetTimeout: 60 s, its default');
  console.log('  rolling stats and latency percentiles on). The cockatiel and our rows include a retry policy that never fires.');
  console.log('† not in the ratios: the same executor when the caller passes a signal, which takes the scoped path');
  console.log(`  (a per-attempt AbortController, a listener on the caller's signal); measured over ${SCOPED_CALLS} calls per round.`);
  console.log('‡ the same executor with `pacer: false`: cockatiel does not pace, so this row compares like with like. The');
  console.log('  default pacer reads the clock as a request goes and as it is answered (to measure the rate the server serves');
  console.log('  before its first 429): most of the difference between the two rows of ours.');

  // The bench measured success paths only; say so loudly if anything else happened.
  const stats = executor.getStats();
  const state = executor.getCircuitState();
  if (stats.succeeded !== stats.calls || stats.retries !== 0 || state.state !== 'closed') {
    throw new Error(`Our executor left the success path: ${JSON.stringify({ stats, state })}`);
  }
  const unpacedStats = unpaced.getStats();
  if (unpacedStats.succeeded !== unpacedStats.calls || unpacedStats.calls === 0) {
    throw new Error(`The unpaced executor left the success path: ${JSON.stringify(unpacedStats)}`);
  }
  const opossumStats = opossum.stats;
  if (opossumStats.failures !== 0 || opossum.opened) throw new Error(`opossum left the success path: ${JSON.stringify(opossumStats)}`);
  if (cockatielCalls === 0) throw new Error('cockatiel never ran the operation.');
  console.log(`\n${stats.calls} calls through our executor, all succeeded first time; total ${((performance.now() - started) / 1000).toFixed(1)} s.`);
}

try {
  await main();
} finally {
  executor.stop();
  unpaced.stop();
  opossum.shutdown();
}
