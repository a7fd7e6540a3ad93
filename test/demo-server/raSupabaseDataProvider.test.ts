import { createClient } from '@supabase/supabase-js';
import type { DataProvider } from 'ra-core';
import { supabaseDataProvider } from 'ra-supabase-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { Backend } from '../../demo/server/createBackend.js';
import { startTestBackend } from './startTestBackend.js';

type SupabaseClientOfRaSupabase = NonNullable<Parameters<typeof supabaseDataProvider>[0]['supabaseClient']>;

let backend: Backend;
let dataProvider: DataProvider;

interface ContactRow {
  id: string;
  first_name: string;
  last_name: string;
  email: string;
  company: string | null;
  status: string | null;
}

const PEOPLE = [
  ['Ada', 'Lovelace'],
  ['Grace', 'Hopper'],
  ['Alan', 'Turing'],
  ['Edsger', 'Dijkstra'],
  ['Barbara', 'Liskov'],
  ['Donald', 'Knuth'],
  ['Ken', 'Thompson'],
  ['Dennis', 'Ritchie'],
  ['John', 'Backus'],
  ['Frances', 'Allen'],
  ['Leslie', 'Lamport'],
  ['Niklaus', 'Wirth'],
] as const;

beforeAll(async () => {
  backend = await startTestBackend();
  const supabaseClient = createClient(backend.url, 'anon-key', {
    realtime: { transport: WebSocket as never },
    auth: { persistSession: false, autoRefreshToken: false },
  });
  dataProvider = supabaseDataProvider({
    instanceUrl: backend.url,
    apiKey: 'anon-key',
    // ra-supabase-core's types see supabase-js through its CommonJS declarations, ours through ESM: same class.
    supabaseClient: supabaseClient as unknown as SupabaseClientOfRaSupabase,
  });
  for (const [i, [first, last]] of PEOPLE.entries()) {
    await dataProvider.create('contacts', {
      data: {
        first_name: first,
        last_name: last,
        email: `${first.toLowerCase()}@ra.io`,
        company: i < 9 ? 'Pioneers' : 'Others',
        status: i % 3 === 0 ? 'customer' : 'lead',
      },
    });
  }
});

afterAll(async () => {
  await backend?.close();
});

