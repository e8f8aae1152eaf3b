import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCsvRows } from '../../../functions/core/capture/csv.js';
import {
  CELL_TEXT,
  isCellRowSink,
  RowCells,
  splitEscapedCsv,
  splitRawCsv,
} from '../../../functions/core/capture/fast-cells.js';
import { decodeStrictBase64 } from '../../../functions/core/capture/fast-parse.js';

// Oracles: parseCsvRows (the reference CSV reader) on the decoded text, and Buffer's BASE64 decoder.

/** The rows `cells` describes, as strings (empty fields as null, like parseCsvRows). */
function cellRows(cells: RowCells): (string | null)[][] {
  const rows: (string | null)[][] = [];
  for (let r = 0; r < cells.rows; r++) {
    const row: (string | null)[] = [];
    for (let f = cells.rowStart[r] ?? 0; f < (cells.rowStart[r + 1] ?? 0); f++) {
      const text = Buffer.from(cells.bytes).toString('latin1', cells.fieldStart[f], cells.fieldEnd[f]);
      expect(cells.fieldKind[f]).toBe(CELL_TEXT);
      row.push(text === '' ? null : text);
    }
    rows.push(row);
  }
  return rows;
}

const csvCharacters = fc.constantFrom(
  '1',
  '2',
  '-',
  '.',
  'e',
  'a',
  ' ',
  '\t',
  ',',
  ',',
  '\n',
  '\n',
  '\r',
  '"',
  'é',
);
const csvText = fc.array(csvCharacters, { maxLength: 30 }).map((chars) => chars.join(''));

describe('splitEscapedCsv', () => {
  it('computes the rows and fields parseCsvRows gives for the decoded text, or declines', () => {
    fc.assert(
      fc.property(csvText, (text) => {
        // Given CSV text as it sits in a capture line: JSON-escaped, inside other bytes
        const escaped = JSON.stringify(text).slice(1, -1);
        const bytes = Buffer.from(`xx${escaped}yy`);
        const cells = new RowCells();

        // When it is split in place
        const ok = splitEscapedCsv(bytes, 2, 2 + Buffer.byteLength(escaped), cells);

        // Then, when it takes the text, the rows are the reference reader's
        if (ok) expect(cellRows(cells)).toEqual(parseCsvRows(text));
        // and it takes every ASCII text without quotes, tabs, or CRs outside CRLF
        const plain = !/["\t\u0080-\uffff]|\r(?!\n)/.test(text);
        expect(ok).toBe(plain);
      }),
      { seed: 20_261_131, numRuns: 3000 },
    );
  });

  it.each([
    ['a control character', 'a\u0001b'],
    ['a raw quote', 'a"b'],
  ])('computes false for %s (not a valid JSON string content)', (_what, content) => {
    // Given content that is not valid inside a JSON string
    const bytes = Buffer.from(content);

    // When it is split, Then it declines
    expect(splitEscapedCsv(bytes, 0, bytes.length, new RowCells())).toBe(false);
  });
});

describe('splitRawCsv', () => {
  it('computes the rows and fields parseCsvRows gives for the same text, or declines', () => {
    fc.assert(
      fc.property(csvText, (text) => {
        // Given CSV text as raw bytes (decoded BASE64)
        const bytes = Buffer.from(text);
        const cells = new RowCells();

        // When it is split
        const ok = splitRawCsv(bytes, 0, bytes.length, cells);

        // Then, when it takes the text, the rows are the reference reader's; it declines quotes and non-ASCII
        if (ok) expect(cellRows(cells)).toEqual(parseCsvRows(text));
        expect(ok).toBe(!/["\u0080-\uffff]/.test(text));
      }),
      { seed: 20_261_132, numRuns: 3000 },
    );
  });
});

describe('RowCells', () => {
  it('computes rows beyond its initial room', () => {
    // Given a payload of 200 rows of 3 fields (more than the initial arrays hold)
    const text = Array.from({ length: 200 }, (_, i) => `${i},${i + 1},x`).join('\n');
    const cells = new RowCells();

    // When it is split
    const ok = splitRawCsv(Buffer.from(text), 0, text.length, cells);

    // Then every row and field is kept
    expect(ok).toBe(true);
    expect([cells.rows, cells.fields, cells.width(199)]).toEqual([200, 600, 3]);
    expect(cellRows(cells)[199]).toEqual(['199', '200', 'x']);
  });
});

describe('decodeStrictBase64', () => {
  it('computes what Buffer decodes, for strict BASE64 of ASCII, and -1 otherwise', () => {
    const text = fc.oneof(
      fc.uint8Array({ maxLength: 20 }).map((bytes) => Buffer.from(bytes).toString('base64')),
      fc.string({ maxLength: 20 }).map((s) => Buffer.from(s).toString('base64')),
      fc.string({ unit: fc.constantFrom('A', 'b', '9', '+', '/', '=', '-', '_', ' ', 'é'), maxLength: 12 }),
    );
    fc.assert(
      fc.property(text, (base64) => {
        // Given BASE64 text (valid or not)
        const bytes = Buffer.from(base64);
        const target = new Uint8Array(64);

        // When it is decoded strictly
        const length = decodeStrictBase64(bytes, 0, bytes.length, target);

        // Then it decodes exactly what Buffer decodes when the text is strict BASE64 of ASCII bytes
        const strict = base64.length % 4 === 0 && /^[A-Za-z0-9+/]*={0,2}$/.test(base64);
        const decoded = Buffer.from(base64, 'base64');
        const ascii = decoded.every((b) => b < 0x80);
        expect(length).toBe(strict && ascii ? decoded.length : -1);
        if (length >= 0) expect(Buffer.from(target.subarray(0, length))).toEqual(decoded);
      }),
      { seed: 20_261_133, numRuns: 3000 },
    );
  });
});

describe('isCellRowSink', () => {
  it('computes true only for sinks with both cell methods', () => {
    // Given a plain sink and one with the cell methods
    const plain = { row: () => undefined };
    const cells = { row: () => undefined, acceptsCells: () => true, cellRow: () => undefined };

    // When they are tested, Then only the second qualifies
    expect([isCellRowSink(plain), isCellRowSink(cells)]).toEqual([false, true]);
  });
});
