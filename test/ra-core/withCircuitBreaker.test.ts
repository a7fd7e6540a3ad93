import { HttpError, type DataProvider } from 'ra-core';
import { supabaseDataProvider } from 'ra-supabase-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createExecutor, type Executor } from '../../src/createExecutor.js';
import { createMemoryStorage } from '../../src/sync/createMemoryStorage.js';
import type { ExecutorOptions } from '../../src/options.js';
import { createHttpClient, withCircuitBreaker, type WithCircuitBreakerOptions } from '../../src/ra-core/index.js';
import { createManualClock, type ManualClock } from '../supabase/support/createManualClock.js';
import { createTestClient } from '../supabase/support/createTestClient.js';
import { drive, trackFetch, type FetchTracker } from '../supabase/support/drive.js';
import { API_KEY, ONE_PER_SECOND, startBackend, type TestBackend } from '../supabase/support/startBackend.js';
import { persistCircuit } from '../../src/sync/index.js';

const FROZEN = 1_000;
/** Retries ran out on 429s. */
const RETRIES_EXHAUSTED = 'System overloaded. Try again in a few moments.';
/** The circuit is open after rate limits. */
const CIRCUIT_OPEN = 'Too many requests. Wait 1-2 minutes before trying again.';

let server: TestBackend;
let stops: Array<() => void> = [];

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
  for (const stop of stops) stop();
  stops = [];
});

interface Setup {
  clock: ManualClock;
  tracker: FetchTracker;
  /** ra-supabase-core's data provider over the demo backend, with the header-keeping httpClient. */
  base: DataProvider;
}

function setup(): Setup {
  const clock = createManualClock();
  server.setNow(() => clock.now());
  const tracker = trackFetch(clock);
  const base = supabaseDataProvider({
    instanceUrl: server.backend.url,
    apiKey: API_KEY,
    // `as never`: under NodeNext, ra-supabase-core (CommonJS types) sees supabase-js's CJS declarations and this file
    // its ESM ones; the two SupabaseClient classes are the same at run time but not assignable to each other.
    supabaseClient: createTestClient(server.backend.url) as never,
    httpClient: createHttpClient({ fetch: tracker.fetch, headers: { apikey: API_KEY } }),
  });
  return { clock, tracker, base };
}

function wrap<T extends DataProvider>(base: T, options: WithCircuitBreakerOptions | Executor) {
  const wrapped = withCircuitBreaker(base, options);
  stops.push(() => wrapped.circuits.stop());
  return wrapped;
}

const executorOptions = (clock: ManualClock, extra: ExecutorOptions = {}): ExecutorOptions => ({ clock, jitter: 'none', ...extra });
const requests = (): number => server.backend.stats.requests;
const rejection = (promise: Promise<unknown>): Promise<unknown> => promise.then(() => expect.fail('expected a rejection'), (error: unknown) => error);
const listParams = { pagination: { page: 1, perPage: 10 }, sort: { field: 'email', order: 'ASC' as const }, filter: {} };

/** Opens the circuit of `resource` with one call refused until retries run out (the server's clock is frozen). */
async function openCircuit(s: Setup, dataProvider: DataProvider, resource: string, data: Record<string, unknown>): Promise<unknown> {
  server.setNow(() => FROZEN);
  await server.drain();
  const error = await drive(s.clock, s.tracker, rejection(dataProvider.create(resource, { data })));
  server.setNow(() => s.clock.now());
  return error;
}

