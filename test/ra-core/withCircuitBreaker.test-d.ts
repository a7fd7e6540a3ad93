// Type tests (checked by `tsc --noEmit`): the public types of the ra-core entry, and its examples, compile.
import { QueryClient } from '@tanstack/react-query';
import type { DataProvider } from 'ra-core';
import { supabaseDataProvider } from 'ra-supabase-core';
import { createClient } from '@supabase/supabase-js';
import { expectTypeOf } from 'vitest';
import type { CircuitState, Executor } from '../../src/index.js';
import {
  createHttpClient,
  toHttpError,
  withCircuitBreaker,
  type CircuitEntry,
  type HttpClient,
  type HttpClientResponse,
} from '../../src/ra-core/index.js';

declare const base: DataProvider & { syncProducts(id: number, products: unknown[]): Promise<{ data: unknown }> };
declare const executor: Executor;

const wrapped = withCircuitBreaker(base, { perResource: true, methods: ['syncProducts'] });
// Custom methods keep their types; the circuits are added.
expectTypeOf(wrapped.syncProducts).toEqualTypeOf<(id: number, products: unknown[]) => Promise<{ data: unknown }>>();
expectTypeOf(wrapped.circuits.get('contacts')).toEqualTypeOf<CircuitState>();
expectTypeOf(wrapped.circuits.getExecutor('contacts')).toEqualTypeOf<Executor>();
expectTypeOf(wrapped.circuits.list()).toEqualTypeOf<readonly CircuitEntry[]>();
expectTypeOf(withCircuitBreaker(base, executor).create).toEqualTypeOf<DataProvider['create']>();

// createHttpClient is a drop-in for fetchUtils.fetchJson, so it fits ra-supabase-core's httpClient.
const httpClient = createHttpClient({ headers: { apikey: 'anon' } });
expectTypeOf(httpClient).toEqualTypeOf<HttpClient>();
expectTypeOf(httpClient).returns.resolves.toEqualTypeOf<HttpClientResponse>();
expectTypeOf(toHttpError).returns.toBeUnknown();

// The @example of createHttpClient and withCircuitBreaker.
const SUPABASE_URL = 'http://127.0.0.1:54321';
const SUPABASE_ANON_KEY = 'anon';
const supabaseClient = createClient(SUPABASE_URL, SUPABASE_ANON_KEY);
const sessionHttpClient = createHttpClient({
  headers: async () => {
    const { data } = await supabaseClient.auth.getSession();
    return {
      apikey: SUPABASE_ANON_KEY,
      ...(data.session ? { Authorization: `Bearer ${data.session.access_token}` } : {}),
    };
  },
});
const dataProvider = withCircuitBreaker(
  // `as never` only because this repository type-checks with NodeNext, where ra-supabase-core (CommonJS types) and this
  // ESM file see two declarations of SupabaseClient; with `moduleResolution: "bundler"` (Vite apps) it is not needed.
  supabaseDataProvider({ instanceUrl: SUPABASE_URL, apiKey: SUPABASE_ANON_KEY, supabaseClient: supabaseClient as never, httpClient: sessionHttpClient }),
  { perResource: { options: { maxRetries: 3, openDurationMs: 30_000 } } },
);
dataProvider.circuits.subscribe(() => dataProvider.circuits.get('contacts').state);
export const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
