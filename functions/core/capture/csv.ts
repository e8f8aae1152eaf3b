import { parse } from 'csv-parse/sync';

/** CSV cells of one row; an empty field (quoted or not) is `null`, every other field stays a string. */
export type CsvRow = (string | null)[];

/** A CSV payload that could not be parsed (e.g. an unclosed quote). */
export interface CsvError {
  error: string;
}

const LIBRARY_OPTIONS = {
  relax_column_count: true,
  relax_quotes: true,
  skip_empty_lines: true,
  record_delimiter: ['\r\n', '\n'],
};

/**
 * Parses a CSV payload into rows.
 *
 * Rows end at `\n` or `\r\n`; empty rows (including a trailing newline) are skipped; fields are split on `,`
 * and not trimmed; rows may differ in length. Quoted fields (RFC 4180, `""` escapes a quote) go through
 * csv-parse; a quote inside an unquoted field is kept literally. Data without any `"` takes a plain split,
 * which gives the same rows and is much faster.
 */
export function parseCsvRows(text: string): CsvRow[] | CsvError {
  return text.includes('"') ? parseCsvRowsWithLibrary(text) : splitCsvRows(text);
}

/** The csv-parse path of `parseCsvRows`, exported so tests can check both paths agree. */
export function parseCsvRowsWithLibrary(text: string): CsvRow[] | CsvError {
  let records: string[][];
  try {
    records = parse(text, LIBRARY_OPTIONS);
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
  for (const record of records) {
    for (let i = 0; i < record.length; i++) if (record[i] === '') (record as CsvRow)[i] = null;
  }
  return records;
}

/** The plain path of `parseCsvRows` for data without quotes. */
export function splitCsvRows(text: string): CsvRow[] {
  const rows: CsvRow[] = [];
  let start = 0;
  for (;;) {
    const nl = text.indexOf('\n', start);
    const last = nl === -1;
    let end = last ? text.length : nl;
    // csv-parse removes \r only as part of \r\n, so a final row keeps a trailing \r.
    if (!last && end > start && text.charCodeAt(end - 1) === 0x0d) end--;
    if (end > start) {
      const fields: CsvRow = text.slice(start, end).split(',');
      for (let i = 0; i < fields.length; i++) if (fields[i] === '') fields[i] = null;
      rows.push(fields);
    }
    if (last) return rows;
    start = nl + 1;
  }
}
