/**
 * Flat JSON payloads read straight from the capture line, where they sit JSON-escaped inside the `data` string
 * (`{\"age\":31,\"city\":\"Oslo\"}`): the shapes most endpoints use, one object of scalars in, one scalar, list
 * of scalars or object holding one of them out. Values become cells (fast-cells.ts), never strings. Anything else
 * (nesting, an escape inside a payload string, non-ASCII, a key that changes the meaning) answers "not here", and
 * the caller decodes the payload and uses the reference readers.
 */
import { CELL_FALSE, CELL_NULL, CELL_NUMBER, CELL_TEXT, CELL_TRUE, type RowCells } from './fast-cells.js';
import { sameBytes } from './fast-scan.js';
import { OUTPUT_KEYS } from './payload.js';

const BACKSLASH = 0x5c;
const QUOTE = 0x22;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COLON = 0x3a;
const COMMA = 0x2c;
/** readEscapedJsonOutput: the payload is one scalar. */
export const OUTPUT_SCALAR = 0;
/** readEscapedJsonOutput: the payload is (or holds) a flat list of scalars. */
export const OUTPUT_LIST = 1;
/** Keys of an input object that give it another meaning than one keyed row. */
const SHAPE_KEYS = new Set(['instances', 'features', '__proto__']);
const OUTPUT_KEY_BYTES = OUTPUT_KEYS.map((key) => Uint8Array.from(key, (c) => c.charCodeAt(0)));

/** Longer object payloads are not kept as templates. */
const MAX_TEMPLATE_BYTES = 16 * 1024;

/**
 * Reads input payloads that are one flat JSON object (readInputRows: one keyed row), keeping the key names as one
 * array while objects keep the same keys in the same order, so that sinks can cache per names array as they do
 * for CSV columns. Endpoints send the same keys every time, so the last object read is kept as a template: its
 * bytes between values (`{\\"age\\":`, `,\\"city\\":`, ..., `}`), which hold every key; an object whose
 * bytes match those, with a valid scalar at each value, has the same keys.
 */
export class JsonObjectReader {
  /** Key names of the last object read, in order. */
  names: readonly string[] = [];
  private keyStarts = new Int32Array(32);
  private keyEnds = new Int32Array(32);
  private keyCount = 0;
  private valueStarts = new Int32Array(32);
  private valueEnds = new Int32Array(32);
  /** Template: separator k is `separators[separatorStart[k], separatorStart[k + 1])`; -1 values: none. */
  private separators = new Uint8Array(0);
  private separatorView = new DataView(new ArrayBuffer(0));
  private separatorStart = new Int32Array(34);
  private values = -1;
  private lineBytes: Uint8Array | undefined;
  private lineView: DataView = new DataView(new ArrayBuffer(0));

  /**
   * Reads the escaped payload `bytes[start, end)` into `cells` (one row) and its keys into `names`. False when it
   * is not one object of scalars whose keys keep their meaning (see settleNames), or needs decoding.
   */
  read(bytes: Uint8Array, start: number, end: number, cells: RowCells): boolean {
    if (this.values >= 0 && this.matchTemplate(bytes, start, end, cells)) return true;
    if (!this.readObject(bytes, start, end, cells) || !this.settleNames(bytes)) {
      this.values = -1;
      return false;
    }
    this.learn(bytes, start, end);
    return true;
  }

  private matchTemplate(bytes: Uint8Array, start: number, end: number, cells: RowCells): boolean {
    cells.clear(bytes);
    if (bytes !== this.lineBytes) {
      this.lineBytes = bytes;
      this.lineView = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    }
    const line = this.lineView;
    const separators = this.separatorView;
    let p = start;
    for (let k = 0; ; k++) {
      const from = this.separatorStart[k] ?? 0;
      const length = (this.separatorStart[k + 1] ?? 0) - from;
      if (p + length > end || !sameBytes(line, p, separators, from, length)) return false;
      p += length;
      if (k === this.values) break;
      p = readScalar(bytes, p, end, cells);
      if (p < 0) return false;
    }
    if (p !== end) return false;
    cells.endRow();
    return true;
  }

