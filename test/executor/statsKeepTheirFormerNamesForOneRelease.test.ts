import { describe, expect, it } from 'vitest';
import { createExecutor, type ExecutorStats } from '../../src/index.js';
import { createTestClock, httpError, track } from '../support/clock.js';
import { failTimes, noPacing } from '../support/executorHelpers.js';

/**
 * `getStats()` names outcomes of calls as past participles (`succeeded`, `failed`, `rejected`) and counts of attempts
 * as such (`rateLimitedAttempts`). The names it had before (`successes`, `failures`, `rejections`, `rateLimited`) still
 * read the same values for one release, as deprecated getters that JSON and object spread leave out.
 */

/** An executor after a run where every counter is above 0, so that an alias reading the wrong counter shows. */
async function afterAMixedRun(): Promise<ExecutorStats> {
  const clock = createTestClock();
  const executor = createExecutor({ clock, jitter: 'none', failureThreshold: 2, ...noPacing });
  await executor.execute(() => 'ok');
  const retried = track(executor.execute(async ({ attempt }) => (attempt === 1 ? Promise.reject(httpError(429)) : 'ok')));
  await clock.advance(100);
  expect(retried.value).toBe('ok');
  await executor.execute(() => 1, { signal: AbortSignal.abort('already') }).catch(() => undefined);
  await failTimes(executor, 2);
  await executor.execute(() => 'refused').catch(() => undefined);
  await executor.execute(() => 'refused again').catch(() => undefined);
  return executor.getStats();
}

describe('getStats() keeps its former names for one release', () => {
  it('each former name reads the same count as its new name', async () => {
    const stats = await afterAMixedRun();
    expect(stats).toEqual({ calls: 7, succeeded: 2, failed: 2, retries: 1, rejected: 2, rateLimitedAttempts: 1, aborted: 1 });
    expect([stats.successes, stats.failures, stats.rejections, stats.rateLimited]).toEqual([
      stats.succeeded,
      stats.failed,
      stats.rejected,
      stats.rateLimitedAttempts,
    ]);
  });

  it('JSON and an object spread show the new names only', async () => {
    const stats = await afterAMixedRun();
    const names = ['calls', 'succeeded', 'failed', 'retries', 'rejected', 'rateLimitedAttempts', 'aborted'];
    expect(Object.keys(JSON.parse(JSON.stringify(stats)) as object)).toEqual(names);
    expect(Object.keys({ ...stats })).toEqual(names);
  });

  it('a former name cannot be written', async () => {
    const stats = (await afterAMixedRun()) as { successes: number };
    expect(() => {
      stats.successes = 99;
    }).toThrow(TypeError);
  });
});
