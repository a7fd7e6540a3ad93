import GroupAddIcon from '@mui/icons-material/GroupAdd';
import StopIcon from '@mui/icons-material/Stop';
import { Button, Card, CardContent, CardHeader, Stack, Table, TableBody, TableCell, TableHead, TableRow, Typography } from '@mui/material';
import { useState, useSyncExternalStore, type ReactNode } from 'react';
import type { Executor, PacerState } from '../../../../src/index.js';
import { CircuitStatusChip } from '../../../../src/react-admin/index.js';
import { useCircuitEntries } from '../circuits/useCircuitEntries.js';
import { usePolled } from '../circuits/usePolled.js';
import { useDemoServices } from '../services/DemoServicesContext.js';
import { SelectField } from './SelectField.js';
import { sharedLimitUsers, type SharedLimitUser } from './sharedLimitUsers.js';

const USER_COUNTS = [1, 2, 4];
const ROW_COUNTS = [100, 200, 500];
/** Rows each user sends at once, as the Import page does by default. */
const CONCURRENCY = 10;

/** "32.4/s of 100/s stated", "12.0/s learnt from 429s", or "no limit known yet". */
export function describePacer(state: PacerState): string {
  if (state.source === 'unknown' || !Number.isFinite(state.ratePerSecond)) return 'no limit known yet';
  const rate = `${state.ratePerSecond.toFixed(1)}/s`;
  const ceiling = state.ceilingPerSecond;
  if (ceiling !== undefined && Number.isFinite(ceiling)) return `${rate} of ${ceiling.toFixed(0)}/s stated`;
  return `${rate} learnt from 429s`;
}

function describeRun(user: SharedLimitUser): string {
  if (user.outcome !== null) {
    const { stored, failed, notStarted, stopped } = user.outcome;
    return `${stored} stored · ${failed} failed${notStarted > 0 ? ` · ${notStarted} not started` : ''}${stopped ? ' · stopped' : ''}`;
  }
  const progress = user.progress;
  if (progress === null) return `0/${user.rows} · starting`;
  return `${progress.done}/${user.rows} · ${progress.succeeded} stored · ${progress.failed} failed${progress.paused ? ' · paused: circuit open' : ''}`;
}

function rateLimitedOf(executor: Executor | undefined): number {
  return executor === undefined ? 0 : executor.getStats().rateLimitedAttempts;
}

/**
 * Starts more users importing contacts on this tab's API key, each with an executor and a pacer of its own that know
 * nothing of the others: the server's limit is all they share. Each row shows the user's circuit, its progress, the
 * 429s it met and the rate its pacer settled on, next to this tab's own; they keep importing while the Import page
 * runs this tab's import.
 */
export function SharedLimitCard(): ReactNode {
  const { circuits, httpClient, restUrl, config, pacer } = useDemoServices();
  const users = useSyncExternalStore(sharedLimitUsers.subscribe, sharedLimitUsers.get);
  const contacts = useCircuitEntries(circuits).find((entry) => entry.resource === 'contacts')?.executor;
  const [count, setCount] = useState(2);
  const [rows, setRows] = useState(200);
  // Rates and counters have no subscription: read them twice a second.
  const { value: live } = usePolled(
    () => ({ tab: pacer.getState(), users: users.map((user) => ({ pacer: user.pacer.getState(), rateLimited: rateLimitedOf(user.executor) })) }),
    500,
    [pacer, users],
  );
  const running = users.some((user) => user.outcome === null);

  const start = (): void => {
    sharedLimitUsers.start({ count, rows, concurrency: CONCURRENCY, httpClient, restUrl, openDurationMs: config.openDurationMs });
  };

  return (
    <Card data-testid="shared-limit">
      <CardHeader
        title="Users sharing the limit"
        subheader="More users importing contacts on this API key, each with its own executor and pacer: the server's limit is all they share"
      />
      <CardContent>
        <Stack spacing={2}>
          <Stack direction="row" spacing={2} sx={{ alignItems: 'center', flexWrap: 'wrap' }}>
            <SelectField label="More users" value={count} choices={USER_COUNTS} onChange={setCount} width={130} />
            <SelectField label="Rows each" value={rows} choices={ROW_COUNTS} onChange={setRows} width={130} />
            <Button variant="contained" startIcon={<GroupAddIcon />} disabled={running} onClick={start} data-testid="users-start">
              Start {count} more user{count === 1 ? '' : 's'}
            </Button>
            <Button variant="outlined" startIcon={<StopIcon />} disabled={!running} onClick={() => sharedLimitUsers.stop()} data-testid="users-stop">
              Stop
            </Button>
          </Stack>
          <Typography variant="body2" color="text.secondary">
            Start an import on the Import page too: this tab then shares the limit with them.
          </Typography>
          <Table size="small" aria-label="Users sharing the limit">
            <TableHead>
              <TableRow>
                <TableCell>User</TableCell>
                <TableCell>Circuit</TableCell>
                <TableCell>Rows</TableCell>
                <TableCell>429s met</TableCell>
                <TableCell>Pacer rate</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              <TableRow data-testid="shared-limit-row">
                <TableCell>this tab</TableCell>
                <TableCell>{contacts === undefined ? 'no contacts call yet' : <CircuitStatusChip executor={contacts} label="contacts" />}</TableCell>
                <TableCell>the Import page</TableCell>
                <TableCell>{rateLimitedOf(contacts)}</TableCell>
                <TableCell data-testid="shared-limit-rate">{live === undefined ? '…' : describePacer(live.tab)}</TableCell>
              </TableRow>
              {users.map((user, i) => {
                const seen = live?.users[i];
                return (
                <TableRow key={user.name} data-testid="shared-limit-row">
                  <TableCell>{user.name}</TableCell>
                  <TableCell>
                    <CircuitStatusChip executor={user.executor} label={user.name} />
                  </TableCell>
                  <TableCell data-testid="shared-limit-progress">{describeRun(user)}</TableCell>
                  <TableCell>{seen?.rateLimited ?? 0}</TableCell>
                  <TableCell data-testid="shared-limit-rate">{seen === undefined ? '…' : describePacer(seen.pacer)}</TableCell>
                </TableRow>
                );
              })}
            </TableBody>
          </Table>
        </Stack>
      </CardContent>
    </Card>
  );
}
