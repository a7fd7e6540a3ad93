import type { ReactNode } from 'react';
import { Edit, SimpleForm } from 'react-admin';
import { ContactInputs } from './ContactInputs.js';

/**
 * Edits a contact. Saving is an `update`, which `withCircuitBreaker` treats as idempotent: retried on 429, and on
 * 503 or a network error too. While the contacts circuit is open, saving fails at once with "Too many requests. Wait 1-2 minutes before trying again.".
 */
export function ContactEdit(): ReactNode {
  return (
    <Edit mutationMode="pessimistic">
      <SimpleForm>
        <ContactInputs />
      </SimpleForm>
    </Edit>
  );
}
