/** A problem found while reading CSV text, with the 1-based line it starts on. */
export interface CsvProblem {
  readonly line: number;
  readonly message: string;
}

/** A CSV record with the 1-based line it starts on (a quoted field may span several lines). */
export interface CsvRecord {
  readonly line: number;
  readonly fields: readonly string[];
}

/** What {@link parseCsv} read. */
export interface CsvTable {
  readonly records: readonly CsvRecord[];
  readonly problems: readonly CsvProblem[];
}

/**
 * Reads CSV text (RFC 4180): fields separated by `delimiter`, records by CRLF, LF or CR; a field in double quotes
 * may hold the delimiter, line breaks and `""` for a quote. A leading byte-order mark is skipped, and blank lines
 * are ignored. It never throws: an unclosed quote or text after a closing quote is reported in `problems` with its
 * line, and the field is kept as read, so an import screen can show what went wrong where.
 *
 * @example
 * parseCsv('email,company\n"ada@example.com","Engines, Ltd"\n').records
 * // [{ line: 1, fields: ['email', 'company'] }, { line: 2, fields: ['ada@example.com', 'Engines, Ltd'] }]
 */
export function parseCsv(text: string, delimiter = ','): CsvTable {
  if (delimiter.length !== 1 || delimiter === '"' || delimiter === '\n' || delimiter === '\r') {
    throw new RangeError(`parseCsv: delimiter must be one character other than a quote or a line break, got ${JSON.stringify(delimiter)}.`);
  }
  const records: CsvRecord[] = [];
  const problems: CsvProblem[] = [];
  let fields: string[] = [];
  let field = '';
  let line = 1;
  let recordLine = 1;
  /** Whether the current record has any content (a blank line is no record). */
  let started = false;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;

  const endField = (): void => {
    fields.push(field);
    field = '';
  };
  const endRecord = (): void => {
    endField();
    if (started) records.push({ line: recordLine, fields });
    fields = [];
    started = false;
  };

  while (i < text.length) {
    const char = text[i]!;
    if (char === '"' && field === '' ) {
      // A quoted field: read to the closing quote.
      started = true;
      const openedOn = line;
      i++;
      let closed = false;
      while (i < text.length) {
        const c = text[i]!;
        if (c === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          closed = true;
          i++;
          break;
        }
        if (c === '\n' || (c === '\r' && text[i + 1] !== '\n')) line++;
        field += c;
        i++;
      }
      if (!closed) {
        problems.push({ line: openedOn, message: 'A quoted field is never closed: a " is missing.' });
        break;
      }
      // After the closing quote only a delimiter or the end of the record may follow.
      let stray = '';
      while (i < text.length && text[i] !== delimiter && text[i] !== '\n' && text[i] !== '\r') stray += text[i++];
      if (stray !== '') {
        problems.push({ line, message: `Unexpected text ${JSON.stringify(stray)} after a closing quote.` });
        field += stray;
      }
      continue;
    }
    if (char === delimiter) {
      started = true;
      endField();
      i++;
      continue;
    }
    if (char === '\r' || char === '\n') {
      endRecord();
      i += char === '\r' && text[i + 1] === '\n' ? 2 : 1;
      line++;
      recordLine = line;
      continue;
    }
    started = true;
    field += char;
    i++;
  }
  if (started || field !== '' || fields.length > 0) endRecord();
  return { records, problems };
}

/** Quotes a value for a CSV field when it needs it. */
export function toCsvField(value: string, delimiter = ','): string {
  return /["\r\n]/.test(value) || value.includes(delimiter) || value !== value.trim() ? `"${value.replaceAll('"', '""')}"` : value;
}
