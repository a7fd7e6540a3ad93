import { HttpError } from 'ra-core';
import { describe, expect, it } from 'vitest';
import { runBulk, type BulkTask } from '../../src/index.js';
import type { ImportItem } from '../../demo/app/src/import/createContactImport.js';
import { planImport } from '../../demo/app/src/import/planImport.js';
import { readContactsCsv } from '../../demo/app/src/import/readContactsCsv.js';
import { toImportReport } from '../../demo/app/src/import/toImportReport.js';

const HEADER = 'email,first_name,last_name,company,status';

function ids(): () => string {
  let n = 0;
  return () => `id-${++n}`;
}

/** A server that already has ada@example.com: the insert of that address fails as PostgREST answers it. */
const server = (taken: Set<string>, sent: ImportItem[]): BulkTask<ImportItem, string> =>
  (item) => {
    sent.push(item);
    if (taken.has(item.row.email)) {
      return Promise.reject(
        new HttpError('duplicate key value violates unique constraint "contacts_email_key"', 409, {
          code: '23505',
          message: 'duplicate key value violates unique constraint "contacts_email_key"',
          details: `Key (email)=(${item.row.email}) already exists.`,
          hint: null,
        }),
      );
    }
    taken.add(item.row.email);
    return Promise.resolve(item.row.id);
  };

describe('"Retry failed rows" of the import', () => {
  const first = [HEADER, 'lin@report.example,Lin,Clark,,lead', 'not-an-email,Bad,Email,,lead', 'ada@example.com,Ada,Again,,customer', 'kim@report.example,Kim,Lee,,vip'].join('\n');

  it('never sends a row that fails the check, and reports it with its line and field', async () => {
    const sent: ImportItem[] = [];
    const plan = planImport(readContactsCsv(first).drafts, null, ids());
    const report = toImportReport(plan, await runBulk(plan.items, server(new Set(['ada@example.com']), sent)));
    expect(sent.map((item) => item.row.email)).toEqual(['lin@report.example', 'ada@example.com']);
    expect(report.rows.map((row) => [row.index + 1, row.item.draft.line, row.status, row.problems.map((p) => `${p.field}:${p.code}`).join()])).toEqual([
      [1, 2, 'succeeded', ''],
      [2, 3, 'failed', 'email:VALIDATION'],
      [3, 4, 'failed', 'email:23505'],
      [4, 5, 'failed', 'status:VALIDATION'],
    ]);
    expect(report.rows[2]!.problems[0]!.message).toBe('E-mail ada@example.com is already used by another contact.');
    expect([report.succeeded, report.failed, report.notStarted]).toEqual([1, 3, 0]);
    expect(report.lastRun).toMatchObject({ total: 4, done: 4, succeeded: 1, failed: 3 });
  });

  it('sends the failed rows as the CSV has them now, under their first ids, and keeps the imported one', async () => {
    const sent: ImportItem[] = [];
    const task = server(new Set(['ada@example.com']), sent);
    const plan = planImport(readContactsCsv(first).drafts, null, ids());
    const report = toImportReport(plan, await runBulk(plan.items, task));
    const firstIds = report.rows.map((row) => row.item.row.id);

    // The user corrects the bad address and the taken one, and leaves the unknown status as it was.
    const corrected = first.replace('not-an-email', 'bad@report.example').replace('ada@example.com,Ada,Again', 'ada2@report.example,Ada,Again');
    sent.length = 0;
    const retry = planImport(readContactsCsv(corrected).drafts, report, () => 'a-new-id');
    expect(retry.indices).toEqual([1, 2]);
    const again = toImportReport(retry, await runBulk(retry.items, task));

    expect(sent.map((item) => [item.row.id, item.row.email, item.draft.line])).toEqual([
      ['id-2', 'bad@report.example', 3],
      ['id-3', 'ada2@report.example', 4],
    ]);
    expect(again.rows.map((row) => row.item.row.id)).toEqual(firstIds);
    expect(again.rows.map((row) => row.status)).toEqual(['succeeded', 'succeeded', 'succeeded', 'failed']);
    // The row still invalid stays reported as invalid, with its line and field; it was not sent.
    expect(again.rows[3]).toMatchObject({ index: 3, item: { draft: { line: 5 } }, problems: [{ field: 'status', code: 'VALIDATION' }] });
    expect([again.succeeded, again.failed]).toEqual([3, 1]);
    // The last run: the two rows it sent and the one it refused; the row imported before is not counted in it.
    expect(again.lastRun).toMatchObject({ total: 3, done: 3, succeeded: 2, failed: 1, notStarted: 0 });
  });

  it('does not send a row that was corrected into an invalid one', async () => {
    const sent: ImportItem[] = [];
    const task = server(new Set(['ada@example.com']), sent);
    const plan = planImport(readContactsCsv(first).drafts, null, ids());
    const report = toImportReport(plan, await runBulk(plan.items, task));
    sent.length = 0;
    const broken = first.replace('ada@example.com,Ada,Again,,customer', 'ada@example.com,Ada');
    const retry = planImport(readContactsCsv(broken).drafts, report);
    const again = toImportReport(retry, await runBulk(retry.items, task));
    expect(sent).toEqual([]);
    expect(again.rows[2]!.problems).toEqual([expect.objectContaining({ field: null, code: 'TOO_FEW_COLUMNS', message: expect.stringMatching(/^2 of 5 columns/) })]);
  });
});
