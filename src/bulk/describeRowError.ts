import { MESSAGES, unavailableMessage } from '../errors/messages.js';
import { redactSecrets } from '../security/redactSecrets.js';
import type { BulkFailureReason } from './runBulk.js';

/** One problem with a row, as an import screen shows it. `field` is the column at fault, when it is known. */
export interface RowError {
  readonly field: string | null;
  readonly message: string;
  readonly code: string;
}

function read(value: unknown, key: string): unknown {
  if (typeof value !== 'object' || value === null) return undefined;
  try {
    return (value as Record<string, unknown>)[key];
  } catch {
    return undefined;
  }
}

/** `Key (email)=(a@b.c) already exists.` and `column "email"` name the field in Postgres messages. */
function fieldFromPostgres(text: unknown): string | null {
  if (typeof text !== 'string') return null;
  const key = /Key \(([^)=]+)\)=/.exec(text);
  if (key) return key[1]!;
  const column = /column "([^"]+)"/.exec(text);
  return column ? column[1]! : null;
}

/**
 * The line for one of our errors, by the reason it carries: the rate-limit line, or for an outage (`reason:
 * 'unavailable'`) "The server is not answering…" with the next try, as the error's own message says. An error without
 * a reason (a `toHttpError` HttpError, an older copy) keeps its own message, else the rate-limit line.
 */
function ourLine(error: unknown, rateLimitedLine: string): string {
  const reason = read(error, 'reason');
  if (reason === 'rate-limited') return rateLimitedLine;
  if (reason === 'unavailable') {
    const retryAfterMs = read(error, 'retryAfterMs');
    return unavailableMessage(typeof retryAfterMs === 'number' && Number.isFinite(retryAfterMs) ? retryAfterMs : null);
  }
  const own = text(read(error, 'message'));
  return own === null ? rateLimitedLine : redactSecrets(own);
}

/** `String(value)`, or a placeholder when its `toString` or `Symbol.toPrimitive` throws (a hostile error). */
function stringOf(value: unknown): string {
  try {
    return String(value);
  } catch {
    return 'Unknown error';
  }
}

/** One entry per field of a react-admin validation body, or none when its fields cannot be listed. */
function validationEntries(validation: object): RowError[] {
  try {
    return Object.entries(validation as Record<string, unknown>)
      .filter(([field]) => field !== 'root')
      .map(([field, message]) => ({ field, message: redactSecrets(text(message) ?? 'Invalid value'), code: 'VALIDATION' }));
  } catch {
    return [];
  }
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value.length > 0 ? value : null;
}

/**
 * Turns why a row failed into `{ field, message, code }` entries: the user-facing lines for circuit and rate-limit
 * errors, one entry per field for react-admin validation bodies (`{ errors: { email: 'Invalid' } }`), the column named
 * by a PostgREST/Postgres error, else the error's own message and code.
 */
export function describeRowError(error: unknown, reason: BulkFailureReason): RowError[] {
  if (reason === 'not-started') {
    return [{ field: null, message: 'Not imported: the import was stopped before this row was sent.', code: 'NOT_STARTED' }];
  }
  if (reason === 'aborted') {
    return [{ field: null, message: 'Not imported: the import was stopped while this row was being sent.', code: 'ABORTED' }];
  }
  const code = read(error, 'code');
  if (code === 'RATE_LIMIT_CIRCUIT_OPEN') return [{ field: null, message: ourLine(error, MESSAGES.circuitOpen), code }];
  if (code === 'RATE_LIMIT_MAX_RETRIES_EXCEEDED') return [{ field: null, message: ourLine(error, MESSAGES.rateLimited), code }];

  const body = read(error, 'body');
  const validation = read(body, 'errors');
  if (typeof validation === 'object' && validation !== null && !Array.isArray(validation)) {
    const entries = validationEntries(validation);
    if (entries.length > 0) return entries;
  }

  const pg = read(body, 'code') !== undefined ? body : error;
  const pgCode = text(read(pg, 'code'));
  const status = read(error, 'status');
  const message = text(read(pg, 'message')) ?? text(read(error, 'message')) ?? stringOf(error);
  const field = fieldFromPostgres(read(pg, 'details')) ?? fieldFromPostgres(read(pg, 'message'));
  return [{ field, message: redactSecrets(message), code: pgCode ?? (typeof status === 'number' ? `HTTP_${status}` : 'ERROR') }];
}
