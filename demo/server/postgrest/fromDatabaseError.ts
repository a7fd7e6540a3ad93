import { PostgrestError } from './PostgrestError.js';

/** Shape of an error thrown by PGlite for a failed statement. */
interface DatabaseErrorLike {
  code: string;
  message: string;
  detail?: string;
  hint?: string;
  severity?: string;
}

function isDatabaseError(error: unknown): error is DatabaseErrorLike {
  if (typeof error !== 'object' || error === null) return false;
  const e = error as Record<string, unknown>;
  return typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code) && typeof e.message === 'string' && 'severity' in e;
}

/**
 * HTTP status for a PostgreSQL SQLSTATE, following PostgREST's table
 * (docs: "Errors > HTTP Status Codes > SQLSTATE").
 */
export function statusForSqlState(code: string): number {
  if (code === '23503' || code === '23505') return 409;
  if (code === '25006') return 405;
  if (code === '42883' || code === '42P01') return 404;
  if (code === '42501') return 403;
  if (code === 'P0001') return 400;
  if (code === '42P17') return 500;
  const klass = code.slice(0, 2);
  if (klass === '08' || klass === '53') return 503;
  if (klass === '0L' || klass === '0P' || klass === '28') return 403;
  if (klass === '54') return 413;
  if (['09', '25', '2D', '38', '39', '3B', '40', '55', '57', '58', 'F0', 'HV', 'P0', 'XX'].includes(klass)) return 500;
  return 400;
}

/**
 * Turns a database error into the {@link PostgrestError} PostgREST would answer; returns `undefined`
 * for anything that is not a database error (the caller reports it as a 500).
 */
export function fromDatabaseError(error: unknown): PostgrestError | undefined {
  if (!isDatabaseError(error)) return undefined;
  return new PostgrestError({
    status: statusForSqlState(error.code),
    code: error.code,
    message: error.message,
    details: error.detail ?? null,
    hint: error.hint ?? null,
  });
}
