const JWT = /\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g;
const SUPABASE_KEY = /\bsb_(?:secret|publishable)_[A-Za-z0-9_-]+/g;
const BEARER = /\b(Bearer|Basic|Token)\s+[A-Za-z0-9._~+/=-]+/gi;
const QUERY_SECRET = /([?&;](?:apikey|api_key|api-key|access_token|refresh_token|token|key|secret|client_secret|password|signature|sig|private_token|x-amz-security-token|x-amz-signature)=)[^&#\s"']+/gi;
const HEADER_SECRET = /\b(apikey|api-key|x-api-key|authorization|cookie|set-cookie|x-supabase-auth|proxy-authorization|client_secret|client-secret|x-amz-security-token|private-token|private_token)(["']?\s*[:=]\s*["']?)(?!\[redacted\])(?:(?:Bearer|Basic|Token)\s+)?[^"',;\s}]+/gi;

/**
 * Removes credentials from a text that may reach a user, a log or the inspector: JWTs (Supabase anon and service keys
 * are JWTs), Supabase `sb_secret_…`/`sb_publishable_…` keys, `Bearer …`/`Basic …` credentials, secret query parameters
 * (`?apikey=…`, `access_token=…`, OAuth `client_secret=…`, AWS `X-Amz-Security-Token=…`, GitLab `private_token=…`)
 * and header or JSON values (`apikey:`, `Authorization:`, `"client_secret": "…"`, `X-Amz-Security-Token:`,
 * GitLab's `PRIVATE-TOKEN:`), ignoring case.
 *
 * @example
 * redactSecrets('GET /rest/v1/contacts?apikey=eyJhbGciOi.eyJyb2xlIjoi.sig failed') // 'GET /rest/v1/contacts?apikey=[redacted] failed'
 */
export function redactSecrets(text: string): string {
  return text
    .replace(QUERY_SECRET, '$1[redacted]')
    .replace(HEADER_SECRET, '$1$2[redacted]')
    .replace(BEARER, '$1 [redacted]')
    .replace(JWT, '[redacted]')
    .replace(SUPABASE_KEY, '[redacted]');
}

/** What the machines and the inspector see of an error: its kind, status and code, and a redacted message. */
export interface ErrorSummary {
  readonly name: string;
  readonly message: string;
  readonly status?: number;
  readonly code?: string | number;
}

function read(value: unknown, key: string): unknown {
  try {
    return (value as Record<string, unknown>)[key];
  } catch {
    return undefined;
  }
}

/**
 * A plain, serialisable and credential-free summary of an error, for machine events (and so for the Stately inspector
 * and persisted snapshots). The error itself, with its request and headers, stays with the caller.
 */
export function summarizeError(error: unknown): ErrorSummary {
  if (typeof error !== 'object' || error === null) {
    return { name: typeof error, message: redactSecrets(String(error)) };
  }
  const name = read(error, 'name');
  const message = read(error, 'message');
  const status = read(error, 'status');
  const code = read(error, 'code');
  return {
    name: typeof name === 'string' ? name : 'Error',
    message: redactSecrets(typeof message === 'string' ? message : ''),
    ...(typeof status === 'number' ? { status } : {}),
    ...(typeof code === 'string' || typeof code === 'number' ? { code: typeof code === 'string' ? redactSecrets(code) : code } : {}),
  };
}
