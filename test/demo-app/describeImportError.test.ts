import { HttpError } from 'ra-core';
import { describe, expect, it } from 'vitest';
import { describeImportError } from '../../demo/app/src/import/describeImportError.js';

/** The body the embedded backend (and PostgREST) answers for a unique violation, as the HttpClient rejects with it. */
function duplicate(details: string): HttpError {
  return new HttpError('duplicate key value violates unique constraint "contacts_email_key"', 409, {
    code: '23505',
    message: 'duplicate key value violates unique constraint "contacts_email_key"',
    details,
    hint: null,
  });
}

describe('describing why an imported row failed', () => {
  it('says which e-mail address is taken, from the error details, not the Postgres sentence', () => {
    expect(describeImportError(duplicate('Key (email)=(ada@example.com) already exists.'), 'error')).toEqual([
      { field: 'email', message: 'E-mail ada@example.com is already used by another contact.', code: '23505' },
    ]);
  });

  it('names another unique column by its name and keeps an address with parentheses whole', () => {
    expect(describeImportError(duplicate('Key (email)=(o(k)@example.com) already exists.'), 'error')[0]?.message).toBe(
      'E-mail o(k)@example.com is already used by another contact.',
    );
    expect(describeImportError(duplicate('Key (phone)=(+33 1 23) already exists.'), 'error')).toEqual([
      { field: 'phone', message: 'phone +33 1 23 is already used by another contact.', code: '23505' },
    ]);
  });

  it('falls back to the row error of the library when the details do not name a key', () => {
    const [line] = describeImportError(duplicate(''), 'error');
    expect(line).toMatchObject({ code: '23505', message: expect.stringContaining('duplicate key') });
  });

  it('lists the problems of a row the import refused to send, with their codes', () => {
    const problems = [{ field: null, message: '2 of 4 columns: the row is shorter than the header.', code: 'TOO_FEW_COLUMNS' }];
    expect(describeImportError(new HttpError('The row is not valid.', 400, { errors: { row: problems[0]!.message }, problems }), 'error')).toEqual(problems);
  });

  it('says a row was not sent when the import was stopped first', () => {
    expect(describeImportError(new DOMException('Stopped by the user.', 'AbortError'), 'not-started')).toEqual([
      { field: null, message: 'Not imported: the import was stopped before this row was sent.', code: 'NOT_STARTED' },
    ]);
  });
});
