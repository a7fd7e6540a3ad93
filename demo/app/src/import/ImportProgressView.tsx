import { Box, LinearProgress, Stack, Typography } from '@mui/material';
import type { ReactNode } from 'react';
import type { BulkProgress } from '../../../../src/index.js';

function Counter({ label, value, testId }: { readonly label: string; readonly value: number; readonly testId: string }): ReactNode {
  return (
    <Box sx={{ minWidth: 84 }}>
      <Typography variant="caption" color="text.secondary">
        {label}
      </Typography>
      <Typography variant="h6" data-testid={testId}>
        {value}
      </Typography>
    </Box>
  );
}

/** The live counters of a bulk run: done/total, succeeded, failed, retries, in flight, waiting. */
export function ImportProgressView({ progress }: { readonly progress: BulkProgress }): ReactNode {
  const percent = progress.total === 0 ? 100 : (100 * progress.done) / progress.total;
  return (
    <Stack spacing={1} data-testid="import-progress">
      <LinearProgress variant="determinate" value={percent} />
      <Stack direction="row" spacing={2} sx={{ flexWrap: 'wrap' }}>
        <Box sx={{ minWidth: 120 }}>
          <Typography variant="caption" color="text.secondary">
            done / total
          </Typography>
          <Typography variant="h6" data-testid="import-done">
            {progress.done} / {progress.total}
          </Typography>
        </Box>
        <Counter label="succeeded" value={progress.succeeded} testId="import-succeeded" />
        <Counter label="failed" value={progress.failed} testId="import-failed" />
        <Counter label="retries" value={progress.retries} testId="import-retries" />
        <Counter label="in flight" value={progress.inFlight} testId="import-in-flight" />
        <Counter label="waiting" value={progress.waiting} testId="import-waiting" />
      </Stack>
    </Stack>
  );
}
