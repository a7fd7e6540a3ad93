/** What {@link createResilientFetch} knows about a request when it decides how to treat it. */
export interface FetchRequestInfo {
  /** Upper case: `GET`, `POST`, … */
  readonly method: string;
  readonly url: string;
  /** The request headers (from the `Request` and `init.headers`, the latter winning). */
  readonly headers: Headers;
}

/** Methods whose repetition leaves the server as one request would (RFC 9110 §9.2.2). */
export const DEFAULT_IDEMPOTENT_METHODS: readonly string[] = Object.freeze(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);

const UPSERT = /(?:^|[\s,;])resolution\s*=\s*(?:merge|ignore)-duplicates(?:$|[\s,;])/i;

/**
 * The default idempotency policy of {@link createResilientFetch}: a request is safe to send again after an ambiguous
 * failure (502/503/504, a network error, a timeout) when its method is one of `methods` (default GET, HEAD, OPTIONS,
 * PUT, DELETE), when it is a PostgREST upsert (`Prefer: resolution=merge-duplicates` or `resolution=ignore-duplicates`,
 * what supabase-js `.upsert()` sends), or when it carries an `Idempotency-Key` header. Any other POST, and PATCH, are
 * not. A 429 is retried whatever this says: the server did not process the request.
 *
 * @example
 * isIdempotentRequest({ method: 'GET', url: '/rest/v1/contacts', headers: new Headers() }) // true
 * isIdempotentRequest({ method: 'POST', url: '/rest/v1/contacts', headers: new Headers() }) // false
 * isIdempotentRequest({
 *   method: 'POST',
 *   url: '/rest/v1/contacts',
 *   headers: new Headers({ Prefer: 'resolution=merge-duplicates,return=representation' }),
 * }) // true
 */
export function isIdempotentRequest(request: FetchRequestInfo, methods: readonly string[] = DEFAULT_IDEMPOTENT_METHODS): boolean {
  if (methods.includes(request.method)) return true;
  if (request.headers.has('idempotency-key')) return true;
  if (request.method !== 'POST') return false;
  const prefer = request.headers.get('prefer');
  return prefer !== null && UPSERT.test(prefer);
}
