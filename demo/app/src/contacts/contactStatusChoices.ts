import { CONTACT_STATUSES } from '../import/readContactsCsv.js';

/** The contact statuses as react-admin choices. */
export const contactStatusChoices = CONTACT_STATUSES.map((status) => ({ id: status, name: status }));
