import type { SupabaseClient } from '@supabase/supabase-js';
import { HttpError, type DataProvider } from 'ra-core';
import { supabaseDataProvider } from 'ra-supabase-core';
import type { ExecutorOptions } from '../../../../src/index.js';
import { withCircuitBreaker, type CircuitBreakerDataProvider, type HttpClient } from '../../../../src/ra-core/index.js';
import type { Opportunity, Product, Segment } from '../records.js';
import { toRpcHttpError } from './toRpcHttpError.js';

type SupabaseDataProviderOptions = Parameters<typeof supabaseDataProvider>[0];

/** The demo's data provider: ra-supabase-core's, a circuit per resource, and two RPCs as custom methods. */
export type DemoDataProvider = CircuitBreakerDataProvider<DataProvider> & {
  /** Replaces the products of an opportunity (RPC `sync_opportunity_products`), under the opportunities circuit. */
  syncOpportunityProducts(params: { id: number; products: readonly Product[] }): Promise<{ data: Opportunity }>;
  /** Finds the segment of that name or creates it (RPC `get_or_create_segment`), under the segments circuit. */
  getOrCreateSegment(params: { name: string }): Promise<{ data: Segment }>;
};

/** Options of {@link createDemoDataProvider}. */
export interface DemoDataProviderOptions {
  readonly apiUrl: string;
  readonly anonKey: string;
  readonly httpClient: HttpClient;
  /** The client the RPCs go through; its `fetch` should send each request through its resource's circuit. */
  readonly supabaseClient: SupabaseClient;
  /** Options of every resource's executor. */
  readonly executorOptions: ExecutorOptions;
}

/**
 * Builds the data provider: `supabaseDataProvider` (ra-supabase-core over PostgREST) with the header-keeping
 * `httpClient`, wrapped by `withCircuitBreaker` with one circuit per resource for writes and reads, plus the RPC
 * methods. The RPCs go through supabase-js, whose `fetch` picks the resource's circuit, so they share it with the
 * resource's list and forms.
 *
 * @example
 * const dataProvider = createDemoDataProvider({ apiUrl, anonKey, httpClient, supabaseClient, executorOptions: {} })
 * await dataProvider.getOrCreateSegment({ name: 'newsletter' })
 */
export function createDemoDataProvider(options: DemoDataProviderOptions): DemoDataProvider {
  const { apiUrl, anonKey, httpClient, supabaseClient, executorOptions } = options;
  const base = supabaseDataProvider({
    instanceUrl: apiUrl,
    apiKey: anonKey,
    // ra-supabase-core is typed as CommonJS, so it sees supabase-js's CommonJS declarations: the same class at runtime.
    supabaseClient: supabaseClient as unknown as SupabaseDataProviderOptions['supabaseClient'],
    httpClient,
  });
  const guarded = withCircuitBreaker(base, { perResource: { options: executorOptions }, reads: true });

  const syncOpportunityProducts: DemoDataProvider['syncOpportunityProducts'] = async ({ id, products }) => {
    let data: Opportunity | null;
    try {
      ({ data } = await supabaseClient.rpc('sync_opportunity_products', { opportunity_id: id, products }).throwOnError());
    } catch (error) {
      throw toRpcHttpError(error);
    }
    if (data === null || data.id === null) throw new HttpError(`Opportunity ${id} does not exist.`, 404, { code: 'NOT_FOUND' });
    return { data };
  };

  const getOrCreateSegment: DemoDataProvider['getOrCreateSegment'] = async ({ name }) => {
    let data: Segment | null;
    try {
      ({ data } = await supabaseClient.rpc('get_or_create_segment', { segment_name: name }).throwOnError());
    } catch (error) {
      throw toRpcHttpError(error);
    }
    if (data === null) throw new HttpError(`get_or_create_segment returned no segment for ${JSON.stringify(name)}.`, 500, {});
    return { data };
  };

  return Object.assign(guarded, { syncOpportunityProducts, getOrCreateSegment });
}
