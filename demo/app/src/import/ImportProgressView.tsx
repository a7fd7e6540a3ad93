import { Box, LinearProgress, Stack, Typography } from '@mui/material';
import type { ReactNode } from 'react';
import type { ImportRunCounts } from './liveRunCounts.js';

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

/**
 * The counters of one run: done/total, succeeded, failed, retries, in flight, waiting; and, once a stopped run has
 * ended, the rows it never sent ("120 / 300 done · 180 not started"), which are neither done nor failed.
 */
export function ImportProgressView({ counts }: { readonly counts: ImportRunCounts }): ReactNode {
  const percent = counts.total === 0 ? 100 : (100 * counts.done) / counts.total;
  return (
    <Stack spacing={1} data-testid="import-progress">
      <LinearProgress variant="determinate" value={percent} aria-label="Rows done" />
      <Stack direction="row" spacing={2} sx={{ flexWrap: 'wrap' }}>
        <Box sx={{ minWidth: 120 }}>
          <Typography variant="caption" color="text.secondary">
            done / total
          </Typography>
          <Typography variant="h6" data-testid="import-done">
            {counts.done} / {counts.total}
          </Typography>
        </Box>
        <Counter label="succeeded" value={counts.succeeded} testId="import-succeeded" />
        <Counter label="failed" value={counts.failed} testId="import-failed" />
        {counts.notStarted === 0 ? null : <Counter label="not started" value={counts.notStarted} testId="import-not-started" />}
        <Counter label="retries" value={counts.retries} testId="import-retries" />
        <Counter label="in flight" value={counts.inFlight} testId="import-in-flight" />
        <Counter label="waiting" value={counts.waiting} testId="import-waiting" />
      </Stack>
    </Stack>
  );
}
