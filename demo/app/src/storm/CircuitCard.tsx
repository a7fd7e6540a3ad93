import { Box, Button, Card, CardContent, Stack, Table, TableBody, TableCell, TableRow, Typography } from '@mui/material';
import { useState, type ReactNode } from 'react';
import type { Executor } from '../../../../src/index.js';
import { CircuitStatusBadge, useCircuitState } from '../../../../src/react/index.js';
import { isolateCircuit, releaseCircuit, resetCircuit } from '../circuits/isolations.js';
import { usePolled } from '../circuits/usePolled.js';
import { useDemoServices } from '../services/DemoServicesContext.js';

const STAT_NAMES = ['calls', 'succeeded', 'failed', 'retries', 'rejected', 'rateLimitedAttempts', 'aborted'] as const;
/** The `getSyncStats()` counters shown: what came from other tabs, and who ran the half-open trials. */
const SYNC_NAMES = [
  ['adopted', 'from other tabs'],
  ['published', 'told other tabs'],
  ['trialsLed', 'trials run here'],
  ['trialsElsewhere', 'trial elsewhere'],
] as const;

/**
 * One resource's circuit: the framework-free `CircuitStatusBadge`, its state, its `getStats()` and `getSyncStats()`
 * counters (read twice a second), and buttons to send one call, reset the circuit, or isolate it by hand.
 */
export function CircuitCard({ resource, executor }: { readonly resource: string; readonly executor: Executor }): ReactNode {
  const { dataProvider } = useDemoServices();
  const circuit = useCircuitState(executor);
  const { value: stats } = usePolled(() => executor.getStats(), 500, [executor]);
  const { value: syncStats } = usePolled(() => executor.getSyncStats(), 500, [executor]);
  // From the executor, not component state: the isolation outlives this page (its handle is in isolations.ts).
  const isolated = circuit.state === 'isolated';
  const [probe, setProbe] = useState<string | null>(null);

  const sendOne = (): void => {
    setProbe('sending…');
    dataProvider
      .getList(resource, { pagination: { page: 1, perPage: 1 }, sort: { field: 'id', order: 'ASC' }, filter: {} })
      .then(
        ({ total }) => setProbe(`ok (${total ?? '?'} rows)`),
        (error: unknown) => setProbe(error instanceof Error ? error.message : String(error)),
      );
  };
  const toggleIsolation = (): void => {
    if (isolated) releaseCircuit(executor);
    else isolateCircuit(executor);
  };

  return (
    <Card variant="outlined" data-testid={`circuit-card-${resource}`}>
      <CardContent>
        <Stack direction="row" spacing={1} sx={{ alignItems: 'center', mb: 1 }}>
          <CircuitStatusBadge executor={executor} name={resource} />
          <Typography variant="body2" color="text.secondary">
            {circuit.consecutiveFailures} consecutive failure(s)
            {circuit.reopenCount > 0 ? ` · reopened ${circuit.reopenCount}×` : ''}
          </Typography>
        </Stack>
        <Table size="small">
          <TableBody>
            <TableRow>
              {STAT_NAMES.map((name) => (
                <TableCell key={name} sx={{ px: 1 }}>
                  <Typography variant="caption" color="text.secondary" component="div">
                    {name}
                  </Typography>
                  <span data-testid={`stat-${resource}-${name}`}>{stats?.[name] ?? 0}</span>
                </TableCell>
              ))}
            </TableRow>
          </TableBody>
        </Table>
        {syncStats === null || syncStats === undefined ? null : (
          <Typography variant="caption" color="text.secondary" component="div" sx={{ mt: 0.5 }} data-testid={`sync-${resource}`}>
            Shared across tabs:{' '}
            {SYNC_NAMES.map(([name, label]) => (
              <span key={name}>
                {label} <span data-testid={`sync-${resource}-${name}`}>{syncStats[name]}</span>
                {name === 'trialsElsewhere' ? '' : ' · '}
              </span>
            ))}
          </Typography>
        )}
        <Stack direction="row" spacing={1} sx={{ mt: 1, alignItems: 'center' }}>
          <Button size="small" variant="outlined" onClick={sendOne} data-testid={`probe-${resource}`}>
            Send one call
          </Button>
          <Button size="small" onClick={() => resetCircuit(executor)} data-testid={`reset-${resource}`}>
            Reset
          </Button>
          <Button size="small" onClick={toggleIsolation} data-testid={`isolate-${resource}`}>
            {isolated ? 'Release isolation' : 'Isolate'}
          </Button>
          <Box sx={{ flex: 1 }} />
          {probe === null ? null : (
            <Typography variant="caption" data-testid={`probe-result-${resource}`}>
              {probe}
            </Typography>
          )}
        </Stack>
      </CardContent>
    </Card>
  );
}
