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
    expect(drafts).toEqual([{ line: 2, first_name: 'Ada', last_name: '', email: 'ada@example.com', company: '', status: '' }]);
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
    expect(drafts.filter((d) => validateContact(d) !== null)).toEqual([]);
    // Companies with a comma were quoted and come back whole.
    expect(drafts.some((d) => d.company === 'Spanning Trees, Ltd')).toBe(true);
  });

  it('names each invalid column of a row', () => {
    const draft = { line: 2, first_name: '', last_name: '', email: 'ada', company: '', status: 'vip' };
    expect(validateContact(draft)).toEqual({
      email: 'Not an email address: "ada".',
      status: 'Unknown status "vip" (lead, prospect, customer or empty).',
      first_name: 'A first or a last name is required.',
    });
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
