import { Table, TableBody, TableCell, TableContainer, TableHead, TableRow, Typography } from '@mui/material';
import type { ReactNode } from 'react';
import type { BulkRowErrors } from '../../../../src/index.js';

/**
 * The failed rows of an import, one line per problem: the CSV line (header = line 1), the column at fault when it is
 * known, the message and its code. `lineOf` gives the CSV line of an item (0-based index).
 */
export function ImportReportTable({ errors, lineOf }: { readonly errors: readonly BulkRowErrors[]; readonly lineOf: (index: number) => number }): ReactNode {
  if (errors.length === 0) return null;
  return (
    <TableContainer sx={{ maxHeight: 360 }}>
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
          {errors.flatMap(({ row, index, errors: problems }) =>
            problems.map((problem, i) => (
              <TableRow key={`${index}-${i}`} data-testid="import-report-row">
                <TableCell>{row}</TableCell>
                <TableCell>{lineOf(index)}</TableCell>
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
