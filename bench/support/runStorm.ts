import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { postRow, type Row } from './postRow.js';
import type { RowOutcome, StormContender } from './stormContender.js';
import { formatTable } from './table.js';
import { tokenBucketServer, type TokenBucketServerOptions, type TokenBucketServerStats } from './tokenBucketServer.js';

export interface StormScenario {
  readonly name: string;
  readonly server: Pick<TokenBucketServerOptions, 'retryAfter' | 'headers'>;
}

/** The two scenarios of the bench: the server speaks the IETF draft headers too, or Retry-After alone. */
export const STORM_SCENARIOS: readonly StormScenario[] = [
  { name: '(a) Retry-After + IETF RateLimit-* headers', server: { retryAfter: true, headers: 'ietf' } },
  { name: '(b) Retry-After only', server: { retryAfter: true, headers: 'none' } },
];

export interface RunStormOptions {
  readonly contenders: readonly StormContender[];
  readonly scenarios?: readonly StormScenario[];
  /** Rows to import per run. Default 300. */
  readonly rows?: number;
  /** Requests in flight. Default 10. */
  readonly concurrency?: number;
  /** Server token bucket: requests per second. Default 100. */
  readonly rate?: number;
  /** Server token bucket size. Default 10. */
  readonly burst?: number;
  /** A contender still running after this long is stopped; its unreported rows count as lost. Default 60 000 ms. */
  readonly budgetMs?: number;
  /** After the budget, how long a contender gets to settle what it aborted before the server closes. Default 3 000 ms. */
  readonly graceMs?: number;
  /** Runs of each contender per scenario, each against a fresh server (the storm is chaotic: one run can mislead). Default 1. */
  readonly repeat?: number;
  /** Called after each run (to print progress). */
  readonly onResult?: (result: StormResult) => void;
}

export interface StormResult {
  readonly scenario: string;
  readonly contender: string;
  /** 1-based, when `repeat` > 1. */
  readonly run: number;
  readonly rows: number;
  readonly elapsedMs: number;
  /** (rows − burst) / rate: the fastest any client can import through this bucket. */
  readonly idealMs: number;
  /** True when the contender was still running at the end of its budget. */
  readonly timedOut: boolean;
  /** True when it had not stopped even `graceMs` after its signal aborted. */
  readonly ignoredAbort: boolean;
  readonly server: TokenBucketServerStats;
  /** Rows of this import not stored at the server (reported failed, never reported, or falsely reported ok). */
  readonly lost: number;
  readonly reportedOk: number;
  readonly reportedFailed: number;
  readonly unreported: number;
  /** Rows the client reported ok that the server does not have. */
  readonly okButMissing: number;
  /** Rows the client reported failed that the server stored. */
  readonly failedButStored: number;
  /** Rows never reported that the server stored (the client does not know they are there). */
  readonly unreportedButStored: number;
  /** Every row reported, and reported ok exactly when the server stored it. */
  readonly reportMatches: boolean;
  /** Why rows failed, as the client reported: label → count. */
  readonly failures: Readonly<Record<string, number>>;
  /** A contender that rejected instead of reporting rows. */
  readonly crash?: string;
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`runStorm: option "${name}" must be an integer >= 1, got ${value}.`);
  return value;
}

const settleWithin = (promise: Promise<unknown>, ms: number): Promise<boolean> =>
  new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    promise.then(
      () => {
        clearTimeout(timer);
        resolve(true);
      },
      () => {
        clearTimeout(timer);
        resolve(true);
      },
    );
  });

