import { createClient } from '@supabase/supabase-js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { createBackend, type Backend } from '../../demo/server/createBackend.js';
import type { RateLimitSettings } from '../../demo/server/rateLimiter.js';
import { startTestBackend } from './startTestBackend.js';

const LIMIT: RateLimitSettings = { ratePerSecond: 1, burst: 3, headers: 'ietf', retryAfter: 'integer' };

let backend: Backend;
let clock = 1_700_000_000_000;
let randomValue = 0.5;
let clientSeq = 0;

beforeAll(async () => {
  backend = await startTestBackend({ rateLimit: LIMIT, now: () => clock, random: () => randomValue });
});

afterAll(async () => {
  await backend?.close();
});

beforeEach(() => {
  backend.rateLimit = LIMIT; // also refills every bucket
  backend.faults.clear();
  randomValue = 0.5;
});

/** A client id of its own for each test, so buckets never leak between tests. */
function newClient(): string {
  clientSeq += 1;
  return `test-client-${clientSeq}`;
}

function rest(path: string, client: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  headers.set('x-client-id', client);
  return fetch(`${backend.restUrl}${path}`, { ...init, headers });
}

async function control(route: string, body?: unknown): Promise<{ status: number; json: any }> {
  const init: RequestInit =
    body === undefined ? {} : { method: 'POST', body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } };
  const response = await fetch(`${backend.url}/__control/${route}`, init);
  return { status: response.status, json: await response.json() };
}

