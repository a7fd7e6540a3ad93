import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { postRow, type Row } from './postRow.js';
import type { RowOutcome, StormContender } from './stormContender.js';
import { idealStormMs, rateChangeFor, STORM_SCENARIOS, type StormScenario } from './stormScenarios.js';
import { tokenBucketServer, type TokenBucketServerStats } from './tokenBucketServer.js';

export interface RunStormOptions {
  readonly contenders: readonly StormContender[];
  readonly scenarios?: readonly StormScenario[];
  /** Rows to import per run in the scenarios without `rowsPerClient` (single-client). Default 300. */
  readonly rows?: number;
  /** Requests in flight, per client. Default 10. */
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
  /** The scenario's letter. */
  readonly key: string;
  readonly contender: string;
  /** 1-based, when `repeat` > 1. */
  readonly run: number;
  /** Independent instances of the contender that ran at once against the one server. */
  readonly clients: number;
  /** Rows of all clients together. */
  readonly rows: number;
  /** From the start of all clients until the last one finished (or the budget ran out). */
  readonly elapsedMs: number;
  /** Per client: from the common start until it finished (the elapsed time, for a client still running at the budget). */
  readonly clientElapsedMs: readonly number[];
  /** Slowest client's time / fastest client's time; `null` with one client. */
  readonly fairness: number | null;
  /** (rows − burst) / rate, with the rows after a rate change at the new rate: the fastest any client can import. */
  readonly idealMs: number;
  /** The server's rate at the start, and its change (rows stored, new rate), if the scenario has one. */
  readonly rate: number;
  readonly rateChange?: { readonly afterStored: number; readonly rate: number };
  /** The server loses answers or answers 503 (the scenario's `lostResponseRate` or `unavailableRate` is above 0). */
  readonly faults: boolean;
  /** The server's inserts are idempotent: re-inserts count as replays, not duplicates. */
  readonly idempotent: boolean;
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
  /** A contender that rejected instead of reporting rows (with several clients: each crashed client's reason). */
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
  const { rate, burst, budgetMs, graceMs, concurrency } = settings;
  const clients = scenario.clients;
  const rowsPerClient = scenario.rowsPerClient ?? settings.rows;
  const rateChange = rateChangeFor(scenario, clients * rowsPerClient, rate);
  const server = tokenBucketServer({
    rate,
    burst,
    ...scenario.server,
    ...(rateChange === undefined ? {} : { rateChange }),
    maxDurationMs: Math.min(600_000, budgetMs + graceMs + 60_000),
  });
  const url = await server.start();
  const clientRows: Row[][] = Array.from({ length: clients }, (_, client) =>
    Array.from({ length: rowsPerClient }, (_, index) => {
      const id = randomUUID();
      return { id, body: JSON.stringify({ id, client, index, name: `row ${index} of client ${client}` }) };
    }),
  );
  const rows = clientRows.flat();
  const outcomes = new Map<string, RowOutcome>();
  const budget = new AbortController();
  // Every call in flight may listen to the budget signal (cockatiel adds listeners per call; AbortSignal.any in send
  // adds one per request); with 10 in flight per client that passes Node's default warning threshold of 10.
  setMaxListeners(clients * concurrency * 4 + 10, budget.signal);
  let open = true;

  const send = (row: Row, signal: AbortSignal): Promise<Headers> =>
    postRow(url, row, signal === budget.signal ? signal : AbortSignal.any([signal, budget.signal]));
  /** A client may report only its own rows, once each. */
  const reporter = (own: ReadonlySet<string>) => (id: string, outcome: RowOutcome): void => {
    if (!open || !own.has(id) || outcomes.has(id)) return;
    outcomes.set(id, outcome);
  };

  const started = performance.now();
  const finishedAt: (number | undefined)[] = Array.from({ length: clients }, () => undefined);
  const crashes: string[] = [];
  const running = Promise.all(
    clientRows.map((own, client) =>
      contender
        .run({ rows: own, concurrency, send, signal: budget.signal, report: reporter(new Set(own.map((r) => r.id))) })
        .catch((error: unknown) => {
          const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
          crashes.push(clients > 1 ? `client ${client + 1}: ${reason}` : reason);
        })
        .finally(() => {
          finishedAt[client] = performance.now() - started;
        }),
    ),
  );
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

  const clientElapsedMs = finishedAt.map((at) => (at === undefined || at > elapsedMs ? elapsedMs : at));
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
  const fastest = Math.min(...clientElapsedMs);
  return {
    scenario: scenario.name,
    key: scenario.key,
    contender: contender.name,
    run,
    clients,
    rows: rows.length,
    elapsedMs,
    clientElapsedMs,
    fairness: clients > 1 ? Math.max(...clientElapsedMs) / Math.max(fastest, 1) : null,
    idealMs: idealStormMs(rows.length, burst, rate, rateChange),
    rate,
    ...(rateChange === undefined ? {} : { rateChange }),
    faults: (scenario.server.lostResponseRate ?? 0) > 0 || (scenario.server.unavailableRate ?? 0) > 0,
    idempotent: scenario.server.idempotent ?? false,
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
    ...(crashes.length === 0 ? {} : { crash: crashes.join('; ') }),
  };
}

/**
 * Runs each scenario for each contender against a fresh token-bucket server per run, and judges each by the server's
 * own records. A scenario with several clients starts that many instances of the contender at once on its one
 * server; otherwise runs are sequential, so they do not share the CPU.
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
  const scenarios = options.scenarios ?? STORM_SCENARIOS;
  for (const scenario of scenarios) {
    positiveInteger(`scenarios[${scenario.key}].clients`, scenario.clients);
    if (scenario.rowsPerClient !== undefined) positiveInteger(`scenarios[${scenario.key}].rowsPerClient`, scenario.rowsPerClient);
  }
  const results: StormResult[] = [];
  for (const scenario of scenarios) {
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
