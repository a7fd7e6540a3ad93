/**
 * One process of the fleet bench (`runFleet`): started with `fork()`, it imports the rows the parent sends through
 * `runBulk` over its own executor, paced either by its own pacer (no link) or by `createRedisPacer` (the link), and
 * reports every row back. Messages: parent → `start`, child → `ready` (connected), parent → `go`, child → `done`.
 */
import { createClient } from 'redis';
import { runBulk } from '../../src/bulk/runBulk.js';
import { createExecutor } from '../../src/createExecutor.js';
import { createRedisPacer } from '../../src/redis/createRedisPacer.js';
import type { RedisPacerStats } from '../../src/redis/redisPacerTypes.js';
import { postRow, type Row } from './postRow.js';
import { describeError } from './stormContender.js';

export interface FleetStart {
  readonly type: 'start';
  readonly serverUrl: string;
  /** `null`: no link (each process paces alone). */
  readonly redis: { readonly url: string; readonly prefix: string; readonly name: string } | null;
  readonly rows: readonly Row[];
  readonly concurrency: number;
}

export type FleetChildMessage =
  | { readonly type: 'ready' }
  | {
      readonly type: 'done';
      /** [row id, ok, why it failed] */
      readonly outcomes: readonly (readonly [string, boolean, string | null])[];
      /** ms from `go` to the last row reported, on this process's clock. */
      readonly elapsedMs: number;
      readonly redis: Omit<RedisPacerStats, 'lastError'> & { readonly lastError: string | null } | null;
    }
  | { readonly type: 'failed'; readonly error: string };

function send(message: FleetChildMessage): Promise<void> {
  return new Promise((resolve, reject) => process.send!(message, (error: Error | null) => (error ? reject(error) : resolve())));
}

async function main(start: FleetStart): Promise<void> {
  const client = start.redis === null ? null : createClient({ url: start.redis.url });
  const redisErrors: unknown[] = [];
  client?.on('error', (error: unknown) => redisErrors.push(error));
  await client?.connect();
  const pacer = client === null ? undefined : createRedisPacer(client, { prefix: start.redis!.prefix, name: start.redis!.name });
  const executor = createExecutor(pacer === undefined ? {} : { pacer });
  const go = new Promise<void>((resolve) => process.once('message', () => resolve()));
  await send({ type: 'ready' });
  await go;
  const began = performance.now();
  // FLEET_TRACE=1: each process prints what its pacer knows every second (stderr), to see how the fleet learns.
  const sampler = process.env['FLEET_TRACE']
    ? setInterval(() => {
        const link = pacer?.getRedisStats();
        const state = (pacer ?? executor.options.pacer)?.getState();
        const learnt = link?.learntRatePerSecond ?? state?.ratePerSecond;
        console.error(
          `process ${process.pid} at ${((performance.now() - began) / 1000).toFixed(1)} s: learnt ${learnt?.toFixed(1)} req/s (${state?.source}), ` +
            `${link === undefined ? 'no link' : `fleet ${link.fleetRatePerSecond?.toFixed(1)} req/s, ${link.mode}, ${link.members} members`}, ${state?.throttled} 429s`,
        );
      }, 1000)
    : undefined;
  const report = await runBulk(start.rows, async (row, _index, { signal }) => ({ headers: await postRow(start.serverUrl, row, signal) }), {
    executor,
    concurrency: start.concurrency,
    idempotent: true,
  });
  const elapsedMs = performance.now() - began;
  clearInterval(sampler);
  executor.stop();
  const stats = pacer?.getRedisStats() ?? null;
  pacer?.stop();
  client?.destroy();
  await send({
    type: 'done',
    outcomes: report.results.map((r) => [r.item.id, r.status === 'succeeded', r.status === 'succeeded' ? null : describeError(r.error)] as const),
    elapsedMs,
    redis: stats === null ? null : { ...stats, lastError: stats.lastError === null ? null : describeError(stats.lastError) },
  });
  process.disconnect();
}

process.once('message', (message: FleetStart) => {
  main(message).catch(async (error: unknown) => {
    await send({ type: 'failed', error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) }).catch(() => undefined);
    process.exitCode = 1;
    process.disconnect();
  });
});
