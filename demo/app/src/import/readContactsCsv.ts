import { parseCsv, type CsvProblem } from './parseCsv.js';

/** The columns of a contacts CSV, in the order the generator writes them. */
export const CONTACT_COLUMNS = ['first_name', 'last_name', 'email', 'company', 'status'] as const;

export type ContactColumn = (typeof CONTACT_COLUMNS)[number];

/** The statuses the demo knows; an empty status is allowed too. */
export const CONTACT_STATUSES = ['lead', 'prospect', 'customer'] as const;

/** One data line of the CSV, as read: every column a string (empty when absent), and the line it came from. */
export interface ContactDraft extends Readonly<Record<ContactColumn, string>> {
  readonly line: number;
  /** Fields on the row's line, and on the header's: a row with fewer was cut short (a lost comma or quote). */
  readonly fieldCount: number;
  readonly headerFieldCount: number;
}

/** What {@link readContactsCsv} found. */
export interface ContactsCsv {
  readonly drafts: readonly ContactDraft[];
  /** Problems that stop the import: a missing column, a broken quote. */
  readonly problems: readonly CsvProblem[];
  /** Header columns the import ignores. */
  readonly ignoredColumns: readonly string[];
}

/**
 * Reads a contacts CSV whose first line names the columns (any order, any case, extra columns ignored):
 * `first_name,last_name,email,company,status`. Values are trimmed. The rows are not validated here: each one is
 * checked when it is imported, so that its problems land in the import report with its row number.
 *
 * @example
 * readContactsCsv('email,first_name\nada@example.com,Ada').drafts
 * // [{ line: 2, fieldCount: 2, headerFieldCount: 2, first_name: 'Ada', last_name: '', email: 'ada@example.com', company: '', status: '' }]
 */
export function readContactsCsv(text: string): ContactsCsv {
  const { records, problems } = parseCsv(text);
  const [header, ...rows] = records;
  if (header === undefined) return { drafts: [], problems: [...problems, { line: 1, message: 'The CSV is empty: paste or upload a file with a header line.' }], ignoredColumns: [] };

  const names = header.fields.map((name) => name.trim().toLowerCase());
  const found = new Map<string, number>();
  names.forEach((name, index) => {
    if (!found.has(name)) found.set(name, index);
  });
  const missing = CONTACT_COLUMNS.filter((column) => !found.has(column));
  const allProblems = [...problems];
  if (missing.includes('email')) {
    allProblems.push({ line: header.line, message: `The header has no "email" column (found: ${names.join(', ') || 'nothing'}).` });
  }
  const ignoredColumns = names.filter((name) => name !== '' && !(CONTACT_COLUMNS as readonly string[]).includes(name));

  const drafts = rows.map((row): ContactDraft => {
    const value = (column: ContactColumn): string => {
      const index = found.get(column);
      return index === undefined ? '' : (row.fields[index] ?? '').trim();
    };
    return {
      line: row.line,
      fieldCount: row.fields.length,
      headerFieldCount: header.fields.length,
      first_name: value('first_name'),
      last_name: value('last_name'),
      email: value('email'),
      company: value('company'),
      status: value('status'),
    };
  });
  return { drafts, problems: allProblems, ignoredColumns };
}
