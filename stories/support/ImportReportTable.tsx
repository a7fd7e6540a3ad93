import { useId, type CSSProperties, type ReactNode } from 'react';
import type { BulkReport } from '../../src/index.js';

/** The parts of a `BulkReport` an import screen shows; any `BulkReport` from `runBulk` fits. */
export type ImportReportSummary = Pick<BulkReport<unknown, unknown>, 'total' | 'succeeded' | 'failed' | 'retries' | 'errors'>;

/** Props of {@link ImportReportTable}. */
export interface ImportReportTableProps {
  readonly report: ImportReportSummary;
  /** Shows a "Retry failed rows" button while rows failed; called when it is pressed. */
  readonly onRetryFailed?: () => void;
  /** The failed rows are being sent again: the button is disabled and says so. */
  readonly retrying?: boolean;
  /** The heading above the report. Default "Import report". */
  readonly title?: string;
}

const cell: CSSProperties = { padding: '0.35em 0.75em', borderBottom: '1px solid #d0d4d9', textAlign: 'left', verticalAlign: 'top' };
const headerCell: CSSProperties = { ...cell, borderBottomWidth: 2, fontWeight: 600 };
const number: CSSProperties = { ...cell, textAlign: 'right', fontVariantNumeric: 'tabular-nums' };

function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}

/**
 * What an import screen shows after `runBulk`: the totals (imported, failed, retries) and one table line per problem
 * of each failed row (row, field, message, code), with a "Retry failed rows" button. Presentational and free of any UI
 * kit: give it the report, and what to do on retry.
 *
 * @example
 * const [report, setReport] = useState(firstReport)
 * <ImportReportTable report={report} onRetryFailed={async () => setReport(await report.retryFailed())} />
 */
export function ImportReportTable(props: ImportReportTableProps): ReactNode {
  const { report, onRetryFailed, retrying = false, title = 'Import report' } = props;
  const headingId = useId();
  return (
    <section aria-labelledby={headingId} style={{ fontFamily: 'system-ui, sans-serif', maxWidth: '60rem' }}>
      <h2 id={headingId} style={{ fontSize: '1.25rem', margin: '0 0 0.5em' }}>
        {title}
      </h2>
      <dl style={{ display: 'flex', gap: '2em', margin: '0 0 1em' }}>
        <Total label="Imported" value={`${report.succeeded} of ${report.total}`} />
        <Total label="Failed" value={String(report.failed)} />
        <Total label="Retries" value={String(report.retries)} />
      </dl>
      {report.failed === 0 ? (
        <p role="status">{report.total === 0 ? 'There was nothing to import.' : `All ${plural(report.total, 'row was', 'rows were')} imported.`}</p>
      ) : (
        <>
          <table style={{ borderCollapse: 'collapse', width: '100%' }}>
            <caption style={{ textAlign: 'left', paddingBottom: '0.5em' }}>
              {plural(report.failed, 'row was', 'rows were')} not imported
            </caption>
            <thead>
              <tr>
                <th scope="col" style={{ ...headerCell, textAlign: 'right' }}>
                  Row
                </th>
                <th scope="col" style={headerCell}>
                  Field
                </th>
                <th scope="col" style={headerCell}>
                  Message
                </th>
                <th scope="col" style={headerCell}>
                  Code
                </th>
              </tr>
            </thead>
            <tbody>
              {report.errors.flatMap((row) =>
                row.errors.map((error, n) => (
                  <tr key={`${row.index}:${n}`}>
                    <td style={number}>{row.row}</td>
                    <td style={cell}>{error.field ?? <span aria-label="the whole row">—</span>}</td>
                    <td style={cell}>{error.message}</td>
                    <td style={cell}>
                      <code>{error.code}</code>
                    </td>
                  </tr>
                )),
              )}
            </tbody>
          </table>
          {onRetryFailed === undefined ? null : (
            <button type="button" onClick={onRetryFailed} disabled={retrying} style={{ marginTop: '1em', font: 'inherit', padding: '0.4em 1em' }}>
              {retrying ? 'Retrying failed rows…' : 'Retry failed rows'}
            </button>
          )}
        </>
      )}
    </section>
  );
}

function Total(props: { label: string; value: string }): ReactNode {
  return (
    <div>
      <dt style={{ fontSize: '0.8em', color: '#4a5058' }}>{props.label}</dt>
      <dd style={{ margin: 0, fontSize: '1.4em', fontVariantNumeric: 'tabular-nums' }}>{props.value}</dd>
    </div>
  );
}