describe('withCircuitBreaker over ra-supabase-core', () => {
  it('creates a row through a burst of 429s, and the row is stored once', async () => {
    await server.reset({ ...ONE_PER_SECOND, headers: 'none', retryAfter: 'none' });
    const s = setup();
    const dataProvider = wrap(s.base, { executor: executorOptions(s.clock, { maxRetries: 5, initialDelayMs: 100 }) });
    await server.drain();

    const result = await drive(s.clock, s.tracker, dataProvider.create('contacts', { data: { email: 'ada@example.com' } }));

    expect(result.data).toMatchObject({ email: 'ada@example.com' });
    expect(server.backend.stats.rateLimited).toBe(4);
    expect(await server.countRows('contacts', 'email', 'ada@example.com')).toBe(1);
  });

  it('waits the Retry-After that createHttpClient kept on the HttpError', async () => {
    const s = setup();
    const dataProvider = wrap(s.base, { executor: executorOptions(s.clock) });
    await server.drain();

    await drive(s.clock, s.tracker, dataProvider.create('contacts', { data: { email: 'grace@example.com' } }));

    expect(s.tracker.sentAt).toHaveLength(2);
    expect(s.tracker.sentAt[1]! - s.tracker.sentAt[0]!).toBeGreaterThanOrEqual(1000);
    expect(server.backend.stats.rateLimited).toBe(1);
    expect(await server.countRows('contacts', 'email', 'grace@example.com')).toBe(1);
  });

  it('turns a persistent 429 into an HttpError(429) React Admin can show, keeping the server body', async () => {
    const s = setup();
    // A plain retry loop: with the default rateLimitRetries, a client refused by a server that states its limit waits its turn.
    const dataProvider = wrap(s.base, { executor: executorOptions(s.clock, { maxRetries: 2, rateLimitRetries: 0 }) });
    const before = requests();

    const error = await openCircuit(s, dataProvider, 'contacts', { email: 'linus@example.com' });

    expect(error).toBeInstanceOf(HttpError);
    expect(error).toMatchObject({
      message: RETRIES_EXHAUSTED,
      status: 429,
      body: { code: 'RATE_LIMIT_MAX_RETRIES_EXCEEDED', retryAfterMs: 1000, message: 'Too Many Requests', hint: 'Retry after 1 s.' },
    });
    expect(requests() - before).toBe(1 + 3); // the drain, then 3 attempts
    expect(await server.countRows('contacts', 'email', 'linus@example.com')).toBe(0);
  });

  it('rejects with HttpError(503) "Too many requests" without a request while the circuit is open', async () => {
    const s = setup();
    const dataProvider = wrap(s.base, { executor: executorOptions(s.clock, { maxRetries: 0, failureThreshold: 1 }) });
    await openCircuit(s, dataProvider, 'contacts', { email: 'a@example.com' });
    expect(dataProvider.circuits.get('contacts').state).toBe('open');
    const before = requests();

    const error = await rejection(dataProvider.update('contacts', { id: 'x', data: { email: 'b@example.com' }, previousData: { id: 'x' } }));

    expect(error).toBeInstanceOf(HttpError);
    expect(error).toMatchObject({ message: CIRCUIT_OPEN, status: 503, body: { code: 'RATE_LIMIT_CIRCUIT_OPEN', retryAfterMs: 60_000 } });
    expect(requests()).toBe(before);
  });

  it('with perResource, keeps contacts open while opportunities stays closed, sharing one pacer', async () => {
    const s = setup();
    const dataProvider = wrap(s.base, { perResource: { options: executorOptions(s.clock, { maxRetries: 0, failureThreshold: 1 }) } });
    const seen: string[][] = [];
    dataProvider.circuits.subscribe((entries) => seen.push(entries.map((e) => `${e.resource}:${e.state.state}`)));

    await openCircuit(s, dataProvider, 'contacts', { email: 'a@example.com' });
    server.backend.rateLimit = false;
    const deal = await drive(s.clock, s.tracker, dataProvider.create('opportunities', { data: { name: 'Deal' } }));
    const before = requests();
    const refused = await rejection(dataProvider.create('contacts', { data: { email: 'b@example.com' } }));

    expect(deal.data).toMatchObject({ name: 'Deal' });
    expect(refused).toMatchObject({ message: CIRCUIT_OPEN, status: 503 });
    expect(requests()).toBe(before);
    const { circuits } = dataProvider;
    expect(circuits.get('contacts').state).toBe('open');
    expect(circuits.get('opportunities').state).toBe('closed');
    expect(circuits.get('segments')).toMatchObject({ state: 'closed', isOpen: false });
    expect(circuits.list().map((e) => [e.resource, e.state.state])).toEqual([
      ['contacts', 'open'],
      ['opportunities', 'closed'],
    ]);
    expect(circuits.list()).toBe(circuits.list());
    expect(seen).toContainEqual(['contacts:open']);
    expect(seen.at(-1)).toEqual(['contacts:open', 'opportunities:closed']);
    const contacts = circuits.getExecutor('contacts');
    const opportunities = circuits.getExecutor('opportunities');
    expect(contacts).not.toBe(opportunities);
    expect(contacts.options.pacer).toBeDefined();
    expect(contacts.options.pacer).toBe(opportunities.options.pacer);
    expect(contacts.options.retryBudget).toBe(opportunities.options.retryBudget);
  });

  it('keeps custom methods, and wraps those listed in methods', async () => {
    const s = setup();
    const executor = createExecutor(executorOptions(s.clock));
    stops.push(() => executor.stop());
    const withSync: DataProvider & { syncProducts(id: number, products: unknown[]): Promise<{ json: unknown }> } = {
      ...s.base,
      syncProducts: (id: number, products: unknown[]) =>
        s.base.supabaseClient('rpc/sync_opportunity_products', {
          method: 'POST',
          body: JSON.stringify({ opportunity_id: id, products }),
        }) as Promise<{ json: unknown }>,
    };
    const plain = wrap(withSync, executor);
    const listed = wrap(withSync, { executor, methods: ['syncProducts'] });
    server.backend.rateLimit = false;
    const deal = await drive(s.clock, s.tracker, plain.create('opportunities', { data: { name: 'Deal' } }));
    executor.isolate();
    const before = requests();

    const schema = (await plain.getSchema()) as { swagger: string };
    const synced = await plain.syncProducts(deal.data.id, [{ sku: 'A' }]);
    expect(schema.swagger).toBe('2.0');
    expect(synced.json).toMatchObject({ id: deal.data.id, products: [{ sku: 'A' }] });
    expect(requests()).toBe(before + 2);

    const refused = await rejection(listed.syncProducts(deal.data.id, []));
    expect(refused).toMatchObject({ message: CIRCUIT_OPEN, status: 503 });
    expect(requests()).toBe(before + 2);
    expect(listed.circuits.list().map((e) => e.resource)).toEqual(['syncProducts']);
  });

  it('leaves reads alone unless asked, so lists still load while the circuit is open', async () => {
    const s = setup();
    const executor = createExecutor(executorOptions(s.clock));
    stops.push(() => executor.stop());
    server.backend.rateLimit = false;
    executor.isolate();
    const writesOnly = wrap(s.base, executor);
    const withReads = wrap(s.base, { executor, reads: true });
    const before = requests();

    const list = await writesOnly.getList('contacts', listParams);
    expect(list).toMatchObject({ data: [], total: 0 });
    expect(requests()).toBe(before + 1);

    for (const read of [
      withReads.getList('contacts', listParams),
      withReads.getOne('contacts', { id: 'x' }),
      withReads.getMany('contacts', { ids: ['x'] }),
      withReads.getManyReference('opportunities', { target: 'contact_id', id: 'x', ...listParams }),
    ]) {
      expect(await rejection(read)).toMatchObject({ message: CIRCUIT_OPEN, status: 503 });
    }
    expect(requests()).toBe(before + 1);
  });

  it('retries an update through a 503 outage (idempotent) but sends a create once, passing its HttpError through', async () => {
    await server.reset(false);
    const s = setup();
    const dataProvider = wrap(s.base, { executor: executorOptions(s.clock, { maxRetries: 2, failureThreshold: 10 }) });
    const created = await drive(s.clock, s.tracker, dataProvider.create('contacts', { data: { email: 'o@example.com' } }));
    server.backend.faults.outage = true;
    const before = requests();

    const update = await drive(
      s.clock,
      s.tracker,
      rejection(dataProvider.update('contacts', { id: created.data.id, data: { company: 'ACME' }, previousData: created.data })),
    );
    expect(update).toMatchObject({ status: 503, message: 'The server is not answering. Try again in a few moments.' });
    expect(requests() - before).toBe(3);

    const create = await drive(s.clock, s.tracker, rejection(dataProvider.create('contacts', { data: { email: 'p@example.com' } })));
    expect(create).toBeInstanceOf(HttpError);
    expect(create).toMatchObject({ status: 503, message: 'Service Unavailable', body: { code: '503' } });
    expect((create as { headers: Headers }).headers).toBeInstanceOf(Headers);
    expect(requests() - before).toBe(4);
  });
});

