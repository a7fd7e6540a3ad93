import type { RowError } from '../../../../src/index.js';
import { CONTACT_STATUSES, type ContactDraft } from './readContactsCsv.js';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * Checks one CSV row before it is sent. Returns its problems as the import report lists them (`{ field, message,
 * code }`), none when the row is fine. A row with fewer fields than the header is reported as that alone
 * (`TOO_FEW_COLUMNS`): its values sit under the wrong columns, so checking them would blame the wrong one.
 *
 * @example
 * validateContact({ line: 2, fieldCount: 5, headerFieldCount: 5, first_name: 'Ada', last_name: '', email: 'ada', company: '', status: 'vip' })
 * // [{ field: 'email', message: 'Not an email address: "ada".', code: 'VALIDATION' },
 * //  { field: 'status', message: 'Unknown status "vip" (lead, prospect, customer or empty).', code: 'VALIDATION' }]
 */
export function validateContact(draft: ContactDraft): readonly RowError[] {
  if (draft.fieldCount < draft.headerFieldCount) {
    return [
      {
        field: null,
        message: `${draft.fieldCount} of ${draft.headerFieldCount} columns: the row is shorter than the header (a comma or a quote may be missing).`,
        code: 'TOO_FEW_COLUMNS',
      },
    ];
  }
  const problems: RowError[] = [];
  const invalid = (field: string, message: string): void => {
    problems.push({ field, message, code: 'VALIDATION' });
  };
  if (draft.email === '') invalid('email', 'Email is required.');
  else if (!EMAIL.test(draft.email)) invalid('email', `Not an email address: ${JSON.stringify(draft.email)}.`);
  if (draft.status !== '' && !(CONTACT_STATUSES as readonly string[]).includes(draft.status)) {
    invalid('status', `Unknown status ${JSON.stringify(draft.status)} (${CONTACT_STATUSES.join(', ')} or empty).`);
  }
  if (draft.first_name === '' && draft.last_name === '') invalid('first_name', 'A first or a last name is required.');
  return problems;
}
