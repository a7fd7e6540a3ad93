import { Alert, Box, Button, Card, CardContent, CardHeader, Stack, Table, TableBody, TableCell, TableContainer, TableHead, TableRow } from '@mui/material';
import type { ReactNode } from 'react';
import { Title } from 'react-admin';
import { useDemoServices } from '../services/DemoServicesContext.js';
import { useEventLog } from './useEventLog.js';

function time(at: number): string {
  const d = new Date(at);
  return `${d.toLocaleTimeString(undefined, { hour12: false })}.${String(d.getMilliseconds()).padStart(3, '0')}`;
}

/**
 * The offline event log: the last 200 inspection events of every actor the executors created (the feed the Stately
 * inspector draws), and the executors' own log lines. With `?inspect`, the same events also go to stately.ai/inspect.
 */
export function EventLogPage(): ReactNode {
  const { eventLog, inspector } = useDemoServices();
  const { inspection, log, inspectionTotal } = useEventLog(eventLog);
  return (
    <Box sx={{ mt: 2, mb: 4 }}>
      <Title title="Event log" />
      <Stack spacing={2}>
        {inspector === null ? (
          <Alert severity="info">
            Open the app with <code>?inspect</code> (for example <code>http://localhost:5173/?inspect</code>) to also send these
            events to the Stately inspector, which draws the machines live; it runs on stately.ai and needs internet. This log
            works offline.
          </Alert>
        ) : (
          <Alert
            severity="info"
            action={
              <Button color="inherit" size="small" onClick={() => inspector.start()}>
                Open inspector
              </Button>
            }
          >
            Connected to the Stately inspector (stately.ai/inspect, needs internet; allow the pop-up). Events are held until its
            window opens.
          </Alert>
        )}
        <Card>
          <CardHeader
            title="Machine events"
            subheader={`${inspectionTotal} inspection events; the last ${inspection.length} shown, newest first. A call that succeeds first time creates no actor.`}
            action={<Button onClick={() => eventLog.clear()}>Clear</Button>}
          />
          <CardContent>
            <TableContainer sx={{ maxHeight: 480 }} tabIndex={0} role="region" aria-label="Machine events">
              <Table size="small" stickyHeader data-testid="event-log">
                <TableHead>
                  <TableRow>
                    <TableCell>time</TableCell>
                    <TableCell>actor</TableCell>
                    <TableCell>event</TableCell>
                    <TableCell>state</TableCell>
                  </TableRow>
                </TableHead>
                <TableBody>
                  {inspection.map((line) => (
                    <TableRow key={line.seq} data-testid="event-log-row">
                      <TableCell>{time(line.at)}</TableCell>
                      <TableCell>
                        {line.machine} <code>{line.actorId}</code>
                      </TableCell>
                      <TableCell>
                        <code>{line.eventType}</code>
                      </TableCell>
                      <TableCell>
                        <code>{line.state}</code>
                      </TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            </TableContainer>
          </CardContent>
        </Card>
        <Card>
          <CardHeader title="Executor log" subheader="What the executors' logger option receives" />
          <CardContent>
            <TableContainer sx={{ maxHeight: 320 }} tabIndex={0} role="region" aria-label="Executor log">
              <Table size="small" stickyHeader>
                <TableBody>
                  {log.map((line) => (
                    <TableRow key={line.seq}>
                      <TableCell sx={{ whiteSpace: 'nowrap' }}>{time(line.at)}</TableCell>
                      <TableCell>{line.level}</TableCell>
                      <TableCell>{typeof line.context === 'string' ? line.context : ''}</TableCell>
                      <TableCell>{line.message}</TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            </TableContainer>
          </CardContent>
        </Card>
      </Stack>
    </Box>
  );
}
