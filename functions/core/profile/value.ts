import type { RawValue } from '../capture/types.js';

/** How a single raw value counts towards a feature's inferred type (Deequ's DataType histogram classes). */
export type ValueClass = 'missing' | 'integral' | 'fractional' | 'string';

/**
 * Deequ's DataType patterns (StatefulDataType.scala), which Model Monitor uses to infer `Integral` /
 * `Fractional` / `String`: `^(-|\+)? ?\d*$` and `^(-|\+)? ?\d*\.\d*$`. "3.0" is therefore Fractional (as in
 * Model Monitor's own statistics.json for such columns) and "3" Integral. Two deliberate differences: at least
 * one digit is required (Deequ counts "" and "." as numbers, which cannot be parsed), and an exponent
 * ("1e-5") is Fractional rather than String, since serialisers write small floats that way. The scanners below
 * ({@link scanNumber}) implement exactly these two patterns without regular expressions:
 * integral `^[-+]? ?\d+$`, fractional `^[-+]? ?(?:\d+\.\d*|\.\d+|\d+(?=[eE]))(?:[eE][-+]?\d+)?$`.
 */

/** A classified value: its class, and its number when it is numeric. */
export interface ClassifiedValue {
  readonly cls: ValueClass;
  /** The numeric value for integral/fractional values; NaN otherwise. */
  readonly num: number;
  /** The value as text for categorical counting; '' when missing. */
  readonly text: string;
}

/** A mutable {@link ClassifiedValue}, filled in place on hot paths (see {@link classifyAsciiBytes}). */
export interface ValueSlot {
  cls: ValueClass;
  num: number;
  /** The trimmed text; only filled when asked for (and '' when missing). */
  text: string;
}

const MISSING: ClassifiedValue = { cls: 'missing', num: Number.NaN, text: '' };
const NOT_A_NUMBER = 0;
const INTEGRAL = 1;
const FRACTIONAL = 2;
/** Exact powers of ten: every integer below 10^15 times or divided by one of these is correctly rounded. */
const POWERS_OF_TEN = Array.from({ length: 23 }, (_, i) => Number(`1e${i}`));
const MAX_FAST_DIGITS = 15;

/**
 * Classifies one raw value.
 * Definition: null, undefined and the empty/blank string are missing; JSON numbers are integral when
 * `Number.isInteger` and finite, fractional when finite; NaN/Infinity numbers and strings such as "NaN" are
 * strings (they are not numbers Model Monitor would accept); booleans are strings ("true"/"false");
 * a string is integral or fractional when it matches Deequ's patterns and its number (JavaScript `Number` of the
 * text without the optional space after the sign) is finite, else string. The text is the string trimmed
 * (String.prototype.trim), or `String(value)` for numbers and booleans.
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
  const kind = scanNumber(text);
  if (kind !== NOT_A_NUMBER) {
    const num = parseNumber(text);
    // Hundreds of digits, or a long exponent, overflow to Infinity: not a usable number.
    if (Number.isFinite(num)) return { cls: kind === INTEGRAL ? 'integral' : 'fractional', num, text };
  }
  return { cls: 'string', num: Number.NaN, text };
}

/**
 * Classifies `value` into `slot` exactly as {@link classifyValue} does; the text is made only when `wantText`
 * (otherwise ''), so numbers need no `String(value)` when no category is counted.
 */
export function classifyInto(value: RawValue | undefined, slot: ValueSlot, wantText: boolean): void {
  if (value === null || value === undefined) {
    slot.cls = 'missing';
    slot.num = Number.NaN;
    slot.text = '';
  } else if (typeof value === 'number') {
    const finite = Number.isFinite(value);
    slot.cls = !finite ? 'string' : Number.isInteger(value) ? 'integral' : 'fractional';
    slot.num = finite ? value : Number.NaN;
    slot.text = wantText ? String(value) : '';
  } else if (typeof value === 'boolean') {
    slot.cls = 'string';
    slot.num = Number.NaN;
    slot.text = wantText ? String(value) : '';
  } else {
    copyInto(slot, classifyValue(value), wantText);
  }
}

/**
 * Classifies into `slot` the text of `bytes[start, end)`, bytes that must all be ASCII, exactly as
 * {@link classifyValue} classifies that text (or null when the range is empty). The text is made only when
 * `wantText`, and for common numbers (at most 15 significant digits, a decimal exponent within ±22) the number is
 * computed from the bytes, as one correctly rounded operation on exact operands (the value `Number` gives).
 */
