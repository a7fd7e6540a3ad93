import { HttpError } from 'ra-core';
import type { BulkTask } from '../../../../src/index.js';
import type { HttpClient, HttpClientResponse } from '../../../../src/ra-core/index.js';
import type { ContactDraft } from './readContactsCsv.js';
import { validateContact } from './validateContact.js';

/** A contact as it is inserted: the id is made on the client, once per row, so that sending it again is harmless. */
export interface ContactRow {
  readonly id: string;
  readonly first_name: string | null;
  readonly last_name: string | null;
  readonly email: string;
  readonly company: string | null;
  readonly status: string | null;
}

/** One row of an import: what the CSV said, and the row that is sent. */
export interface ImportItem {
  readonly draft: ContactDraft;
  readonly row: ContactRow;
}

function orNull(value: string): string | null {
  return value === '' ? null : value;
}

/**
 * Gives every CSV row its id, once, before anything is sent: a retry (of an attempt, or `report.retryFailed()`)
 * sends the same id again, and `resolution=ignore-duplicates` makes the server keep the first copy.
 *
 * @example
 * toImportItems(readContactsCsv(text).drafts)[0].row.id // 'b0c4…', a v4 UUID
 */
export function toImportItems(drafts: readonly ContactDraft[], randomUUID: () => string = () => crypto.randomUUID()): ImportItem[] {
  return drafts.map((draft) => toImportItem(draft, randomUUID()));
}

/** The item of one CSV row under a given id: a corrected row sent again keeps the id its first send used. */
export function toImportItem(draft: ContactDraft, id: string): ImportItem {
  return {
    draft,
    row: {
      id,
      first_name: orNull(draft.first_name),
      last_name: orNull(draft.last_name),
      email: draft.email,
      company: orNull(draft.company),
      status: orNull(draft.status),
    },
  };
}

/**
 * The task `runBulk` runs for each row: check it, then insert it with
 * `POST /rest/v1/contacts?on_conflict=id` and `Prefer: resolution=ignore-duplicates` (an upsert that keeps the first
 * copy), so it is safe to repeat after a 503 or a lost answer.
 *
 * The page checks rows before it hands them here (`planImport`); a row that fails the check anyway is rejected, unsent,
 * with a 400 `HttpError` whose body is `{ errors: { column: message }, problems }`: the executor passes a 4xx through
 * without retrying it or counting it against the circuit, and the report lists its problems (`describeImportError`). The `HttpClient` keeps the response headers on its errors and results, so the executor honours
 * `Retry-After` on a 429 and its pacer learns the server's `RateLimit-*` headers from every answer.
 *
 * @example
 * const report = await runBulk(items, createContactImport({ httpClient, restUrl }), { executor, idempotent: true })
 */
export function createContactImport(options: { httpClient: HttpClient; restUrl: string }): BulkTask<ImportItem, HttpClientResponse> {
  const { httpClient, restUrl } = options;
  return (item, _index, { signal }) => {
    const problems = validateContact(item.draft);
    if (problems.length > 0) {
      const errors = Object.fromEntries(problems.map((problem) => [problem.field ?? 'row', problem.message]));
      return Promise.reject(new HttpError('The row is not valid.', 400, { errors, problems }));
    }
    return httpClient(`${restUrl}/contacts?on_conflict=id`, {
      method: 'POST',
      headers: { Accept: 'application/json', Prefer: 'resolution=ignore-duplicates,return=minimal' },
      body: JSON.stringify(item.row),
      signal,
    });
  };
}