  private readObject(bytes: Uint8Array, start: number, end: number, cells: RowCells): boolean {
    cells.clear(bytes);
    this.keyCount = 0;
    let i = skipEscapedWhitespace(bytes, start, end);
    if (byteAt(bytes, i, end) !== OPEN_BRACE) return false;
    i = skipEscapedWhitespace(bytes, i + 1, end);
    if (byteAt(bytes, i, end) === CLOSE_BRACE) {
      i++;
    } else {
      for (;;) {
        const keyEnd = escapedStringEnd(bytes, i, end);
        if (keyEnd < 0) return false;
        const keyStart = i + 2;
        i = skipEscapedWhitespace(bytes, keyEnd + 2, end);
        if (byteAt(bytes, i, end) !== COLON) return false;
        const valueStart = skipEscapedWhitespace(bytes, i + 1, end);
        i = readScalar(bytes, valueStart, end, cells);
        if (i < 0) return false;
        this.addKey(keyStart, keyEnd, valueStart, i);
        i = skipEscapedWhitespace(bytes, i, end);
        const c = byteAt(bytes, i, end);
        if (c === CLOSE_BRACE) {
          i++;
          break;
        }
        if (c !== COMMA) return false;
        i = skipEscapedWhitespace(bytes, i + 1, end);
      }
    }
    if (skipEscapedWhitespace(bytes, i, end) !== end) return false;
    cells.endRow();
    return true;
  }

  /** Records key k (content `[keyStart, keyEnd)`) and its value's bytes `[valueStart, valueEnd)`. */
  private addKey(keyStart: number, keyEnd: number, valueStart: number, valueEnd: number): void {
    const k = this.keyCount++;
    if (k === this.keyStarts.length) {
      this.keyStarts = growInt32(this.keyStarts);
      this.keyEnds = growInt32(this.keyEnds);
      this.valueStarts = growInt32(this.valueStarts);
      this.valueEnds = growInt32(this.valueEnds);
    }
    this.keyStarts[k] = keyStart;
    this.keyEnds[k] = keyEnd;
    this.valueStarts[k] = valueStart;
    this.valueEnds[k] = valueEnd;
  }

  /**
   * Settles `names` for the keys just read (the previous array when they are the same); false when they repeat
   * a key (JSON.parse keeps the last), or one looks like an array index (JSON.parse's objects list those first)
   * or changes the payload's shape (`instances`, `features`) or prototype (`__proto__`).
   */
  private settleNames(bytes: Uint8Array): boolean {
    const names: string[] = [];
    for (let k = 0; k < this.keyCount; k++) {
      const start = this.keyStarts[k] ?? 0;
      const end = this.keyEnds[k] ?? 0;
      const first = bytes[start] ?? 0;
      if (first >= 0x30 && first <= 0x39) return false;
      let name = '';
      for (let i = start; i < end; i++) name += String.fromCharCode(bytes[i] ?? 0);
      names.push(name);
    }
    const distinct = new Set(names);
    if (distinct.size !== names.length) return false;
    for (const key of SHAPE_KEYS) if (distinct.has(key)) return false;
    const previous = this.names;
    this.names =
      previous.length === names.length && previous.every((name, k) => name === names[k]) ? previous : names;
    return true;
  }

  /** Keeps the bytes between the values just read as the template. */
  private learn(bytes: Uint8Array, start: number, end: number): void {
    const values = this.keyCount;
    if (end - start > MAX_TEMPLATE_BYTES) {
      this.values = -1;
      return;
    }
    if (this.separators.length < end - start) {
      this.separators = new Uint8Array(2 * (end - start));
      this.separatorView = new DataView(this.separators.buffer);
    }
    if (this.separatorStart.length < values + 2) this.separatorStart = new Int32Array(2 * values + 2);
    let at = 0;
    let from = start;
    for (let k = 0; k <= values; k++) {
      const to = k < values ? (this.valueStarts[k] ?? 0) : end;
      this.separatorStart[k] = at;
      this.separators.set(bytes.subarray(from, to), at);
      at += to - from;
      from = this.valueEnds[k] ?? 0;
    }
    this.separatorStart[values + 1] = at;
    this.values = values;
  }
}

function growInt32(array: Int32Array): Int32Array<ArrayBuffer> {
  const bigger = new Int32Array(array.length * 2);
  bigger.set(array);
  return bigger;
}

