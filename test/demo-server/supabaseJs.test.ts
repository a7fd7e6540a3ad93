import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { Backend } from '../../demo/server/createBackend.js';
import { startTestBackend } from './startTestBackend.js';

let backend: Backend;
let supabase: SupabaseClient;

interface Contact {
  id: string;
  first_name: string | null;
  last_name: string | null;
  email: string | null;
  company: string | null;
  status: string | null;
  created_at: string;
}

beforeAll(async () => {
  backend = await startTestBackend();
  supabase = createClient(backend.url, 'anon-key', {
    realtime: { transport: WebSocket as never },
    auth: { persistSession: false, autoRefreshToken: false },
  });
});

afterAll(async () => {
  await backend?.close();
});

beforeEach(async () => {
  await backend.reset();
});

async function insertContacts(rows: Partial<Contact>[]): Promise<Contact[]> {
  const { data, error } = await supabase.from('contacts').insert(rows).select();
  expect(error).toBeNull();
  return data as Contact[];
}

describe('supabase-js against the demo backend', () => {
  it('inserts with select() and gets back generated id and created_at', async () => {
    const { data, error, status } = await supabase
      .from('contacts')
      .insert({ first_name: 'Ada', last_name: 'Lovelace', email: 'ada@example.com' })
      .select()
      .single();
    expect(error).toBeNull();
    expect(status).toBe(201);
    const row = data as Contact;
    expect(row.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(row.first_name).toBe('Ada');
    expect(row.company).toBeNull();
    expect(Number.isNaN(Date.parse(row.created_at))).toBe(false);
  });

  it('inserts an array whose objects have different keys (columns=…), missing keys becoming null', async () => {
    const rows = await insertContacts([
      { email: 'a@x.io', first_name: 'A' },
      { email: 'b@x.io', company: 'B Corp' },
    ]);
    expect(rows.map((r) => [r.email, r.first_name, r.company])).toEqual([
      ['a@x.io', 'A', null],
      ['b@x.io', null, 'B Corp'],
    ]);
  });

  it('upserts with ignoreDuplicates: existing rows stay, new rows are inserted and returned', async () => {
    await insertContacts([{ email: 'old@x.io', first_name: 'Old' }]);
    const { data, error } = await supabase
      .from('contacts')
      .upsert(
        [
          { email: 'old@x.io', first_name: 'Changed' },
          { email: 'new@x.io', first_name: 'New' },
        ],
        { onConflict: 'email', ignoreDuplicates: true },
      )
      .select('email, first_name');
    expect(error).toBeNull();
    expect(data).toEqual([{ email: 'new@x.io', first_name: 'New' }]);
    const { data: old } = await supabase.from('contacts').select('first_name').eq('email', 'old@x.io').single();
    expect(old).toEqual({ first_name: 'Old' });
  });

  it('upserts with merge on a conflict column: the existing row is updated in place', async () => {
    const [before] = await insertContacts([{ email: 'm@x.io', first_name: 'Before', company: 'Keep' }]);
    const { data, error } = await supabase
      .from('contacts')
      .upsert({ email: 'm@x.io', first_name: 'After' }, { onConflict: 'email' })
      .select()
      .single();
    expect(error).toBeNull();
    expect(data).toMatchObject({ id: before?.id, first_name: 'After', company: 'Keep' });
  });

  it('selects with filters, multi-column order, range and an exact count', async () => {
    await insertContacts(
      ['Eve', 'Dan', 'Cat', 'Bob', 'Amy', 'Fay', 'Gus'].map((name, i) => ({
        first_name: name,
        last_name: i % 2 === 0 ? 'Even' : 'Odd',
        email: `${name.toLowerCase()}@range.io`,
        company: 'RangeCo',
      })),
    );
    await insertContacts([{ first_name: 'Zed', email: 'zed@other.io', company: 'Other' }]);
    const { data, count, error, status } = await supabase
      .from('contacts')
      .select('first_name,last_name', { count: 'exact' })
      .eq('company', 'RangeCo')
      .order('last_name', { ascending: true })
      .order('first_name', { ascending: false })
      .range(1, 3);
    expect(error).toBeNull();
    expect(status).toBe(206);
    expect(count).toBe(7);
    // Even: Gus, Eve, Cat, Amy — Odd: Fay, Dan, Bob
    expect(data).toEqual([
      { first_name: 'Eve', last_name: 'Even' },
      { first_name: 'Cat', last_name: 'Even' },
      { first_name: 'Amy', last_name: 'Even' },
    ]);
  });

  it('understands in, ilike, or, not, is and gte filters', async () => {
    await insertContacts([
      { first_name: 'Ada', email: 'ada@f.io', status: 'lead', company: null },
      { first_name: 'Bea', email: 'bea@f.io', status: 'customer', company: 'BeaCo' },
      { first_name: 'Cid', email: 'cid@f.io', status: 'prospect', company: 'CidCo' },
    ]);
    const names = async (query: PromiseLike<{ data: unknown; error: unknown }>): Promise<string[]> => {
      const { data, error } = await query;
      expect(error).toBeNull();
      return (data as { first_name: string }[]).map((r) => r.first_name).sort();
    };
    const contacts = () => supabase.from('contacts').select('first_name');
    expect(await names(contacts().in('status', ['lead', 'prospect']))).toEqual(['Ada', 'Cid']);
    expect(await names(contacts().ilike('email', 'B%'))).toEqual(['Bea']);
    expect(await names(contacts().or('status.eq.lead,company.eq.CidCo'))).toEqual(['Ada', 'Cid']);
    expect(await names(contacts().not('company', 'is', null))).toEqual(['Bea', 'Cid']);
    expect(await names(contacts().is('company', null))).toEqual(['Ada']);
    expect(await names(contacts().gte('first_name', 'Bea'))).toEqual(['Bea', 'Cid']);
  });

  it('updates and deletes with filters, returning the rows', async () => {
    const [ada] = await insertContacts([{ email: 'u@x.io', status: 'lead' }]);
    const updated = await supabase.from('contacts').update({ status: 'customer' }).eq('id', ada?.id).select('id,status');
    expect(updated.error).toBeNull();
    expect(updated.data).toEqual([{ id: ada?.id, status: 'customer' }]);
    const deleted = await supabase.from('contacts').delete().eq('id', ada?.id).select('email');
    expect(deleted.data).toEqual([{ email: 'u@x.io' }]);
    const { count } = await supabase.from('contacts').select('*', { count: 'exact', head: true });
    expect(count).toBe(0);
  });

  it('calls get_or_create_segment twice and gets the same id', async () => {
    const first = await supabase.rpc('get_or_create_segment', { segment_name: 'vip' });
    const second = await supabase.rpc('get_or_create_segment', { segment_name: 'vip' });
    expect(first.error).toBeNull();
    expect(first.data).toMatchObject({ name: 'vip' });
    expect((second.data as { id: number }).id).toBe((first.data as { id: number }).id);
    const other = await supabase.rpc('get_or_create_segment', { segment_name: 'other' });
    expect((other.data as { id: number }).id).not.toBe((first.data as { id: number }).id);
  });

  it('calls sync_opportunity_products, which replaces the products and returns the row', async () => {
    const { data: opp } = await supabase
      .from('opportunities')
      .insert({ name: 'Deal', amount: 10.5, products: [{ sku: 'OLD' }] })
      .select()
      .single();
    const { data, error } = await supabase.rpc('sync_opportunity_products', {
      opportunity_id: (opp as { id: number }).id,
      products: [{ sku: 'A', quantity: 2 }],
    });
    expect(error).toBeNull();
    expect(data).toMatchObject({ id: (opp as { id: number }).id, amount: 10.5, products: [{ sku: 'A', quantity: 2 }] });
  });

  it('embeds the related contact (to-one) and opportunities (to-many)', async () => {
    const [c] = await insertContacts([{ email: 'e@x.io', first_name: 'Emb' }]);
    await supabase.from('opportunities').insert([
      { name: 'One', contact_id: c?.id },
      { name: 'Two', contact_id: c?.id },
    ]);
    const opps = await supabase.from('opportunities').select('name, contact:contacts(email)').order('name');
    expect(opps.data).toEqual([
      { name: 'One', contact: { email: 'e@x.io' } },
      { name: 'Two', contact: { email: 'e@x.io' } },
    ]);
    const contact = await supabase.from('contacts').select('email, opportunities(name)').eq('id', c?.id).single();
    expect(contact.data).toEqual({ email: 'e@x.io', opportunities: [{ name: 'One' }, { name: 'Two' }] });
  });

  it('answers errors in PostgREST shape: 409 duplicate, 404 unknown table, 406 single on no row, 400 bad column', async () => {
    await insertContacts([{ email: 'dup@x.io' }]);
    const dup = await supabase.from('contacts').insert({ email: 'dup@x.io' });
    expect(dup.status).toBe(409);
    expect(dup.error).toMatchObject({ code: '23505', details: 'Key (email)=(dup@x.io) already exists.' });

    const missing = await supabase.from('nope').select();
    expect(missing.status).toBe(404);
    expect(missing.error).toMatchObject({ code: 'PGRST205' });

    const none = await supabase.from('contacts').select().eq('email', 'nobody@x.io').single();
    expect(none.status).toBe(406);
    expect(none.error).toMatchObject({ code: 'PGRST116', details: 'The result contains 0 rows' });

    const maybe = await supabase.from('contacts').select().eq('email', 'nobody@x.io').maybeSingle();
    expect(maybe).toMatchObject({ data: null, error: null });

    const bad = await supabase.from('contacts').select('nope');
    expect(bad.status).toBe(400);
    expect(bad.error).toMatchObject({ code: '42703', message: 'column contacts.nope does not exist' });
  });
});
