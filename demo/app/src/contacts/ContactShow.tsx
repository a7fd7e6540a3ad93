import type { ReactNode } from 'react';
import { DataTable, DateField, EmailField, NumberField, ReferenceManyField, Show, SimpleShowLayout, TextField } from 'react-admin';

/** A contact and its opportunities (a `getManyReference`, through the opportunities circuit). */
export function ContactShow(): ReactNode {
  return (
    <Show>
      <SimpleShowLayout>
        <TextField source="first_name" label="First name" />
        <TextField source="last_name" label="Last name" />
        <EmailField source="email" />
        <TextField source="company" />
        <TextField source="status" />
        <DateField source="created_at" label="Created" showTime />
        <ReferenceManyField label="Opportunities" reference="opportunities" target="contact_id">
          <DataTable rowClick="edit" bulkActionButtons={false}>
            <DataTable.Col source="name" />
            <DataTable.Col source="stage" />
            <DataTable.NumberCol source="amount" field={NumberField} options={{ style: 'currency', currency: 'EUR' }} />
          </DataTable>
        </ReferenceManyField>
      </SimpleShowLayout>
    </Show>
  );
}
