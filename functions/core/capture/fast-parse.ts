/**
 * The fast parser's per-line work on bytes: scan the record (fast-scan.ts), then either read the sides into
 * cells for a {@link CellRowSink} (no strings, no CaptureRows) or hand the sides over as the small objects the
 * reference payload readers take. Every check here mirrors one in parse-capture.ts / payload.ts; where a line
 * would be rejected, or needs more than this handles, the answer is "not here" and the caller falls back to the
 * next slower path, the last being the reference parser itself, so results never differ.
 */
import { type CellRowSink, RowCells, splitEscapedCsv, splitRawCsv } from './fast-cells.js';
import { JsonObjectReader, OUTPUT_SCALAR, readEscapedJsonOutput } from './fast-json.js';
import {
  checkStringContent,
  ENCODING_BASE64,
  ENCODING_CSV,
  ENCODING_JSON,
  RecordTemplate,
  ScannedRecord,
  type ScannedSide,
  scanRecord,
} from './fast-scan.js';
import { type InputPlan, type OutputPlan, positionalNames } from './payload.js';

const ENCODING_NAMES = ['', 'CSV', 'JSON', 'BASE64'];
/** Base64 alphabet value of each byte; -1 outside the standard alphabet. */
const BASE64_VALUES = (() => {
  const values = new Int8Array(256).fill(-1);
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  for (let i = 0; i < alphabet.length; i++) values[alphabet.charCodeAt(i)] = i;
  return values;
})();
/** sideCells results. */
const NOT_HERE = -1;
const CSV_CELLS = 0;
const JSON_OBJECT = 1;

/** The state of one line between {@link FastRecordReader} steps; reused from line to line. */
export class FastRecordReader {
  readonly record = new ScannedRecord();
  readonly inputCells = new RowCells();
  readonly outputCells = new RowCells();
  /** Rows of the line after {@link FastRecordReader.readCells}. */
  rowCount = 0;
  /** Input field names of each row; empty without input. */
  readonly rowNames: (readonly string[])[] = [];
  /** Output row r is fields [outputFrom[r], outputTo[r]) of outputCells. */
  outputFrom = new Int32Array(16);
  outputTo = new Int32Array(16);
  private readonly template = new RecordTemplate();
  private readonly jsonObjects = new JsonObjectReader();
  private readonly flags = { value: 0 };
  private inputDecoded: Buffer = Buffer.alloc(256);
  private outputDecoded: Buffer = Buffer.alloc(256);

  constructor(
    private readonly inputPlan: InputPlan,
    private readonly outputPlan: OutputPlan,
  ) {}

  /** Scans the record in `bytes[start, end)`; false when the reference parser must read the line. */
  scan(bytes: Uint8Array, start: number, end: number): boolean {
    const record = this.record;
    if (this.template.match(bytes, start, end, record)) return true;
    if (!scanRecord(bytes, start, end, record)) return false;
    this.template.learn(bytes, start, end, record);
    return true;
  }

