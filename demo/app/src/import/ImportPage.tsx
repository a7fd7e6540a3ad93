import PlayArrowIcon from '@mui/icons-material/PlayArrow';
import ReplayIcon from '@mui/icons-material/Replay';
import StopIcon from '@mui/icons-material/Stop';
import UploadFileIcon from '@mui/icons-material/UploadFile';
import { Alert, Box, Button, Card, CardContent, MenuItem, Stack, TextField, Typography } from '@mui/material';
import { useEffect, useMemo, useRef, useState, type ChangeEvent, type ReactNode } from 'react';
import { Title } from 'react-admin';
import { runBulk } from '../../../../src/index.js';
import { useDemoServices } from '../services/DemoServicesContext.js';
import { createContactImport } from './createContactImport.js';
import { generateContactsCsv, randomBatch } from './generateContactsCsv.js';
import { ImportProgressView } from './ImportProgressView.js';
import { ImportReportTable } from './ImportReportTable.js';
import { liveRunCounts, type ImportRunCounts } from './liveRunCounts.js';
import { planImport } from './planImport.js';
import { readContactsCsv } from './readContactsCsv.js';
import { toImportReport, type ImportReport } from './toImportReport.js';

interface RunState {
  readonly running: boolean;
  /** The counters of the run going on, or of the last run once it has ended. */
  readonly progress: ImportRunCounts | null;
  readonly report: ImportReport | null;
  /** 429s the embedded backend answered during the last run, or null when it cannot tell (a real Supabase). */
  readonly server429: number | null;
  readonly error: string | null;
}

const IDLE: RunState = { running: false, progress: null, report: null, server429: null, error: null };

/**
 * Imports contacts from CSV with `runBulk` through the contacts executor: every row ends exactly once, as imported or
 * in the report; rows that met a 429 wait out the server's Retry-After and go again; rows that fail the check are not
 * sent. "Retry failed rows" sends the rows that did not succeed again as the CSV has them now (corrected), with the
 * ids they were first sent with, so nothing is inserted twice (`planImport`). After Stop, the rows never sent are
 * "not started", apart from the failed ones; retries and 429s are the last run's.
 */
