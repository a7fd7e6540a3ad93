import { toImportItem, type ImportItem } from './createContactImport.js';
import type { ContactDraft } from './readContactsCsv.js';
import type { ImportReport, ImportRowOutcome } from './toImportReport.js';
import { validateContact } from './validateContact.js';

/** What one run of the import sends, refuses and leaves alone. */
export interface ImportPlan {
  /** The rows to send, in CSV order, and the CSV index (0-based) of each. */
  readonly items: readonly ImportItem[];
  readonly indices: readonly number[];
  /** Rows that fail the check: never sent, reported as failed with their line and field. */
  readonly invalid: readonly ImportRowOutcome[];
  /** Rows of the previous report left as they were: the imported ones. */
  readonly kept: readonly ImportRowOutcome[];
}

/**
 * Plans a run over the CSV's current rows. Without `previous`, every row, each with a new id. With it ("Retry failed
 * rows"), only the rows that did not succeed, read again from `drafts` at their index, so a row corrected in the CSV
 * is sent corrected, under the id its first send used (a row whose answer was lost is not inserted twice); a row the
 * CSV no longer has stays as it was reported. Either way, a row that fails `validateContact` is not sent.
 *
 * @example
 * const plan = planImport(readContactsCsv(csv).drafts, report) // report: the ImportReport of the last run
 * toImportReport(plan, await runBulk(plan.items, task, options))
 */
export function planImport(drafts: readonly ContactDraft[], previous: ImportReport | null = null, randomUUID: () => string = () => crypto.randomUUID()): ImportPlan {
  const items: ImportItem[] = [];
  const indices: number[] = [];
  const invalid: ImportRowOutcome[] = [];
  const kept: ImportRowOutcome[] = [];
  const consider = (index: number, item: ImportItem): void => {
    const problems = validateContact(item.draft);
    if (problems.length > 0) {
      invalid.push({ index, item, status: 'failed', problems });
      return;
    }
    items.push(item);
    indices.push(index);
  };
  if (previous === null) {
    drafts.forEach((draft, index) => consider(index, toImportItem(draft, randomUUID())));
  } else {
    for (const row of previous.rows) {
      const draft = drafts[row.index];
      if (row.status === 'succeeded' || draft === undefined) kept.push(row);
      else consider(row.index, toImportItem(draft, row.item.row.id));
    }
  }
  return { items, indices, invalid, kept };
}
