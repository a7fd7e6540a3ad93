import type { CircuitRegistry } from '../../../../src/ra-core/index.js';
import { createResilientFetch, isIdempotentRequest, type FetchRequestInfo } from '../../../../src/supabase/index.js';

/** Which resource's circuit guards each RPC the demo calls. */
export const RPC_RESOURCES: Readonly<Record<string, string>> = Object.freeze({
  sync_opportunity_products: 'opportunities',
  get_or_create_segment: 'segments',
});

/** The demo's RPCs give the same result when repeated (they replace a list, or find-or-create by name). */
const IDEMPOTENT_RPCS = new Set(Object.keys(RPC_RESOURCES));

/**
 * The resource a Supabase request belongs to: the table of `/rest/v1/<table>`, the resource an RPC works on
 * (`/rest/v1/rpc/get_or_create_segment` → `segments`), `rpc:<name>` for another RPC, `supabase` for anything else.
 *
 * @example
 * resourceOfUrl('http://127.0.0.1:54321/rest/v1/contacts?select=*') // 'contacts'
 */
export function resourceOfUrl(url: string): string {
  let path: string;
  try {
    path = new URL(url, 'http://localhost').pathname;
  } catch {
    return 'supabase';
  }
  const match = /\/rest\/v1\/([^/?#]+)(?:\/([^/?#]+))?/.exec(path);
  if (match === null) return 'supabase';
  const [, first, second] = match;
  if (first === 'rpc' && second !== undefined) return RPC_RESOURCES[second] ?? `rpc:${second}`;
  return decodeURIComponent(first!);
}

function rpcName(request: FetchRequestInfo): string | undefined {
  return /\/rest\/v1\/rpc\/([^/?#]+)/.exec(request.url)?.[1];
}

/**
 * A `fetch` for supabase-js that sends each request through the circuit of its resource (the same executors
 * `withCircuitBreaker({ perResource: true })` made for the data provider), with `createResilientFetch`. So a
 * `supabase.rpc('get_or_create_segment')` and the segments list share one circuit, one pacer and one retry budget.
 *
 * @example
 * const supabase = createClient(url, key, { global: { fetch: createCircuitFetch(dataProvider.circuits) } })
 */
export function createCircuitFetch(circuits: CircuitRegistry): typeof fetch {
  const fetches = new Map<string, typeof fetch>();
  const idempotent = (request: FetchRequestInfo): boolean => {
    const rpc = rpcName(request);
    return (rpc !== undefined && IDEMPOTENT_RPCS.has(rpc)) || isIdempotentRequest(request);
  };
  return (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const resource = resourceOfUrl(url);
    let resilient = fetches.get(resource);
    if (resilient === undefined) {
      resilient = createResilientFetch(circuits.getExecutor(resource), undefined, { idempotent });
      fetches.set(resource, resilient);
    }
    return resilient(input, init);
  };
}
