import { afterEach, describe, expect, it } from 'vitest';
import { tokenBucketServer, type TokenBucketServer } from '../../bench/support/tokenBucketServer.js';

let server: TokenBucketServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A server whose clock moves only when the test says so. */
async function start(options: Partial<Parameters<typeof tokenBucketServer>[0]> = {}) {
  let time = 1_000;
  server = tokenBucketServer({ rate: 2, burst: 2, now: () => time, ...options });
  const url = await server.start();
  const post = (id: unknown) => fetch(`${url}/rows`, { method: 'POST', body: JSON.stringify({ id }) });
  return { post, advance: (ms: number) => (time += ms), server };
}

describe('tokenBucketServer', () => {
  it('accepts a burst, then answers 429 with Retry-After and the IETF headers, and refills over time', async () => {
    const { post, advance } = await start({ headers: 'ietf' });
    const first = await post('a');
    expect(first.status).toBe(201);
    expect(await first.json()).toEqual({ id: 'a' });
    expect(first.headers.get('ratelimit-limit')).toBe('2');
    expect(first.headers.get('ratelimit-remaining')).toBe('1');
    expect(first.headers.get('ratelimit-policy')).toBe('2;w=1');
    expect((await post('b')).status).toBe(201);

    const limited = await post('c');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('1');
    expect(limited.headers.get('ratelimit-remaining')).toBe('0');
    expect(limited.headers.get('ratelimit-reset')).toBe('1');

    advance(500); // one token at 2 req/s
    expect((await post('d')).status).toBe(201);
    expect((await post('e')).status).toBe(429);
  });

  it('counts its 429s by the half second since the first row request, so a run shows when clients were turned away', async () => {
    const { post, advance, server } = await start({ burst: 1 });
    advance(10_000); // time before the first row does not count
    expect((await post('a')).status).toBe(201);
    expect((await post('b')).status).toBe(429);
    expect((await post('c')).status).toBe(429);
    advance(1_200); // the bucket is full again (one token): d takes it, and e is turned away 1.2 s in, the third half second
    expect((await post('d')).status).toBe(201);
    expect((await post('e')).status).toBe(429);
    expect(server.stats().rejected429PerHalfSecond).toEqual([2, 0, 1]);
    expect(server.stats().rejected429).toBe(3);
  });

  it('sends no RateLimit-* headers with headers "none", and no Retry-After when retryAfter is false', async () => {
    const { post } = await start({ burst: 1, retryAfter: false });
    const ok = await post('a');
    expect(ok.headers.get('ratelimit-limit')).toBeNull();
    const limited = await post('b');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBeNull();
    expect(limited.headers.get('ratelimit-reset')).toBeNull();
  });

  it('counts a second insert of a stored id as a duplicate and answers 409', async () => {
    const { post, server } = await start();
    expect((await post('a')).status).toBe(201);
    expect((await post('a')).status).toBe(409);
    expect(server.stats()).toMatchObject({ requests: 2, accepted: 1, duplicates: 1, storedIds: 1 });
    expect(server.rows().get('a')).toBe(2);
  });

  it('counts an early retry when a row comes back before its 429 + Retry-After, and not after', async () => {
    const { post, advance, server } = await start({ burst: 1, rate: 10 });
    await post('a');
    expect((await post('b')).status).toBe(429); // b may come back 1 s later
    advance(500);
    expect((await post('b')).status).toBe(201); // accepted (a token refilled) but early
    expect(server.stats().earlyRetries).toBe(1);

    expect((await post('c')).status).toBe(429);
    advance(1000);
    expect((await post('c')).status).toBe(201);
    expect(server.stats()).toMatchObject({ earlyRetries: 1, rejected429: 2, accepted: 3 });
  });

  it('answers 400 without an id and 404 elsewhere, without touching the bucket', async () => {
    const { post, server } = await start({ burst: 1 });
    const url = server.url;
    expect((await fetch(`${url}/rows`, { method: 'POST', body: 'not json' })).status).toBe(400);
    expect((await post(undefined)).status).toBe(400);
    expect((await fetch(`${url}/other`)).status).toBe(404);
    expect((await post(7)).status).toBe(201);
    expect(server.stats()).toMatchObject({ requests: 4, badRequests: 3, accepted: 1 });
  });

  it('closes itself after maxDurationMs', async () => {
    const { server } = await start({ maxDurationMs: 50 });
    const url = server.url;
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(server.stats().expired).toBe(true);
    await expect(fetch(`${url}/rows`, { method: 'POST', body: '{"id":1}' })).rejects.toThrow();
  });

  it('refuses bad options at construction', () => {
    expect(() => tokenBucketServer({ rate: 0, burst: 1 })).toThrow(RangeError);
    expect(() => tokenBucketServer({ rate: 1, burst: 1.5 })).toThrow(/burst/);
    expect(() => tokenBucketServer({ rate: 1, burst: 1, maxDurationMs: 10_000_000 })).toThrow(/maxDurationMs/);
  });

  it('refuses bad fault, idempotency, seed and rate-change options, naming the option and the value', () => {
    const bad: [Partial<Parameters<typeof tokenBucketServer>[0]>, RegExp][] = [
      [{ lostResponseRate: 1 }, /"lostResponseRate".*got 1\./],
      [{ lostResponseRate: -0.1 }, /"lostResponseRate".*got -0\.1/],
      [{ unavailableRate: Number.NaN }, /"unavailableRate".*got NaN/],
      [{ lostResponseRate: 0.6, unavailableRate: 0.5 }, /"lostResponseRate" \+ "unavailableRate".*0\.6 \+ 0\.5/],
      [{ idempotent: 'yes' as unknown as boolean }, /"idempotent".*got yes/],
      [{ seed: 1.5 }, /"seed".*got 1\.5/],
      [{ rateChange: { afterStored: 0, rate: 1 } }, /"rateChange\.afterStored".*got 0/],
      [{ rateChange: { afterStored: 2, rate: -1 } }, /"rateChange\.rate".*got -1/],
    ];
    for (const [options, message] of bad) {
      expect(() => tokenBucketServer({ rate: 1, burst: 1, ...options })).toThrow(RangeError);
      expect(() => tokenBucketServer({ rate: 1, burst: 1, ...options })).toThrow(message);
    }
  });

  it('changes its rate once afterStored rows are stored, and its headers tell the new rate', async () => {
    // 4 req/s, then 1 req/s once 3 rows are stored; the clock stands still unless advanced.
    const { post, advance, server } = await start({ rate: 4, burst: 2, headers: 'ietf', rateChange: { afterStored: 3, rate: 1 } });
    const before = await post('a');
    expect(before.headers.get('ratelimit-policy')).toBe('2;w=0.5');
    await post('b');
    advance(250); // one token at 4 req/s
    const third = await post('c');
    expect(third.status).toBe(201);
    expect(third.headers.get('ratelimit-policy')).toBe('2;w=2');
    expect(server.stats()).toMatchObject({ rate: 1, rateChangedAt: 1_250 });
    advance(250); // a quarter token at 1 req/s: still empty
    expect((await post('d')).status).toBe(429);
    advance(750);
    expect((await post('d')).status).toBe(201);
  });

  it('tells the new rate in Retry-After and RateLimit-Reset after the change', async () => {
    const { post, server } = await start({ rate: 100, burst: 1, headers: 'ietf', rateChange: { afterStored: 1, rate: 0.25 } });
    expect((await post('a')).status).toBe(201);
    const limited = await post('b');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('4');
    expect(limited.headers.get('ratelimit-reset')).toBe('4');
    expect(server.stats().rate).toBe(0.25);
  });

  it('loses some answers after storing the row and answers some 503 without storing, as its seed draws them', async () => {
    const ids = Array.from({ length: 40 }, (_, i) => `r${i}`);
    const outcome = async (seed: number) => {
      const { post, server } = await start({ rate: 1, burst: 100, lostResponseRate: 0.3, unavailableRate: 0.2, seed });
      const answers: (number | 'lost')[] = [];
      for (const id of ids) answers.push(await post(id).then((r) => r.status, () => 'lost' as const));
      const stats = server.stats();
      const stored = server.rows();
      await server.close();
      return { answers, stats, stored };
    };
    const first = await outcome(7);
    const lost = ids.filter((_, i) => first.answers[i] === 'lost');
    const unavailable = ids.filter((_, i) => first.answers[i] === 503);
    expect(lost.length).toBeGreaterThan(0);
    expect(unavailable.length).toBeGreaterThan(0);
    expect(first.stats).toMatchObject({ lostResponses: lost.length, unavailable: unavailable.length, storedIds: 40 - unavailable.length });
    for (const id of lost) expect(first.stored.has(id)).toBe(true);
    for (const id of unavailable) expect(first.stored.has(id)).toBe(false);
    expect((await outcome(7)).answers).toEqual(first.answers);
    expect((await outcome(8)).answers).not.toEqual(first.answers);
  });

  it('answers 200 to a re-insert when idempotent and counts a replay, not a duplicate', async () => {
    const { post, server } = await start({ idempotent: true });
    expect((await post('a')).status).toBe(201);
    const again = await post('a');
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ id: 'a', replayed: true });
    expect(server.stats()).toMatchObject({ accepted: 1, replays: 1, duplicates: 0, storedIds: 1 });
  });
});
