import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createExecutor, type Executor } from '../../src/createExecutor.js';
import { CircuitOpenError } from '../../src/errors/CircuitOpenError.js';
import type { ExecutorOptions } from '../../src/options.js';
import { createResilientFetch } from '../../src/supabase/index.js';
import { createManualClock, type ManualClock } from './support/createManualClock.js';
import { createTestClient } from './support/createTestClient.js';
import { drive, trackFetch, type FetchTracker } from './support/drive.js';
import { API_KEY, ONE_PER_SECOND, startBackend, type TestBackend } from './support/startBackend.js';

/** One request a second, no Retry-After and no RateLimit headers: the client only has its own back-off to go on. */
const ONE_PER_SECOND_SILENT = { ...ONE_PER_SECOND, headers: 'none', retryAfter: 'none' } as const;
const FROZEN = 1_000;

let server: TestBackend;
let executor: Executor | undefined;

beforeAll(async () => {
  server = await startBackend();
}, 120_000);
afterAll(async () => {
  await server?.close();
});
beforeEach(async () => {
  await server.reset(ONE_PER_SECOND);
});
afterEach(() => {
  executor?.stop();
  executor = undefined;
});

function setup(options: ExecutorOptions = {}): { clock: ManualClock; tracker: FetchTracker; executor: Executor; fetch: typeof fetch } {
  const clock = createManualClock();
  server.setNow(() => clock.now());
  const tracker = trackFetch(clock);
  executor = createExecutor({ clock, jitter: 'none', ...options });
  return { clock, tracker, executor, fetch: createResilientFetch(executor, tracker.fetch) };
}

const requests = (): number => server.backend.stats.requests;
const contact = (email: string) => ({ email, first_name: 'Ada', last_name: 'Lovelace' });

