import { Box, Card, CardContent, CardHeader, Stack, Typography } from '@mui/material';
import type { ReactNode } from 'react';
import { Title } from 'react-admin';
import { useCircuitEntries } from '../circuits/useCircuitEntries.js';
import { useDemoServices } from '../services/DemoServicesContext.js';
import { CircuitCard } from './CircuitCard.js';
import { FaultsCard } from './FaultsCard.js';
import { SharedLimitCard } from './SharedLimitCard.js';
import { StormCard } from './StormCard.js';

/** Break the backend on purpose and watch each resource's circuit: faults, a request storm, the circuits live. */
export function StormPage(): ReactNode {
  const { circuits, config } = useDemoServices();
  const entries = useCircuitEntries(circuits);
  return (
    <Box sx={{ mt: 2, mb: 4 }}>
      <Title title="Storm & faults" />
      <Stack spacing={2}>
        <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', lg: '1fr 1fr' }, gap: 2 }}>
          <FaultsCard />
          <StormCard />
        </Box>
        <SharedLimitCard />
        <Card>
          <CardHeader
            title="Circuits"
            subheader={`One per resource, created on its first call · open for ${config.openDurationMs} ms (?openMs=) · five failed calls in a row open it`}
          />
          <CardContent>
            {entries.length === 0 ? (
              <Typography variant="body2">No resource has been called yet: open a list, or start a storm.</Typography>
            ) : (
              <Stack spacing={1}>
                {entries.map(({ resource, executor }) => (
                  <CircuitCard key={resource} resource={resource} executor={executor} />
                ))}
              </Stack>
            )}
          </CardContent>
        </Card>
      </Stack>
    </Box>
  );
}
