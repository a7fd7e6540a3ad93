import { Alert, AlertTitle } from '@mui/material';
import type { ReactNode } from 'react';
import { Pagination, useListContext, useResourceContext } from 'react-admin';

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * The rows of a list, or, when its last load failed (an outage, an open circuit), an alert that says so: never an
 * empty table reading "No results" over a stale "1-10 of 10". The list comes back by itself when the circuit closes
 * (the layout's `useRefreshOnCircuitClose`).
 */
export function ListLoadError({ children }: { readonly children: ReactNode }): ReactNode {
  const { error } = useListContext();
  const resource = useResourceContext() ?? 'records';
  if (error === null || error === undefined) return children;
  return (
    <Alert severity="error" role="alert" data-testid={`list-error-${resource}`} sx={{ m: 2 }}>
      <AlertTitle>Could not load {resource}</AlertTitle>
      {messageOf(error)} The list reloads by itself once the service is back.
    </Alert>
  );
}

/** react-admin's pagination, hidden while the list shows a load error (its counts would be stale). */
export function ListPagination(): ReactNode {
  const { error } = useListContext();
  return error === null || error === undefined ? <Pagination /> : null;
}
