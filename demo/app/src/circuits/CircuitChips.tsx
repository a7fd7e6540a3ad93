import { Stack, Typography } from '@mui/material';
import type { ReactNode } from 'react';
import { CircuitStatusChip } from '../../../../src/react-admin/index.js';
import { useDemoServices } from '../services/DemoServicesContext.js';
import { useCircuitEntries } from './useCircuitEntries.js';

/**
 * One `CircuitStatusChip` per resource circuit of the data provider, for the app bar. A chip appears when its
 * resource is first called. Each sits in `data-testid="circuit-<resource>"`; the chip's `data-state` is the state.
 */
export function CircuitChips(): ReactNode {
  const { circuits } = useDemoServices();
  const entries = useCircuitEntries(circuits);
  if (entries.length === 0) {
    return (
      <Typography variant="caption" sx={{ opacity: 0.8 }}>
        no circuit yet
      </Typography>
    );
  }
  return (
    <Stack direction="row" spacing={1} data-testid="circuit-chips" sx={{ alignItems: 'center' }}>
      {entries.map(({ resource, executor }) => (
        <span key={resource} data-testid={`circuit-${resource}`}>
          <CircuitStatusChip executor={executor} name={resource} sx={{ fontWeight: 500, boxShadow: 1 }} />
        </span>
      ))}
    </Stack>
  );
}
