import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { startRedisServer, type RedisServer } from '../../test/support/servers/redisServer.js';
import type { FleetChildMessage, FleetStart } from './fleetProcess.js';
import type { Row } from './postRow.js';
import { idealStormMs } from './stormScenarios.js';
import { tokenBucketServer, type TokenBucketServerOptions, type TokenBucketServerStats } from './tokenBucketServer.js';

/** A fleet situation: processes importing at once against one server, with or without the Redis link. */
export interface FleetScenario {
  readonly key: string;
  readonly name: string;
  readonly processes: number;
  readonly rowsPerProcess: number;
  readonly server: Pick<TokenBucketServerOptions, 'retryAfter' | 'headers'>;
}

/** The fleet scenarios of `npm run bench:storm`: 4 processes on one limit, the server stating it or not. */
export const FLEET_SCENARIOS: readonly FleetScenario[] = [
  { key: 'h', name: '(h) fleet: 4 processes on one limit, IETF headers', processes: 4, rowsPerProcess: 150, server: { retryAfter: true, headers: 'ietf' } },
  { key: 'i', name: '(i) fleet: 4 processes on one limit, Retry-After only', processes: 4, rowsPerProcess: 150, server: { retryAfter: true, headers: 'none' } },
];

export type FleetLink = 'redis' | 'none';

export interface FleetResult {
  readonly scenario: string;
  readonly key: string;
  readonly link: FleetLink;
  readonly run: number;
  readonly processes: number;
  readonly rows: number;
  /** From `go` to the last process's `done`, on the parent's clock. */
  readonly elapsedMs: number;
  /** Each process's own time from `go` to its last row. */
  readonly processElapsedMs: readonly number[];
  readonly idealMs: number;
  readonly server: TokenBucketServerStats;
  /** Rows the server stored exactly once. */
  readonly storedOnce: number;
  /** Rows not stored at all. */
  readonly lost: number;
  /** Every row reported, ok exactly when stored. */
  readonly reportMatches: boolean;
  /** Summed over the processes: slots the shared bucket spaced, slots paced locally, link failures. */
  readonly redis: { readonly sharedSlots: number; readonly localSlots: number; readonly failures: number } | null;
  readonly failures: Readonly<Record<string, number>>;
  readonly crash?: string;
}

export interface RunFleetOptions {
  readonly scenarios?: readonly FleetScenario[];
  readonly links?: readonly FleetLink[];
  readonly rate?: number;
  readonly burst?: number;
  readonly concurrency?: number;
  /** Overrides each scenario's rows per process. */
  readonly rowsPerProcess?: number;
  readonly repeat?: number;
  /** A run still going after this long is killed; its unreported rows count as lost. Default 60 000 ms. */
  readonly budgetMs?: number;
  readonly onResult?: (result: FleetResult) => void;
}

const childFile = fileURLToPath(new URL('./fleetProcess.ts', import.meta.url));

/** A forked fleet process and its messages, in order. */
class FleetChild {
  readonly process: ChildProcess;
  readonly #messages: FleetChildMessage[] = [];
  readonly #waiting: ((message: FleetChildMessage) => void)[] = [];
  #exit: string | null = null;