/**
 * Reads an escaped JSON output payload `bytes[start, end)` as readOutputRows reads one document without
 * `output.path`: a scalar (OUTPUT_SCALAR, one value in `cells`), a flat non-empty list of scalars, or an object
 * whose first key of OUTPUT_KEYS (in that order) holds a scalar or such a list (OUTPUT_LIST, the list's values in
 * `cells`); every value lands in row 0 of `cells`. -1 for anything else (nesting elsewhere, an empty list, no
 * output key, a repeated output key, strings needing decoding).
 */
export function readEscapedJsonOutput(
  bytes: Uint8Array,
  start: number,
  end: number,
  cells: RowCells,
): number {
  cells.clear(bytes);
  let i = skipEscapedWhitespace(bytes, start, end);
  const c = byteAt(bytes, i, end);
  let kind: number;
  if (c === OPEN_BRACE) {
    const located = { kind: OUTPUT_SCALAR };
    i = readOutputObject(bytes, i, end, cells, located);
    kind = located.kind;
  } else if (c === OPEN_BRACKET) {
    i = readScalarList(bytes, i, end, cells);
    kind = OUTPUT_LIST;
  } else {
    i = readScalar(bytes, i, end, cells);
    kind = OUTPUT_SCALAR;
  }
  if (i < 0 || skipEscapedWhitespace(bytes, i, end) !== end || cells.fields === 0) return -1;
  cells.endRow();
  return kind;
}

/**
 * An output object from `at` (its `{`); the chosen key's value goes to `cells` and its kind to `located`; returns
 * the index after the `}` or -1. Other members may hold scalars or flat lists.
 */
function readOutputObject(
  bytes: Uint8Array,
  at: number,
  end: number,
  cells: RowCells,
  located: { kind: number },
): number {
  let best: number = OUTPUT_KEYS.length;
  let bestStart = -1;
  let repeated = false;
  let i = skipEscapedWhitespace(bytes, at + 1, end);
  if (byteAt(bytes, i, end) === CLOSE_BRACE) return -1;
  for (;;) {
    const keyEnd = escapedStringEnd(bytes, i, end);
    if (keyEnd < 0) return -1;
    const rank = outputKeyRank(bytes, i + 2, keyEnd);
    i = skipEscapedWhitespace(bytes, keyEnd + 2, end);
    if (byteAt(bytes, i, end) !== COLON) return -1;
    i = skipEscapedWhitespace(bytes, i + 1, end);
    if (rank < OUTPUT_KEYS.length && rank === best) repeated = true;
    if (rank < best) {
      best = rank;
      bestStart = i;
      repeated = false;
    }
    // Validate the value; only the chosen one is kept (read again below).
    const mark = cells.fields;
    i =
      byteAt(bytes, i, end) === OPEN_BRACKET
        ? readScalarList(bytes, i, end, cells)
        : readScalar(bytes, i, end, cells);
    cells.fields = mark;
    if (i < 0) return -1;
    i = skipEscapedWhitespace(bytes, i, end);
    const c = byteAt(bytes, i, end);
    if (c === CLOSE_BRACE) break;
    if (c !== COMMA) return -1;
    i = skipEscapedWhitespace(bytes, i + 1, end);
  }
  if (bestStart < 0 || repeated) return -1;
  if (byteAt(bytes, bestStart, end) === OPEN_BRACKET) {
    if (readScalarList(bytes, bestStart, end, cells) < 0) return -1;
    located.kind = OUTPUT_LIST;
  } else {
    if (readScalar(bytes, bestStart, end, cells) < 0) return -1;
    located.kind = OUTPUT_SCALAR;
  }
  return i + 1;
}

/** Index of the key `bytes[start, end)` in OUTPUT_KEYS, or OUTPUT_KEYS.length when it is none of them. */
function outputKeyRank(bytes: Uint8Array, start: number, end: number): number {
  outer: for (let k = 0; k < OUTPUT_KEY_BYTES.length; k++) {
    const key = OUTPUT_KEY_BYTES[k] ?? new Uint8Array(0);
    if (key.length !== end - start) continue;
    for (let j = 0; j < key.length; j++) if (bytes[start + j] !== key[j]) continue outer;
    return k;
  }
  return OUTPUT_KEYS.length;
}

