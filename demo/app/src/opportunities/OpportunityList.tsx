import type { ReactNode } from 'react';
import { DataTable, FunctionField, List, NumberField, ReferenceField } from 'react-admin';
import type { Opportunity } from '../records.js';
import { ListLoadError, ListPagination } from '../lists/ListLoadError.js';

/** The opportunities with their contact (a `getMany` of contacts, through the contacts circuit). */
export function OpportunityList(): ReactNode {
  return (
    <List pagination={<ListPagination />} sort={{ field: 'id', order: 'ASC' }} perPage={10}>
      <ListLoadError>
        {/* No row checkboxes: the demo has no bulk action, and react-admin 5.15 puts their label on MUI 7's root
            span, not on the input, which leaves every checkbox unnamed (axe: label, aria-prohibited-attr). */}
        <DataTable rowClick="edit" bulkActionButtons={false}>
          <DataTable.Col source="name" />
          <DataTable.Col source="stage" />
          <DataTable.NumberCol source="amount" field={NumberField} options={{ style: 'currency', currency: 'EUR' }} />
          <DataTable.Col source="contact_id" label="Contact">
            <ReferenceField source="contact_id" reference="contacts" link="show" />
          </DataTable.Col>
          <DataTable.Col label="Products" disableSort>
            <FunctionField<Opportunity> render={(record) => record.products.map((p) => `${p.quantity} × ${p.sku}`).join(', ') || '—'} />
          </DataTable.Col>
        </DataTable>
      </ListLoadError>
    </List>
  );
}
