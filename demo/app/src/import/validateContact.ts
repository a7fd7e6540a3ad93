import { CONTACT_STATUSES, type ContactDraft } from './readContactsCsv.js';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * Checks one CSV row before it is sent. Returns the problems by column, as react-admin validation errors are shaped
 * (`{ email: 'message' }`), or `null` when the row is fine.
 *
 * @example
 * validateContact({ line: 2, first_name: 'Ada', last_name: '', email: 'ada', company: '', status: 'vip' })
 * // { email: 'Not an email address: "ada".', status: 'Unknown status "vip" (lead, prospect, customer or empty).' }
 */
export function validateContact(draft: ContactDraft): Record<string, string> | null {
  const errors: Record<string, string> = {};
  if (draft.email === '') errors.email = 'Email is required.';
  else if (!EMAIL.test(draft.email)) errors.email = `Not an email address: ${JSON.stringify(draft.email)}.`;
  if (draft.status !== '' && !(CONTACT_STATUSES as readonly string[]).includes(draft.status)) {
    errors.status = `Unknown status ${JSON.stringify(draft.status)} (${CONTACT_STATUSES.join(', ')} or empty).`;
  }
  if (draft.first_name === '' && draft.last_name === '') errors.first_name = 'A first or a last name is required.';
  return Object.keys(errors).length === 0 ? null : errors;
}