  /**
   * Reads the scanned record's sides into cells when each is CSV needing no decoding beyond `\n` escapes (or
   * strict BASE64 of plain ASCII CSV) or, without `paths`, a flat JSON payload (fast-json.ts), and checks what
   * readInputRows, readOutputRows and parseLine check: at least one row per side, `input.columns` /
   * `output.names` widths, equal row counts. Then asks `sink` whether it takes these rows. False when anything
   * is otherwise (the line may still be fine).
   */
  readCells(bytes: Uint8Array, sink: CellRowSink): boolean {
    const { input, output } = this.record;
    let inputRows: number | undefined;
    this.rowNames.length = 0;
    if (input.present) {
      const cells = this.inputCells;
      const read = this.sideCells(bytes, input, this.inputPlan.format, cells, true);
      if (read === NOT_HERE) return false;
      if (read === JSON_OBJECT) {
        if (this.inputPlan.pathEvaluators !== undefined) return false;
        if (!this.jsonObjects.read(bytes, input.dataStart, input.dataEnd, cells)) return false;
        inputRows = 1;
        this.rowNames.push(this.jsonObjects.names);
      } else {
        inputRows = cells.rows;
        if (inputRows === 0) return false;
        const columns = this.inputPlan.columns;
        for (let r = 0; r < inputRows; r++) {
          const width = cells.width(r);
          if (columns !== undefined && width !== columns.length) return false;
          this.rowNames.push(columns ?? positionalNames(width));
        }
      }
    }
    let outputRows: number | undefined;
    let outputWidth = 0;
    if (output.present) {
      const cells = this.outputCells;
      const read = this.sideCells(bytes, output, this.outputPlan.format, cells, false);
      if (read === NOT_HERE) return false;
      if (read === JSON_OBJECT) {
        if (this.outputPlan.pathEvaluator !== undefined) return false;
        const kind = readEscapedJsonOutput(bytes, output.dataStart, output.dataEnd, cells);
        if (kind < 0) return false;
        outputRows =
          kind === OUTPUT_SCALAR ? this.oneOutputRow(1) : this.flatOutputRows(cells.fields, inputRows);
      } else {
        outputRows = this.csvOutputRows(cells, inputRows);
      }
      if (outputRows === 0) return false;
      const names = this.outputPlan.names;
      for (let r = 0; r < outputRows; r++) {
        const width = (this.outputTo[r] ?? 0) - (this.outputFrom[r] ?? 0);
        if (names !== undefined && width !== names.length) return false;
        if (width > outputWidth) outputWidth = width;
      }
      if (inputRows !== undefined && outputRows !== inputRows) return false;
    }
    this.rowCount = inputRows ?? outputRows ?? 0;
    if (inputRows === undefined) return sink.acceptsCells(undefined, outputWidth);
    let last: readonly string[] | undefined;
    for (const names of this.rowNames) {
      if (names === last) continue;
      last = names;
      if (!sink.acceptsCells(names, outputWidth)) return false;
    }
    return true;
  }

  /**
   * One scanned side as the object parseLine reads (`data`, `encoding`, `observedContentType`), with `data`
   * decoded as JSON.parse would; undefined when `data` is not a valid JSON string (the reference parser then
   * reads the line and rejects it).
   */
  sideObject(bytes: Buffer, side: ScannedSide): Record<string, unknown> | undefined {
    const flags = this.flags;
    if (!checkStringContent(bytes, side.dataStart, side.dataEnd, flags)) return undefined;
    let data: string;
    if ((flags.value & 1) === 0) {
      data = bytes.toString((flags.value & 2) === 0 ? 'latin1' : 'utf8', side.dataStart, side.dataEnd);
    } else {
      try {
        data = JSON.parse(bytes.toString('utf8', side.dataStart - 1, side.dataEnd + 1)) as string;
      } catch {
        return undefined;
      }
    }
    return { data, encoding: ENCODING_NAMES[side.encoding], observedContentType: side.contentType };
  }

  /**
   * CSV_CELLS after splitting one side's CSV into `cells`; JSON_OBJECT when the side is a JSON payload in the line
   * (sideFormat 'json', not BASE64), for fast-json.ts to read; NOT_HERE otherwise.
   */
  private sideCells(
    bytes: Uint8Array,
    side: ScannedSide,
    configured: 'auto' | 'csv' | 'json',
    cells: RowCells,
    isInput: boolean,
  ): number {
    if (side.encoding === ENCODING_CSV || side.encoding === ENCODING_JSON) {
      const format = configured !== 'auto' ? configured : side.encoding === ENCODING_CSV ? 'csv' : 'json';
      if (format === 'json') return JSON_OBJECT;
      return splitEscapedCsv(bytes, side.dataStart, side.dataEnd, cells) ? CSV_CELLS : NOT_HERE;
    }
    if (side.encoding !== ENCODING_BASE64) return NOT_HERE;
    const length = side.dataEnd - side.dataStart;
    let target = isInput ? this.inputDecoded : this.outputDecoded;
    if (target.length < length) {
      target = Buffer.alloc(length * 2);
      if (isInput) this.inputDecoded = target;
      else this.outputDecoded = target;
    }
    const decoded = decodeStrictBase64(bytes, side.dataStart, side.dataEnd, target);
    if (decoded < 0 || base64Format(side, target, decoded, configured) !== 'csv') return NOT_HERE;
    return splitRawCsv(target, 0, decoded, cells) ? CSV_CELLS : NOT_HERE;
  }

