import { describe, expect, it, vi } from 'vitest';
import { createExecutor, isRetriesExhaustedError, RetriesExhaustedError } from '../../src/index.js';
import { createTestClock, flush, httpError, track } from '../support/clock.js';

describe('retry loop', () => {
  it('resolves on the first attempt without waiting', async () => {
    const clock = createTestClock();
    const executor = createExecutor({ clock });
    await expect(executor.execute(() => 42)).resolves.toBe(42);
    expect(executor.getStats()).toMatchObject({ calls: 1, succeeded: 1, retries: 0 });
  });

  it('retries a 429 after 100, 200 and 400 ms (no jitter) and then gives up with the last error as cause', async () => {
    const clock = createTestClock();
    const executor = createExecutor({ clock, jitter: 'none' });
    const starts: number[] = [];
    const last = httpError(429);
    const op = vi.fn(async () => {
      starts.push(clock.now());
      throw last;
    });
    const call = track(executor.execute(op));
    await clock.advance(0);
    expect(op).toHaveBeenCalledTimes(1);
    await clock.advance(99);
    expect(op).toHaveBeenCalledTimes(1);
    await clock.advance(1);
    expect(op).toHaveBeenCalledTimes(2);
    await clock.advance(200);
    expect(op).toHaveBeenCalledTimes(3);
    await clock.advance(400);
    expect(op).toHaveBeenCalledTimes(4);
    await flush();
    expect(call.settled).toBe(true);
    expect(starts.map((t) => t - starts[0]!)).toEqual([0, 100, 300, 700]);
    const error = call.error as RetriesExhaustedError;
    expect(isRetriesExhaustedError(error)).toBe(true);
    expect(error.code).toBe('RATE_LIMIT_MAX_RETRIES_EXCEEDED');
    expect(error.message).toBe('System overloaded. Try again in a few moments.');
    expect(error.attempts).toBe(4);
    expect(error.cause).toBe(last);
    expect(executor.getStats()).toMatchObject({ calls: 1, failed: 1, retries: 3, rateLimitedAttempts: 4 });
  });

  it('spreads the default delays by at most ±20%', async () => {
    for (const random of [0, 0.5, 0.999]) {
      const clock = createTestClock();
      const executor = createExecutor({ clock, random: () => random });
      const starts: number[] = [];
      const call = track(
        executor.execute(async () => {
          starts.push(clock.now());
          throw httpError(429);
        }),
      );
      for (let i = 0; i < 20 && !call.settled; i++) await clock.advance(50);
      const gaps = starts.slice(1).map((t, i) => t - starts[i]!);
      [100, 200, 400].forEach((base, i) => {
        expect(gaps[i]).toBeGreaterThanOrEqual(base * 0.8 - 50);
        expect(gaps[i]).toBeLessThanOrEqual(base * 1.2 + 50);
      });
    }
  });

  it("with 'decorrelated' jitter, 100 simultaneous callers spread their first retry between the base and 3 × the base", async () => {
    const clock = createTestClock();
    // A seeded generator (mulberry32), so the run is the same every time.
    let seed = 12_345;
    const random = (): number => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
    };
    const firstRetryDelays: number[] = [];
    const executor = createExecutor({
      clock,
      random,
      jitter: 'decorrelated',
      initialDelayMs: 100,
      maxRetries: 1,
      rateLimitRetries: 0,
      failureThreshold: 1_000,
      pacer: false,
      retryBudget: false,
      logger: (entry) => {
        if (entry.event === 'retry' && entry.data?.['attempt'] === 1) firstRetryDelays.push(entry.data['delayMs'] as number);
      },
    });
    const secondAttempts: number[] = [];
    const calls = Array.from({ length: 100 }, () =>
      track(
        executor.execute(async ({ attempt }) => {
          if (attempt === 2) secondAttempts.push(clock.now());
          throw httpError(429);
        }),
      ),
    );
    await clock.advance(0);

    expect(firstRetryDelays).toHaveLength(100);
    expect(Math.min(...firstRetryDelays)).toBeGreaterThanOrEqual(100);
    expect(Math.max(...firstRetryDelays)).toBeLessThanOrEqual(300);
    expect(new Set(firstRetryDelays).size).toBeGreaterThan(50);
    // Half-way through the spread some callers have retried and others still wait: they do not all come back at once.
    await clock.advance(200);
    expect(secondAttempts.length).toBeGreaterThan(10);
    expect(secondAttempts.length).toBeLessThan(90);
    await clock.advance(100);
    expect(calls.every((call) => call.settled)).toBe(true);
  });

  it('succeeds on a later attempt and passes the attempt number and a signal', async () => {
    const clock = createTestClock();
    const executor = createExecutor({ clock, jitter: 'none' });
    const seen: Array<{ attempt: number; aborted: boolean }> = [];
    const call = track(
      executor.execute(async ({ attempt, signal }) => {
        seen.push({ attempt, aborted: signal.aborted });
        if (attempt < 3) throw httpError(429);
        return 'ok';
      }),
    );
    await clock.advance(100);
    await clock.advance(200);
    expect(call).toMatchObject({ settled: true, value: 'ok' });
    expect(seen).toEqual([
      { attempt: 1, aborted: false },
      { attempt: 2, aborted: false },
      { attempt: 3, aborted: false },
    ]);
    expect(executor.getStats()).toMatchObject({ succeeded: 1, retries: 2, rateLimitedAttempts: 2, failed: 0 });
  });

  it('never retries before Retry-After, even when the back-off is shorter', async () => {
    const clock = createTestClock();
    const executor = createExecutor({ clock, jitter: 'none' });
    const op = vi.fn(async ({ attempt }: { attempt: number }) => {
      if (attempt === 1) throw httpError(429, { 'Retry-After': '2' });
      return 'done';
    });
    const call = track(executor.execute(op));
    await clock.advance(1999);
    expect(op).toHaveBeenCalledTimes(1);
    await clock.advance(1);
    expect(call).toMatchObject({ settled: true, value: 'done' });
  });

  it('gives up at once when Retry-After is longer than maxRetryAfterMs, carrying the wait', async () => {
    const clock = createTestClock();
    const executor = createExecutor({ clock, maxRetryAfterMs: 30_000 });
    const op = vi.fn(async () => {
      throw httpError(429, { 'Retry-After': '3600' });
    });
    const error = await executor.execute(op).catch((e: unknown) => e);
    expect(op).toHaveBeenCalledTimes(1);
    expect(error).toBeInstanceOf(RetriesExhaustedError);
    expect(error).toMatchObject({ retryAfterMs: 3_600_000, retryAfterTooLong: true, attempts: 1 });
  });

  it('ignores Retry-After when respectRetryAfter is false', async () => {
    const clock = createTestClock();
    const executor = createExecutor({ clock, jitter: 'none', respectRetryAfter: false });
    const op = vi.fn(async ({ attempt }: { attempt: number }) => {
      if (attempt === 1) throw httpError(429, { 'Retry-After': '50' });
      return 'done';
    });
    const call = track(executor.execute(op));
    await clock.advance(100);
    expect(call).toMatchObject({ settled: true, value: 'done' });
  });

  it('passes a 400 and a 500 straight through, untouched and untried again', async () => {
    const clock = createTestClock();
    const executor = createExecutor({ clock });
    for (const status of [400, 404, 422, 500]) {
      const original = httpError(status);
      const op = vi.fn(async () => {
        throw original;
      });
      await expect(executor.execute(op)).rejects.toBe(original);
      expect(op).toHaveBeenCalledTimes(1);
    }
  });

  it('retries 503 and network errors only for idempotent calls', async () => {
    const clock = createTestClock();
    const executor = createExecutor({ clock, jitter: 'none' });
    const unavailable = httpError(503);
    const once = vi.fn(async () => {
      throw unavailable;
    });
    await expect(executor.execute(once)).rejects.toBe(unavailable);
    expect(once).toHaveBeenCalledTimes(1);

    const network = new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) });
    const twice = vi.fn(async ({ attempt }: { attempt: number }) => {
      if (attempt === 1) throw network;
      return 'ok';
    });
    const call = track(executor.execute(twice, { idempotent: true }));
    await clock.advance(100);
    expect(call).toMatchObject({ settled: true, value: 'ok' });
  });

  it('lets a predicate decide what is retried', async () => {
    const clock = createTestClock();
    const executor = createExecutor({ clock, jitter: 'none', shouldRetry: (error) => (error as { status?: number }).status === 500 });
    const op = vi.fn(async ({ attempt }: { attempt: number }) => {
      if (attempt === 1) throw httpError(500);
      return 'ok';
    });
    const call = track(executor.execute(op));
    await clock.advance(100);
    expect(call).toMatchObject({ settled: true, value: 'ok' });
    const rateLimited = httpError(429);
    await expect(executor.execute(async () => Promise.reject(rateLimited))).rejects.toBe(rateLimited);
  });

  it('rejects with the predicate error when a predicate throws, and keeps counting', async () => {
    const clock = createTestClock();
    const bug = new Error('predicate bug');
    const executor = createExecutor({
      clock,
      shouldRetry: () => {
        throw bug;
      },
    });
    await expect(executor.execute(async () => Promise.reject(httpError(429)))).rejects.toBe(bug);
    await expect(executor.execute(() => 'still works')).resolves.toBe('still works');
  });

  it('times out a hanging attempt and retries it when idempotent', async () => {
    const clock = createTestClock();
    const executor = createExecutor({ clock, jitter: 'none', attemptTimeoutMs: 1000 });
    const signals: AbortSignal[] = [];
    const op = vi.fn(({ attempt, signal }: { attempt: number; signal: AbortSignal }) => {
      signals.push(signal);
      return attempt === 1 ? new Promise<string>(() => {}) : Promise.resolve('answered');
    });
    const call = track(executor.execute(op, { idempotent: true }));
    await clock.advance(1000);
    expect(signals[0]!.aborted).toBe(true);
    await clock.advance(100);
    expect(call).toMatchObject({ settled: true, value: 'answered' });
  });
});
