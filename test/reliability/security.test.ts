/**
 * API keys and auth headers never leak into what the library produces: the errors it creates, its log entries, its
 * inspection events, and the rows `describeRowError` builds for an import screen.
 *
 * Each scenario makes calls whose errors carry request secrets the way real HTTP clients attach them: axios-style
 * (`config.headers.apikey`, `config.headers.Authorization`, `config.url` with `?apikey=`), ky/ofetch-style (the
 * method and URL in the message, the `Request` attached), a real `fetch` `Response` for a URL with `?apikey=` (thrown
 * as it is), and the supabase binding's own `FetchResponseError`. Every surface is collected as text
 * (`String(error)`, `error.message`, `JSON.stringify` of log entries and inspection events with a replacer that shows
 * what a devtools panel would show: error messages and causes, `Headers`, request/response URLs) and searched for the
 * secrets.
 */
import { inspect as nodeInspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InspectionEvent } from 'xstate';
import {
  createExecutor,
  describeRowError,
  runBulk,
  type ExecutorOptions,
  type LogEntry,
} from '../../src/index.js';
import { FetchResponseError } from '../../src/supabase/index.js';
import { startFaultServer, type FaultServer } from '../support/servers/faultServer.js';
import { createRecordingClock } from './support/recordingClock.js';

const API_KEY = 'sb-secret-xyz';
const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJyb2xlIjoic2VydmljZV9yb2xlIn0.c2lnbmF0dXJl';
const URL_KEY = 'sb-url-secret-123';
const SECRETS = [API_KEY, JWT, URL_KEY] as const;
const URL_WITH_KEY = `https://project.supabase.co/rest/v1/contacts?select=*&apikey=${URL_KEY}`;
const REQUEST_HEADERS = { apikey: API_KEY, Authorization: `Bearer ${JWT}` };

/** An axios-style error: generic message, secrets in `config`. */
function axiosError(status: number): Error {
  return Object.assign(new Error(`Request failed with status code ${status}`), {
    name: 'AxiosError',
    code: status >= 500 ? 'ERR_BAD_RESPONSE' : 'ERR_BAD_REQUEST',
    config: { method: 'get', url: URL_WITH_KEY, headers: { ...REQUEST_HEADERS } },
    response: { status, headers: {}, data: { message: 'upstream unavailable' } },
  });
}

/** A ky/ofetch-style error: the method and URL in the message, the `Request` attached. */
function kyError(status: number): Error {
  return Object.assign(new Error(`Request failed with status code ${status}: GET ${URL_WITH_KEY}`), {
    name: 'HTTPError',
    request: new Request(URL_WITH_KEY, { headers: REQUEST_HEADERS }),
    response: new Response(null, { status }),
  });
}

/**
 * Renders a value the way a devtools panel shows it: errors with name, message, cause and own properties; `Headers`,
 * `Request` and `Response` with their URL and headers; actors by session id; cycles cut; functions dropped.
 */
function reveal(value: unknown): string {
  const seen = new WeakSet<object>();
  return JSON.stringify(value, (key, v: unknown) => {
    if (key === 'machine' || key === '_nodes' || key === 'system' || key === 'logic') return undefined;
    if (typeof v === 'function') return undefined;
    if (typeof v === 'bigint') return String(v);
    if (v === null || typeof v !== 'object') return v;
    if (seen.has(v)) return '[Circular]';
    seen.add(v);
    const record = v as Record<string, unknown>;
    if (typeof record['sessionId'] === 'string' && typeof record['send'] === 'function') return { actor: record['sessionId'] };
    if (v instanceof Headers) return Object.fromEntries(v.entries());
    if (v instanceof Request) return { method: v.method, url: v.url, headers: v.headers };
    if (v instanceof Response) return { status: v.status, url: v.url, headers: v.headers };
    if (v instanceof AbortSignal) return { aborted: v.aborted, reason: v.reason as unknown };
    if (v instanceof Error) return { ...record, name: v.name, message: v.message, cause: v.cause };
    return v;
  });
}