  /** Output rows as readOutputRows forms them from CSV rows; returns their count. */
  private csvOutputRows(cells: RowCells, inputRows: number | undefined): number {
    let flat = true;
    for (let r = 0; r < cells.rows && flat; r++) flat = cells.width(r) === 1;
    // An empty payload is a row without values to the reference reader; leave that oddity to it.
    if (cells.rows === 0) return 0;
    if (flat) return this.flatOutputRows(cells.fields, inputRows);
    this.reserveOutputRows(cells.rows);
    for (let r = 0; r < cells.rows; r++) {
      this.outputFrom[r] = cells.rowStart[r] ?? 0;
      this.outputTo[r] = cells.rowStart[r + 1] ?? 0;
    }
    return cells.rows;
  }

  /** flatRows: n values are n one-value rows when the input has n rows, else one row of all n. */
  private flatOutputRows(values: number, inputRows: number | undefined): number {
    if (inputRows !== values) return this.oneOutputRow(values);
    this.reserveOutputRows(values);
    for (let r = 0; r < values; r++) {
      this.outputFrom[r] = r;
      this.outputTo[r] = r + 1;
    }
    return values;
  }

  private oneOutputRow(values: number): number {
    this.outputFrom[0] = 0;
    this.outputTo[0] = values;
    return 1;
  }

  private reserveOutputRows(rows: number): void {
    if (this.outputFrom.length >= rows) return;
    this.outputFrom = new Int32Array(2 * rows);
    this.outputTo = new Int32Array(2 * rows);
  }
}

/**
 * Decodes strict standard BASE64 (`bytes[start, end)`: length a multiple of 4, alphabet A-Z a-z 0-9 + /, at most
 * two `=` at the end) into `target`, as Buffer.from(text, 'base64') decodes it; the decoded length, or -1 when
 * the text is not strict BASE64 or decodes to a byte >= 0x80 (the text path then decides).
 */
export function decodeStrictBase64(
  bytes: Uint8Array,
  start: number,
  end: number,
  target: Uint8Array,
): number {
  const n = end - start;
  if (n % 4 !== 0) return -1;
  let stop = end;
  if (n > 0 && bytes[stop - 1] === 0x3d) stop--;
  if (stop > start && bytes[stop - 1] === 0x3d) stop--;
  let out = 0;
  let bits = 0;
  let count = 0;
  for (let i = start; i < stop; i++) {
    const v = BASE64_VALUES[bytes[i] ?? 0] ?? -1;
    if (v < 0) return -1;
    bits = (bits << 6) | v;
    if (++count === 4) {
      const b0 = (bits >>> 16) & 0xff;
      const b1 = (bits >>> 8) & 0xff;
      const b2 = bits & 0xff;
      if ((b0 | b1 | b2) >= 0x80) return -1;
      target[out] = b0;
      target[out + 1] = b1;
      target[out + 2] = b2;
      out += 3;
      bits = 0;
      count = 0;
    }
  }
  // A final group of 2 or 3 characters carries 1 or 2 bytes; its spare low bits are ignored, as Buffer does.
  if (count === 2) {
    const b0 = (bits >>> 4) & 0xff;
    if (b0 >= 0x80) return -1;
    target[out++] = b0;
  } else if (count === 3) {
    const b0 = (bits >>> 10) & 0xff;
    const b1 = (bits >>> 2) & 0xff;
    if ((b0 | b1) >= 0x80) return -1;
    target[out++] = b0;
    target[out++] = b1;
  }
  return out;
}

/** sideFormat for decoded BASE64: as configured, else by observedContentType (csv/json), else by the first byte. */
function base64Format(
  side: ScannedSide,
  decoded: Uint8Array,
  length: number,
  configured: 'auto' | 'csv' | 'json',
): 'csv' | 'json' {
  if (configured !== 'auto') return configured;
  const contentType = side.contentType;
  if (contentType !== undefined) {
    const lower = contentType.toLowerCase();
    if (lower.includes('csv')) return 'csv';
    if (lower.includes('json')) return 'json';
  }
  for (let i = 0; i < length; i++) {
    const c = decoded[i];
    if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) continue;
    return c === 0x7b || c === 0x5b ? 'json' : 'csv';
  }
  return 'csv';
}