async function runOne(
  contender: StormContender,
  scenario: StormScenario,
  run: number,
  settings: { rows: number; concurrency: number; rate: number; burst: number; budgetMs: number; graceMs: number },
): Promise<StormResult> {
  const { rate, burst, budgetMs, graceMs } = settings;
  const server = tokenBucketServer({ rate, burst, ...scenario.server, maxDurationMs: Math.min(600_000, budgetMs + graceMs + 60_000) });
  const url = await server.start();
  const rows: Row[] = Array.from({ length: settings.rows }, (_, index) => {
    const id = randomUUID();
    return { id, body: JSON.stringify({ id, index, name: `row ${index}` }) };
  });
  const outcomes = new Map<string, RowOutcome>();
  const known = new Set(rows.map((r) => r.id));
  const budget = new AbortController();
  // Every call in flight may listen to the budget signal (cockatiel adds listeners per call; AbortSignal.any in send
  // adds one per request); with 10 in flight that passes Node's default warning threshold of 10.
  setMaxListeners(settings.concurrency * 4 + 10, budget.signal);
  let open = true;

  const send = (row: Row, signal: AbortSignal): Promise<Headers> =>
    postRow(url, row, signal === budget.signal ? signal : AbortSignal.any([signal, budget.signal]));
  const report = (id: string, outcome: RowOutcome): void => {
    if (!open || !known.has(id) || outcomes.has(id)) return;
    outcomes.set(id, outcome);
  };

  const started = performance.now();
  let crash: string | undefined;
  const running = contender
    .run({ rows, concurrency: settings.concurrency, send, signal: budget.signal, report })
    .catch((error: unknown) => {
      crash = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    });
  const finished = await settleWithin(running, budgetMs);
  const elapsedMs = performance.now() - started;
  open = false;
  let ignoredAbort = false;
  if (!finished) {
    budget.abort(new DOMException(`storm budget of ${budgetMs} ms spent`, 'TimeoutError'));
    ignoredAbort = !(await settleWithin(running, graceMs));
  }
  const stats = server.stats();
  const stored = server.rows();
  await server.close();

  let reportedOk = 0;
  let reportedFailed = 0;
  let okButMissing = 0;
  let failedButStored = 0;
  let unreportedButStored = 0;
  let lost = 0;
  const failures: Record<string, number> = {};
  for (const row of rows) {
    const outcome = outcomes.get(row.id);
    const isStored = stored.has(row.id);
    if (!isStored) lost++;
    if (outcome === undefined) {
      if (isStored) unreportedButStored++;
    } else if (outcome.ok) {
      reportedOk++;
      if (!isStored) okButMissing++;
    } else {
      reportedFailed++;
      failures[outcome.error] = (failures[outcome.error] ?? 0) + 1;
      if (isStored) failedButStored++;
    }
  }
  const unreported = rows.length - reportedOk - reportedFailed;
  return {
    scenario: scenario.name,
    contender: contender.name,
    run,
    rows: rows.length,
    elapsedMs,
    idealMs: (Math.max(0, rows.length - burst) / rate) * 1000,
    timedOut: !finished,
    ignoredAbort,
    server: stats,
    lost,
    reportedOk,
    reportedFailed,
    unreported,
    okButMissing,
    failedButStored,
    unreportedButStored,
    reportMatches: unreported === 0 && okButMissing === 0 && failedButStored === 0,
    failures,
    ...(crash === undefined ? {} : { crash }),
  };
}

/**
 * Imports `rows` rows through each contender against a fresh token-bucket server per run, scenario by scenario,
 * and judges each by the server's own records. Runs are sequential, so they do not share the CPU.
 *
 * @example
 * const results = await runStorm({ contenders: defaultContenders(), rows: 30, budgetMs: 10_000 })
 * console.log(formatStormResults(results))
 */
export async function runStorm(options: RunStormOptions): Promise<StormResult[]> {
  const settings = {
    rows: positiveInteger('rows', options.rows ?? 300),
    concurrency: positiveInteger('concurrency', options.concurrency ?? 10),
    rate: options.rate ?? 100,
    burst: positiveInteger('burst', options.burst ?? 10),
    budgetMs: positiveInteger('budgetMs', options.budgetMs ?? 60_000),
    graceMs: options.graceMs ?? 3000,
  };
  const repeat = positiveInteger('repeat', options.repeat ?? 1);
  if (!(settings.rate > 0)) throw new RangeError(`runStorm: option "rate" must be > 0, got ${settings.rate}.`);
  const results: StormResult[] = [];
  for (const scenario of options.scenarios ?? STORM_SCENARIOS) {
    for (let run = 1; run <= repeat; run++) {
      for (const contender of options.contenders) {
        const result = await runOne(contender, scenario, run, settings);
        results.push(result);
        options.onResult?.(result);
      }
    }
  }
  return results;
}

const percent = (part: number, whole: number): string => (whole === 0 ? '-' : `${((100 * part) / whole).toFixed(1)}%`);

/** One table per scenario, then why rows failed. */
export function formatStormResults(results: readonly StormResult[]): string {
  const out: string[] = [];
  const scenarios = [...new Set(results.map((r) => r.scenario))];
  for (const scenario of scenarios) {
    const group = results.filter((r) => r.scenario === scenario);
    const first = group[0]!;
    const repeated = group.some((r) => r.run > 1);
    const label = (r: StormResult): string => (repeated ? `${r.contender} #${r.run}` : r.contender);
    out.push(`Scenario ${scenario}: ${first.rows} rows, ideal ${(first.idealMs / 1000).toFixed(2)} s`);
    out.push(
      formatTable(
        ['contender', 'elapsed', 'elapsed/ideal', 'requests', '429 share', 'stored', 'lost', 'duplicates', 'early retries', 'report matches server'],
        group.map((r) => [
          label(r),
          `${(r.elapsedMs / 1000).toFixed(2)} s${r.timedOut ? ' (budget)' : ''}`,
          r.idealMs > 0 ? `${(r.elapsedMs / r.idealMs).toFixed(2)}x` : '-',
          String(r.server.requests),
          percent(r.server.rejected429, r.server.requests),
          String(r.server.storedIds),
          `${r.lost} (${percent(r.lost, r.rows)})`,
          String(r.server.duplicates),
          String(r.server.earlyRetries),
          r.reportMatches
            ? 'yes'
            : `no: ${[
                r.unreported > 0 ? `${r.unreported} unreported (${r.unreportedButStored} of them stored)` : '',
                r.okButMissing > 0 ? `${r.okButMissing} ok but missing` : '',
                r.failedButStored > 0 ? `${r.failedButStored} failed but stored` : '',
              ]
                .filter(Boolean)
                .join(', ')}`,
        ]),
      ),
    );
    for (const r of group) {
      const reasons = Object.entries(r.failures)
        .map(([label, count]) => `${label} x${count}`)
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
