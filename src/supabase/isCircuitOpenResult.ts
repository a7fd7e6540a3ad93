import { isCircuitOpenError } from '../errors/CircuitOpenError.js';

/** The `error` of a supabase-js result (a PostgrestError or its plain object form). */
export interface PostgrestErrorLike {
  readonly message?: unknown;
  readonly details?: unknown;
}

const NAME_PREFIX = 'CircuitOpenError:';

/**
 * Whether a supabase-js call was refused by an open circuit. supabase-js (postgrest-js) catches what the `fetch` from
 * `createResilientFetch` throws and resolves `{ error: { message: 'CircuitOpenError: …', details: <stack>, hint, code:
 * '' }, status: 0 }`, so `isCircuitOpenError(error)` is false there; this recognises that form by the error's name at
 * the start of `message` or `details`. It also accepts the `{ error }` result itself and a real `CircuitOpenError`
 * (as `.throwOnError()` rethrows it).
 *
 * @example
 * const result = await supabase.from('contacts').select()
 * if (isCircuitOpenResult(result)) showBanner('The service is paused; nothing was sent.')
 */
export function isCircuitOpenResult(resultOrError: unknown): boolean {
  if (isCircuitOpenError(resultOrError)) return true;
  if (typeof resultOrError !== 'object' || resultOrError === null) return false;
  const candidate = 'error' in resultOrError ? (resultOrError as { error: unknown }).error : resultOrError;
  if (isCircuitOpenError(candidate)) return true;
  if (typeof candidate !== 'object' || candidate === null) return false;
  const { message, details } = candidate as PostgrestErrorLike;
  return (typeof message === 'string' && message.startsWith(NAME_PREFIX)) || (typeof details === 'string' && details.startsWith(NAME_PREFIX));
}