/** A non-empty list of scalars from `at` (its `[`) into `cells`; the index after the `]`, or -1. */
function readScalarList(bytes: Uint8Array, at: number, end: number, cells: RowCells): number {
  let i = skipEscapedWhitespace(bytes, at + 1, end);
  if (byteAt(bytes, i, end) === CLOSE_BRACKET) return -1;
  for (;;) {
    i = readScalar(bytes, i, end, cells);
    if (i < 0) return -1;
    i = skipEscapedWhitespace(bytes, i, end);
    const c = byteAt(bytes, i, end);
    if (c === CLOSE_BRACKET) return i + 1;
    if (c !== COMMA) return -1;
    i = skipEscapedWhitespace(bytes, i + 1, end);
  }
}

/** One scalar (escaped string, number, true, false, null) from `at` into `cells`; the index after it, or -1. */
function readScalar(bytes: Uint8Array, at: number, end: number, cells: RowCells): number {
  const c = byteAt(bytes, at, end);
  if (c === BACKSLASH) {
    const close = escapedStringEnd(bytes, at, end);
    if (close < 0) return -1;
    cells.addField(at + 2, close, CELL_TEXT);
    return close + 2;
  }
  if (c === 0x74) return literal(bytes, at, end, 'true', CELL_TRUE, cells);
  if (c === 0x66) return literal(bytes, at, end, 'false', CELL_FALSE, cells);
  if (c === 0x6e) return literal(bytes, at, end, 'null', CELL_NULL, cells);
  const stop = numberEnd(bytes, at, end);
  if (stop < 0) return -1;
  cells.addField(at, stop, CELL_NUMBER);
  return stop;
}

function literal(
  bytes: Uint8Array,
  at: number,
  end: number,
  word: string,
  kind: number,
  cells: RowCells,
): number {
  if (at + word.length > end) return -1;
  for (let k = 0; k < word.length; k++) if (bytes[at + k] !== word.charCodeAt(k)) return -1;
  cells.addField(at, at + word.length, kind);
  return at + word.length;
}

/**
 * A payload string opening at `at` with `\"`: the index of the `\"` that closes it, or -1 when its content is
 * not printable ASCII without escapes (or it is not a string).
 */
function escapedStringEnd(bytes: Uint8Array, at: number, end: number): number {
  if (byteAt(bytes, at, end) !== BACKSLASH || byteAt(bytes, at + 1, end) !== QUOTE) return -1;
  for (let i = at + 2; i < end; i++) {
    const c = bytes[i] ?? 0;
    if (c === BACKSLASH) return byteAt(bytes, i + 1, end) === QUOTE ? i : -1;
    if (c < 0x20 || c >= 0x7f || c === QUOTE) return -1;
  }
  return -1;
}

/** A JSON number `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?` from `at`: the index after it, or -1. */
function numberEnd(bytes: Uint8Array, at: number, end: number): number {
  let i = at;
  if (byteAt(bytes, i, end) === 0x2d) i++;
  if (byteAt(bytes, i, end) === 0x30) {
    i++;
  } else {
    const digits = i;
    while (isDigit(byteAt(bytes, i, end))) i++;
    if (i === digits) return -1;
  }
  if (byteAt(bytes, i, end) === 0x2e) {
    const digits = ++i;
    while (isDigit(byteAt(bytes, i, end))) i++;
    if (i === digits) return -1;
  }
  const e = byteAt(bytes, i, end);
  if (e === 0x65 || e === 0x45) {
    i++;
    const sign = byteAt(bytes, i, end);
    if (sign === 0x2b || sign === 0x2d) i++;
    const digits = i;
    while (isDigit(byteAt(bytes, i, end))) i++;
    if (i === digits) return -1;
  }
  return i;
}

/** Payload whitespace: a space, or the escapes `\n`, `\r`, `\t`; the first other index. */
function skipEscapedWhitespace(bytes: Uint8Array, at: number, end: number): number {
  let i = at;
  while (i < end) {
    const c = bytes[i];
    if (c === 0x20) {
      i++;
    } else if (c === BACKSLASH) {
      const next = byteAt(bytes, i + 1, end);
      if (next !== 0x6e && next !== 0x72 && next !== 0x74) return i;
      i += 2;
    } else {
      return i;
    }
  }
  return end;
}

function byteAt(bytes: Uint8Array, i: number, end: number): number {
  return i < end ? (bytes[i] ?? -1) : -1;
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}
