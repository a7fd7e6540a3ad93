import {
  Alert,
  Box,
  Button,
  Card,
  CardContent,
  CardHeader,
  Dialog,
  DialogActions,
  DialogContent,
  DialogContentText,
  DialogTitle,
  FormControlLabel,
  MenuItem,
  Stack,
  Switch,
  TextField,
  Typography,
} from '@mui/material';
import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { usePolled } from '../circuits/usePolled.js';
import type { BackendFaults, BackendRateLimit } from '../services/createControlClient.js';
import { useDemoServices } from '../services/DemoServicesContext.js';

const RATES_503 = [0, 0.1, 0.3, 0.5, 1];
const LATENCIES = [0, 250, 1000, 3000];

/**
 * The embedded backend's fault switches (outage, share of 503s, latency) and rate limiter, and its request counters,
 * through its `/__control` routes. With a real Supabase project these routes do not exist and the card says so.
 */
export function FaultsCard(): ReactNode {
  const { control } = useDemoServices();
  const [faults, setFaults] = useState<BackendFaults | null>(null);
  const [rateLimit, setRateLimit] = useState<BackendRateLimit | null>(null);
  const [error, setError] = useState<string | null>(null);
  const stats = usePolled(() => control.getStats(), 1000, [control]);
  const [confirmReset, setConfirmReset] = useState(false);
  const reset = (): void => {
    setConfirmReset(false);
    control.reset().then(() => setError(null), report);
  };

  const report = useCallback((e: unknown) => setError(e instanceof Error ? e.message : String(e)), []);
  useEffect(() => {
    control.getFaults().then(setFaults, report);
    control.getRateLimit().then(setRateLimit, report);
  }, [control, report]);

  const patchFaults = (patch: Partial<BackendFaults>): void => {
    control.setFaults(patch).then((next) => {
      setError(null);
      setFaults(next);
    }, report);
  };
  const toggleRateLimit = (on: boolean): void => {
    control.setRateLimit(on ? {} : false).then(setRateLimit, report);
  };

  if (faults === null && error !== null) {
    return (
      <Card>
        <CardHeader title="Backend faults" />
        <CardContent>
          <Alert severity="info" data-testid="control-unavailable">
            {error}
          </Alert>
        </CardContent>
      </Card>
    );
  }
  return (
    <Card>
      <CardHeader title="Backend faults" subheader="Switches of the embedded backend (/__control), applied to the next request" />
      <CardContent>
        <Stack spacing={2}>
          {error === null ? null : <Alert severity="error">{error}</Alert>}
          <FormControlLabel
            data-testid="outage-switch"
            control={<Switch checked={faults?.outage ?? false} onChange={(e) => patchFaults({ outage: e.target.checked })} color="error" />}
            label={faults?.outage ? 'Outage: every REST request answers 503' : 'Outage off'}
          />
          <Stack direction="row" spacing={2}>
            <TextField
              select
              size="small"
              label="Random 503s"
              value={faults?.status503Rate ?? 0}
              onChange={(e) => patchFaults({ status503Rate: Number(e.target.value) })}
              sx={{ minWidth: 200 }}
              slotProps={{ htmlInput: { 'data-testid': 'rate503-select' } }}
            >
              {RATES_503.map((rate) => (
                <MenuItem key={rate} value={rate}>
                  {rate * 100}% of requests
                </MenuItem>
              ))}
            </TextField>
            <TextField
              select
              size="small"
              label="Latency"
              value={faults?.latencyMs ?? 0}
              onChange={(e) => patchFaults({ latencyMs: Number(e.target.value) })}
              sx={{ width: 140 }}
              slotProps={{ htmlInput: { 'data-testid': 'latency-select' } }}
            >
              {LATENCIES.map((ms) => (
                <MenuItem key={ms} value={ms}>
                  {ms} ms
                </MenuItem>
              ))}
            </TextField>
          </Stack>
          <FormControlLabel
            data-testid="rate-limit-switch"
            control={<Switch checked={rateLimit?.enabled ?? false} onChange={(e) => toggleRateLimit(e.target.checked)} />}
            label={
              rateLimit === null
                ? 'Rate limiter'
                : rateLimit.enabled
                  ? `Rate limit: ${rateLimit.ratePerSecond} req/s per client, burst ${rateLimit.burst} (429 + Retry-After)`
                  : 'Rate limiter off'
            }
          />
          <Box data-testid="backend-stats">
            <Typography variant="subtitle2">Server counters</Typography>
            {stats.value === undefined ? (
              <Typography variant="body2">…</Typography>
            ) : (
              <Typography variant="body2">
                {stats.value.requests} requests · {stats.value.rateLimited} answered 429 ·{' '}
                {Object.entries(stats.value.byStatus)
                  .map(([status, n]) => `${status}: ${n}`)
                  .join(', ') || 'none yet'}
              </Typography>
            )}
          </Box>
          <Box>
            <Button size="small" onClick={() => setConfirmReset(true)} data-testid="reset-backend">
              Reset data and counters
            </Button>
            <Dialog open={confirmReset} onClose={() => setConfirmReset(false)} aria-labelledby="reset-backend-title" aria-describedby="reset-backend-text">
              <DialogTitle id="reset-backend-title">Reset data and counters?</DialogTitle>
              <DialogContent>
                <DialogContentText id="reset-backend-text">
                  Every contact, opportunity and segment goes back to the seed data, and the server counters go back to 0. This cannot be undone.
                </DialogContentText>
              </DialogContent>
              <DialogActions>
                <Button onClick={() => setConfirmReset(false)} autoFocus>
                  Cancel
                </Button>
                <Button color="error" onClick={reset} data-testid="reset-backend-confirm">
                  Reset
                </Button>
              </DialogActions>
            </Dialog>
          </Box>
        </Stack>
      </CardContent>
    </Card>
  );
}
