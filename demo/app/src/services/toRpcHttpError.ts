import { HttpError } from 'ra-core';
import { isCircuitOpenError, isRetriesExhaustedError } from '../../../../src/index.js';
import { toHttpError } from '../../../../src/ra-core/index.js';

/**
 * Turns what a supabase-js call under `.throwOnError()` threw into the `HttpError` react-admin shows: the executor's
 * own errors (circuit open, retries exhausted) as `toHttpError` words them, and a PostgREST error (supabase-js's
 * `PostgrestError`, which carries no HTTP status) with its message, its `code` as status when that is an HTTP status
 * (the embedded backend's 429 and 503 bodies), else 400.
 *
 * @example
 * try { await supabase.rpc('get_or_create_segment', { segment_name }).throwOnError() }
 * catch (error) { throw toRpcHttpError(error) }
 */
export function toRpcHttpError(error: unknown): unknown {
  if (isCircuitOpenError(error) || isRetriesExhaustedError(error)) return toHttpError(error);
  if (error instanceof Error && error.name === 'PostgrestError') {
    const { code, details, hint } = error as Error & { code?: string; details?: string; hint?: string };
    const status = typeof code === 'string' && /^[1-5]\d\d$/.test(code) ? Number(code) : 400;
    return new HttpError(error.message, status, { code, details, hint, message: error.message });
  }
  return error;
}