export function ImportPage(): ReactNode {
  const { circuits, httpClient, restUrl, control } = useDemoServices();
  const [csv, setCsv] = useState('');
  // Above the embedded backend's burst of 10: the first wave meets 429s, which the executor retries after Retry-After;
  // then the pacer, having learnt the limit from the RateLimit headers, keeps the rest under it. At 10 or less it is
  // paced from the start and no 429 is seen.
  const [concurrency, setConcurrency] = useState(20);
  const [run, setRun] = useState<RunState>(IDLE);
  const abortRef = useRef<AbortController | null>(null);
  const parsed = useMemo(() => readContactsCsv(csv), [csv]);
  const task = useMemo(() => createContactImport({ httpClient, restUrl }), [httpClient, restUrl]);

  // Leaving the page stops the import: rows not sent yet are reported as not started.
  useEffect(() => () => abortRef.current?.abort(new DOMException('The import page was closed.', 'AbortError')), []);

  const execute = async (previousReport: ImportReport | null): Promise<void> => {
    const plan = planImport(parsed.drafts, previousReport);
    const controller = new AbortController();
    abortRef.current = controller;
    setRun((previous) => ({ ...previous, running: true, progress: null, server429: null, error: null }));
    const before = await control.getStats().catch(() => null);
    try {
      const bulk = await runBulk(plan.items, task, {
        executor: circuits.getExecutor('contacts'),
        concurrency,
        idempotent: true,
        signal: controller.signal,
        // After Stop, runBulk ends the rows never sent at once, each counted as done: the counters stay as they were
        // until the report says which rows were not started.
        onProgress: (progress) => {
          if (!controller.signal.aborted) setRun((previous) => ({ ...previous, progress: liveRunCounts(progress, plan.invalid.length) }));
        },
      });
      const report = toImportReport(plan, bulk);
      const after = before === null ? null : await control.getStats().catch(() => null);
      const server429 = before === null || after === null ? null : Math.max(0, after.rateLimited - before.rateLimited);
      setRun((previous) => ({ ...previous, running: false, report, progress: report.lastRun, server429 }));
    } catch (error) {
      // runBulk reports row failures in the report; an error here is a bug or a bad option: show it.
      setRun((previous) => ({ ...previous, running: false, error: error instanceof Error ? error.message : String(error) }));
    } finally {
      if (abortRef.current === controller) abortRef.current = null;
    }
  };

  const startImport = (): void => {
    setRun(IDLE);
    void execute(null);
  };
  const retryFailed = (): void => {
    if (run.report !== null) void execute(run.report);
  };
  const upload = (event: ChangeEvent<HTMLInputElement>): void => {
    const file = event.target.files?.[0];
    event.target.value = '';
    if (file === undefined) return;
    file.text().then(setCsv, (error: unknown) => setRun({ ...IDLE, error: `Could not read ${file.name}: ${String(error)}` }));
  };

  const { report, progress, running } = run;
  const canImport = !running && parsed.drafts.length > 0 && parsed.problems.length === 0;
  const canRetry = !running && report !== null && report.failed + report.notStarted > 0 && parsed.problems.length === 0;

  return (
    <Box sx={{ mt: 2, mb: 4 }}>
      <Title title="Import contacts" />
      <Card>
        <CardContent>
          <Stack spacing={2}>
            <Typography variant="body2" color="text.secondary">
              Columns: first_name, last_name, email, company, status (lead, prospect, customer). Rows go through the contacts
              executor with runBulk: a 429 is retried after the server's Retry-After, requests are paced to its RateLimit
              headers, and each row keeps the id it got here, so a retry can never insert it twice.
            </Typography>
            <Stack direction="row" spacing={1} sx={{ flexWrap: 'wrap', alignItems: 'center' }}>
              <Button variant="outlined" onClick={() => setCsv(generateContactsCsv(300, randomBatch()))} disabled={running} data-testid="import-generate">
                Generate 300 rows
              </Button>
              <Button variant="outlined" component="label" startIcon={<UploadFileIcon />} disabled={running}>
                Upload CSV
                <input hidden type="file" accept=".csv,text/csv,text/plain" onChange={upload} data-testid="import-file" />
              </Button>
              <TextField
                select
                size="small"
                label="Concurrency"
                value={concurrency}
                onChange={(e) => setConcurrency(Number(e.target.value))}
                sx={{ width: 140 }}
                disabled={running}
                slotProps={{ htmlInput: { 'data-testid': 'import-concurrency' } }}
              >
                {[1, 5, 10, 20, 50].map((n) => (
                  <MenuItem key={n} value={n}>
                    {n} at once
                  </MenuItem>
                ))}
              </TextField>
            </Stack>
            <TextField
              label="CSV"
              multiline
              minRows={6}
              maxRows={12}
              value={csv}
              onChange={(e) => setCsv(e.target.value)}
              placeholder={'first_name,last_name,email,company,status\nAda,Lovelace,ada@example.com,"Engines, Ltd",customer'}
              slotProps={{ htmlInput: { 'data-testid': 'import-csv', spellCheck: false, style: { fontFamily: 'monospace', fontSize: 13 } } }}
            />
            <Typography variant="body2" data-testid="import-parsed">
              {parsed.drafts.length} row(s) read
              {parsed.ignoredColumns.length > 0 ? ` · ignored columns: ${parsed.ignoredColumns.join(', ')}` : ''}
            </Typography>
            {csv.trim() === '' ? null : parsed.problems.map((problem, i) => (
              <Alert key={i} severity="error">
                Line {problem.line}: {problem.message}
              </Alert>
            ))}
            <Stack direction="row" spacing={1}>
              <Button variant="contained" startIcon={<PlayArrowIcon />} disabled={!canImport} onClick={startImport} data-testid="import-start">
                Import {parsed.drafts.length > 0 ? `${parsed.drafts.length} rows` : ''}
              </Button>
              <Button
                variant="outlined"
                startIcon={<ReplayIcon />}
                disabled={!canRetry}
                onClick={retryFailed}
                data-testid="import-retry-failed"
              >
                Retry failed rows
              </Button>
              <Button color="warning" startIcon={<StopIcon />} disabled={!running} onClick={() => abortRef.current?.abort(new DOMException('Stopped by the user.', 'AbortError'))}>
                Stop
              </Button>
            </Stack>
          </Stack>
        </CardContent>
      </Card>

      {progress === null && report === null && run.error === null ? null : (
        <Card sx={{ mt: 2 }}>
          <CardContent>
            <Stack spacing={2}>
              {progress === null ? null : <ImportProgressView counts={progress} />}
              {run.error === null ? null : <Alert severity="error">{run.error}</Alert>}
              {report === null || running ? null : (
                <Alert severity={report.failed + report.notStarted === 0 ? 'success' : 'warning'}>
                  <strong data-testid="import-summary">
                    {report.succeeded} imported, {report.failed} failed{report.notStarted === 0 ? '' : `, ${report.notStarted} not started`}
                  </strong>
                  {' · last run: '}
                  <span data-testid="import-last-run-retries">{report.lastRun.retries} retries</span>
                  {run.server429 === null ? null : (
                    <>
                      {' · '}
                      <span data-testid="import-server-429">the server answered 429 {run.server429} time(s)</span>
                    </>
                  )}
                  {report.wasAborted ? ' · stopped before the end' : null}
                </Alert>
              )}
              {report === null || running ? null : <ImportReportTable rows={report.rows} />}
            </Stack>
          </CardContent>
        </Card>
      )}
    </Box>
  );
}
