import PlayArrowIcon from '@mui/icons-material/PlayArrow';
import ReplayIcon from '@mui/icons-material/Replay';
import StopIcon from '@mui/icons-material/Stop';
import UploadFileIcon from '@mui/icons-material/UploadFile';
import { Alert, Box, Button, Card, CardContent, MenuItem, Stack, TextField, Typography } from '@mui/material';
import { useEffect, useMemo, useRef, useState, type ChangeEvent, type ReactNode } from 'react';
import { Title } from 'react-admin';
import { runBulk, type BulkOptions, type BulkProgress, type BulkReport } from '../../../../src/index.js';
import type { HttpClientResponse } from '../../../../src/ra-core/index.js';
import { useDemoServices } from '../services/DemoServicesContext.js';
import { createContactImport, toImportItems, type ImportItem } from './createContactImport.js';
import { generateContactsCsv } from './generateContactsCsv.js';
import { ImportProgressView } from './ImportProgressView.js';
import { ImportReportTable } from './ImportReportTable.js';
import { readContactsCsv } from './readContactsCsv.js';

type Report = BulkReport<ImportItem, HttpClientResponse>;

interface RunState {
  readonly running: boolean;
  readonly progress: BulkProgress | null;
  readonly report: Report | null;
  /** 429s the embedded backend answered during the last run, or null when it cannot tell (a real Supabase). */
  readonly server429: number | null;
  readonly error: string | null;
}

const IDLE: RunState = { running: false, progress: null, report: null, server429: null, error: null };

function randomBatch(): string {
  return Math.random().toString(36).slice(2, 6).padEnd(4, '0');
}

/**
 * Imports contacts from CSV with `runBulk` through the contacts executor: every row ends exactly once, as imported or
 * in the report; rows that met a 429 wait out the server's Retry-After and go again; "Retry failed rows" sends only
 * the failed ones again (`report.retryFailed()`), with the same ids, so nothing is inserted twice.
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

  const execute = async (start: (options: BulkOptions) => Promise<Report>): Promise<void> => {
    const controller = new AbortController();
    abortRef.current = controller;
    setRun((previous) => ({ ...previous, running: true, progress: null, server429: null, error: null }));
    const before = await control.getStats().catch(() => null);
    try {
      const report = await start({
        executor: circuits.getExecutor('contacts'),
        concurrency,
        idempotent: true,
        signal: controller.signal,
        onProgress: (progress) => setRun((previous) => ({ ...previous, progress })),
      });
      const after = before === null ? null : await control.getStats().catch(() => null);
      const server429 = before === null || after === null ? null : Math.max(0, after.rateLimited - before.rateLimited);
      setRun((previous) => ({ ...previous, running: false, report, server429 }));
    } catch (error) {
      // runBulk reports row failures in the report; an error here is a bug or a bad option: show it.
      setRun((previous) => ({ ...previous, running: false, error: error instanceof Error ? error.message : String(error) }));
    } finally {
      if (abortRef.current === controller) abortRef.current = null;
    }
  };

  const startImport = (): void => {
    const items = toImportItems(parsed.drafts);
    setRun(IDLE);
    void execute((options) => runBulk(items, task, options));
  };
  const retryFailed = (): void => {
    const report = run.report;
    if (report !== null) void execute((options) => report.retryFailed(options));
  };
  const upload = (event: ChangeEvent<HTMLInputElement>): void => {
    const file = event.target.files?.[0];
    event.target.value = '';
    if (file === undefined) return;
    file.text().then(setCsv, (error: unknown) => setRun({ ...IDLE, error: `Could not read ${file.name}: ${String(error)}` }));
  };

  const { report, progress, running } = run;
  const canImport = !running && parsed.drafts.length > 0 && parsed.problems.length === 0;
  const lineOf = (index: number): number => report?.results[index]?.item.draft.line ?? index + 2;

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
                disabled={running || report === null || report.failedCount === 0}
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
              {progress === null ? null : <ImportProgressView progress={progress} />}
              {run.error === null ? null : <Alert severity="error">{run.error}</Alert>}
              {report === null || running ? null : (
                <Alert severity={report.failedCount === 0 ? 'success' : 'warning'}>
                  <strong data-testid="import-summary">
                    {report.successCount} imported, {report.failedCount} failed
                  </strong>
                  {' · '}
                  {report.retryCount} retries
                  {run.server429 === null ? null : (
                    <>
                      {' · '}
                      <span data-testid="import-server-429">the server answered 429 {run.server429} time(s)</span>
                    </>
                  )}
                  {report.aborted ? ' · stopped before the end' : null}
                </Alert>
              )}
              {report === null || running ? null : <ImportReportTable errors={report.errors} lineOf={lineOf} />}
            </Stack>
          </CardContent>
        </Card>
      )}
    </Box>
  );
}
