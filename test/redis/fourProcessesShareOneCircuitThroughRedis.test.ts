import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { startFaultServer, type Fault, type FaultServer, type RequestInfo } from '../support/servers/faultServer.js';
import { startRedisServer, type RedisServer } from '../support/servers/redisServer.js';

/**
 * Four Node processes (test/redis/support/fleetWorker.ts, run with tsx) import rows into one loopback API that
 * rate-limits and can be switched to fail, each under an executor whose circuit is shared through one redis-server.
 * Every process reports to this one over IPC, with its Date.now() (one host, one clock).
 */

const WORKERS = 4;
const ROWS_PER_WORKER = 60;
const OPEN_MS = 1_000;
const LEASE_MS = 1_000;
/** The bound for an opening to reach every process; generous on shared CI machines, and always printed. */
const SPREAD_BOUND_MS = process.env.CI ? 1_000 : 200;
const WORKER_SCRIPT = fileURLToPath(new URL('./support/fleetWorker.ts', import.meta.url));

interface Report {
  readonly worker: string;
  readonly pid: number;
  readonly at: number;
  readonly type: string;
  readonly [key: string]: unknown;
}

/** The API: 429 past 40 requests per 100 ms window; otherwise as `mode` says. */
function api(): { mode: { failWorker: string | null; failAll: boolean; hang: boolean }; plan: (request: RequestInfo) => Fault } {
  const mode = { failWorker: null as string | null, failAll: false, hang: false };
  let windowStart = 0;
  let inWindow = 0;
  return {
    mode,
    plan(request) {
      if (request.elapsedMs - windowStart >= 100) {
        windowStart = request.elapsedMs;
        inWindow = 0;
      }
      if (++inWindow > 40) return { kind: 'status', status: 429, headers: { 'Retry-After': '0' } };
      if (mode.hang) return { kind: 'hang' };
      if (mode.failAll || request.headers['x-worker'] === mode.failWorker) return { kind: 'status', status: 503 };
      return { kind: 'ok' };
    },
  };
}

let redis: RedisServer | undefined;
let server: FaultServer | undefined;
const children: ChildProcess[] = [];
afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await server?.close();
  await redis?.stop();
});