describe('withCircuitBreaker and abort signals', () => {
  it('keeps supportAbortSignal, stops retrying when the caller aborts, and hands the data provider the attempt signal, which follows the caller signal', async () => {
    const clock = createManualClock();
    const received: AbortSignal[] = [];
    const controller = new AbortController();
    const base: DataProvider = {
      supportAbortSignal: true,
      getList: async (_resource: string, params: { signal?: AbortSignal }) => {
        received.push(params.signal!);
        throw Object.assign(new HttpError('Too Many Requests', 429, null), { headers: new Headers({ 'Retry-After': '5' }) });
      },
    } as unknown as DataProvider;
    const dataProvider = wrap(base, {
      reads: true,
      executor: executorOptions(clock, {
        logger: (entry) => {
          if (entry.event === 'retry') controller.abort();
        },
      }),
    });

    expect(dataProvider.supportAbortSignal).toBe(true);
    const error = await rejection(dataProvider.getList('contacts', { ...listParams, signal: controller.signal }));

    expect(error).toBe(controller.signal.reason);
    expect((error as DOMException).name).toBe('AbortError');
    expect(received).toHaveLength(1);
    expect(received[0]!.aborted).toBe(true);
    expect(received[0]!.reason).toBe(controller.signal.reason);
    expect(clock.pending()).toBe(0);
  });
});