describe('createResilientFetch with supabase-js', () => {
  it('gets an insert through a burst of 429s and the row is stored once', async () => {
    await server.reset(ONE_PER_SECOND_SILENT);
    const { clock, tracker, fetch } = setup({ maxRetries: 5, initialDelayMs: 100 });
    const supabase = createTestClient(server.backend.url, fetch);
    await server.drain();

    const result = await drive(clock, tracker, supabase.from('contacts').insert(contact('ada@example.com')).select());

    expect(result.error).toBeNull();
    expect(result.status).toBe(201);
    expect(result.data).toMatchObject([{ email: 'ada@example.com' }]);
    expect(server.backend.stats.rateLimited).toBe(4);
    // 100, 200, 400, 800 ms of back-off: the bucket (1/s) had a token again 1.5 s after it was drained.
    expect(tracker.sentAt.map((t) => t - tracker.sentAt[0]!)).toEqual([0, 100, 300, 700, 1500]);
    expect(await server.countRows('contacts', 'email', 'ada@example.com')).toBe(1);
  });

  it('waits for Retry-After before the retry, so the server sees a single 429', async () => {
    const { clock, tracker, fetch } = setup();
    const supabase = createTestClient(server.backend.url, fetch);
    await server.drain();

    const result = await drive(clock, tracker, supabase.from('contacts').insert(contact('grace@example.com')).select());

    expect(result.status).toBe(201);
    expect(tracker.sentAt).toHaveLength(2);
    expect(tracker.sentAt[1]! - tracker.sentAt[0]!).toBeGreaterThanOrEqual(1000);
    expect(server.backend.stats.rateLimited).toBe(1);
    expect(await server.countRows('contacts', 'email', 'grace@example.com')).toBe(1);
  });

  it('gives the successful Response to the executor, whose pacer learns the RateLimit headers', async () => {
    const { clock, tracker, executor, fetch } = setup();
    const supabase = createTestClient(server.backend.url, fetch);
    expect(executor.options.pacer?.getState().source).toBe('unknown');

    const result = await drive(clock, tracker, supabase.from('contacts').select('id').retry(false));

    expect(result.status).toBe(200);
    expect(server.backend.stats.rateLimited).toBe(0);
    expect(executor.options.pacer?.getState()).toMatchObject({ source: 'headers', burst: 1 });
  });

  it('returns the last 429 to supabase-js when the server keeps refusing, which gives { error, status: 429 }', async () => {
    // A plain retry loop: with the default rateLimitRetries, a client refused by a server that states its limit waits its turn.
    const { clock, tracker, fetch } = setup({ maxRetries: 3, rateLimitRetries: 0 });
    server.setNow(() => FROZEN); // the bucket never refills
    const supabase = createTestClient(server.backend.url, fetch);
    await server.drain();
    const before = requests();

    const result = await drive(clock, tracker, supabase.from('contacts').insert(contact('linus@example.com')).select());

    expect(result.status).toBe(429);
    expect(result.data).toBeNull();
    expect(result.error).toMatchObject({ code: '429', message: 'Too Many Requests', hint: 'Retry after 1 s.' });
    expect(requests() - before).toBe(4);
    expect(await server.countRows('contacts', 'email', 'linus@example.com')).toBe(0);
  });

  it('rejects with CircuitOpenError, sending nothing, once the circuit is open', async () => {
    const { clock, tracker, executor, fetch } = setup({ maxRetries: 1, failureThreshold: 1 });
    server.setNow(() => FROZEN);
    const supabase = createTestClient(server.backend.url, fetch);
    await server.drain();
    const refused = await drive(clock, tracker, supabase.from('contacts').insert(contact('a@example.com')).select());
    expect(refused.status).toBe(429);
    expect(executor.getCircuitState().state).toBe('open');
    const before = requests();
    const sent = tracker.sentAt.length;

    await expect(supabase.from('contacts').insert(contact('b@example.com')).select().throwOnError()).rejects.toBeInstanceOf(CircuitOpenError);
    const result = await supabase.from('contacts').insert(contact('c@example.com')).select();
    expect(result).toMatchObject({
      status: 0,
      data: null,
      error: { message: 'CircuitOpenError: Too many requests. Wait 1-2 minutes before trying again.' },
    });
    await expect(fetch(`${server.backend.restUrl}/contacts`, { headers: { apikey: API_KEY } })).rejects.toBeInstanceOf(CircuitOpenError);

    expect(requests()).toBe(before);
    expect(tracker.sentAt).toHaveLength(sent);
  });

  it('retries a GET through a 503 outage and then hands back the last 503; a POST is sent once', async () => {
    await server.reset(false);
    server.backend.faults.outage = true;
    const { clock, tracker, executor, fetch } = setup({ maxRetries: 3, failureThreshold: 10 });
    const supabase = createTestClient(server.backend.url, fetch);

    // .retry(false): postgrest-js would otherwise retry the 503 itself, on the wall clock, on top of the executor.
    const read = await drive(clock, tracker, supabase.from('contacts').select('id').retry(false));
    expect(read).toMatchObject({ status: 503, error: { message: 'Service Unavailable' } });
    expect(requests()).toBe(4);

    const write = await drive(clock, tracker, supabase.from('contacts').insert(contact('x@example.com')));
    expect(write.status).toBe(503);
    expect(requests()).toBe(5);
    expect(executor.getCircuitState().consecutiveFailures).toBe(2);
  });

  it('treats an upsert (Prefer: resolution=merge-duplicates) as idempotent and retries it on 503', async () => {
    await server.reset(false);
    server.backend.faults.outage = true;
    const { clock, tracker, fetch } = setup({ maxRetries: 2 });
    const supabase = createTestClient(server.backend.url, fetch);

    const result = await drive(clock, tracker, supabase.from('contacts').upsert(contact('u@example.com'), { onConflict: 'email' }));

    expect(result.status).toBe(503);
    expect(requests()).toBe(3);
    server.backend.faults.outage = false;
    const again = await drive(clock, tracker, supabase.from('contacts').upsert(contact('u@example.com'), { onConflict: 'email' }).select());
    expect(again.status).toBe(201);
    expect(await server.countRows('contacts', 'email', 'u@example.com')).toBe(1);
  });

  it('stops retrying when the caller aborts, and supabase-js reports the abort', async () => {
    const controller = new AbortController();
    const { clock, tracker, fetch } = setup({
      logger: (entry) => {
        if (entry.event === 'retry') controller.abort();
      },
    });
    server.setNow(() => FROZEN);
    const supabase = createTestClient(server.backend.url, fetch);
    await server.drain();

    const result = await drive(clock, tracker, supabase.from('contacts').insert(contact('z@example.com')).abortSignal(controller.signal));

    expect(result.status).toBe(0);
    expect(result.error?.message).toMatch(/^AbortError/);
    expect(tracker.sentAt).toHaveLength(1);
    expect(clock.pending()).toBe(0);
  });
});

