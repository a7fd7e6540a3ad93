import type { Meta, StoryObj } from '@storybook/react-vite';
import { useState, type ReactNode } from 'react';
import { acceptedContacts, importContacts, type ContactsImport } from './support/contactsImport.js';
import { ImportReportTable } from './support/ImportReportTable.js';
import { loadedValue } from './support/loadedValue.js';

/** The report of a real `runBulk` run, with a working "Retry failed rows" button. */
function ImportReportScreen(props: { readonly run: ContactsImport }): ReactNode {
  const { run } = props;
  const [report, setReport] = useState(run.report);
  const [retrying, setRetrying] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const retry = async (): Promise<void> => {
    setRetrying(true);
    setError(null);
    try {
      setReport(await run.retryFailed(report));
    } catch (caught) {
      setError(caught);
    } finally {
      setRetrying(false);
    }
  };

  return (
    <>
      <ImportReportTable report={report} retrying={retrying} onRetryFailed={() => void retry()} />
      {error === null ? null : <p role="alert">The retry could not run: {String(error)}</p>}
    </>
  );
}

// CSF requires the `meta` as the default export (see CircuitStatusBadge.stories.tsx).
const meta = {
  title: 'Bulk/ImportReport',
  component: ImportReportTable,
  parameters: { layout: 'padded' },
} satisfies Meta<typeof ImportReportTable>;

export default meta;
// The report comes from each story's loader, not from args: every prop is optional here.
type Story = StoryObj<typeof ImportReportTable>;

/**
 * Nine contacts imported one at a time through a real executor, against a fake server that takes 300 ms a row on a
 * simulated clock: four go in, one of them after a 429 and its retry; one has two invalid fields (400), one repeats an
 * email (409), one meets an outage (500) that opens the circuit, and the last two are refused unsent while it is open.
 * "Retry failed rows" waits out the open minute on the simulated clock and sends the five failed rows again: the three
 * the outage stopped go in, the two bad rows fail again.
 */
export const AfterAnImport: Story = {
  loaders: [async () => ({ run: await importContacts() })],
  render: (_args, { loaded }) => <ImportReportScreen run={loadedValue<ContactsImport>(loaded, 'run')} />,
};

/** Every row went in (one after a 429 and its retry): no table, no button. */
export const AllImported: Story = {
  loaders: [async () => ({ run: await importContacts(acceptedContacts) })],
  render: (_args, { loaded }) => <ImportReportScreen run={loadedValue<ContactsImport>(loaded, 'run')} />,
};

/** While the failed rows are being sent again, the button is disabled and says so. */
export const Retrying: Story = {
  loaders: [async () => ({ run: await importContacts() })],
  render: (_args, { loaded }) => <ImportReportTable report={loadedValue<ContactsImport>(loaded, 'run').report} retrying onRetryFailed={() => undefined} />,
};
