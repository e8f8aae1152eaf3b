import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseJsonText, positionAt } from '../../../functions/core/config/json-text.js';

// The reference for what is valid JSON is the runtime's own JSON.parse (RFC 8259); the property tests check that
// parseJsonText agrees with it on values and on validity, except for the duplicate keys it rejects on purpose.

describe('parseJsonText', () => {
  it('computes the value and the position of every value by path', () => {
    // Given a small document over several lines
    const text = '{\n  "a": 1,\n  "b": [true, {"c": "x"}],\n  "d e": null\n}';
    // When it is parsed
    const result = parseJsonText(text);
    // Then the value equals JSON.parse's and each value's start is located (1-based line and column)
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value).toEqual(JSON.parse(text));
    expect(Object.fromEntries(result.positions)).toEqual({
      '(root)': { line: 1, column: 1 },
      a: { line: 2, column: 8 },
      b: { line: 3, column: 8 },
      'b[0]': { line: 3, column: 9 },
      'b[1]': { line: 3, column: 15 },
      'b[1].c': { line: 3, column: 21 },
      '["d e"]': { line: 4, column: 10 },
    });
  });

  it('computes the value of a document that starts with a byte-order mark', () => {
    // Given a document saved with a UTF-8 BOM (JSON.parse rejects it)
    const text = '\uFEFF{"version": 1}';
    // When it is parsed
    const result = parseJsonText(text);
    // Then the BOM is ignored and columns count from the first real character
    expect(result).toMatchObject({ ok: true, value: { version: 1 } });
    if (result.ok) expect(result.positions.get('version')).toEqual({ line: 1, column: 13 });
  });

  it.each([
    ['', 1, 1, 'expected a JSON value (the document is empty)', 'end of input'],
    ['   \n  ', 2, 3, 'expected a JSON value (the document is empty)', 'end of input'],
    ['{"a": 1,}', 1, 9, 'expected a double-quoted property name (JSON allows no trailing comma)', '"}"'],
    ['[1, 2,]', 1, 7, 'expected a value (JSON allows no trailing comma)', '"]"'],
    ['{\n  "a": 1\n  "b": 2\n}', 3, 3, 'expected "," between values', 'the string "b"'],
    ['[1 2]', 1, 4, 'expected "," between values', '"2"'],
    ['{"a" 1}', 1, 6, 'expected ":" after the property name', '"1"'],
    ['{a: 1}', 1, 2, 'expected a double-quoted property name', '"a"'],
    ["{'a': 1}", 1, 2, 'expected a double-quoted property name', `"'a'"`],
    [
      '{"a": tru}',
      1,
      7,
      'expected a value (an object, array, double-quoted string, number, true, false or null)',
      '"tru"',
    ],
    ['{"a": undefined}', 1, 7, 'expected a value', '"undefined"'],
    ['{"a": 01}', 1, 8, 'expected "," between values', '"1"'],
    ['{"a": +1}', 1, 7, 'expected a value', '"+1"'],
    ['{"a": 1.}', 1, 7, 'expected a JSON number', '"1."'],
    ['{"a": -}', 1, 7, 'expected a value', '"-"'],
    ['{"a": "x', 1, 7, 'expected a closing double quote', 'the string "x'],
    ['{"a": "x\ny"}', 1, 7, 'control characters must be escaped', 'the string "x'],
    ['{"a": "\\q"}', 1, 7, 'expected a valid escape', 'the string "\\q"'],
    ['{"a": "\\u12G4"}', 1, 7, 'expected a valid \\u escape', 'the string "\\u12G4"'],
    ['{"a": 1} x', 1, 10, 'expected the end of the document after the top-level value', '"x"'],
    ['[1] ]', 1, 5, 'expected the end of the document after the top-level value', '"]"'],
    ['// note\n{}', 1, 1, 'expected JSON without comments', '"// note"'],
    ['{"a": 1, "a": 2}', 1, 10, 'expected each property name once per object', 'duplicate key "a"'],
    ['{"o": {"k": 1, "k": 1}}', 1, 16, 'expected each property name once per object', 'duplicate key "k"'],
  ])(
    'throws when the text is %j (reported with line and column)',
    (text, line, column, message, received) => {
      // Given malformed JSON
      // When it is parsed
      const result = parseJsonText(text);
      // Then the first problem is located and described
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.problem).toMatchObject({ line, column, received });
      expect(result.problem.message).toContain(message);
    },
  );

  it('computes the value and positions of deeply nested documents', () => {
    // Given a deep document
    const text = `${'['.repeat(300)}${']'.repeat(300)}`;
    // When it is parsed
    const result = parseJsonText(text);
    // Then it is accepted, the innermost array located at its column
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.positions.get(`${'[0]'.repeat(299)}`)).toEqual({ line: 1, column: 300 });
  });

  it('computes the same value as JSON.parse for any JSON value, compact or indented', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.constantFrom(0, 2, '\t'), (value, indent) => {
        // Given any JSON value serialized by JSON.stringify
        const text = JSON.stringify(value, null, indent);
        // When it is parsed
        const result = parseJsonText(text);
        // Then it is accepted with JSON.parse's value, and every path found is where a value starts
        expect(result.ok).toBe(true);
        if (result.ok) {
          expect(result.value).toEqual(JSON.parse(text));
          expect(result.positions.get('(root)')).toEqual({ line: 1, column: 1 });
        }
      }),
    );
  });

  it('computes the same verdict as JSON.parse on mutated and random text', () => {
    const mutated = fc
      .tuple(fc.jsonValue(), fc.nat(), fc.constantFrom('', ',', '}', ']', '"', ':', 'x', '\n', '0', '{', '['))
      .map(([value, at, insert]) => {
        const text = JSON.stringify(value, null, 1);
        const index = at % (text.length + 1);
        return `${text.slice(0, index)}${insert}${text.slice(index + (insert === '' ? 1 : 0))}`;
      });
    fc.assert(
      fc.property(fc.oneof(mutated, fc.string()), (text) => {
        // Given arbitrary text
        // When both parsers read it
        const result = parseJsonText(text);
        let reference: { ok: true; value: unknown } | { ok: false };
        try {
          // A leading byte-order mark is the one input accepted on purpose that JSON.parse refuses.
          reference = { ok: true, value: JSON.parse(text.replace(/^\uFEFF/, '')) };
        } catch {
          reference = { ok: false };
        }
        // Then they agree, except that a duplicate key is rejected where it occurs (JSON.parse keeps the last
        // one, or fails later in the text for another reason)
        if (result.ok) {
          expect(reference).toEqual({ ok: true, value: result.value });
        } else if (result.problem.received.startsWith('duplicate key')) {
          expect(text.replace(/^\uFEFF/, '').charAt(result.problem.offset)).toBe('"');
        } else {
          expect(reference.ok).toBe(false);
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe('positionAt', () => {
  it.each([
    [0, { line: 1, column: 1 }],
    [2, { line: 1, column: 3 }],
    [3, { line: 2, column: 1 }],
    [5, { line: 2, column: 3 }],
    [6, { line: 3, column: 1 }],
  ])('computes the line and column of offset %i', (offset, expected) => {
    // Given a text with a CRLF and an LF line end
    const text = 'ab\nc\r\nd';
    // When an offset is located
    // Then lines split at \n and columns are 1-based
    expect(positionAt(text, offset)).toEqual(expected);
  });
});
