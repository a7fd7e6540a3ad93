import { describeRowError, type BulkFailureReason, type RowError } from '../../../../src/index.js';

function read(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}

function isRowError(value: unknown): value is RowError {
  const field = read(value, 'field');
  return (field === null || typeof field === 'string') && typeof read(value, 'message') === 'string' && typeof read(value, 'code') === 'string';
}

/** The words a person reads for a unique column of contacts. */
const COLUMN_NAMES: Readonly<Record<string, string>> = { email: 'E-mail', id: 'Id' };

/** PostgreSQL's `details` of a unique violation: `Key (email)=(ada@example.com) already exists.` */
const DUPLICATE_KEY = /^Key \(([^)]+)\)=\((.*)\) already exists\.?$/s;

/**
 * Why one imported row failed, as the report lists it. A duplicate key (SQLSTATE 23505) says which value is taken,
 * read from the error's `details` (`E-mail ada@example.com is already used by another contact.`), not Postgres's
 * "duplicate key value violates unique constraint"; the rows the import's own check refused carry their problems;
 * anything else is `describeRowError`'s.
 *
 * @example
 * describeImportError(new HttpError('duplicate key…', 409, { code: '23505', details: 'Key (email)=(ada@example.com) already exists.' }), 'error')
 * // [{ field: 'email', message: 'E-mail ada@example.com is already used by another contact.', code: '23505' }]
 */
export function describeImportError(error: unknown, reason: BulkFailureReason): readonly RowError[] {
  const body = read(error, 'body');
  const problems = read(body, 'problems');
  if (reason === 'error' && Array.isArray(problems) && problems.length > 0 && problems.every(isRowError)) return problems;
  const details = read(body, 'details');
  const duplicate = reason === 'error' && read(body, 'code') === '23505' && typeof details === 'string' ? DUPLICATE_KEY.exec(details) : null;
  if (duplicate !== null) {
    const [, column, value] = duplicate as unknown as [string, string, string];
    const name = COLUMN_NAMES[column] ?? column;
    return [{ field: column, message: `${name} ${value} is already used by another contact.`, code: '23505' }];
  }
  return describeRowError(error, reason);
}
