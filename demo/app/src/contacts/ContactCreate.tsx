import type { ReactNode } from 'react';
import { Create, SimpleForm } from 'react-admin';
import { ContactInputs } from './ContactInputs.js';

/** Creates a contact. A `create` is retried on 429 only: after a 503 the server may have stored it already. */
export function ContactCreate(): ReactNode {
  return (
    <Create redirect="show">
      <SimpleForm>
        <ContactInputs />
      </SimpleForm>
    </Create>
  );
}
