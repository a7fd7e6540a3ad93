import { describe, expect, it } from 'vitest';
import { resourceOfUrl } from '../../demo/app/src/services/createCircuitFetch.js';

describe('the circuit a Supabase request goes through', () => {
  it('is the table of a REST request, the resource an RPC works on, or a catch-all', () => {
    expect(resourceOfUrl('http://127.0.0.1:54321/rest/v1/contacts?select=*')).toBe('contacts');
    expect(resourceOfUrl('https://abc.supabase.co/rest/v1/rpc/sync_opportunity_products')).toBe('opportunities');
    expect(resourceOfUrl('https://abc.supabase.co/rest/v1/rpc/get_or_create_segment')).toBe('segments');
    expect(resourceOfUrl('https://abc.supabase.co/rest/v1/rpc/other_function')).toBe('rpc:other_function');
    expect(resourceOfUrl('https://abc.supabase.co/auth/v1/token')).toBe('supabase');
  });
});
