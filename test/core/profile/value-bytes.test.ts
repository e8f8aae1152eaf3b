import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  classifyAsciiBytes,
  classifyInto,
  classifyJsonNumberBytes,
  classifyValue,
  type ValueSlot,
} from '../../../functions/core/profile/value.js';

// Oracles: Deequ's two patterns as regular expressions (with the documented extensions, value.ts) and
// JavaScript's Number / JSON.parse for the numbers; classifyValue itself no longer uses regular expressions.
const INTEGRAL = /^[-+]? ?\d+$/;
const FRACTIONAL = /^[-+]? ?(?:\d+\.\d*|\.\d+|\d+(?=[eE]))(?:[eE][-+]?\d+)?$/;

/** classifyValue's definition, written with the patterns. */
function oracle(value: string | null) {
  const text = value === null ? '' : value.trim();
  if (text === '') return { cls: 'missing', num: Number.NaN, text: '' };
  const num = Number(text.length > 1 && text[1] === ' ' ? text[0] + text.slice(2) : text);
  if ((INTEGRAL.test(text) || FRACTIONAL.test(text)) && Number.isFinite(num)) {
    return { cls: INTEGRAL.test(text) ? 'integral' : 'fractional', num, text };
  }
  return { cls: 'string', num: Number.NaN, text };
}

const slot = (): ValueSlot => ({ cls: 'missing', num: 0, text: '' });
const numberish = fc.oneof(
  fc.string({ unit: fc.constantFrom('0', '1', '9', '-', '+', '.', 'e', 'E', ' ', '\t', 'x'), maxLength: 10 }),
  fc.double().map(String),
  fc.integer().map(String),
  fc
    .tuple(
      fc.constantFrom('', '-', '+', '- ', '+ '),
      fc.stringMatching(/^\d{0,30}$/),
      fc.stringMatching(/^(\.\d{0,30})?$/),
    )
    .map(([sign, int, fraction]) => `${sign}${int}${fraction}`),
  fc
    .tuple(fc.stringMatching(/^-?\d{1,17}(\.\d{0,17})?$/), fc.integer({ min: -400, max: 400 }))
    .map(([mantissa, exponent]) => `${mantissa}e${exponent}`),
  fc.stringMatching(/^\d{300,330}$/),
  fc.constantFrom(
    '-0',
    '-0.0',
    '- 0',
    '0e5',
    '-0e-5',
    '9007199254740993',
    '0.1000000000000000055511151231257827',
  ),
);

describe('classifyValue', () => {
  it('computes the class, number and text of the patterns and Number for numeric-looking strings', () => {
    fc.assert(
      fc.property(numberish, (text) => {
        // Given a string, When it is classified, Then it agrees with the pattern definition
        const v = classifyValue(text);
        expect({ cls: v.cls, num: v.num, text: v.text }).toEqual(oracle(text));
      }),
      { seed: 20_261_136, numRuns: 5000 },
    );
  });

  it('computes a string, not Infinity, for an integer too long for a finite number', () => {
    // Given 400 digits (Number gives Infinity, which no sketch accepts)
    const digits = '9'.repeat(400);

    // When it is classified
    const v = classifyValue(digits);

    // Then it is a string, like a fractional value that overflows
    expect([v.cls, v.num]).toEqual(['string', Number.NaN]);
  });
});

describe('classifyAsciiBytes', () => {
  it('computes what classifyValue computes for the text (null when empty)', () => {
    fc.assert(
      fc.property(numberish, fc.boolean(), (text, wantText) => {
        // Given the text's bytes inside other bytes
        const bytes = Buffer.from(`#${text}#`, 'latin1');
        const out = slot();

        // When they are classified in place
        classifyAsciiBytes(bytes, 1, 1 + text.length, out, wantText);

        // Then class and number are classifyValue's, -0 included; the text only when asked for
        const v = classifyValue(text === '' ? null : text);
        expect(out).toEqual({ cls: v.cls, num: v.num, text: wantText ? v.text : '' });
      }),
      { seed: 20_261_137, numRuns: 5000 },
    );
  });

  it.each([
    ['-0', 'integral', -0],
    ['- 0.0', 'fractional', -0],
    ['0.075500', 'fractional', 0.0755],
    ['123456789012345.6', 'fractional', 123456789012345.6],
    ['1.7976931348623157e308', 'fractional', 1.7976931348623157e308],
    ['1e309', 'string', Number.NaN],
    ['4.9e-324', 'fractional', 5e-324],
  ])('computes %s as %s %d', (text, cls, num) => {
    // Given a field's bytes
    const out = slot();

    // When it is classified
    classifyAsciiBytes(Buffer.from(text), 0, text.length, out, false);

    // Then the class and the exact number (Object.is: -0 is not 0) are as Number gives them
    expect(out.cls).toBe(cls);
    expect(Object.is(out.num, num)).toBe(true);
  });
});

describe('classifyJsonNumberBytes', () => {
  it('computes what classifyValue computes for the number JSON.parse makes of the token', () => {
    const token = fc.oneof(
      fc.double({ noNaN: true, noDefaultInfinity: true }).map((d) => JSON.stringify(d)),
      fc.integer().map(String),
      fc
        .tuple(
          fc.constantFrom('', '-'),
          fc.stringMatching(/^(0|[1-9]\d{0,25})$/),
          fc.stringMatching(/^(\.\d{1,25})?$/),
          fc.stringMatching(/^([eE][-+]?\d{1,3})?$/),
        )
        .map((parts) => parts.join('')),
      fc.constantFrom('-0', '0.0', '1.0', '1e400', '-1e400', '1e-400', '1E+2', '12345678901234567890'),
    );
    fc.assert(
      fc.property(token, fc.boolean(), (text, wantText) => {
        // Given a JSON number token's bytes
        const out = slot();

        // When it is classified
        classifyJsonNumberBytes(Buffer.from(text), 0, text.length, out, wantText);

        // Then it is classifyValue of JSON.parse's number (1.0 is integral, overflow a string)
        const v = classifyValue(JSON.parse(text) as number);
        expect(out).toEqual({ cls: v.cls, num: v.num, text: wantText ? v.text : '' });
      }),
      { seed: 20_261_138, numRuns: 5000 },
    );
  });
});

describe('classifyInto', () => {
  it('computes what classifyValue computes, the text only when asked for', () => {
    fc.assert(
      fc.property(
        fc.oneof(numberish, fc.double(), fc.boolean(), fc.constant(null), fc.constant(undefined)),
        fc.boolean(),
        (value, wantText) => {
          // Given any raw value, When it is classified in place, Then it matches classifyValue
          const out = slot();
          classifyInto(value, out, wantText);
          const v = classifyValue(value);
          expect(out).toEqual({ cls: v.cls, num: v.num, text: wantText ? v.text : '' });
        },
      ),
      { seed: 20_261_139, numRuns: 3000 },
    );
  });
});
