import type { ReactNode } from 'react';
import { CreateButton, DataTable, DateField, EmailField, ExportButton, List, SearchInput, SelectInput, TopToolbar } from 'react-admin';
import { contactStatusChoices } from './contactStatusChoices.js';
import { ListLoadError, ListPagination } from '../lists/ListLoadError.js';

const filters = [
  <SearchInput key="q" source="email@ilike" alwaysOn placeholder="Email contains" />,
  <SelectInput key="status" source="status" choices={contactStatusChoices} />,
];

function ContactListActions(): ReactNode {
  return (
    <TopToolbar>
      <CreateButton />
      <ExportButton />
    </TopToolbar>
  );
}

/** The contacts, newest first. Every read goes through the contacts circuit (`withCircuitBreaker({ reads: true })`). */
export function ContactList(): ReactNode {
  return (
    <List pagination={<ListPagination />} sort={{ field: 'created_at', order: 'DESC' }} filters={filters} actions={<ContactListActions />} perPage={10}>
      <ListLoadError>
        {/* No row checkboxes: the demo has no bulk action, and react-admin 5.15 puts their label on MUI 7's root
            span, not on the input, which leaves every checkbox unnamed (axe: label, aria-prohibited-attr). */}
        <DataTable rowClick="show" bulkActionButtons={false}>
          <DataTable.Col source="first_name" label="First name" />
          <DataTable.Col source="last_name" label="Last name" />
          <DataTable.Col source="email" field={EmailField} />
          <DataTable.Col source="company" />
          <DataTable.Col source="status" />
          <DataTable.Col source="created_at" label="Created" field={DateField} />
        </DataTable>
      </ListLoadError>
    </List>
  );
}
