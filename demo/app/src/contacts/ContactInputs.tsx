import type { ReactNode } from 'react';
import { email, required, SelectInput, TextInput } from 'react-admin';
import { contactStatusChoices } from './contactStatusChoices.js';

/** The fields of a contact form, shared by create and edit. */
export function ContactInputs(): ReactNode {
  return (
    <>
      <TextInput source="first_name" label="First name" />
      <TextInput source="last_name" label="Last name" />
      <TextInput source="email" validate={[required(), email()]} />
      <TextInput source="company" />
      <SelectInput source="status" choices={contactStatusChoices} emptyText="(none)" />
    </>
  );
}