describe('edge rate limiter', () => {
  it('answers 429 past the burst, with an integer Retry-After, RateLimit-* headers and a JSON body', async () => {
    const client = newClient();
    const before = backend.stats.rateLimited;
    const allowed = [];
    for (let i = 0; i < 3; i += 1) allowed.push(await rest('/segments', client));
    expect(allowed.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(allowed.map((r) => r.headers.get('RateLimit-Remaining'))).toEqual(['2', '1', '0']);
    expect(allowed[0]?.headers.get('RateLimit-Limit')).toBe('3');
    expect(allowed[0]?.headers.get('RateLimit-Policy')).toBe('3;w=3');

    const refused = await rest('/segments', client);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('Retry-After')).toBe('1');
    expect(refused.headers.get('RateLimit-Remaining')).toBe('0');
    expect(refused.headers.get('RateLimit-Reset')).toBe('3');
    expect(await refused.json()).toMatchObject({ code: '429', message: 'Too Many Requests' });
    expect(backend.stats.rateLimited).toBe(before + 1);

    clock += 1000;
    expect((await rest('/segments', client)).status).toBe(200);
  });

  it('keeps one bucket per client: x-client-id, else apikey', async () => {
    const a = newClient();
    for (let i = 0; i < 3; i += 1) await rest('/segments', a);
    expect((await rest('/segments', a)).status).toBe(429);
    expect((await rest('/segments', newClient())).status).toBe(200);
    const byKey = (key: string) => fetch(`${backend.restUrl}/segments`, { headers: { apikey: key } });
    for (let i = 0; i < 3; i += 1) expect((await byKey('key-1')).status).toBe(200);
    expect((await byKey('key-1')).status).toBe(429);
    expect((await byKey('key-2')).status).toBe(200);
  });

  it("sends no RateLimit-* headers with headers 'none', and no Retry-After with retryAfter 'none'", async () => {
    backend.rateLimit = { ...LIMIT, burst: 1, headers: 'none' };
    const client = newClient();
    const ok = await rest('/segments', client);
    expect([...ok.headers.keys()].filter((h) => h.toLowerCase().includes('ratelimit'))).toEqual([]);
    const refused = await rest('/segments', client);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('Retry-After')).toBe('1');
    expect([...refused.headers.keys()].filter((h) => h.toLowerCase().includes('ratelimit'))).toEqual([]);

    backend.rateLimit = { ...LIMIT, burst: 1, retryAfter: 'none' };
    await rest('/segments', client);
    const bare = await rest('/segments', client);
    expect(bare.status).toBe(429);
    expect(bare.headers.has('Retry-After')).toBe(false);
    expect(bare.headers.get('RateLimit-Limit')).toBe('1');
  });

  it("sends X-RateLimit-* with headers 'x-ratelimit' (reset in epoch seconds)", async () => {
    backend.rateLimit = { ...LIMIT, headers: 'x-ratelimit' };
    const response = await rest('/segments', newClient());
    expect(response.headers.get('X-RateLimit-Limit')).toBe('3');
    expect(response.headers.get('X-RateLimit-Remaining')).toBe('2');
    expect(response.headers.get('X-RateLimit-Reset')).toBe(String(Math.ceil((clock + 1000) / 1000)));
    expect(response.headers.has('RateLimit-Limit')).toBe(false);
  });

  it('is visible to supabase-js as status 429 with the body as error, headers through a custom fetch', async () => {
    const seen: Response[] = [];
    const supabase = createClient(backend.url, 'anon-key', {
      realtime: { transport: WebSocket as never },
      auth: { persistSession: false, autoRefreshToken: false },
      global: {
        headers: { 'x-client-id': newClient() },
        fetch: async (input, init) => {
          const response = await fetch(input, init);
          seen.push(response);
          return response;
        },
      },
    });
    const statuses = [];
    for (let i = 0; i < 4; i += 1) statuses.push((await supabase.from('segments').insert({ name: `s${clientSeq}-${i}` })).status);
    expect(statuses).toEqual([201, 201, 201, 429]);
    const last = await supabase.from('segments').insert({ name: 'late' });
    expect(last.error).toMatchObject({ code: '429', message: 'Too Many Requests' });
    expect(seen.at(-1)?.headers.get('Retry-After')).toBe('1');
  });

  it('does not limit CORS preflights or control routes, and exposes the headers to browsers', async () => {
    const client = newClient();
    for (let i = 0; i < 4; i += 1) await rest('/segments', client);
    const preflight = await fetch(`${backend.restUrl}/segments`, {
      method: 'OPTIONS',
      headers: {
        'x-client-id': client,
        Origin: 'http://localhost:5173',
        'Access-Control-Request-Method': 'PATCH',
        'Access-Control-Request-Headers': 'apikey, prefer, x-custom',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('Access-Control-Allow-Origin')).toBe('*');
    expect(preflight.headers.get('Access-Control-Allow-Methods')).toContain('PATCH');
    const allowed = preflight.headers.get('Access-Control-Allow-Headers')?.split(', ') ?? [];
    expect(allowed).toEqual(expect.arrayContaining(['apikey', 'authorization', 'prefer', 'range', 'accept-profile', 'content-profile', 'x-client-info', 'x-client-id', 'x-custom']));

    for (let i = 0; i < 20; i += 1) expect((await control('stats')).status).toBe(200);

    const refused = await rest('/segments', client);
    expect(refused.status).toBe(429);
    const exposed = refused.headers.get('Access-Control-Expose-Headers') ?? '';
    for (const name of ['Content-Range', 'Retry-After', 'RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset', 'RateLimit-Policy', 'X-RateLimit-Reset']) {
      expect(exposed).toContain(name);
    }
  });

  it('changes settings at runtime through /__control/rate-limit', async () => {
    expect((await control('rate-limit')).json).toEqual({ enabled: true, ...LIMIT });
    const changed = await control('rate-limit', { burst: 1, headers: 'x-ratelimit' });
    expect(changed.json).toEqual({ enabled: true, ...LIMIT, burst: 1, headers: 'x-ratelimit' });
    expect(backend.rateLimit).toMatchObject({ burst: 1 });
    const client = newClient();
    expect((await rest('/segments', client)).status).toBe(200);
    expect((await rest('/segments', client)).status).toBe(429);

    expect((await control('rate-limit', false)).json).toMatchObject({ enabled: false });
    expect(backend.rateLimit).toBe(false);
    for (let i = 0; i < 10; i += 1) expect((await rest('/segments', client)).status).toBe(200);

    const bad = await control('rate-limit', { burst: 0 });
    expect(bad.status).toBe(400);
    expect(bad.json.message).toMatch(/burst/);
    expect(backend.rateLimit).toBe(false);
  });
});

describe('fault switches', () => {
  it('outage answers 503 without Retry-After, from the API and from /__control/faults', async () => {
    backend.rateLimit = false;
    const client = newClient();
    const switched = await control('faults', { outage: true });
    expect(switched.json).toEqual({ outage: true, status503Rate: 0, latencyMs: 0 });
    expect(backend.faults.outage).toBe(true);
    const down = await rest('/contacts', client);
    expect(down.status).toBe(503);
    expect(down.headers.has('Retry-After')).toBe(false);
    expect(await down.json()).toMatchObject({ code: '503', message: 'Service Unavailable' });
    expect((await control('faults')).json.outage).toBe(true);

    backend.faults.outage = false;
    expect((await rest('/contacts', client)).status).toBe(200);
  });

  it('status503Rate fails the share of requests drawn below it', async () => {
    backend.rateLimit = false;
    await control('faults', { status503Rate: 0.5 });
    randomValue = 0.49;
    expect((await rest('/segments', newClient())).status).toBe(503);
    randomValue = 0.5;
    expect((await rest('/segments', newClient())).status).toBe(200);
  });

  it('latencyMs delays answers', async () => {
    backend.rateLimit = false;
    backend.faults.latencyMs = 150;
    const started = performance.now();
    expect((await rest('/segments', newClient())).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('rejects bad switch values, over HTTP (400) and in code (RangeError/TypeError)', async () => {
    const bad = await control('faults', { status503Rate: 2 });
    expect(bad.status).toBe(400);
    expect(bad.json.message).toMatch(/status503Rate/);
    expect((await control('faults', { outage: 'yes' })).status).toBe(400);
    expect((await control('faults', { meltdown: true })).status).toBe(400);
    expect(backend.faults.toJSON()).toEqual({ outage: false, status503Rate: 0, latencyMs: 0 });
    expect(() => {
      backend.faults.latencyMs = -1;
    }).toThrow(RangeError);
    expect(() => backend.faults.set({ outage: 1 as unknown as boolean })).toThrow(TypeError);
  });
});

describe('control routes', () => {
  it('/__control/reset truncates the tables and zeroes the stats; /__control/stats counts by status', async () => {
    backend.rateLimit = false;
    const client = newClient();
    await rest('/segments', client, { method: 'POST', body: JSON.stringify({ name: 'to-be-reset' }), headers: { 'Content-Type': 'application/json' } });
    await rest('/nope', client);
    const stats = (await control('stats')).json;
    expect(stats.requests).toBeGreaterThanOrEqual(2);
    expect(stats.byStatus['201']).toBeGreaterThanOrEqual(1);
    expect(stats.byStatus['404']).toBeGreaterThanOrEqual(1);
    expect(stats.byPath['/rest/v1/nope']).toBe(1);

    expect(await control('reset', {})).toEqual({ status: 200, json: { reset: true } });
    expect(await (await rest('/segments', client)).json()).toEqual([]);
    expect(backend.stats).toEqual({ requests: 1, rateLimited: 0, byStatus: { '200': 1 }, byPath: { '/rest/v1/segments': 1 } });
    expect((await fetch(`${backend.url}/__control/reset`)).status).toBe(405);
    expect((await control('nope')).status).toBe(404);
  });

  it('checks createBackend options before starting anything', async () => {
    await expect(createBackend({ port: -1 })).rejects.toThrow(RangeError);
    await expect(createBackend({ rateLimit: { ...LIMIT, burst: 0 } })).rejects.toThrow(/rateLimit\.burst/);
    await expect(createBackend({ faults: { latencyMs: -5 } })).rejects.toThrow(/latencyMs/);
  });
});
