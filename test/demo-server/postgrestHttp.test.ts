import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Backend } from '../../demo/server/createBackend.js';
import { startTestBackend } from './startTestBackend.js';

let backend: Backend;

beforeAll(async () => {
  backend = await startTestBackend({ seed: true });
});

afterAll(async () => {
  await backend?.close();
});

beforeEach(async () => {
  await backend.reset(); // back to the six seeded contacts and opportunities
});

async function call(path: string, init: RequestInit = {}): Promise<{ status: number; headers: Headers; json: any }> {
  const headers = new Headers(init.headers);
  if (init.body !== undefined && !headers.has('Content-Type')) headers.set('Content-Type', 'application/json');
  const response = await fetch(`${backend.restUrl}${path}`, { ...init, headers });
  const text = await response.text();
  return { status: response.status, headers: response.headers, json: text === '' ? undefined : JSON.parse(text) };
}

describe('PostgREST subset over HTTP', () => {
  it('counts with HEAD, pages with the Range header, and answers 206/Content-Range like PostgREST', async () => {
    const head = await fetch(`${backend.restUrl}/contacts?status=eq.lead`, { method: 'HEAD', headers: { Prefer: 'count=exact' } });
    expect(head.status).toBe(200);
    expect(head.headers.get('Content-Range')).toBe('0-1/2');

    const ranged = await call('/contacts?select=last_name&order=last_name', { headers: { Range: '1-2', 'Range-Unit': 'items', Prefer: 'count=exact' } });
    expect(ranged.status).toBe(206);
    expect(ranged.headers.get('Content-Range')).toBe('1-2/6');
    expect(ranged.json).toEqual([{ last_name: 'Hopper' }, { last_name: 'Knuth' }]);

    const none = await call('/contacts?status=eq.nobody', { headers: { Prefer: 'count=exact' } });
    expect(none).toMatchObject({ status: 200, json: [] });
    expect(none.headers.get('Content-Range')).toBe('*/0');
    expect((await call('/contacts?limit=2')).headers.get('Content-Range')).toBe('0-1/*');
  });

  it('orders by several columns with nulls placement', async () => {
    await call('/contacts', { method: 'POST', body: JSON.stringify({ email: 'nulls@x.io', status: 'lead' }) });
    const first = await call('/contacts?select=last_name&status=eq.lead&order=last_name.desc.nullsfirst');
    expect(first.json.map((r: { last_name: string | null }) => r.last_name)).toEqual([null, 'Turing', 'Dijkstra']);
    const last = await call('/contacts?select=last_name&status=eq.lead&order=status.asc,last_name.desc.nullslast');
    expect(last.json.map((r: { last_name: string | null }) => r.last_name)).toEqual(['Turing', 'Dijkstra', null]);
  });

  it('filters with not.in, like(any), and/or trees, is.not_null, isdistinct and full-text search', async () => {
    const names = async (query: string): Promise<string[]> =>
      (await call(`/contacts?select=first_name&order=first_name&${query}`)).json.map((r: { first_name: string }) => r.first_name);
    expect(await names('status=not.in.(lead,prospect)')).toEqual(['Ada', 'Grace']);
    expect(await names('first_name=like(any).{A*,G*}')).toEqual(['Ada', 'Alan', 'Grace']);
    expect(await names('or=(status.eq.customer,and(status.eq.lead,last_name.ilike.*ur*))')).toEqual(['Ada', 'Alan', 'Grace']);
    expect(await names('not.or=(status.eq.customer,status.eq.lead)')).toEqual(['Barbara', 'Donald']);
    expect(await names('company=ilike.*works*&first_name=isdistinct.Ada')).toEqual(['Donald']);
    expect(await names('company=fts(english).compilers')).toEqual(['Grace']);
    expect(await names('email=not.is.null&first_name=gte.D&first_name=lt.E')).toEqual(['Donald']);
  });

  it('answers one object with Accept vnd.pgrst.object+json, 406 otherwise, and rolls back a write that touched several rows', async () => {
    const one = await call('/contacts?email=eq.ada@example.com&select=first_name', { headers: { Accept: 'application/vnd.pgrst.object+json' } });
    expect(one).toMatchObject({ status: 200, json: { first_name: 'Ada' } });
    expect(one.headers.get('Content-Type')).toContain('application/vnd.pgrst.object+json');

    const many = await call('/contacts?status=eq.lead', { headers: { Accept: 'application/vnd.pgrst.object+json' } });
    expect(many).toMatchObject({ status: 406, json: { code: 'PGRST116', details: 'The result contains 2 rows' } });

    const patch = await call('/contacts?status=eq.lead', {
      method: 'PATCH',
      body: JSON.stringify({ company: 'Changed' }),
      headers: { Accept: 'application/vnd.pgrst.object+json', Prefer: 'return=representation' },
    });
    expect(patch.status).toBe(406);
    const after = await call('/contacts?company=eq.Changed');
    expect(after.json).toEqual([]);

    expect((await call('/contacts', { headers: { Accept: 'text/csv' } })).status).toBe(406);
  });

  it('strips nulls when asked (nulls=stripped)', async () => {
    await call('/contacts', { method: 'POST', body: JSON.stringify({ email: 'sparse@x.io' }) });
    const sparse = await call('/contacts?email=eq.sparse@x.io&select=email,company', { headers: { Accept: 'application/vnd.pgrst.array+json;nulls=stripped' } });
    expect(sparse.json).toEqual([{ email: 'sparse@x.io' }]);
  });

  it('inserts with columns= and Prefer: missing=default (column defaults instead of nulls)', async () => {
    const created = await call('/opportunities?columns=name,amount,products&select=name,amount,products,created_at', {
      method: 'POST',
      body: JSON.stringify([{ name: 'With products', products: [{ sku: 'P' }] }, { name: 'Default products', amount: 5 }]),
      headers: { Prefer: 'return=representation,missing=default' },
    });
    expect(created.status).toBe(201);
    expect(created.headers.get('Preference-Applied')).toBe('return=representation, missing=default');
    expect(created.json.map((r: { name: string; amount: number | null; products: unknown }) => [r.name, r.amount, r.products])).toEqual([
      ['With products', null, [{ sku: 'P' }]],
      ['Default products', 5, []],
    ]);
    expect(created.json[1].created_at).toEqual(expect.any(String));
  });

  it('returns nothing with return=minimal (201/204) and representation with return=representation', async () => {
    const minimal = await call('/segments', { method: 'POST', body: JSON.stringify({ name: 'quiet' }) });
    expect(minimal).toMatchObject({ status: 201, json: undefined });
    const patched = await call('/segments?name=eq.quiet', { method: 'PATCH', body: JSON.stringify({ name: 'still quiet' }) });
    expect(patched).toMatchObject({ status: 204, json: undefined });
    const deleted = await call('/segments?name=eq.still%20quiet', { method: 'DELETE', headers: { Prefer: 'return=representation' } });
    expect(deleted).toMatchObject({ status: 200, json: [{ name: 'still quiet' }] });
  });

  it('embeds through a foreign-key column name and with !inner', async () => {
    await call('/opportunities', { method: 'POST', body: JSON.stringify({ name: 'Orphan' }) });
    const byColumn = await call('/opportunities?select=name,owner:contact_id(last_name)&name=eq.Enigma%20audit');
    expect(byColumn.json).toEqual([{ name: 'Enigma audit', owner: { last_name: 'Turing' } }]);
    const all = await call('/opportunities?select=name,contacts(email)');
    const inner = await call('/opportunities?select=name,contacts!inner(email)');
    expect(all.json).toHaveLength(7);
    expect(inner.json).toHaveLength(6);
    const missing = await call('/contacts?select=email,segments(name)');
    expect(missing).toMatchObject({ status: 400, json: { code: 'PGRST200' } });
  });

  it('answers errors with PostgREST codes and statuses', async () => {
    expect(await call('/contacts?id=eq.not-a-uuid')).toMatchObject({ status: 400, json: { code: '22P02' } });
    expect(await call('/contacts?first_name=between.A')).toMatchObject({ status: 400, json: { code: 'PGRST100' } });
    expect(await call('/contacts?select=email&order=nope.asc')).toMatchObject({ status: 400, json: { code: '42703' } });
    expect(await call('/contacts', { method: 'POST', body: '{oops' })).toMatchObject({ status: 400, json: { code: 'PGRST102' } });
    expect(await call('/contacts', { method: 'POST', body: JSON.stringify({ nope: 1 }) })).toMatchObject({ status: 400, json: { code: 'PGRST204' } });
    expect(await call('/contacts', { method: 'POST', body: JSON.stringify([{ email: 'a@x.io' }, { first_name: 'b' }]) })).toMatchObject({
      status: 400,
      json: { code: 'PGRST102', message: 'All object keys must match' },
    });
    expect(await call('/contacts', { method: 'DELETE' })).toMatchObject({ status: 400, json: { code: '21000' } });
    expect(await call('/contacts', { method: 'PATCH', body: '{}' })).toMatchObject({ status: 400, json: { code: '21000' } });
    expect(await call('/opportunities', { method: 'POST', body: JSON.stringify({ name: 'x', contact_id: '00000000-0000-4000-8000-00000000dead' }) })).toMatchObject({
      status: 409,
      json: { code: '23503' },
    });
    expect(await call('/contacts/extra')).toMatchObject({ status: 404, json: { code: 'PGRST125' } });
    expect(await call('/contacts', { method: 'PUT', body: '{}' })).toMatchObject({ status: 405, json: { code: 'PGRST117' } });
    expect(await call('/contacts', { headers: { 'Accept-Profile': 'private' } })).toMatchObject({ status: 406, json: { code: 'PGRST106' } });
    expect(await call('/contacts?offset=100', { headers: { Prefer: 'count=exact' } })).toMatchObject({ status: 416, json: { code: 'PGRST103' } });
    expect((await fetch(`${backend.url}/auth/v1/token`)).status).toBe(404);
    expect(await call('/contacts?select=a%00b:email')).toMatchObject({ status: 400, json: { code: 'PGRST100' } });
    expect((await call('/contacts?first_name=eq.a%00b')).status).toBe(400);
  });

  it('calls functions: by POST, by GET (read-only: a writing function gets 405), unknown ones 404', async () => {
    const created = await call('/rpc/get_or_create_segment', { method: 'POST', body: JSON.stringify({ segment_name: 'leads' }) });
    expect(created).toMatchObject({ status: 200, json: { id: 2, name: 'leads' } });
    const viaGet = await call('/rpc/get_or_create_segment?segment_name=brand-new');
    expect(viaGet).toMatchObject({ status: 405, json: { code: '25006' } });
    expect(await call('/rpc/nope', { method: 'POST', body: '{}' })).toMatchObject({ status: 404, json: { code: 'PGRST202' } });
    expect(await call('/rpc/get_or_create_segment', { method: 'POST', body: JSON.stringify({ wrong: 'x' }) })).toMatchObject({
      status: 404,
      json: { code: 'PGRST202' },
    });
    const filtered = await call('/rpc/sync_opportunity_products?select=name,products', {
      method: 'POST',
      body: JSON.stringify({ opportunity_id: 3, products: [{ sku: 'AUDIT' }] }),
    });
    expect(filtered.json).toEqual({ name: 'Enigma audit', products: [{ sku: 'AUDIT' }] });
  });

  it('serves concurrent reads and writes (one PGlite connection, transactions serialised)', async () => {
    const writes = Array.from({ length: 20 }, (_, i) =>
      call('/segments', { method: 'POST', body: JSON.stringify({ name: `concurrent-${i}` }), headers: { Prefer: 'return=representation' } }),
    );
    const reads = Array.from({ length: 20 }, () => call('/contacts?select=id', { headers: { Prefer: 'count=exact' } }));
    const results = await Promise.all([...writes, ...reads]);
    expect(results.slice(0, 20).map((r) => r.status)).toEqual(Array(20).fill(201));
    expect(results.slice(20).map((r) => r.headers.get('Content-Range'))).toEqual(Array(20).fill('0-5/6'));
    const count = await call('/segments?name=like.concurrent-*', { method: 'HEAD', headers: { Prefer: 'count=exact' } });
    expect(count.headers.get('Content-Range')).toBe('0-19/20');
  });

  it('serves an OpenAPI (Swagger 2.0) description at the root', async () => {
    const doc = await call('/');
    expect(doc.status).toBe(200);
    expect(doc.json.swagger).toBe('2.0');
    expect(doc.json.definitions.contacts.properties.id).toMatchObject({ type: 'string', format: 'uuid' });
    expect(doc.json.definitions.opportunities.required).toEqual(['name']);
    expect(doc.json.paths).toHaveProperty(['/rpc/get_or_create_segment']);
  });
});
