/**
 * Payload values as byte ranges: the fast parser's form of rows, split straight from the capture line (or from
 * decoded BASE64) without making strings, and the optional sink interface that takes rows in this form. CSV
 * payloads are split here; flat JSON payloads in fast-json.ts.
 */
import type { CaptureSink } from './types.js';

const COMMA = 0x2c;
const BACKSLASH = 0x5c;
const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;
const EMPTY = new Uint8Array(0);
/** 1 for the bytes splitEscapedCsv passes over: printable ASCII except `,`, `\\` and `"`. */
const ESCAPED_CSV_PLAIN = Uint8Array.from({ length: 256 }, (_, c) =>
  c >= 0x20 && c < 0x80 && c !== COMMA && c !== BACKSLASH && c !== QUOTE ? 1 : 0,
);

/**
 * A field holding text, a CSV field or a JSON string's content: the value is that text (an empty CSV field is
 * null, an empty JSON string ''; classifyValue counts both as missing).
 */
export const CELL_TEXT = 0;
/** A field holding a JSON number token: the value is the number JSON.parse gives. */
export const CELL_NUMBER = 1;
/** A JSON `true`. */
export const CELL_TRUE = 2;
/** A JSON `false`. */
export const CELL_FALSE = 3;
/** A JSON `null`. */
export const CELL_NULL = 4;

/**
 * The values of a payload: value f is `bytes[fieldStart[f], fieldEnd[f])`, plain printable ASCII without quotes
 * or escapes, read as `fieldKind[f]` says (CELL_TEXT for every CSV field); row r holds values
 * `[rowStart[r], rowStart[r + 1])`. Reused from line to line.
 */
export class RowCells {
  bytes: Uint8Array = EMPTY;
  fieldStart = new Int32Array(64);
  fieldEnd = new Int32Array(64);
  fieldKind = new Uint8Array(64);
  /** rowStart[rows] is `fields`. */
  rowStart = new Int32Array(16);
  rows = 0;
  fields = 0;

  /** Fields in row r. */
  width(r: number): number {
    return (this.rowStart[r + 1] ?? 0) - (this.rowStart[r] ?? 0);
  }

  /** Empties the cells, for values in `bytes`. */
  clear(bytes: Uint8Array): void {
    this.bytes = bytes;
    this.rows = 0;
    this.fields = 0;
    this.rowStart[0] = 0;
  }

  /** Appends value `bytes[start, end)` of the given kind to the current row. */
  addField(start: number, end: number, kind = CELL_TEXT): void {
    if (this.fields === this.fieldStart.length) {
      this.fieldStart = grow(this.fieldStart);
      this.fieldEnd = grow(this.fieldEnd);
      const kinds = new Uint8Array(this.fieldKind.length * 2);
      kinds.set(this.fieldKind);
      this.fieldKind = kinds;
    }
    this.fieldStart[this.fields] = start;
    this.fieldEnd[this.fields] = end;
    this.fieldKind[this.fields] = kind;
    this.fields++;
  }

  /** Closes the current row (the values added since the last one). */
  endRow(): void {
    if (this.rows + 2 > this.rowStart.length) this.rowStart = grow(this.rowStart);
    this.rows++;
    this.rowStart[this.rows] = this.fields;
  }
}

function grow(array: Int32Array): Int32Array<ArrayBuffer> {
  const bigger = new Int32Array(array.length * 2);
  bigger.set(array);
  return bigger;
}

/**
 * Splits the content of a JSON string holding CSV (`bytes[start, end)`, printable ASCII, still escaped) into
 * `cells`, with the rows and fields `parseCsvRows` gives for the decoded text: rows end at the escapes `\n` and
 * `\r\n`, empty rows are skipped, fields split on `,`. True only for printable ASCII with no other escape, which
 * is also a valid JSON string content. False, with `cells` unusable, for anything else (another escape, so also a
 * quote `\"`, a non-ASCII byte, or a control character, which JSON forbids); the caller then checks and decodes.
 */