export function classifyAsciiBytes(
  bytes: Uint8Array,
  start: number,
  end: number,
  slot: ValueSlot,
  wantText: boolean,
): void {
  let s = start;
  let e = end;
  // String.prototype.trim's whitespace within ASCII: tab, LF, VT, FF, CR and space.
  for (let c = bytes[s] ?? 0; s < e && (c === 0x20 || (c >= 0x09 && c <= 0x0d)); c = bytes[s] ?? 0) s++;
  for (let c = bytes[e - 1] ?? 0; e > s && (c === 0x20 || (c >= 0x09 && c <= 0x0d)); c = bytes[e - 1] ?? 0)
    e--;
  if (s === e) {
    slot.cls = 'missing';
    slot.num = Number.NaN;
    slot.text = '';
    return;
  }
  // `c` is the byte at i, or -1 at the end of the range.
  let i = s;
  let c = bytes[i] ?? -1;
  let negative = false;
  if (c === 0x2d || c === 0x2b) {
    negative = c === 0x2d;
    c = ++i < e ? (bytes[i] ?? -1) : -1;
    if (c === 0x20) c = ++i < e ? (bytes[i] ?? -1) : -1;
  }
  // Significant digits (leading zeros skipped) accumulate in `mantissa`, exact while there are at most 15.
  let mantissa = 0;
  let digits = 0;
  let integerDigits = 0;
  while (c >= 0x30 && c <= 0x39) {
    if (digits > 0 || c !== 0x30) {
      mantissa = mantissa * 10 + (c - 0x30);
      digits++;
    }
    integerDigits++;
    c = ++i < e ? (bytes[i] ?? -1) : -1;
  }
  let kind = integerDigits > 0 ? INTEGRAL : NOT_A_NUMBER;
  let fractionDigits = 0;
  let exponent = 0;
  if (c === 0x2e) {
    c = ++i < e ? (bytes[i] ?? -1) : -1;
    while (c >= 0x30 && c <= 0x39) {
      if (digits > 0 || c !== 0x30) {
        mantissa = mantissa * 10 + (c - 0x30);
        digits++;
      }
      fractionDigits++;
      c = ++i < e ? (bytes[i] ?? -1) : -1;
    }
    kind = integerDigits + fractionDigits > 0 ? FRACTIONAL : NOT_A_NUMBER;
  }
  if (kind !== NOT_A_NUMBER && (c === 0x65 || c === 0x45)) {
    c = ++i < e ? (bytes[i] ?? -1) : -1;
    let exponentNegative = false;
    if (c === 0x2d || c === 0x2b) {
      exponentNegative = c === 0x2d;
      c = ++i < e ? (bytes[i] ?? -1) : -1;
    }
    const exponentStart = i;
    while (c >= 0x30 && c <= 0x39) {
      if (exponent < 100_000) exponent = exponent * 10 + (c - 0x30);
      c = ++i < e ? (bytes[i] ?? -1) : -1;
    }
    kind = i > exponentStart ? FRACTIONAL : NOT_A_NUMBER;
    if (exponentNegative) exponent = -exponent;
  }
  if (i !== e) kind = NOT_A_NUMBER;
  if (kind !== NOT_A_NUMBER) {
    const scale = exponent - fractionDigits;
    let num: number;
    if (mantissa === 0) num = 0;
    else if (digits <= MAX_FAST_DIGITS && scale >= 0 && scale <= 22)
      num = mantissa * (POWERS_OF_TEN[scale] ?? 0);
    else if (digits <= MAX_FAST_DIGITS && scale < 0 && scale >= -22)
      num = mantissa / (POWERS_OF_TEN[-scale] ?? 1);
    else {
      // Rare: many digits or a far exponent; Number() of the text decides, overflow included.
      copyInto(slot, classifyValue(latin1(bytes, start, end)), wantText);
      return;
    }
    slot.cls = kind === INTEGRAL ? 'integral' : 'fractional';
    slot.num = negative ? -num : num;
  } else {
    slot.cls = 'string';
    slot.num = Number.NaN;
  }
  slot.text = wantText ? cachedLatin1(bytes, s, e) : '';
}

/**
 * Classifies into `slot` the JSON number token `bytes[start, end)` (valid JSON number grammar) exactly as
 * {@link classifyValue} classifies the number JSON.parse makes of it: integral when an integer, fractional when
 * finite, else (it overflowed) a string; the text, made only when `wantText`, is `String(number)`.
 */
