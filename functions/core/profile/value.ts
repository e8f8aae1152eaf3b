import type { RawValue } from '../capture/types.js';

/** How a single raw value counts towards a feature's inferred type (Deequ's DataType histogram classes). */
export type ValueClass = 'missing' | 'integral' | 'fractional' | 'string';

/**
 * Deequ's DataType patterns (StatefulDataType.scala), which Model Monitor uses to infer `Integral` /
 * `Fractional` / `String`: `^(-|\+)? ?\d*$` and `^(-|\+)? ?\d*\.\d*$`. "3.0" is therefore Fractional (as in
 * Model Monitor's own statistics.json for such columns) and "3" Integral. Two deliberate differences: at least
 * one digit is required (Deequ counts "" and "." as numbers, which cannot be parsed), and an exponent
 * ("1e-5") is Fractional rather than String, since serialisers write small floats that way.
 */
const INTEGRAL = /^[-+]? ?\d+$/;
const FRACTIONAL = /^[-+]? ?(?:\d+\.\d*|\.\d+|\d+(?=[eE]))(?:[eE][-+]?\d+)?$/;

/** A classified value: its class, and its number when it is numeric. */
export interface ClassifiedValue {
  readonly cls: ValueClass;
  /** The numeric value for integral/fractional values; NaN otherwise. */
  readonly num: number;
  /** The value as text for categorical counting; '' when missing. */
  readonly text: string;
}

const MISSING: ClassifiedValue = { cls: 'missing', num: Number.NaN, text: '' };

/**
 * Classifies one raw value.
 * Definition: null, undefined and the empty/blank string are missing; JSON numbers are integral when
 * `Number.isInteger` and finite, fractional when finite; NaN/Infinity numbers and strings such as "NaN" are
 * strings (they are not numbers Model Monitor would accept); booleans are strings ("true"/"false");
 * a string is integral or fractional when it matches Deequ's patterns, else string.
 */
export function classifyValue(value: RawValue | undefined): ClassifiedValue {
  if (value === null || value === undefined) return MISSING;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return { cls: 'string', num: Number.NaN, text: String(value) };
    return { cls: Number.isInteger(value) ? 'integral' : 'fractional', num: value, text: String(value) };
  }
  if (typeof value === 'boolean') return { cls: 'string', num: Number.NaN, text: String(value) };
  const text = value.trim();
  if (text === '') return MISSING;
  if (INTEGRAL.test(text)) return { cls: 'integral', num: parseNumber(text), text };
  if (FRACTIONAL.test(text)) {
    const num = parseNumber(text);
    // Very long exponents overflow to Infinity: not a usable number.
    if (Number.isFinite(num)) return { cls: 'fractional', num, text };
  }
  return { cls: 'string', num: Number.NaN, text };
}

function parseNumber(text: string): number {
  // Deequ allows one space after the sign ("- 3"); Number() does not.
  return Number(text.length > 1 && text[1] === ' ' ? text[0] + text.slice(2) : text);
}