export function splitEscapedCsv(bytes: Uint8Array, start: number, end: number, cells: RowCells): boolean {
  cells.clear(bytes);
  let rowStart = start;
  let fieldStart = start;
  let i = start;
  for (;;) {
    // Printable ASCII other than `,`, `\` and `"` needs no attention: skip it in a tight loop.
    while (i < end && ESCAPED_CSV_PLAIN[bytes[i] ?? 0] === 1) i++;
    if (i >= end) break;
    const c = bytes[i];
    if (c === COMMA) {
      cells.addField(fieldStart, i);
      fieldStart = ++i;
    } else if (c === BACKSLASH) {
      const next = i + 1 < end ? bytes[i + 1] : -1;
      let rowEnd: number;
      if (next === 0x6e) {
        rowEnd = i;
        i += 2;
      } else if (next === 0x72 && i + 3 < end && bytes[i + 2] === BACKSLASH && bytes[i + 3] === 0x6e) {
        rowEnd = i;
        i += 4;
      } else {
        return false;
      }
      if (rowEnd > rowStart) {
        cells.addField(fieldStart, rowEnd);
        cells.endRow();
      }
      rowStart = i;
      fieldStart = i;
    } else {
      // A control character or raw quote makes the JSON invalid; anything non-ASCII needs decoding.
      return false;
    }
  }
  if (end > rowStart) {
    cells.addField(fieldStart, end);
    cells.endRow();
  }
  return true;
}

/**
 * Splits raw CSV bytes (decoded BASE64; `bytes[start, end)`, ASCII) into `cells` as `parseCsvRows` splits the
 * same text: rows end at `\n`, a `\r` before it is dropped, empty rows are skipped, fields split on `,`. False
 * when the text holds a quote (csv-parse's rules then apply) or a non-ASCII byte.
 */
export function splitRawCsv(bytes: Uint8Array, start: number, end: number, cells: RowCells): boolean {
  cells.clear(bytes);
  let rowStart = start;
  let fieldStart = start;
  for (let i = start; i < end; i++) {
    const c = bytes[i] ?? 0;
    if (c === COMMA) {
      cells.addField(fieldStart, i);
      fieldStart = i + 1;
    } else if (c === LF) {
      // csv-parse drops \r only as part of \r\n, so a final row keeps a trailing \r (a blank to classifyValue).
      const rowEnd = i > rowStart && bytes[i - 1] === CR ? i - 1 : i;
      if (rowEnd > rowStart) {
        cells.addField(fieldStart, rowEnd);
        cells.endRow();
      }
      rowStart = i + 1;
      fieldStart = i + 1;
    } else if (c === QUOTE || c >= 0x80) {
      return false;
    }
  }
  if (end > rowStart) {
    cells.addField(fieldStart, end);
    cells.endRow();
  }
  return true;
}

/** One row handed to a {@link CellRowSink}; the fast parser reuses a single instance. */
export class CellRowView {
  /** Names of the input fields (`input.columns`, else `_c0`, `_c1`, ...); undefined without input. */
  names: readonly string[] | undefined = undefined;
  input: RowCells | undefined = undefined;
  /** The row's input fields are `[inputFrom, inputTo)` of `input`. */
  inputFrom = 0;
  inputTo = 0;
  /** Undefined without endpointOutput. */
  output: RowCells | undefined = undefined;
  /** The row's output values are fields `[outputFrom, outputTo)` of `output`. */
  outputFrom = 0;
  outputTo = 0;
  inferenceTime: string | undefined = undefined;
}

/**
 * A CaptureSink that can also take rows as byte ranges: the fast parser then skips building CaptureRows. The
 * contract: `cellRow(view)` has exactly the effect of `row({ features, outputs }, meta)` where `features` is an
 * object built by assigning, in order, `names[i]` = the value of input field `inputFrom + i` (`{}` without
 * input), `outputs` lists the values of the output fields (absent without output) and `meta.inferenceTime` is
 * `view.inferenceTime`; the value of a field is as {@link RowCells} describes.
 */
export interface CellRowSink extends CaptureSink {
  /**
   * Whether `cellRow` can take rows with these input names (an identity-stable array) and up to `outputWidth`
   * output values; when false the parser sends CaptureRows to `row` instead. Asked before any row of a record
   * is sent, so the answer may depend on what earlier rows did.
   */
  acceptsCells(names: readonly string[] | undefined, outputWidth: number): boolean;
  cellRow(view: CellRowView): void;
}

/** Whether `sink` implements {@link CellRowSink}. */
export function isCellRowSink(sink: CaptureSink): sink is CellRowSink {
  const candidate = sink as Partial<CellRowSink>;
  return typeof candidate.acceptsCells === 'function' && typeof candidate.cellRow === 'function';
}