export function classifyJsonNumberBytes(
  bytes: Uint8Array,
  start: number,
  end: number,
  slot: ValueSlot,
  wantText: boolean,
): void {
  let i = start;
  const negative = bytes[i] === 0x2d;
  if (negative) i++;
  let mantissa = 0;
  let digits = 0;
  let fractionDigits = 0;
  let exponent = 0;
  let c = i < end ? (bytes[i] ?? -1) : -1;
  while (c >= 0x30 && c <= 0x39) {
    if (digits > 0 || c !== 0x30) {
      mantissa = mantissa * 10 + (c - 0x30);
      digits++;
    }
    c = ++i < end ? (bytes[i] ?? -1) : -1;
  }
  if (c === 0x2e) {
    c = ++i < end ? (bytes[i] ?? -1) : -1;
    while (c >= 0x30 && c <= 0x39) {
      if (digits > 0 || c !== 0x30) {
        mantissa = mantissa * 10 + (c - 0x30);
        digits++;
      }
      fractionDigits++;
      c = ++i < end ? (bytes[i] ?? -1) : -1;
    }
  }
  if (c === 0x65 || c === 0x45) {
    c = ++i < end ? (bytes[i] ?? -1) : -1;
    let exponentNegative = false;
    if (c === 0x2d || c === 0x2b) {
      exponentNegative = c === 0x2d;
      c = ++i < end ? (bytes[i] ?? -1) : -1;
    }
    while (c >= 0x30 && c <= 0x39) {
      if (exponent < 100_000) exponent = exponent * 10 + (c - 0x30);
      c = ++i < end ? (bytes[i] ?? -1) : -1;
    }
    if (exponentNegative) exponent = -exponent;
  }
  const scale = exponent - fractionDigits;
  let num: number;
  if (mantissa === 0) num = negative ? -0 : 0;
  else if (digits <= MAX_FAST_DIGITS && scale >= 0 && scale <= 22)
    num = (negative ? -mantissa : mantissa) * (POWERS_OF_TEN[scale] ?? 0);
  else if (digits <= MAX_FAST_DIGITS && scale < 0 && scale >= -22)
    num = (negative ? -mantissa : mantissa) / (POWERS_OF_TEN[-scale] ?? 1);
  else num = Number(latin1(bytes, start, end));
  if (Number.isFinite(num)) {
    slot.cls = Number.isInteger(num) ? 'integral' : 'fractional';
    slot.num = num;
  } else {
    slot.cls = 'string';
    slot.num = Number.NaN;
  }
  slot.text = wantText ? String(num) : '';
}

function copyInto(slot: ValueSlot, v: ClassifiedValue, wantText: boolean): void {
  slot.cls = v.cls;
  slot.num = v.num;
  slot.text = wantText ? v.text : '';
}

/**
 * INTEGRAL, FRACTIONAL or NOT_A_NUMBER for a trimmed, non-empty text, by Deequ's patterns as extended above:
 * `^[-+]? ?\d+$` and `^[-+]? ?(?:\d+\.\d*|\.\d+|\d+(?=[eE]))(?:[eE][-+]?\d+)?$`.
 */
function scanNumber(text: string): number {
  const n = text.length;
  let i = 0;
  let c = text.charCodeAt(0);
  if (c === 0x2d || c === 0x2b) {
    c = text.charCodeAt(++i);
    if (c === 0x20) c = text.charCodeAt(++i);
  }
  const integerStart = i;
  while (c >= 0x30 && c <= 0x39) c = text.charCodeAt(++i);
  const integerDigits = i - integerStart;
  if (i === n) return integerDigits > 0 ? INTEGRAL : NOT_A_NUMBER;
  let digits = integerDigits;
  if (c === 0x2e) {
    const fractionStart = ++i;
    c = text.charCodeAt(i);
    while (c >= 0x30 && c <= 0x39) c = text.charCodeAt(++i);
    digits += i - fractionStart;
  }
  if (digits === 0) return NOT_A_NUMBER;
  if (c === 0x65 || c === 0x45) {
    c = text.charCodeAt(++i);
    if (c === 0x2d || c === 0x2b) c = text.charCodeAt(++i);
    const exponentStart = i;
    while (c >= 0x30 && c <= 0x39) c = text.charCodeAt(++i);
    if (i === exponentStart) return NOT_A_NUMBER;
  }
  return i === n ? FRACTIONAL : NOT_A_NUMBER;
}

function parseNumber(text: string): number {
  // Deequ allows one space after the sign ("- 3"); Number() does not.
  return Number(text.length > 1 && text[1] === ' ' ? text[0] + text.slice(2) : text);
}

function latin1(bytes: Uint8Array, start: number, end: number): string {
  let text = '';
  for (let i = start; i < end; i++) text += String.fromCharCode(bytes[i] ?? 0);
  return text;
}

/** Texts of short byte ranges seen recently, so that repeated category values reuse one string. */
const TEXT_CACHE_SIZE = 4096;
const TEXT_CACHE_MAX_BYTES = 64;
const textCache: (string | undefined)[] = new Array(TEXT_CACHE_SIZE).fill(undefined);

/** The Latin-1 (here: ASCII) text of `bytes[start, end)`, from a small cache of recent texts when it is there. */
function cachedLatin1(bytes: Uint8Array, start: number, end: number): string {
  const length = end - start;
  if (length > TEXT_CACHE_MAX_BYTES) return latin1(bytes, start, end);
  // FNV-1a over the bytes.
  let hash = 0x811c9dc5;
  for (let i = start; i < end; i++) hash = Math.imul(hash ^ (bytes[i] ?? 0), 0x01000193);
  const slot = (hash >>> 0) & (TEXT_CACHE_SIZE - 1);
  const cached = textCache[slot];
  if (cached !== undefined && cached.length === length) {
    let same = true;
    for (let k = 0; k < length; k++) {
      if (cached.charCodeAt(k) !== bytes[start + k]) {
        same = false;
        break;
      }
    }
    if (same) return cached;
  }
  const text = latin1(bytes, start, end);
  textCache[slot] = text;
  return text;
}