  constructor() {
    this.process = fork(childFile, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.process.on('message', (message: FleetChildMessage) => this.#deliver(message));
    this.process.once('exit', (code, signal) => {
      this.#exit = `exited (${signal ?? code}) before reporting`;
      this.#deliver({ type: 'failed', error: this.#exit });
    });
  }

  #deliver(message: FleetChildMessage): void {
    const waiter = this.#waiting.shift();
    if (waiter === undefined) this.#messages.push(message);
    else waiter(message);
  }

  next(): Promise<FleetChildMessage> {
    const message = this.#messages.shift();
    if (message !== undefined) return Promise.resolve(message);
    return new Promise((resolve) => this.#waiting.push(resolve));
  }

  send(message: FleetStart | { type: 'go' }): void {
    this.process.send(message);
  }

  kill(): void {
    if (this.process.exitCode === null && this.process.signalCode === null) this.process.kill('SIGKILL');
  }
}

async function runOne(
  scenario: FleetScenario,
  link: FleetLink,
  run: number,
  settings: { rate: number; burst: number; concurrency: number; rowsPerProcess: number | undefined; budgetMs: number },
  redis: RedisServer | null,
): Promise<FleetResult> {
  const { rate, burst, concurrency, budgetMs } = settings;
  const perProcess = settings.rowsPerProcess ?? scenario.rowsPerProcess;
  const server = tokenBucketServer({ rate, burst, ...scenario.server, maxDurationMs: Math.min(600_000, budgetMs + 60_000) });
  const serverUrl = await server.start();
  const processRows: Row[][] = Array.from({ length: scenario.processes }, (_, p) =>
    Array.from({ length: perProcess }, (_, index) => {
      const id = randomUUID();
      return { id, body: JSON.stringify({ id, process: p, index }) };
    }),
  );
  const children = processRows.map(() => new FleetChild());
  const prefix = `fleet-bench-${randomUUID()}:`;
  const crashes: string[] = [];
  const outcomes = new Map<string, { ok: boolean; error: string | null }>();
  const processElapsedMs: number[] = [];
  const redisTotals = { sharedSlots: 0, localSlots: 0, failures: 0 };
  let elapsedMs = 0;
  try {
    children.forEach((child, p) =>
      child.send({
        type: 'start',
        serverUrl,
        redis: link === 'redis' && redis !== null ? { url: redis.url, prefix, name: 'rows' } : null,
        rows: processRows[p]!,
        concurrency,
      }),
    );
    // Every process is started and connected before the clock starts: process start-up is not the pacer's time.
    const ready = await Promise.all(children.map((child) => child.next()));
    for (const message of ready) if (message.type === 'failed') throw new Error(message.error);
    const began = performance.now();
    for (const child of children) child.send({ type: 'go' });
    let budget: NodeJS.Timeout | undefined;
    const overBudget = new Promise<'budget'>((resolve) => (budget = setTimeout(() => resolve('budget'), budgetMs)));
    const finished = await Promise.race([
      Promise.all(
        children.map(async (child) => {
          const message = await child.next();
          if (message.type === 'failed') {
            crashes.push(message.error);
            return;
          }
          if (message.type !== 'done') return;
          processElapsedMs.push(message.elapsedMs);
          for (const [id, ok, error] of message.outcomes) outcomes.set(id, { ok, error });
          if (message.redis !== null) {
            redisTotals.sharedSlots += message.redis.sharedSlots;
            redisTotals.localSlots += message.redis.localSlots;
            redisTotals.failures += message.redis.timeouts + message.redis.errors;
          }
        }),
      ),
      overBudget,
    ]);
    clearTimeout(budget);
    elapsedMs = performance.now() - began;
    if (finished === 'budget') crashes.push(`budget of ${budgetMs} ms spent`);
  } catch (error) {
    crashes.push(error instanceof Error ? error.message : String(error));
  } finally {
    for (const child of children) child.kill();
  }
  const stats = server.stats();
  const stored = server.rows();
  await server.close();
  const rows = processRows.flat();
  let storedOnce = 0;
  let lost = 0;
  let mismatches = 0;
  const failures: Record<string, number> = {};
  for (const row of rows) {
    const inserts = stored.get(row.id) ?? 0;
    if (inserts === 1) storedOnce++;
    if (inserts === 0) lost++;
    const outcome = outcomes.get(row.id);
    if (outcome === undefined || outcome.ok !== inserts > 0) mismatches++;
    if (outcome !== undefined && !outcome.ok) failures[outcome.error ?? 'unknown'] = (failures[outcome.error ?? 'unknown'] ?? 0) + 1;
  }
  return {
    scenario: scenario.name,
    key: scenario.key,
    link,
    run,
    processes: scenario.processes,
    rows: rows.length,
    elapsedMs,
    processElapsedMs,
    idealMs: idealStormMs(rows.length, burst, rate),
    server: stats,
    storedOnce,
    lost,
    reportMatches: mismatches === 0,
    redis: link === 'redis' ? redisTotals : null,
    failures,
    ...(crashes.length === 0 ? {} : { crash: crashes.join('; ') }),
  };
}

/**
 * Runs each fleet scenario with and without the Redis link: `processes` real child processes (each its own executor
 * and pacer, as separate servers or workers have) import their rows at once into one token-bucket server, judged by
 * the server's records. The link's runs share one redis-server (a test helper starts it on a free loopback port),
 * each run under its own key prefix.
 *
 * @example
 * const results = await runFleet({ rowsPerProcess: 20, repeat: 1 })
 * console.log(formatFleetResults(results))
 */
export async function runFleet(options: RunFleetOptions = {}): Promise<FleetResult[]> {
  const scenarios = options.scenarios ?? FLEET_SCENARIOS;
  const links = options.links ?? (['none', 'redis'] as const);
  const settings = {
    rate: options.rate ?? 100,
    burst: options.burst ?? 10,
    concurrency: options.concurrency ?? 10,
    rowsPerProcess: options.rowsPerProcess,
    budgetMs: options.budgetMs ?? 60_000,
  };
  for (const [name, value] of Object.entries({ ...settings, repeat: options.repeat ?? 1 })) {
    if (value !== undefined && !(Number.isFinite(value) && value > 0)) throw new RangeError(`runFleet: option "${name}" must be > 0, got ${String(value)}.`);
  }
  const redis = links.includes('redis') ? await startRedisServer() : null;
  const results: FleetResult[] = [];
  try {
    for (const scenario of scenarios) {
      for (let run = 1; run <= (options.repeat ?? 1); run++) {
        for (const link of links) {
          const result = await runOne(scenario, link, run, settings, redis);
          results.push(result);
          options.onResult?.(result);
        }
      }
    }
  } finally {
    await redis?.stop();
  }
  return results;
}
