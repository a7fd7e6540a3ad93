import { describe, expect, it } from 'vitest';
import { generateContactsCsv, GENERATED_EMAIL_DOMAIN } from '../../demo/app/src/import/generateContactsCsv.js';
import { readContactsCsv } from '../../demo/app/src/import/readContactsCsv.js';
import { toImportItems } from '../../demo/app/src/import/createContactImport.js';
import { validateContact } from '../../demo/app/src/import/validateContact.js';

describe('reading a contacts CSV', () => {
  it('maps columns by header name in any order and case, trims values, and names the ignored columns', () => {
    const { drafts, problems, ignoredColumns } = readContactsCsv('Email , NOTES,first_name\n ada@example.com ,x, Ada \n');
    expect(problems).toEqual([]);
    expect(ignoredColumns).toEqual(['notes']);
    expect(drafts).toEqual([
      { line: 2, fieldCount: 3, headerFieldCount: 3, first_name: 'Ada', last_name: '', email: 'ada@example.com', company: '', status: '' },
    ]);
  });

  it('stops on a CSV without an email column or without any line', () => {
    expect(readContactsCsv('name,company\nAda,Engines').problems).toEqual([
      { line: 1, message: 'The header has no "email" column (found: name, company).' },
    ]);
    expect(readContactsCsv('').problems).toHaveLength(1);
  });

  it('reads back the 300 rows the generator writes, all valid, with 300 distinct e-mail addresses', () => {
    const { drafts, problems } = readContactsCsv(generateContactsCsv(300, 'k3f9'));
    expect(problems).toEqual([]);
    expect(drafts).toHaveLength(300);
    expect(new Set(drafts.map((d) => d.email)).size).toBe(300);
    expect(drafts.every((d) => d.email.endsWith(`.k3f9@${GENERATED_EMAIL_DOMAIN}`))).toBe(true);
    expect(drafts.filter((d) => validateContact(d).length > 0)).toEqual([]);
    // Companies with a comma were quoted and come back whole.
    expect(drafts.some((d) => d.company === 'Spanning Trees, Ltd')).toBe(true);
  });

  it('names each invalid column of a row', () => {
    const draft = { line: 2, fieldCount: 5, headerFieldCount: 5, first_name: '', last_name: '', email: 'ada', company: '', status: 'vip' };
    expect(validateContact(draft)).toEqual([
      { field: 'email', message: 'Not an email address: "ada".', code: 'VALIDATION' },
      { field: 'status', message: 'Unknown status "vip" (lead, prospect, customer or empty).', code: 'VALIDATION' },
      { field: 'first_name', message: 'A first or a last name is required.', code: 'VALIDATION' },
    ]);
  });

  it('reports a row with fewer fields than the header as too few columns, not as a bad e-mail', () => {
    const csv = ['first_name,last_name,email,company', 'Ada,Lovelace,ada@example.com,Engines', 'Grace,Hopper', ',,,', 'Alan,Turing,alan@example.com,Bletchley,extra'].join('\n');
    const [full, short, empty, long] = readContactsCsv(csv).drafts;
    expect(short).toMatchObject({ line: 3, fieldCount: 2, headerFieldCount: 4, email: '' });
    expect(validateContact(short!)).toEqual([
      { field: null, message: '2 of 4 columns: the row is shorter than the header (a comma or a quote may be missing).', code: 'TOO_FEW_COLUMNS' },
    ]);
    expect(validateContact(full!)).toEqual([]);
    // Empty fields are not missing fields: that row has its four columns, and fails on what they hold.
    expect(validateContact(empty!).map((p) => p.code)).toEqual(['VALIDATION', 'VALIDATION']);
    // Extra fields past the header are ignored, as extra columns are.
    expect(validateContact(long!)).toEqual([]);
  });

  it('gives each row its id once, and empty optional values become null', () => {
    let n = 0;
    const items = toImportItems(readContactsCsv('email,first_name\na@b.example,Ada\nc@d.example,').drafts, () => `id-${++n}`);
    expect(items.map((i) => i.row)).toEqual([
      { id: 'id-1', first_name: 'Ada', last_name: null, email: 'a@b.example', company: null, status: null },
      { id: 'id-2', first_name: null, last_name: null, email: 'c@d.example', company: null, status: null },
    ]);
  });
});
