import { Table, TableBody, TableCell, TableContainer, TableHead, TableRow, Typography } from '@mui/material';
import type { ReactNode } from 'react';
import type { ImportRowOutcome } from './toImportReport.js';

/**
 * The rows of an import that were not imported, one line per problem: the row (1-based), its CSV line (header =
 * line 1), the column at fault when it is known, the message and its code. The table scrolls, so it takes the focus
 * (a keyboard user scrolls it with the arrow keys).
 */
export function ImportReportTable({ rows }: { readonly rows: readonly ImportRowOutcome[] }): ReactNode {
  const lines = rows.filter((row) => row.status !== 'succeeded');
  if (lines.length === 0) return null;
  return (
    <TableContainer sx={{ maxHeight: 360 }} tabIndex={0} role="region" aria-label="Rows not imported">
      <Table size="small" stickyHeader data-testid="import-report">
        <TableHead>
          <TableRow>
            <TableCell>row</TableCell>
            <TableCell>line</TableCell>
            <TableCell>field</TableCell>
            <TableCell>message</TableCell>
            <TableCell>code</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {lines.flatMap(({ index, item, problems }) =>
            problems.map((problem, i) => (
              <TableRow key={`${index}-${i}`} data-testid="import-report-row">
                <TableCell>{index + 1}</TableCell>
                <TableCell>{item.draft.line}</TableCell>
                <TableCell>{problem.field ?? <Typography variant="caption" color="text.secondary">—</Typography>}</TableCell>
                <TableCell>{problem.message}</TableCell>
                <TableCell>
                  <code>{problem.code}</code>
                </TableCell>
              </TableRow>
            )),
          )}
        </TableBody>
      </Table>
    </TableContainer>
  );
}
