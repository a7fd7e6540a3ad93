import BoltIcon from '@mui/icons-material/Bolt';
import { Button, Card, CardContent, CardHeader, LinearProgress, Stack, Typography } from '@mui/material';
import { useState, type ReactNode } from 'react';
import { RESOURCES } from '../records.js';
import { useDemoServices } from '../services/DemoServicesContext.js';
import { SelectField } from './SelectField.js';
import { runStorm, type StormTally } from './runStorm.js';

const SIZES = [20, 200, 1000];

/**
 * Sends many `getList` calls at once through the data provider, each through its resource's executor: watch the
 * pacer spread them under the rate limit, the 429s be retried after Retry-After, and, with an outage, the circuit
 * open after five failed calls and refuse the rest at once.
 */
export function StormCard(): ReactNode {
  const { dataProvider } = useDemoServices();
  const [resource, setResource] = useState<string>('contacts');
  const [size, setSize] = useState(200);
  const [tally, setTally] = useState<StormTally | null>(null);
  const [running, setRunning] = useState(false);

  const start = (): void => {
    setRunning(true);
    setTally(null);
    void runStorm({
      count: size,
      call: () => dataProvider.getList(resource, { pagination: { page: 1, perPage: 5 }, sort: { field: 'id', order: 'ASC' }, filter: {} }),
      onUpdate: setTally,
    }).then((final) => {
      setTally(final);
      setRunning(false);
    });
  };

  return (
    <Card>
      <CardHeader title="Request storm" subheader="Parallel getList calls through the resource's executor" />
      <CardContent>
        <Stack spacing={2}>
          <Stack direction="row" spacing={2} sx={{ alignItems: 'center' }}>
            <SelectField label="Resource" value={resource} choices={RESOURCES} onChange={setResource} width={160} />
            <SelectField label="Calls" value={size} choices={SIZES} onChange={setSize} width={120} />
            <Button variant="contained" color="warning" startIcon={<BoltIcon />} disabled={running} onClick={start} data-testid="storm-start">
              Start storm
            </Button>
          </Stack>
          {tally === null ? null : (
            <Stack spacing={1} data-testid="storm-tally">
              <LinearProgress variant="determinate" value={(100 * tally.done) / tally.total} />
              <Typography variant="body2" data-testid="storm-summary">
                {tally.done}/{tally.total} ended · {tally.succeeded} succeeded · {tally.done - tally.succeeded} failed ·{' '}
                {(tally.elapsedMs / 1000).toFixed(1)} s
              </Typography>
              {Object.entries(tally.failures).map(([message, n]) => (
                <Typography key={message} variant="body2" color="error">
                  {n} × {message}
                </Typography>
              ))}
            </Stack>
          )}
        </Stack>
      </CardContent>
    </Card>
  );
}