describe('four processes, one circuit in Redis', () => {
  it('share openings, run one trial at a time, survive a killed trial holder and a restarted Redis, and store every row once', async () => {
    redis = await startRedisServer();
    const { mode, plan } = api();
    server = await startFaultServer({ mode: plan, maxDurationMs: 170_000 });
    const reports: Report[] = [];
    const waiters = new Set<() => void>();
    const until = async (what: string, predicate: () => boolean, timeoutMs = 10_000): Promise<void> => {
      if (predicate()) return;
      await new Promise<void>((resolve, reject) => {
        const check = (): void => {
          if (!predicate()) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve();
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`not within ${timeoutMs} ms: ${what}\n${reports.slice(-30).map((r) => JSON.stringify(r)).join('\n')}`));
        }, timeoutMs);
        waiters.add(check);
      });
    };
    const since = (at: number, type: string, extra: (r: Report) => boolean = () => true): Report[] =>
      reports.filter((r) => r.at >= at && r.type === type && extra(r));
    const last = (worker: string, type: string): Report | undefined => {
      for (let i = reports.length - 1; i >= 0; i--) if (reports[i]!.worker === worker && reports[i]!.type === type) return reports[i];
      return undefined;
    };

    const rows = new Map<string, string[]>();
    const stored = new Set<string>();
    const workers = Array.from({ length: WORKERS }, (_, i) => String(i));
    for (const worker of workers) {
      const ids = Array.from({ length: ROWS_PER_WORKER }, (_, n) => `w${worker}-${n}`);
      rows.set(worker, ids);
      const child = spawn(process.execPath, ['--import', 'tsx', WORKER_SCRIPT], {
        env: {
          ...process.env,
          FLEET_WORKER: worker,
          FLEET_API: server.url,
          FLEET_REDIS: redis.url,
          FLEET_NAME: 'import',
          FLEET_OPEN_MS: String(OPEN_MS),
          FLEET_LEASE_MS: String(LEASE_MS),
        },
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      });
      children.push(child);
      child.on('message', (report: Report) => {
        reports.push(report);
        if (report.type === 'stored') stored.add(String(report.id));
        for (const check of [...waiters]) check();
      });
    }
    const child = (worker: string): ChildProcess => children[Number(worker)]!;
    const alive = (): string[] => workers.filter((w) => child(w).exitCode === null && child(w).signalCode === null);
    const stateOf = (worker: string): string => String(last(worker, 'state')?.state ?? 'closed');

    await until('every worker linked', () => workers.every((w) => last(w, 'ready') !== undefined), 30_000);
    for (const worker of workers) child(worker).send({ type: 'rows', ids: rows.get(worker) });
    await until('20 rows stored', () => stored.size >= 20);

    // Redis killed mid-run: rows keep being stored; one down entry per process; restarted, everyone rejoins.
    await redis.stop();
    await until('every worker logged the link down', () => workers.every((w) => reports.some((r) => r.worker === w && r.event === 'fleet-link-down')));
    const storedWhileDown = stored.size;
    await until('rows stored while Redis is down', () => stored.size >= storedWhileDown + 8);
    await redis.restart();
    await until('every worker logged the link back', () => workers.every((w) => reports.some((r) => r.worker === w && r.event === 'fleet-link-up')));

    // An outage seen by worker 0 alone opens the circuit in all four.
    const outageAt = Date.now();
    mode.failWorker = '0';
    await until('every worker open', () => workers.every((w) => stateOf(w) === 'open'));
    const opening = since(outageAt, 'log', (r) => r.event === 'circuit-opened');
    const own = opening.filter((r) => r.source === null);
    expect(own.map((r) => r.worker)).toEqual(['0']);
    const spread = workers.slice(1).map((w) => since(outageAt, 'state', (r) => r.worker === w && r.state === 'open')[0]!.at - own[0]!.at);
    console.log(`opening published by worker 0 reached workers 1-3 after ${spread.join(', ')} ms (bound ${SPREAD_BOUND_MS} ms)`);
    for (const ms of spread) expect(ms).toBeLessThan(SPREAD_BOUND_MS);

    // The server is back: when the open period ends, exactly one trial runs in the whole fleet.
    const recoveredAt = Date.now();
    mode.failWorker = null;
    await until('every worker closed after the trial', () => workers.every((w) => stateOf(w) === 'closed'));
    expect(since(recoveredAt, 'trial')).toHaveLength(1);

    // Every worker's requests fail: the circuit opens; then the trial's request hangs and its process is killed -9.
    mode.failAll = true;
    await until('every worker open again', () => workers.every((w) => stateOf(w) === 'open'));
    mode.failAll = false;
    const hangAt = Date.now();
    mode.hang = true;
    await until('a trial started', () => since(hangAt, 'trial').length === 1);
    const [holderTrial] = since(hangAt, 'trial');
    const holder = holderTrial!.worker;
    const killed = new Promise((resolve) => child(holder).once('exit', resolve));
    child(holder).kill('SIGKILL');
    await killed;
    mode.hang = false;
    // Its rows (the hung one too) go to the survivors, which may have run out of their own: their calls ask for the trial.
    const survivors = alive();
    const orphans = rows.get(holder)!.filter((id) => !stored.has(id));
    survivors.forEach((worker, i) => child(worker).send({ type: 'rows', ids: orphans.filter((_, n) => n % survivors.length === i) }));
    await until('another process took the trial after the lease', () => since(hangAt, 'trial').length === 2, LEASE_MS + 10_000);
    const takeover = since(hangAt, 'trial')[1]!;
    expect(takeover.worker).not.toBe(holder);
    console.log(`trial taken over by worker ${takeover.worker} ${takeover.at - holderTrial!.at} ms after worker ${holder}'s trial began (lease ${LEASE_MS} ms)`);
    // Held off by the dead holder's lease: without it, the others (asking every 20 ms) would take over at once. The
    // holder reports its trial a little after it took the lease, hence the slack.
    expect(takeover.at - holderTrial!.at).toBeGreaterThanOrEqual(LEASE_MS - 200);
    await until('every survivor closed', () => survivors.every((w) => stateOf(w) === 'closed'));

    // The import finishes with every row stored once.
    await until('every row stored', () => stored.size === WORKERS * ROWS_PER_WORKER, 60_000);
    expect(server.stored.size).toBe(WORKERS * ROWS_PER_WORKER);
    expect([...server.stored.values()].every((count) => count === 1)).toBe(true);
    console.log(`${server.requests.length} requests, ${server.requests.filter((r) => r.previousPostsOfId > 0).length} repeats of a row`);

    for (const worker of survivors) {
      const links = reports.filter((r) => r.worker === worker && typeof r.event === 'string' && String(r.event).startsWith('fleet-link'));
      expect(links.map((r) => r.event)).toEqual(['fleet-link-down', 'fleet-link-up']);
      child(worker).send({ type: 'stop' });
    }
    await until('survivors done', () => survivors.every((w) => last(w, 'done') !== undefined));
  }, 180_000);
});
