import { fetchUtils, HttpError } from 'ra-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getRetryAfterMs } from '../../src/classify/index.js';
import { createHttpClient, type HttpClientRequestOptions } from '../../src/ra-core/index.js';
import { startEchoServer, type Echo } from './support/startEchoServer.js';

let echo: Awaited<ReturnType<typeof startEchoServer>>;
beforeAll(async () => {
  echo = await startEchoServer();
});
afterAll(async () => {
  await echo?.close();
});

const withoutDate = (headers: Headers): string[][] => [...headers].filter(([name]) => name !== 'date');

/** Calls ra-core's fetchJson and ours with fresh, equal options (fetchJson writes into the Headers it is given). */
async function both(path: string, options: () => HttpClientRequestOptions) {
  const url = `${echo.url}${path}`;
  const settle = <T>(p: Promise<T>) => p.then((value) => ({ value }), (error: unknown) => ({ error }));
  const theirs = await settle(fetchUtils.fetchJson(url, options()));
  const ours = await settle(createHttpClient()(url, options()));
  return { theirs, ours };
}

describe('createHttpClient mirrors fetchUtils.fetchJson', () => {
  const cases: Array<[string, () => HttpClientRequestOptions]> = [
    ['a GET without options (Accept: application/json)', () => ({})],
    ['a POST with a body (Content-Type: application/json added)', () => ({ method: 'POST', body: '{"a":1}' })],
    ['a PUT with its own Content-Type and Headers (no Accept added)', () => ({ method: 'PUT', body: 'x', headers: new Headers({ 'Content-Type': 'text/plain' }) })],
    ['an authenticated user (Authorization: token)', () => ({ user: { authenticated: true, token: 'Bearer abc' } })],
    ['a user not authenticated (no Authorization)', () => ({ user: { authenticated: false, token: 'Bearer abc' } })],
    ['a DELETE', () => ({ method: 'DELETE' })],
  ];

  it.each(cases)('sends and resolves the same for %s', async (_, options) => {
    const { theirs, ours } = await both('/', options);
    if (!('value' in theirs) || !('value' in ours)) throw new Error('expected both to resolve');
    const request = ours.value.json as Echo;
    expect(request).toEqual(theirs.value.json);
    expect(ours.value.body).toBe(theirs.value.body);
    expect(ours.value.status).toBe(theirs.value.status);
    expect(withoutDate(ours.value.headers)).toEqual(withoutDate(theirs.value.headers));
    expect(Object.keys(ours.value).sort()).toEqual(Object.keys(theirs.value).sort());
  });

  it('sets the same headers as fetchJson in each case', async () => {
    const send = async (options: HttpClientRequestOptions) => ((await createHttpClient()(`${echo.url}/`, options)).json as Echo).headers;
    expect(await send({})).toMatchObject({ accept: 'application/json' });
    expect(await send({ method: 'POST', body: '{}' })).toMatchObject({ accept: 'application/json', 'content-type': 'application/json' });
    expect(await send({ user: { authenticated: true, token: 'Bearer abc' } })).toMatchObject({ authorization: 'Bearer abc' });
    expect(await send({ user: { authenticated: false, token: 'Bearer abc' } })).not.toHaveProperty('authorization');
    const form = new FormData();
    form.set('a', '1');
    expect((await send({ method: 'POST', body: form }))['content-type']).toMatch(/^multipart\/form-data; boundary=/);
  });

  it('resolves a 204 with an empty body and no json, as fetchJson does', async () => {
    const { theirs, ours } = await both('/?status=204', () => ({ method: 'DELETE' }));
    if (!('value' in theirs) || !('value' in ours)) throw new Error('expected both to resolve');
    expect(ours.value).toMatchObject({ status: 204, body: '', json: undefined });
    expect(theirs.value).toMatchObject({ status: 204, body: '', json: undefined });
  });

  it.each([
    ['a JSON error body (message from the body)', '/?status=404&message=Not%20here'],
    ['a text error body (message from the status text)', '/?status=500&text=boom'],
    ['a 3xx outside 200-299', '/?status=304'],
  ])('rejects with the same HttpError for %s, plus the headers', async (_, path) => {
    const { theirs, ours } = await both(path, () => ({}));
    if (!('error' in theirs) || !('error' in ours)) throw new Error('expected both to reject');
    expect(ours.error).toBeInstanceOf(HttpError);
    const a = theirs.error as HttpError;
    const b = ours.error as HttpError & { headers: Headers };
    expect({ name: b.name, message: b.message, status: b.status, body: b.body }).toEqual({
      name: a.name,
      message: a.message,
      status: a.status,
      body: a.body,
    });
    expect(b.headers).toBeInstanceOf(Headers);
    expect(a).not.toHaveProperty('headers');
  });
});

describe('createHttpClient keeps what fetchJson drops', () => {
  it('keeps the headers of a 429 on the HttpError, so Retry-After is readable', async () => {
    const path = '/?status=429&message=Too%20Many%20Requests&h-Retry-After=2&h-RateLimit-Remaining=0';
    const { theirs, ours } = await both(path, () => ({}));
    if (!('error' in theirs) || !('error' in ours)) throw new Error('expected both to reject');
    const error = ours.error as HttpError & { headers: Headers };
    expect(error).toMatchObject({ status: 429, message: 'Too Many Requests', body: { message: 'Too Many Requests' } });
    expect(error.headers.get('retry-after')).toBe('2');
    expect(getRetryAfterMs(error, Date.now())).toBe(2000);
    expect(getRetryAfterMs(theirs.error, Date.now())).toBeNull();
  });

  it('adds default headers the request does not set itself, from an object or a function', async () => {
    const fixed = createHttpClient({ headers: { apikey: 'anon', Accept: 'text/csv' } });
    expect(((await fixed(`${echo.url}/`)).json as Echo).headers).toMatchObject({ apikey: 'anon', accept: 'application/json' });
    const seen: string[] = [];
    const dynamic = createHttpClient({
      headers: async (url) => {
        seen.push(url);
        return { Authorization: 'Bearer session' };
      },
    });
    const headers = ((await dynamic(`${echo.url}/x`, { headers: new Headers({ apikey: 'k' }) })).json as Echo).headers;
    expect(headers).toMatchObject({ apikey: 'k', authorization: 'Bearer session' });
    expect(seen).toEqual([`${echo.url}/x`]);
  });

  it('sends through the fetch it is given and does not write into the caller\'s Headers', async () => {
    const urls: string[] = [];
    const client = createHttpClient({
      fetch: (input, init) => {
        urls.push(String(input));
        return fetch(input, init);
      },
    });
    const headers = new Headers();
    await client(`${echo.url}/y`, { method: 'POST', body: '{}', headers, user: { authenticated: true, token: 't' } });
    expect(urls).toEqual([`${echo.url}/y`]);
    expect([...headers]).toEqual([]);
  });

  it('checks its options when created', () => {
    expect(() => createHttpClient(null as never)).toThrow(TypeError);
    expect(() => createHttpClient({ fetch: 'no' as never })).toThrow(/"fetch"/);
    expect(() => createHttpClient({ headers: 3 as never })).toThrow(/"headers"/);
  });
});