function leaks(text: string): string[] {
  return SECRETS.filter((secret) => text.includes(secret));
}

/** Where a secret was found: the surface and a short excerpt around it. */
function findings(texts: readonly { where: string; text: string }[]): string[] {
  return texts.flatMap(({ where, text }) =>
    leaks(text).map((secret) => {
      const at = text.indexOf(secret);
      return `${where}: …${text.slice(Math.max(0, at - 60), at + secret.length + 10)}…`;
    }),
  );
}

interface Collected {
  /** What callers received: library-made errors and passed-through errors. */
  readonly outcomes: unknown[];
  readonly logs: LogEntry[];
  readonly inspections: InspectionEvent[];
  readonly rowErrors: string[];
}

let server: FaultServer;
const collected: Collected = { outcomes: [], logs: [], inspections: [], rowErrors: [] };

beforeAll(async () => {
  server = await startFaultServer({ mode: () => ({ kind: 'status', status: 429, headers: { 'Retry-After': '0' } }), maxDurationMs: 10_000 });
  const clock = createRecordingClock();
  const options = (extra: ExecutorOptions = {}): ExecutorOptions => ({
    clock,
    jitter: 'none',
    initialDelayMs: 1,
    maxRetries: 1,
    failureThreshold: 3,
    logger: (entry) => collected.logs.push(entry),
    inspect: (event) => collected.inspections.push(event),
    ...extra,
  });
  const run = async (promise: Promise<unknown>): Promise<void> => {
    const settled = promise.then(
      (value) => value,
      (error: unknown) => error,
    );
    for (let i = 0; i < 20; i++) await clock.advance(10);
    collected.outcomes.push(await settled);
  };

  // axios-style: retried until exhausted (idempotent), passed through (not idempotent), then the circuit opens.
  const axios = createExecutor(options());
  await run(axios.execute(async () => Promise.reject(axiosError(503)), { idempotent: true, context: 'contacts.list' }));
  await run(axios.execute(async () => Promise.reject(axiosError(503)), { context: 'contacts.list' }));
  await run(axios.execute(async () => Promise.reject(axiosError(500))));
  await run(axios.execute(async () => 'rejected by the open circuit'));
  axios.stop();

  // ky-style: a 429 retried until exhausted, and a 500 passed through.
  const ky = createExecutor(options());
  await run(ky.execute(async () => Promise.reject(kyError(429))));
  await run(ky.execute(async () => Promise.reject(kyError(500))));
  ky.stop();

  // The supabase binding's own error for a 503 on a URL with ?apikey=.
  const binding = createExecutor(options());
  const response = new Response(null, { status: 503, statusText: 'Service Unavailable' });
  await run(binding.execute(async () => Promise.reject(new FetchResponseError(response, { method: 'GET', url: URL_WITH_KEY })), { idempotent: true }));
  binding.stop();

  // Real fetch against a loopback server, secrets in the URL and the request headers; the Response is thrown.
  const real = createExecutor({ ...options(), clock: undefined, initialDelayMs: 5, maxRetries: 1 });
  const url = `${server.url}/rest/v1/contacts?apikey=${URL_KEY}`;
  collected.outcomes.push(
    await real
      .execute(async ({ signal }) => {
        const res = await fetch(url, { headers: REQUEST_HEADERS, signal });
        await res.arrayBuffer();
        if (!res.ok) throw res;
        return res;
      })
      .catch((error: unknown) => error),
  );
  real.stop();

  // A bulk import whose rows fail in each of those ways: the import screen's rows.
  const bulk = createExecutor(options({ failureThreshold: 100 }));
  const report = runBulk(
    [0, 1, 2, 3],
    async (n) => {
      if (n === 0) throw axiosError(503);
      if (n === 1) throw kyError(500);
      if (n === 2) throw kyError(429);
      throw new FetchResponseError(new Response(null, { status: 500 }), { method: 'POST', url: URL_WITH_KEY });
    },
    { executor: bulk, concurrency: 2 },
  );
  for (let i = 0; i < 20; i++) await clock.advance(10);
  const done = await report;
  collected.rowErrors.push(JSON.stringify(done.errors));
  for (const result of done.results) if (result.status === 'failed') collected.rowErrors.push(JSON.stringify(describeRowError(result.error, result.reason)));
  bulk.stop();
}, 10_000);

