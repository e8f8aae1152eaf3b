import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCsvRows, parseCsvRowsWithLibrary, splitCsvRows } from '../../../functions/core/capture/csv.js';

describe('parseCsvRows', () => {
  it.each([
    ['one row', '1,2.5,x', [['1', '2.5', 'x']]],
    [
      'rows with a trailing newline',
      '1,2\n3,4\n',
      [
        ['1', '2'],
        ['3', '4'],
      ],
    ],
    [
      'CRLF rows',
      '1,2\r\n3,4\r\n',
      [
        ['1', '2'],
        ['3', '4'],
      ],
    ],
    [
      'empty rows skipped',
      '\n1,2\n\n\r\n3,4',
      [
        ['1', '2'],
        ['3', '4'],
      ],
    ],
    ['empty fields as null', ',a,,\n', [[null, 'a', null, null]]],
    ['untrimmed fields', ' 1 , x', [[' 1 ', ' x']]],
    ['a whitespace-only row', '  ', [['  ']]],
    ['rows of different lengths', '1\n1,2', [['1'], ['1', '2']]],
    ['a final \\r that is not part of CRLF', '1,2\r', [['1', '2\r']]],
    ['nothing', '', []],
    // RFC 4180 section 2 examples: quoted commas, line breaks and doubled quotes.
    ['quoted commas', '"a,b",c', [['a,b', 'c']]],
    ['quoted line breaks', '"line\nbreak",2\r\n', [['line\nbreak', '2']]],
    ['doubled quotes', '"say ""hi""",1', [['say "hi"', '1']]],
    ['a quoted empty field as null', '"",1', [[null, '1']]],
    ['a quote inside an unquoted field kept literally', 'a"b,c', [['a"b', 'c']]],
  ])('computes %s', (_name, text, expected) => {
    // Given a CSV payload
    // When it is parsed
    const rows = parseCsvRows(text);

    // Then the rows hold strings and nulls for empty fields
    expect(rows).toEqual(expected);
  });

  it('computes an error for an unclosed quote', () => {
    // Given a field whose quote is never closed
    // When it is parsed
    const result = parseCsvRows('"abc,1\n2,3');

    // Then a CsvError carries csv-parse's message
    expect(result).toEqual({ error: expect.stringContaining('Quote Not Closed') });
  });

  it('computes identical rows on the plain path and the csv-parse path (property)', () => {
    // Given any quote-free text of fields, commas, CR and LF
    const text = fc
      .array(fc.constantFrom('a', '1', '.', ',', '\n', '\r', ' ', '\t', 'é', '😀', ';'), { maxLength: 40 })
      .map((parts) => parts.join(''));
    fc.assert(
      fc.property(text, (data) => {
        // When both paths parse it
        // Then they agree row for row
        expect(splitCsvRows(data)).toEqual(parseCsvRowsWithLibrary(data));
      }),
      { numRuns: 2000 },
    );
  });

  it('computes the library path whenever the data has a quote', () => {
    // Given data where plain splitting would be wrong
    // When it is parsed
    const rows = parseCsvRows('"1,2",3');

    // Then the quoted comma is not a separator
    expect(rows).toEqual([['1,2', '3']]);
  });
});
