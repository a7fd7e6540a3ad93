import { CONTACT_COLUMNS, CONTACT_STATUSES } from './readContactsCsv.js';
import { toCsvField } from './parseCsv.js';

const FIRST_NAMES = ['Ada', 'Grace', 'Alan', 'Edsger', 'Barbara', 'Donald', 'Frances', 'John', 'Margaret', 'Niklaus', 'Radia', 'Ken'];
const LAST_NAMES = ['Lovelace', 'Hopper', 'Turing', 'Dijkstra', 'Liskov', 'Knuth', 'Allen', 'Backus', 'Hamilton', 'Wirth', "O'Neil", 'Thompson'];
const COMPANIES = ['Analytical Engines', 'Compilers Inc', 'Bletchley Labs', 'Shortest Paths BV', 'Substitution Co', 'TeX Works', 'Spanning Trees, Ltd'];

/** The domain of generated addresses (`.example` is reserved, RFC 2606). */
export const GENERATED_EMAIL_DOMAIN = 'import.example';

/** A fresh `batch` for {@link generateContactsCsv}: four lower-case letters or digits. */
export function randomBatch(): string {
  return Math.random().toString(36).slice(2, 6).padEnd(4, '0');
}

/**
 * Writes a contacts CSV of `count` rows with unique e-mail addresses under {@link GENERATED_EMAIL_DOMAIN}. `batch`
 * goes into every address, so two generated files never collide; some companies contain a comma, so their fields
 * are quoted, as a spreadsheet would write them.
 *
 * @example
 * generateContactsCsv(2, 'k3f9').split('\n')[1] // 'Ada,Lovelace,ada.lovelace.1.k3f9@import.example,Compilers Inc,prospect'
 */
export function generateContactsCsv(count: number, batch: string): string {
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`generateContactsCsv: count must be an integer >= 0, got ${count}.`);
  if (!/^[a-z0-9]+$/.test(batch)) throw new RangeError(`generateContactsCsv: batch must be lower-case letters and digits, got ${JSON.stringify(batch)}.`);
  const lines = [CONTACT_COLUMNS.join(',')];
  for (let i = 1; i <= count; i++) {
    const first = FIRST_NAMES[(i - 1) % FIRST_NAMES.length]!;
    const last = LAST_NAMES[Math.floor((i - 1) / FIRST_NAMES.length) % LAST_NAMES.length]!;
    const local = `${first}.${last}`.toLowerCase().replace(/[^a-z.]/g, '');
    const row = [first, last, `${local}.${i}.${batch}@${GENERATED_EMAIL_DOMAIN}`, COMPANIES[i % COMPANIES.length]!, CONTACT_STATUSES[i % CONTACT_STATUSES.length]!];
    lines.push(row.map((value) => toCsvField(value)).join(','));
  }
  return `${lines.join('\n')}\n`;
}