describe('createResilientFetch with fetch', () => {
  it('sends a Request input again on each attempt (cloned), and stores its row once', async () => {
    const { clock, tracker, fetch } = setup();
    await server.drain();
    const request = new Request(`${server.backend.restUrl}/contacts`, {
      method: 'POST',
      headers: { apikey: API_KEY, 'Content-Type': 'application/json', Prefer: 'return=representation' },
      body: JSON.stringify(contact('req@example.com')),
    });

    const response = await drive(clock, tracker, fetch(request));

    expect(response.status).toBe(201);
    expect(await response.json()).toMatchObject([{ email: 'req@example.com' }]);
    expect(tracker.sentAt).toHaveLength(2);
    expect(await server.countRows('contacts', 'email', 'req@example.com')).toBe(1);
  });

  it('rejects with CircuitOpenError a call whose circuit opened while it waited to retry', async () => {
    let second: Promise<unknown> | undefined;
    const post = () =>
      resilient(`${server.backend.restUrl}/contacts`, { method: 'POST', headers: { apikey: API_KEY }, body: JSON.stringify(contact('w@example.com')) });
    const { clock, tracker, fetch: resilient } = setup({
      maxRetries: 1,
      rateLimitRetries: 0,
      failureThreshold: 1,
      logger: (entry) => {
        if (entry.event !== 'retry' || second !== undefined) return;
        // The first call waits 1 s; the second starts 10 ms later, so it is still waiting when the first one fails.
        clock.advance(10);
        second = post().catch((error: unknown) => error);
      },
    });
    server.setNow(() => FROZEN);
    await server.drain();

    const first = await drive(clock, tracker, post());
    expect(first.status).toBe(429);
    const outcome = await drive(clock, tracker, second!);

    expect(outcome).toBeInstanceOf(CircuitOpenError);
    expect(tracker.sentAt).toHaveLength(3); // first call twice, second call once
    expect(server.backend.stats.rateLimited).toBe(3);
  });

  it('tells the logger the method and path of a relative URL, as of an absolute one, never its query', async () => {
    const contexts: unknown[] = [];
    const clock = createManualClock();
    server.setNow(() => FROZEN);
    const tracker = trackFetch(clock);
    executor = createExecutor({ clock, jitter: 'none', maxRetries: 1, logger: (entry) => contexts.push(entry.context) });
    // Browser code passes relative URLs; this base fetch resolves them against the test server, as a page would.
    const fetch = createResilientFetch(executor, (input, init) => tracker.fetch(new URL(String(input), server.backend.url), init));
    await server.drain();

    const relative = await drive(clock, tracker, fetch('/rest/v1/contacts?select=id&apikey=anon#top', { headers: { apikey: API_KEY } }));
    const absolute = await drive(clock, tracker, fetch(`${server.backend.restUrl}/contacts?apikey=anon`, { headers: { apikey: API_KEY } }));

    expect([relative.status, absolute.status]).toEqual([429, 429]);
    expect(contexts.length).toBeGreaterThanOrEqual(2);
    expect(new Set(contexts)).toEqual(new Set(['GET /rest/v1/contacts']));
  });

  it('sends a ReadableStream body once and returns its 429 without retrying', async () => {
    const { clock, tracker, fetch } = setup();
    await server.drain();
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(JSON.stringify(contact('stream@example.com'))));
        controller.close();
      },
    });

    const response = await drive(
      clock,
      tracker,
      fetch(`${server.backend.restUrl}/contacts`, {
        method: 'POST',
        headers: { apikey: API_KEY, 'Content-Type': 'application/json' },
        body,
        duplex: 'half',
      } as RequestInit),
    );

    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('1');
    expect(await response.json()).toMatchObject({ message: 'Too Many Requests' });
    expect(tracker.sentAt).toHaveLength(1);
  });

  it('retries a GET on a network error and rejects as fetch does when the retries run out; a POST is not retried', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const { clock, tracker, fetch } = setup({ maxRetries: 2, failureThreshold: 10 });
    const url = `http://127.0.0.1:${port}/rest/v1/contacts`;

    const read = await drive(clock, tracker, fetch(url).catch((error: unknown) => error));
    expect(read).toBeInstanceOf(TypeError);
    expect(read).toMatchObject({ message: 'fetch failed', cause: { code: 'ECONNREFUSED' } });
    expect(tracker.sentAt).toHaveLength(3);

    const write = await drive(clock, tracker, fetch(url, { method: 'POST', body: '{}' }).catch((error: unknown) => error));
    expect(write).toBeInstanceOf(TypeError);
    expect(tracker.sentAt).toHaveLength(4);
  });

  it('honours a POST marked idempotent with an Idempotency-Key header, and the idempotent option', async () => {
    await server.reset(false);
    server.backend.faults.outage = true;
    const { clock, tracker, executor } = setup({ maxRetries: 1, failureThreshold: 10 });
    const url = `${server.backend.restUrl}/contacts`;
    const keyed = createResilientFetch(executor, tracker.fetch);
    const never = createResilientFetch(executor, tracker.fetch, { idempotent: () => false });

    const first = await drive(clock, tracker, keyed(url, { method: 'POST', body: '{}', headers: { apikey: API_KEY, 'Idempotency-Key': 'k1' } }));
    expect(first.status).toBe(503);
    expect(tracker.sentAt).toHaveLength(2);
    const second = await drive(clock, tracker, never(url, { method: 'GET', headers: { apikey: API_KEY } }));
    expect(second.status).toBe(503);
    expect(tracker.sentAt).toHaveLength(3);
  });

  it('checks its arguments when created', () => {
    const executor = createExecutor();
    expect(() => createResilientFetch(null as never)).toThrow(TypeError);
    expect(() => createResilientFetch(executor, 'fetch' as never)).toThrow(/baseFetch/);
    expect(() => createResilientFetch(executor, undefined, { idempotent: true as never })).toThrow(/"idempotent"/);
    expect(() => createResilientFetch(executor, undefined, { idempotentMethods: 'GET' as never })).toThrow(/"idempotentMethods"/);
    executor.stop();
  });
});