describe('withCircuitBreaker options', () => {
  it('checks its options when called', () => {
    const base = { create: async () => ({ data: { id: 1 } }) } as unknown as DataProvider;
    const executor = createExecutor();
    stops.push(() => executor.stop());
    expect(() => withCircuitBreaker(base, { maxRetries: 3 } as never)).toThrow(/unknown option "maxRetries".*under "executor"/);
    expect(() => withCircuitBreaker(base, { executor, perResource: true })).toThrow(/"perResource"/);
    expect(() => withCircuitBreaker(base, { methods: ['syncProducts'] })).toThrow(/"syncProducts"/);
    expect(() => withCircuitBreaker(base, { reads: 'yes' as never })).toThrow(/"reads"/);
    expect(() => withCircuitBreaker(base, { perResource: { options: { maxRetries: -1 } } })).toThrow(RangeError);
  });

  it('with perResource and persist, stores each resource\'s circuit under a name of its own', async () => {
    const storage = createMemoryStorage();
    const base = {
      create: async (resource: string) => {
        if (resource === 'contacts') throw new HttpError('Service Unavailable', 503, {});
        return { data: { id: 1 } };
      },
    } as unknown as DataProvider;
    const wrapped = withCircuitBreaker(base, {
      perResource: { options: { maxRetries: 0, failureThreshold: 1, pacer: false, persist: persistCircuit({ name: 'crm', storage }) } },
    });
    stops.push(() => wrapped.circuits.stop());
    await expect(wrapped.create('contacts', { data: {} })).rejects.toMatchObject({ status: 503 });
    await wrapped.create('deals', { data: {} });
    expect(JSON.parse(storage.getItem('xstate-circuit-breaker:circuit:crm/contacts') ?? 'null')).toMatchObject({ state: 'open' });
    expect(storage.getItem('xstate-circuit-breaker:circuit:crm/deals')).toBeNull();
    expect(storage.getItem('xstate-circuit-breaker:circuit:crm')).toBeNull();
    expect(wrapped.circuits.get('deals').state).toBe('closed');
  });

  it('keeps the methods of a class-based data provider, bound to it', async () => {
    class Provider {
      readonly prefix = 'p';
      async create(resource: string) {
        return { data: { id: `${this.prefix}-${resource}` } };
      }
      async ping() {
        return `${this.prefix}-pong`;
      }
    }
    const wrapped = wrap(new Provider() as unknown as DataProvider, {});
    expect(await wrapped.create('contacts', { data: {} })).toEqual({ data: { id: 'p-contacts' } });
    expect(await wrapped.ping()).toBe('p-pong');
    expect(wrapped.prefix).toBe('p');
  });
});
