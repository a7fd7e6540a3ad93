import { describe, expect, it } from 'vitest';
import { parseCsv, toCsvField } from '../../demo/app/src/import/parseCsv.js';

const fields = (text: string): string[][] => parseCsv(text).records.map((r) => [...r.fields]);

describe('parseCsv', () => {
  it('reads quoted fields holding delimiters, quotes and line breaks', () => {
    const { records, problems } = parseCsv('a,b,c\n"x, y","say ""hi""","two\nlines"\nplain,,end\n');
    expect(problems).toEqual([]);
    expect(records.map((r) => [...r.fields])).toEqual([
      ['a', 'b', 'c'],
      ['x, y', 'say "hi"', 'two\nlines'],
      ['plain', '', 'end'],
    ]);
    // A record is numbered by the line it starts on, counting the line breaks inside quotes.
    expect(records.map((r) => r.line)).toEqual([1, 2, 4]);
  });

  it('accepts CRLF, CR and LF, skips a byte-order mark and blank lines, and keeps a last line without a break', () => {
    expect(fields('\uFEFFa,b\r\n\r\n1,2\r3,4\n5,6')).toEqual([
      ['a', 'b'],
      ['1', '2'],
      ['3', '4'],
      ['5', '6'],
    ]);
    expect(fields('')).toEqual([]);
    expect(fields('"",x')).toEqual([['', 'x']]);
  });

  it('reports an unclosed quote and text after a closing quote with their lines, without throwing', () => {
    expect(parseCsv('a\n"ok"x,b\n"never closed\n,more').problems).toEqual([
      { line: 2, message: 'Unexpected text "x" after a closing quote.' },
      { line: 3, message: 'A quoted field is never closed: a " is missing.' },
    ]);
  });

  it('reads back what toCsvField writes', () => {
    const values = ['plain', 'with, comma', 'with "quotes"', 'two\nlines', ' padded ', ''];
    expect(fields(values.map((v) => toCsvField(v)).join(','))).toEqual([values]);
  });

  it('takes another delimiter, and refuses one that cannot work', () => {
    expect(fields('a;"b;c"\n1;2')).toEqual([['a;"b;c"'], ['1;2']]);
    expect(parseCsv('a;"b;c"\n1;2', ';').records.map((r) => [...r.fields])).toEqual([
      ['a', 'b;c'],
      ['1', '2'],
    ]);
    expect(() => parseCsv('a', '"')).toThrow(RangeError);
  });
});
