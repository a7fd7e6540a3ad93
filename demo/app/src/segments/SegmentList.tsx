import type { ReactNode } from 'react';
import { CreateButton, DataTable, List, TopToolbar } from 'react-admin';

/** The segments; "Create" opens the get-or-create form. */
export function SegmentList(): ReactNode {
  return (
    <List
      sort={{ field: 'name', order: 'ASC' }}
      actions={
        <TopToolbar>
          <CreateButton label="Get or create" />
        </TopToolbar>
      }
    >
      <DataTable bulkActionButtons={false}>
        <DataTable.Col source="id" />
        <DataTable.Col source="name" />
      </DataTable>
    </List>
  );
}
