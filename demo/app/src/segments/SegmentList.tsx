import type { ReactNode } from 'react';
import { CreateButton, DataTable, List, TopToolbar } from 'react-admin';
import { ListLoadError, ListPagination } from '../lists/ListLoadError.js';

/** The segments; "Create" opens the get-or-create form. */
export function SegmentList(): ReactNode {
  return (
    <List
      pagination={<ListPagination />}
      sort={{ field: 'name', order: 'ASC' }}
      actions={
        <TopToolbar>
          <CreateButton label="Get or create" />
        </TopToolbar>
      }
    >
      <ListLoadError>
        <DataTable bulkActionButtons={false}>
          <DataTable.Col source="id" />
          <DataTable.Col source="name" />
        </DataTable>
      </ListLoadError>
    </List>
  );
}
