import { ConsecutiveBreaker, ExponentialBackoff, circuitBreaker, handleAll, handleWhen, retry, wrap } from 'cockatiel';
import { runBulk } from '../../src/bulk/runBulk.js';
import { createExecutor } from '../../src/createExecutor.js';
import type { ExecutorOptions } from '../../src/options.js';
import { ClassicService } from './classicService.js';
import { describeError, type StormContender } from './stormContender.js';
import { workerPool } from './workerPool.js';

/** The hand-written service apps carry today, in a pool of `concurrency` workers. */
export function classicContender(): StormContender {
  return {
    name: 'classic service',
    note: 'classic: 3 retries, 100 ms doubling ±20%, waits max(backoff, Retry-After), opens after 5 failed rows for 60 s.',
    async run({ rows, concurrency, send, signal, report }) {
      const service = new ClassicService();
      await workerPool(rows, concurrency, signal, async (row) => {
        try {
          await service.executeWithRetry(() => send(row, signal), row.id);
          report(row.id, { ok: true });
        } catch (error) {
          report(row.id, { ok: false, error: describeError(error) });
        }
      });
    },
  };
}

/** cockatiel 3: retry on 429 around a consecutive breaker, in a pool of `concurrency` workers. */
export function cockatielContender(): StormContender {
  return {
    name: 'cockatiel 3',
    note:
      'cockatiel: does not read Retry-After or RateLimit-* (decorrelated-jitter exponential back-off from 100 ms); ' +
      'its maxAttempts: 4 counts retries, so up to 5 attempts per row.',
    async run({ rows, concurrency, send, signal, report }) {
      const policy = wrap(
        retry(
          handleWhen((error) => (error as { status?: unknown }).status === 429),
          { maxAttempts: 4, backoff: new ExponentialBackoff({ initialDelay: 100, maxDelay: 10_000 }) },
        ),
        circuitBreaker(handleAll, { halfOpenAfter: 60_000, breaker: new ConsecutiveBreaker(5) }),
      );
      await workerPool(rows, concurrency, signal, async (row) => {
        try {
          await policy.execute(({ signal: attemptSignal }) => send(row, attemptSignal), signal);
          report(row.id, { ok: true });
        } catch (error) {
          report(row.id, { ok: false, error: describeError(error) });
        }
      });
    },
  };
}

/**
 * Our executor with `executor.execute` in the same worker pool as the others. A placeholder: swap this entry for
 * `runBulk` with pacing once it exists.
 */
export function executorContender(options: { name?: string; executor?: ExecutorOptions } = {}): StormContender {
  return {
    name: options.name ?? 'ours: execute + pool',
    note: 'ours: createExecutor() defaults, executor.execute per row in the same pool of workers (no pacing yet).',
    async run({ rows, concurrency, send, signal, report }) {
      const executor = createExecutor(options.executor);
      const stop = (): void => executor.stop(signal.reason);
      signal.addEventListener('abort', stop, { once: true });
      try {
        await workerPool(rows, concurrency, signal, async (row) => {
          try {
            await executor.execute(({ signal: attemptSignal }) => send(row, attemptSignal), { signal, context: row.id });
            report(row.id, { ok: true });
          } catch (error) {
            report(row.id, { ok: false, error: describeError(error) });
          }
        });
      } finally {
        signal.removeEventListener('abort', stop);
        executor.stop();
      }
    },
  };
}

/** The contenders `bench/storm.bench.ts` runs, in order. */
/**
 * Ours as users run an import: `runBulk` over one executor with its defaults (pacing and retry budget on). Each task
 * returns the response headers so the pacer can read the server's rate-limit headers on successes too.
 */
export function bulkContender(): StormContender {
  return {
    name: 'ours: runBulk',
    note: 'ours: runBulk + createExecutor() defaults (pacing learns from RateLimit-* or from 429s; Retry-After honoured; rows waiting give their slot back).',
    async run({ rows, concurrency, send, signal, report }) {
      const executor = createExecutor();
      try {
        const result = await runBulk(rows, async (row, _index, { signal: attemptSignal }) => ({ headers: await send(row, attemptSignal) }), {
          executor,
          concurrency,
          signal,
          idempotent: true,
        });
        for (const row of result.results) {
          if (row.status === 'succeeded') report(row.item.id, { ok: true });
          else report(row.item.id, { ok: false, error: describeError(row.error) });
        }
      } finally {
        executor.stop();
      }
    },
  };
}

export function defaultContenders(): StormContender[] {
  return [classicContender(), cockatielContender(), bulkContender()];
}