afterAll(async () => {
  await server.close();
});

const isLibraryError = (error: unknown): boolean =>
  error instanceof Error && ['RetriesExhaustedError', 'CircuitOpenError', 'AttemptTimeoutError', 'FetchResponseError'].includes(error.name);

describe('secrets never appear in what the library produces', () => {
  it('the scenarios ran: every kind of outcome was collected', () => {
    const names = collected.outcomes.map((o) => (o instanceof Error ? o.name : o instanceof Response ? 'Response' : typeof o));
    expect(names).toEqual(
      expect.arrayContaining(['RetriesExhaustedError', 'AxiosError', 'CircuitOpenError', 'HTTPError']),
    );
    expect(collected.logs.length).toBeGreaterThan(0);
    expect(collected.inspections.length).toBeGreaterThan(0);
    expect(collected.rowErrors.length).toBeGreaterThan(0);
  });

  it('errors the library creates: String(error) and error.message', () => {
    const created = collected.outcomes.filter(isLibraryError);
    expect(created.length).toBeGreaterThan(0);
    const texts = created.flatMap((error) => [
      { where: `String(${(error as Error).name})`, text: String(error) },
      { where: `${(error as Error).name}.message`, text: (error as Error).message },
    ]);
    expect(findings(texts)).toEqual([]);
  });

  it("the supabase binding's FetchResponseError: its message and String()", () => {
    const error = new FetchResponseError(new Response(null, { status: 503 }), { method: 'GET', url: URL_WITH_KEY });
    expect(findings([{ where: 'String(FetchResponseError)', text: String(error) }, { where: 'FetchResponseError.message', text: error.message }])).toEqual([]);
  });

  it('errors passed through are the caller’s own objects, untouched (the library adds nothing to them)', () => {
    const passed = collected.outcomes.filter((o) => o instanceof Error && !isLibraryError(o)) as Error[];
    expect(passed.length).toBeGreaterThan(0);
    for (const error of passed) {
      // Only the message the caller's own client wrote: the library did not append request details to it.
      expect(['Request failed with status code 503', `Request failed with status code 500`, `Request failed with status code 500: GET ${URL_WITH_KEY}`]).toContain(error.message);
    }
  });

  it('log entries (JSON of every entry)', () => {
    expect(findings(collected.logs.map((entry) => ({ where: `log ${entry.event}`, text: reveal(entry) })))).toEqual([]);
  });

  it('inspection events (JSON of every event, as a devtools panel shows it)', () => {
    const texts = collected.inspections.map((event) => ({
      where: `inspect ${event.type}${'event' in event && event.event ? ` ${(event.event as { type: string }).type}` : ''}`,
      text: reveal(event),
    }));
    const found = findings(texts);
    expect(found, found.slice(0, 6).join('\n')).toEqual([]);
  });

  it('describeRowError rows of a bulk report (the import screen)', () => {
    const found = findings(collected.rowErrors.map((text, i) => ({ where: `row errors #${i}`, text })));
    expect(found, found.join('\n')).toEqual([]);
  });

  it('util.inspect of a RetriesExhaustedError (what console.error(error) prints) does not show the cause’s secrets', () => {
    const exhausted = collected.outcomes.find((o) => o instanceof Error && o.name === 'RetriesExhaustedError');
    expect(exhausted).toBeDefined();
    const found = findings([{ where: 'util.inspect(RetriesExhaustedError)', text: nodeInspect(exhausted, { depth: 6 }) }]);
    expect(found, found.join('\n')).toEqual([]);
  });
});
