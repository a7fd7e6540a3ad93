import { describe, expect, it } from 'vitest';
import { ClassicService, CLASSIC_CIRCUIT_OPEN, CLASSIC_MAX_RETRIES_EXCEEDED } from '../../bench/support/classicService.js';

function setup(random = 0.5) {
  let time = 0;
  const sleeps: number[] = [];
  const service = new ClassicService({
    now: () => time,
    sleep: async (ms) => {
      sleeps.push(ms);
      time += ms;
    },
    random: () => random,
  });
  return { service, sleeps, advance: (ms: number) => (time += ms) };
}

const rateLimited = (retryAfterMs?: number) => Object.assign(new Error('429'), { status: 429, retryAfterMs });

describe('ClassicService (bench baseline)', () => {
  it('makes 4 attempts 100, 200, 400 ms apart, then throws RATE_LIMIT_MAX_RETRIES_EXCEEDED with the last error', async () => {
    const { service, sleeps } = setup();
    const last = rateLimited();
    let attempts = 0;
    const error = await service
      .executeWithRetry(async () => {
        attempts++;
        throw last;
      })
      .catch((e: unknown) => e);
    expect(attempts).toBe(4);
    expect(sleeps).toEqual([100, 200, 400]);
    expect(error).toMatchObject({ code: CLASSIC_MAX_RETRIES_EXCEEDED, cause: last });
  });

  it('waits max(backoff, Retry-After) and applies ±20% jitter to the backoff', async () => {
    const { service, sleeps } = setup(1); // +20%
    let attempts = 0;
    await service.executeWithRetry(async () => {
      if (++attempts < 3) throw rateLimited(attempts === 1 ? 1000 : undefined);
      return 'ok';
    });
    expect(sleeps).toEqual([1000, 240]);
  });

  it('does not retry a 409 or an abort', async () => {
    const { service, sleeps } = setup();
    const conflict = Object.assign(new Error('409'), { status: 409 });
    await expect(service.executeWithRetry(async () => Promise.reject(conflict))).rejects.toBe(conflict);
    const abort = new DOMException('stop', 'AbortError');
    await expect(service.executeWithRetry(async () => Promise.reject(abort))).rejects.toBe(abort);
    expect(sleeps).toEqual([]);
  });

  it('opens after 5 failed operations, rejects for 60 s with RATE_LIMIT_CIRCUIT_OPEN, then lets calls through', async () => {
    const { service, advance } = setup();
    const conflict = Object.assign(new Error('409'), { status: 409 });
    for (let i = 0; i < 5; i++) await service.executeWithRetry(async () => Promise.reject(conflict)).catch(() => undefined);
    let ran = false;
    const run = () =>
      service.executeWithRetry(async () => {
        ran = true;
        return 1;
      });
    await expect(run()).rejects.toMatchObject({ code: CLASSIC_CIRCUIT_OPEN });
    expect(ran).toBe(false);
    advance(60_000);
    await expect(run()).resolves.toBe(1);
    expect(service.getCircuitState()).toEqual({ isOpen: false, failures: 0, openedAt: null });
  });
});
