/** The JSON body PostgREST answers errors with. */
export interface PostgrestErrorBody {
  code: string;
  message: string;
  details: string | null;
  hint: string | null;
}

/**
 * An error answered to the client in PostgREST's shape `{ code, message, details, hint }`,
 * with the HTTP status PostgREST uses for it.
 *
 * @example
 * ```ts
 * throw new PostgrestError({ status: 404, code: 'PGRST205', message: "Could not find the table 'public.x' in the schema cache" });
 * ```
 */
export class PostgrestError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: string | null;
  readonly hint: string | null;

  constructor(options: { status: number; code: string; message: string; details?: string | null; hint?: string | null }) {
    super(options.message);
    this.name = 'PostgrestError';
    this.status = options.status;
    this.code = options.code;
    this.details = options.details ?? null;
    this.hint = options.hint ?? null;
  }

  toBody(): PostgrestErrorBody {
    return { code: this.code, details: this.details, hint: this.hint, message: this.message };
  }
}

/** True for a {@link PostgrestError}, also one made by another copy of this module. */
export function isPostgrestError(error: unknown): error is PostgrestError {
  return error instanceof Error && error.name === 'PostgrestError' && typeof (error as PostgrestError).status === 'number';
}

/** PGRST100: the query string could not be parsed (400). */
export function parseError(message: string, details: string | null = null): PostgrestError {
  return new PostgrestError({ status: 400, code: 'PGRST100', message, details });
}

/** A request that uses a part of PostgREST this stand-in does not implement (400, PGRST127 "feature not implemented"). */
export function unsupported(what: string): PostgrestError {
  return new PostgrestError({
    status: 400,
    code: 'PGRST127',
    message: `Not supported by the demo backend: ${what}`,
    hint: 'This server implements the subset of PostgREST listed in demo/server/README.md.',
  });
}
