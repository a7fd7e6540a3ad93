import { describe, expect, it } from 'vitest';
import { parseFilter, parseLogicTree } from '../../demo/server/postgrest/parseConditions.js';
import { parseAccept, parsePreferences, parseRangeHeader } from '../../demo/server/postgrest/parseHeaders.js';
import { parseOrder } from '../../demo/server/postgrest/parseOrder.js';
import { parseSelect } from '../../demo/server/postgrest/parseSelect.js';
import { isPostgrestError } from '../../demo/server/postgrest/PostgrestError.js';

function errorOf(fn: () => unknown): { status: number; code: string } {
  try {
    fn();
  } catch (error) {
    if (isPostgrestError(error)) return { status: error.status, code: error.code };
    throw error;
  }
  throw new Error('expected a PostgrestError');
}

describe('parseSelect', () => {
  it('reads columns, aliases, casts and nested embeds with hints', () => {
    expect(parseSelect('id, full:first_name, amount::text, c:contacts!opportunities_contact_id_fkey!inner(email,*)')).toEqual([
      { kind: 'column', name: 'id', alias: null, cast: null },
      { kind: 'column', name: 'first_name', alias: 'full', cast: null },
      { kind: 'column', name: 'amount', alias: null, cast: 'text' },
      {
        kind: 'embed',
        name: 'contacts',
        alias: 'c',
        hint: 'opportunities_contact_id_fkey',
        inner: true,
        items: [{ kind: 'column', name: 'email', alias: null, cast: null }, { kind: 'star' }],
      },
    ]);
    expect(parseSelect('')).toEqual([{ kind: 'star' }]);
    expect(parseSelect('"first name"')).toEqual([{ kind: 'column', name: 'first name', alias: null, cast: null }]);
  });

  it('rejects JSON paths, aggregates and broken syntax with PostgREST codes', () => {
    expect(errorOf(() => parseSelect('products->0'))).toEqual({ status: 400, code: 'PGRST127' });
    expect(errorOf(() => parseSelect('amount.sum()'))).toEqual({ status: 400, code: 'PGRST127' });
    expect(errorOf(() => parseSelect('contacts(email'))).toEqual({ status: 400, code: 'PGRST100' });
    expect(errorOf(() => parseSelect('a,,b'))).toEqual({ status: 400, code: 'PGRST100' });
  });
});

describe('parseFilter and parseLogicTree', () => {
  it('reads operator, negation, modifiers and values that contain dots', () => {
    expect(parseFilter('email', 'eq.a.b@c.d')).toMatchObject({ operator: 'eq', negate: false, value: 'a.b@c.d' });
    expect(parseFilter('status', 'not.in.(lead,"a,b")')).toMatchObject({ operator: 'in', negate: true, value: '(lead,"a,b")' });
    expect(parseFilter('name', 'like(any).{a*,b*}')).toMatchObject({ operator: 'like', modifier: 'any' });
    expect(parseFilter('name', 'fts(english).cat')).toMatchObject({ operator: 'fts', modifier: 'english', value: 'cat' });
    expect(errorOf(() => parseFilter('a', 'between.1'))).toEqual({ status: 400, code: 'PGRST100' });
    expect(errorOf(() => parseFilter('a', 'is(any).null'))).toEqual({ status: 400, code: 'PGRST100' });
    expect(errorOf(() => parseFilter('a', '5'))).toEqual({ status: 400, code: 'PGRST100' });
  });

  it('reads the or=(…) that ra-data-postgrest sends for an @or filter, with nesting and quoted values', () => {
    const tree = parseLogicTree('or', '(first_name.ilike.*ada*,last_name.ilike.*ada*,and(status.eq.lead,company.not.is.null),email.eq."x,y")');
    expect(tree).toEqual({
      kind: 'logic',
      operator: 'or',
      negate: false,
      children: [
        { kind: 'filter', column: 'first_name', negate: false, operator: 'ilike', modifier: null, value: '*ada*' },
        { kind: 'filter', column: 'last_name', negate: false, operator: 'ilike', modifier: null, value: '*ada*' },
        {
          kind: 'logic',
          operator: 'and',
          negate: false,
          children: [
            { kind: 'filter', column: 'status', negate: false, operator: 'eq', modifier: null, value: 'lead' },
            { kind: 'filter', column: 'company', negate: true, operator: 'is', modifier: null, value: 'null' },
          ],
        },
        { kind: 'filter', column: 'email', negate: false, operator: 'eq', modifier: null, value: 'x,y' },
      ],
    });
    expect(parseLogicTree('not.and', '(a.eq.1)')).toMatchObject({ operator: 'and', negate: true });
    expect(errorOf(() => parseLogicTree('or', 'a.eq.1'))).toEqual({ status: 400, code: 'PGRST100' });
  });
});

describe('parseOrder', () => {
  it('reads several terms with direction and nulls placement', () => {
    expect(parseOrder('last_name.desc.nullslast,first_name,created_at.asc,email.nullsfirst')).toEqual([
      { column: 'last_name', direction: 'desc', nulls: 'last' },
      { column: 'first_name', direction: null, nulls: null },
      { column: 'created_at', direction: 'asc', nulls: null },
      { column: 'email', direction: null, nulls: 'first' },
    ]);
    expect(parseOrder('')).toEqual([]);
    expect(errorOf(() => parseOrder('a.up'))).toEqual({ status: 400, code: 'PGRST100' });
  });
});

describe('headers', () => {
  it('reads Prefer preferences joined by commas and lists the applied ones', () => {
    const prefs = parsePreferences('return=representation, count=exact,resolution=ignore-duplicates, tx=rollback');
    expect(prefs).toMatchObject({ return: 'representation', count: 'exact', resolution: 'ignore-duplicates', missing: null });
    expect(prefs.applied).toEqual(['return=representation', 'count=exact', 'resolution=ignore-duplicates']);
  });

  it('reads Accept, answering 406 for media types it cannot produce', () => {
    expect(parseAccept(undefined)).toEqual({ singular: false, stripNulls: false });
    expect(parseAccept('application/vnd.pgrst.object+json;nulls=stripped')).toEqual({ singular: true, stripNulls: true });
    expect(parseAccept('text/csv, application/json;q=0.5')).toEqual({ singular: false, stripNulls: false });
    expect(errorOf(() => parseAccept('text/csv'))).toEqual({ status: 406, code: 'PGRST107' });
  });

  it('reads Range, answering 416 for an inverted range', () => {
    expect(parseRangeHeader('0-24')).toEqual({ from: 0, to: 24 });
    expect(parseRangeHeader('10-')).toEqual({ from: 10, to: null });
    expect(errorOf(() => parseRangeHeader('5-2'))).toEqual({ status: 416, code: 'PGRST103' });
  });
});
