/**
 * Supabase binding (`xstate-circuit-breaker/supabase`): a `fetch` for `createClient(url, key, { global: { fetch } })`
 * that sends every request through an executor. It imports nothing from `@supabase/supabase-js`; any fetch-based
 * client can use it.
 */
export { createResilientFetch, type ResilientFetchOptions } from './createResilientFetch.js';
export { FetchResponseError, isFetchResponseError, FETCH_RESPONSE_CODE } from './FetchResponseError.js';
export { isIdempotentRequest, DEFAULT_IDEMPOTENT_METHODS, type FetchRequestInfo } from './isIdempotentRequest.js';
export { isCircuitOpenResult, type PostgrestErrorLike } from './isCircuitOpenResult.js';