describe('ra-supabase-core dataProvider against the demo backend', () => {
  it('getList pages, sorts, filters and reads the total from Content-Range', async () => {
    const page2 = await dataProvider.getList<ContactRow>('contacts', {
      pagination: { page: 2, perPage: 4 },
      sort: { field: 'last_name', order: 'ASC' },
      filter: { company: 'Pioneers' },
    });
    expect(page2.total).toBe(9);
    // Pioneers by last name: Backus, Dijkstra, Hopper, Knuth | Liskov, Lovelace, Ritchie, Thompson | Turing
    expect(page2.data.map((c) => c.last_name)).toEqual(['Liskov', 'Lovelace', 'Ritchie', 'Thompson']);

    const desc = await dataProvider.getList<ContactRow>('contacts', {
      pagination: { page: 1, perPage: 3 },
      sort: { field: 'first_name', order: 'DESC' },
      filter: {},
    });
    expect(desc.total).toBe(12);
    expect(desc.data.map((c) => c.first_name)).toEqual(['Niklaus', 'Leslie', 'Ken']);
  });

  it('getList understands operator suffixes (@ilike, @neq) and an @or group', async () => {
    const ilike = await dataProvider.getList<ContactRow>('contacts', {
      pagination: { page: 1, perPage: 25 },
      sort: { field: 'email', order: 'ASC' },
      filter: { 'last_name@ilike': 'L', 'status@neq': 'customer' },
    });
    // last names containing "l" whose status is not customer (Lovelace and Allen are customers), by email
    expect(ilike.data.map((c) => c.last_name)).toEqual(['Liskov', 'Lamport']);
    expect(ilike.total).toBe(2);

    const or = await dataProvider.getList<ContactRow>('contacts', {
      pagination: { page: 1, perPage: 25 },
      sort: { field: 'first_name', order: 'ASC' },
      filter: { '@or': { 'first_name@ilike': 'al', 'last_name@ilike': 'al' } },
    });
    expect(or.data.map((c) => c.first_name)).toEqual(['Alan', 'Donald', 'Frances']); // Frances Allen by last name
  });

  it('getList with a page past the end answers an empty page with the total (PostgREST: 416 only beyond it)', async () => {
    const last = await dataProvider.getList<ContactRow>('contacts', {
      pagination: { page: 4, perPage: 4 },
      sort: { field: 'id', order: 'ASC' },
      filter: {},
    });
    expect(last).toMatchObject({ data: [], total: 12 });
    await expect(
      dataProvider.getList('contacts', { pagination: { page: 5, perPage: 4 }, sort: { field: 'id', order: 'ASC' }, filter: {} }),
    ).rejects.toMatchObject({ status: 416 });
  });

  it('create, getOne, update and delete one record', async () => {
    const created = await dataProvider.create<ContactRow>('contacts', {
      data: { first_name: 'Margaret', last_name: 'Hamilton', email: 'margaret@ra.io', company: 'Apollo' },
    });
    expect(created.data.id).toMatch(/^[0-9a-f-]{36}$/);

    const one = await dataProvider.getOne<ContactRow>('contacts', { id: created.data.id });
    expect(one.data).toMatchObject({ first_name: 'Margaret', company: 'Apollo' });

    const updated = await dataProvider.update<ContactRow>('contacts', {
      id: created.data.id,
      data: { ...one.data, company: 'NASA' },
      previousData: one.data,
    });
    expect(updated.data).toMatchObject({ id: created.data.id, company: 'NASA', last_name: 'Hamilton' });

    const deleted = await dataProvider.delete<ContactRow>('contacts', { id: created.data.id, previousData: updated.data });
    expect(deleted.data).toMatchObject({ id: created.data.id, company: 'NASA' });
    await expect(dataProvider.getOne('contacts', { id: created.data.id })).rejects.toMatchObject({
      status: 406,
      body: { code: 'PGRST116' },
    });
  });

  it('getMany fetches by ids; getManyReference pages the opportunities of one contact', async () => {
    const all = await dataProvider.getList<ContactRow>('contacts', {
      pagination: { page: 1, perPage: 3 },
      sort: { field: 'email', order: 'ASC' },
      filter: {},
    });
    const ids = all.data.map((c) => c.id);
    const many = await dataProvider.getMany<ContactRow>('contacts', { ids });
    expect(many.data.map((c) => c.id).sort()).toEqual([...ids].sort());

    const owner = ids[0];
    for (const [name, amount] of [['A', 300], ['B', 100], ['C', 200]] as const) {
      await dataProvider.create('opportunities', { data: { name, amount, stage: 'proposal', contact_id: owner } });
    }
    await dataProvider.create('opportunities', { data: { name: 'Other', amount: 1, contact_id: ids[1] } });
    const refs = await dataProvider.getManyReference('opportunities', {
      target: 'contact_id',
      id: owner as string,
      pagination: { page: 1, perPage: 2 },
      sort: { field: 'amount', order: 'DESC' },
      filter: {},
    });
    expect(refs.total).toBe(3);
    expect(refs.data.map((o) => [o.name, o.amount])).toEqual([
      ['A', 300],
      ['C', 200],
    ]);
  });

  it('updateMany and deleteMany act on exactly the given ids', async () => {
    const created = await Promise.all(
      ['x1', 'x2', 'x3'].map((n) => dataProvider.create<ContactRow>('contacts', { data: { first_name: n, email: `${n}@bulk.io` } })),
    );
    const ids = created.map((c) => c.data.id);
    const updated = await dataProvider.updateMany('contacts', { ids: ids.slice(0, 2), data: { status: 'archived' } });
    expect([...(updated.data ?? [])].sort()).toEqual(ids.slice(0, 2).sort());
    const removed = await dataProvider.deleteMany('contacts', { ids });
    expect([...(removed.data ?? [])].sort()).toEqual([...ids].sort());
    const left = await dataProvider.getMany('contacts', { ids });
    expect(left.data).toEqual([]);
  });

  it('turns a unique violation into an HttpError 409 carrying the PostgREST body', async () => {
    await expect(dataProvider.create('contacts', { data: { email: 'ada@ra.io' } })).rejects.toMatchObject({
      status: 409,
      body: { code: '23505' },
    });
  });
});
