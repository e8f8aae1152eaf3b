/**
 * SageMaker data-capture JSONL parsing: every line is accepted (its rows go to the sink) or rejected (with line,
 * field and reason); a bad line never stops the file. The semantics below are the contract that a faster
 * byte-level parser must reproduce; docs/capture-formats.md shows each shape with an example.
 *
 * Lines: split by `readLines` (`\n`, optional `\r`, BOM at file start, UTF-8). A line that is empty or holds only
 * spaces, tabs and CRs is blank: skipped and counted in `blankLines`, not in `lines`. A line longer than
 * `maxLineBytes` is rejected without a field.
 *
 * Record (checked in this order; the first failure is the rejection):
 * 1. the line is JSON (else `malformed JSON: ...`) holding an object;
 * 2. `eventMetadata`, when present and not null, is an object; its `eventId` and `inferenceId`, when present and
 *    not null, are strings; its `inferenceTime`, when present and not null, is an ISO-8601 date-time
 *    `YYYY-MM-DDTHH:MM:SS[.fraction]` with `Z` or `±HH:MM` / `±HHMM` that names a real instant (the SDK's
 *    template value "{%s}" is rejected); a record without eventMetadata is accepted;
 * 3. `captureData` is an object with `endpointInput` and/or `endpointOutput` (null counts as absent);
 * 4. each present side is an object whose `data` is a string and whose `encoding` is CSV, JSON or BASE64;
 *    BASE64 must be strict (standard alphabet, `=` padding, length a multiple of 4) and decode to UTF-8 text;
 * 5. the side's payload yields at least one row (input rules below, then output rules);
 * 6. with both sides, the output has as many rows as the input.
 * `mode`, `observedContentType` (except for BASE64 format detection) and `eventVersion` are not checked.
 *
 * Format of a side: `format` option when not 'auto'; else CSV/JSON from `encoding`; for BASE64 from
 * `observedContentType` containing "csv"/"json", else JSON when the text starts (after whitespace) with `{`/`[`,
 * else CSV. A JSON payload is one document, or, when that does not parse and it has several lines, JSON Lines
 * (one document per non-blank line; rows concatenated).
 *
 * Input rows. CSV: one row per line (`\n`/`\r\n`, empty lines skipped), fields split on `,`, quoted fields per
 * RFC 4180, empty field -> null, values stay strings; with `columns` every row must have exactly that many
 * fields. JSON without `paths`: `{"instances": [...]}` (each element one row: object -> keyed, list ->
 * positional, scalar -> a one-value positional row); `{"features": [...]}` and a top-level list (list of objects
 * -> keyed rows, list of lists -> positional rows, list of scalars -> one positional row); any other object -> one
 * keyed row; a scalar -> one one-value positional row. Keyed rows use the object's keys (`columns` is ignored)
 * and must hold scalars only; positional rows are named by `columns` (count must match) else `_c0`, `_c1`, ...
 * JSON with `paths`: each path gives one value per row, all paths the same count, scalars only.
 *
 * Output rows. CSV: one row per line; when every line has one value they form a flat list. JSON without `path`:
 * a scalar -> one row; a flat list of n scalars -> n one-value rows when the input has exactly n rows, else one
 * row of n values (multiclass); a list of lists -> one row each; an object -> the first of the keys predictions,
 * score, probability, probabilities, predicted_label, read as above (a list of such objects: one row each). JSON
 * Lines: each document is read as if the input had one row. With `path`: a single match is read as above
 * (without key lookup); several matches form a list read as above. With `names`, every row must have
 * `names.length` values.
 *
 * Rows of an accepted line go to the sink in order, all sharing one RecordMeta; `features` is `{}` for an
 * output-only record and `outputs` absent for an input-only one. Parsing per line is synchronous.
 *
 * Fast parser (the default of `parseCaptureStream`; `parser: 'reference'` selects the plain one): lines are split
 * and read as bytes (fast-scan.ts), so JSON.parse runs only on the payloads that need it; CSV payloads (also
 * strict BASE64 of ASCII CSV) go to a CellRowSink (the ProfileBuilder) as byte ranges without CaptureRows. Any
 * line it does not fully handle, and every line that would be rejected, is read by the reference path above, so
 * the rows, rejections and summary are the same either way (test/core/capture/fast-equivalence.test.ts).
 */
import { CaptureOptionsError } from './errors.js';
import { type CellRowSink, CellRowView, isCellRowSink } from './fast-cells.js';
import { FastRecordReader } from './fast-parse.js';
import { compileJsonPath } from './json-path.js';
import { type LineHandler, LineSplitter, readLines } from './line-reader.js';
import {
  defaultOutputNames,
  errorMessage,
  type Features,
  type InputPlan,
  isObject,
  type NameSources,
  type OutputPlan,
  PayloadProblem,
  quote,
  readInputRows,
  readOutputRows,
  sideFormat,
  sideText,
  typeName,
} from './payload.js';
import {
  type CaptureParseOptions,
  type CaptureParseSummary,
  type CaptureRow,
  type CaptureSink,
  type OutputMapping,
  type RawValue,
  type RecordMeta,
  type Rejection,
  rejection,
} from './types.js';

const DEFAULT_MAX_LINE_BYTES = 64 * 1024 * 1024;
const DEFAULT_MAX_REJECTIONS_KEPT = 1000;
const EMPTY_FEATURES: Readonly<Record<string, RawValue>> = Object.freeze({});
const ISO_DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:(Z)|([+-])(\d{2}):?(\d{2}))$/;
const MAX_REMEMBERED_WIDTH = 4096;
const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Options checked and compiled once; cached per options object. */
interface Plan {
  readonly input: InputPlan;
  readonly output: OutputPlan;
  readonly maxLineBytes: number;
  readonly maxRejectionsKept: number;
  readonly parser: 'fast' | 'reference';
}

/** Per-stream bookkeeping for the summary. */
interface StreamStats {
  readonly sources: NameSources;
  readonly featureNames: Set<string>;
  readonly outputNames: Set<string>;
  readonly seenNameArrays: Set<readonly string[]>;
  /** Instant of the last accepted line's inferenceTime, NaN when it had none. */
  instant: number;
  /** The last accepted line's inferenceTime as written. */
  time: string | undefined;
  /** Rows the last accepted line emitted. */
  rowCount: number;
}

const planCache = new WeakMap<CaptureParseOptions, Plan>();
let defaultPlan: Plan | undefined;

/**
 * Parses one capture line and sends its rows to `sink`, or returns why the line is rejected (nothing is sent
 * then). Blank lines are the caller's business (see `parseCaptureStream`): here they are malformed JSON.
 * Options are checked and compiled on first use and cached per options object: do not mutate them afterwards.
 * @throws CaptureOptionsError when `options` are unusable
 */
export function parseCaptureLine(
  line: string,
  lineNumber: number,
  options: CaptureParseOptions | undefined,
  sink: CaptureSink,
): Rejection | undefined {
  return parseLine(line, lineNumber, planFor(options), sink, undefined);
}

/**
 * Streams a capture object line by line in bounded memory (one line plus one chunk), sending the rows of every
 * accepted line to `sink` and counting the rest.
 * @throws CaptureOptionsError when `options` are unusable (before anything is read)
 * @example const summary = await parseCaptureStream(createReadStream(file), { row: (row) => profile.add(row) });
 */
export async function parseCaptureStream(
  source: AsyncIterable<Uint8Array | string>,
  sink: CaptureSink,
  options?: CaptureParseOptions,
): Promise<CaptureParseSummary> {
  const plan = planFor(options);
  const tally = new Tally(plan);
  const stats = tally.stats;
  if (plan.parser === 'reference') {
    for await (const event of readLines(source, plan.maxLineBytes)) {
      if ('tooLong' in event) {
        tally.lines++;
        tally.add(tooLongRejection(event.lineNumber, event.bytes, plan));
      } else if (isBlank(event.line)) {
        tally.blankLines++;
      } else {
        tally.lines++;
        tally.add(parseLine(event.line, event.lineNumber, plan, sink, stats));
      }
    }
    return tally.summary();
  }
  const fast = new FastLine(plan, sink, stats);
  const splitter = new LineSplitter(plan.maxLineBytes);
  const handler: LineHandler = {
    line: (bytes, start, end, lineNumber) => {
      if (isBlankBytes(bytes, start, end)) {
        tally.blankLines++;
      } else {
        tally.lines++;
        tally.add(fast.parse(bytes, start, end, lineNumber));
      }
    },
    tooLong: (lineNumber, bytes) => {
      tally.lines++;
      tally.add(tooLongRejection(lineNumber, bytes, plan));
    },
  };
  for await (const chunk of source) splitter.push(chunk, handler);
  splitter.end(handler);
  return tally.summary();
}

function tooLongRejection(lineNumber: number, bytes: number, plan: Plan): Rejection {
  return {
    line: lineNumber,
    reason: `line is ${bytes} bytes, longer than maxLineBytes (${plan.maxLineBytes})`,
  };
}

/** Counts of one stream and the bookkeeping behind its summary. */
class Tally {
  readonly stats: StreamStats = {
    sources: [],
    featureNames: new Set(),
    outputNames: new Set(),
    seenNameArrays: new Set(),
    instant: Number.NaN,
    time: undefined,
    rowCount: 0,
  };
  lines = 0;
  blankLines = 0;
  private accepted = 0;
  private rejected = 0;
  private rows = 0;
  private readonly rejections: Rejection[] = [];
  private rejectionsTruncated = 0;
  private firstInstant = Number.POSITIVE_INFINITY;
  private lastInstant = Number.NEGATIVE_INFINITY;
  private firstTime: string | undefined;
  private lastTime: string | undefined;

  constructor(private readonly plan: Plan) {}

  /** Counts one non-blank line: accepted when `rejection` is undefined (its stats are in `stats`). */
  add(rejection: Rejection | undefined): void {
    if (rejection === undefined) {
      this.accepted++;
      this.rows += this.stats.rowCount;
      const instant = this.stats.instant;
      if (instant < this.firstInstant) {
        this.firstInstant = instant;
        this.firstTime = this.stats.time;
      }
      if (instant > this.lastInstant) {
        this.lastInstant = instant;
        this.lastTime = this.stats.time;
      }
    } else {
      this.rejected++;
      if (this.rejections.length < this.plan.maxRejectionsKept) this.rejections.push(rejection);
      else this.rejectionsTruncated++;
    }
  }

  summary(): CaptureParseSummary {
    const summary: CaptureParseSummary = {
      lines: this.lines,
      blankLines: this.blankLines,
      accepted: this.accepted,
      rejected: this.rejected,
      rows: this.rows,
      rejections: this.rejections,
      rejectionsTruncated: this.rejectionsTruncated,
      outputNames: [...this.stats.outputNames],
      featureNames: [...this.stats.featureNames],
    };
    if (this.firstTime !== undefined) summary.firstInferenceTime = this.firstTime;
    if (this.lastTime !== undefined) summary.lastInferenceTime = this.lastTime;
    return summary;
  }
}

/** The fast parser's per-line work: bytes first, then the text path, then the reference parser. */
class FastLine {
  private readonly reader: FastRecordReader;
  private readonly cellSink: CellRowSink | undefined;
  private readonly view = new CellRowView();
  private readonly times = new TimeCache();

  constructor(
    private readonly plan: Plan,
    private readonly sink: CaptureSink,
    private readonly stats: StreamStats,
  ) {
    this.reader = new FastRecordReader(plan.input, plan.output);
    this.cellSink = isCellRowSink(sink) ? sink : undefined;
  }

  /** Parses the line `bytes[start, end)` exactly as parseLine parses its text. */
  parse(bytes: Buffer, start: number, end: number, lineNumber: number): Rejection | undefined {
    const reader = this.reader;
    if (!reader.scan(bytes, start, end)) return this.reference(bytes, start, end, lineNumber);
    const record = reader.record;
    let time: string | undefined;
    let instant = Number.NaN;
    if (record.timeStart >= 0) {
      time = this.times.read(bytes, record.timeStart, record.timeEnd);
      instant = this.times.instant;
      if (Number.isNaN(instant)) return this.reference(bytes, start, end, lineNumber);
    }
    const cellSink = this.cellSink;
    if (cellSink !== undefined && reader.readCells(bytes, cellSink)) {
      this.emitCellRows(cellSink, time, instant);
      return undefined;
    }
    const input = record.input.present ? reader.sideObject(bytes, record.input) : undefined;
    const output = record.output.present ? reader.sideObject(bytes, record.output) : undefined;
    if ((record.input.present && input === undefined) || (record.output.present && output === undefined)) {
      return this.reference(bytes, start, end, lineNumber);
    }
    const meta: RecordMeta = {
      line: lineNumber,
      eventId: latin1OrUndefined(bytes, record.eventIdStart, record.eventIdEnd),
      inferenceId: latin1OrUndefined(bytes, record.inferenceIdStart, record.inferenceIdEnd),
      inferenceTime: time,
    };
    return readRecord(meta, instant, input, output, this.plan, this.sink, this.stats);
  }

  private reference(bytes: Buffer, start: number, end: number, lineNumber: number): Rejection | undefined {
    return parseLine(bytes.toString('utf8', start, end), lineNumber, this.plan, this.sink, this.stats);
  }

  /** Records the line's names and time as parseLine does, then sends its rows as byte ranges. */
  private emitCellRows(sink: CellRowSink, time: string | undefined, instant: number): void {
    const reader = this.reader;
    const { input, output } = reader.record;
    const stats = this.stats;
    const count = reader.rowCount;
    stats.instant = instant;
    stats.time = time;
    stats.rowCount = count;
    let last: readonly string[] | undefined;
    for (const names of reader.rowNames) {
      if (names === last) continue;
      last = names;
      addNames(stats, names, stats.featureNames);
    }
    const view = this.view;
    view.inferenceTime = time;
    view.input = input.present ? reader.inputCells : undefined;
    view.output = output.present ? reader.outputCells : undefined;
    view.names = undefined;
    if (view.output !== undefined) {
      const configured = this.plan.output.names;
      last = undefined;
      for (let r = 0; r < count; r++) {
        const names =
          configured ?? defaultOutputNames((reader.outputTo[r] ?? 0) - (reader.outputFrom[r] ?? 0));
        if (names === last) continue;
        last = names;
        addNames(stats, names, stats.outputNames);
      }
    }
    const rowStart = reader.inputCells.rowStart;
    for (let r = 0; r < count; r++) {
      if (view.input !== undefined) {
        view.names = reader.rowNames[r];
        view.inputFrom = rowStart[r] ?? 0;
        view.inputTo = rowStart[r + 1] ?? 0;
      }
      if (view.output !== undefined) {
        view.outputFrom = reader.outputFrom[r] ?? 0;
        view.outputTo = reader.outputTo[r] ?? 0;
      }
      sink.cellRow(view);
    }
  }
}

/** The last inferenceTime seen, as text and instant: consecutive records mostly share it. */
class TimeCache {
  private readonly bytes = Buffer.alloc(64);
  private length = -1;
  private text = '';
  /** Instant of the last text read (NaN when it is not a valid date-time). */
  instant = Number.NaN;

  /** The text of ASCII `source[start, end)`, with its instant in `instant`. */
  read(source: Buffer, start: number, end: number): string {
    const length = end - start;
    if (length === this.length) {
      const bytes = this.bytes;
      let k = 0;
      while (k < length && bytes[k] === source[start + k]) k++;
      if (k === length) return this.text;
    }
    this.text = source.toString('latin1', start, end);
    this.instant = parseIsoInstant(this.text);
    if (length <= this.bytes.length) {
      source.copy(this.bytes, 0, start, end);
      this.length = length;
    } else {
      this.length = -1;
    }
    return this.text;
  }
}

function latin1OrUndefined(bytes: Buffer, start: number, end: number): string | undefined {
  return start < 0 ? undefined : bytes.toString('latin1', start, end);
}

/** A line of only spaces, tabs and CRs (or none): {@link isBlank} on bytes. */
function isBlankBytes(bytes: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = bytes[i];
    if (c !== 0x20 && c !== 0x09 && c !== 0x0d) return false;
  }
  return true;
}

/** Names of a row's output values: `mapping.names` when configured, else `defaultOutputNames(width)`. */
export function outputColumnNames(width: number, mapping?: OutputMapping): readonly string[] {
  return mapping?.names ?? defaultOutputNames(width);
}

function isBlank(line: string): boolean {
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c !== 0x20 && c !== 0x09 && c !== 0x0d) return false;
  }
  return true;
}

function parseLine(
  line: string,
  lineNumber: number,
  plan: Plan,
  sink: CaptureSink,
  stats: StreamStats | undefined,
): Rejection | undefined {
  let record: unknown;
  try {
    record = JSON.parse(line);
  } catch (error) {
    return rejection(lineNumber, undefined, `malformed JSON: ${errorMessage(error)}`);
  }
  if (!isObject(record))
    return rejection(lineNumber, undefined, `expected a JSON object, found ${typeName(record)}`);

  let eventId: string | undefined;
  let inferenceId: string | undefined;
  let inferenceTime: string | undefined;
  let instant = Number.NaN;
  const metadata = record.eventMetadata;
  if (metadata !== undefined && metadata !== null) {
    if (!isObject(metadata)) {
      return rejection(lineNumber, 'eventMetadata', `expected an object, found ${typeName(metadata)}`);
    }
    const id = metadata.eventId;
    if (id !== undefined && id !== null) {
      if (typeof id !== 'string') {
        return rejection(lineNumber, 'eventMetadata.eventId', `expected a string, found ${typeName(id)}`);
      }
      eventId = id;
    }
    const inference = metadata.inferenceId;
    if (inference !== undefined && inference !== null) {
      if (typeof inference !== 'string') {
        return rejection(
          lineNumber,
          'eventMetadata.inferenceId',
          `expected a string, found ${typeName(inference)}`,
        );
      }
      inferenceId = inference;
    }
    const time = metadata.inferenceTime;
    if (time !== undefined && time !== null) {
      if (typeof time !== 'string') {
        return rejection(
          lineNumber,
          'eventMetadata.inferenceTime',
          `expected a string, found ${typeName(time)}`,
        );
      }
      instant = parseIsoInstant(time);
      if (Number.isNaN(instant)) {
        return rejection(
          lineNumber,
          'eventMetadata.inferenceTime',
          `${quote(time)} is not an ISO-8601 date-time; expected YYYY-MM-DDTHH:MM:SS[.fraction] with Z or ±HH:MM`,
        );
      }
      inferenceTime = time;
    }
  }

  const captureData = record.captureData;
  if (captureData === undefined || captureData === null) {
    return rejection(
      lineNumber,
      'captureData',
      'missing; expected an object with endpointInput and/or endpointOutput',
    );
  }
  if (!isObject(captureData)) {
    return rejection(lineNumber, 'captureData', `expected an object, found ${typeName(captureData)}`);
  }
  const input = captureData.endpointInput;
  const output = captureData.endpointOutput;
  const hasInput = input !== undefined && input !== null;
  const hasOutput = output !== undefined && output !== null;
  if (!hasInput && !hasOutput) {
    return rejection(lineNumber, 'captureData', 'has neither endpointInput nor endpointOutput');
  }

  const meta: RecordMeta = { line: lineNumber, eventId, inferenceId, inferenceTime };
  return readRecord(
    meta,
    instant,
    hasInput ? input : undefined,
    hasOutput ? output : undefined,
    plan,
    sink,
    stats,
  );
}

/**
 * The second half of parseLine, shared with the fast parser: reads the present sides (undefined when absent),
 * checks them against each other, records names and time in `stats` and sends the rows.
 */
function readRecord(
  meta: RecordMeta,
  instant: number,
  input: unknown,
  output: unknown,
  plan: Plan,
  sink: CaptureSink,
  stats: StreamStats | undefined,
): Rejection | undefined {
  const lineNumber = meta.line;
  const sources = stats?.sources;
  if (sources !== undefined) sources.length = 0;
  let inputRows: Features[] | undefined;
  if (input !== undefined) {
    if (!isObject(input)) {
      return rejection(
        lineNumber,
        'captureData.endpointInput',
        `expected an object, found ${typeName(input)}`,
      );
    }
    const text = sideText(input);
    if (text instanceof PayloadProblem) return sideRejection(lineNumber, 'endpointInput', text);
    const rows = readInputRows(text, sideFormat(input, text, plan.input.format), plan.input, sources);
    if (rows instanceof PayloadProblem) return sideRejection(lineNumber, 'endpointInput', rows);
    inputRows = rows;
  }
  let outputRows: RawValue[][] | undefined;
  if (output !== undefined) {
    if (!isObject(output)) {
      return rejection(
        lineNumber,
        'captureData.endpointOutput',
        `expected an object, found ${typeName(output)}`,
      );
    }
    const text = sideText(output);
    if (text instanceof PayloadProblem) return sideRejection(lineNumber, 'endpointOutput', text);
    const rows = readOutputRows(
      text,
      sideFormat(output, text, plan.output.format),
      plan.output,
      inputRows?.length,
    );
    if (rows instanceof PayloadProblem) return sideRejection(lineNumber, 'endpointOutput', rows);
    if (inputRows !== undefined && rows.length !== inputRows.length) {
      return rejection(
        lineNumber,
        'captureData.endpointOutput.data',
        `output has ${rows.length} rows, input has ${inputRows.length}`,
      );
    }
    outputRows = rows;
  }

  // Accepted: record names and time, then emit.
  const count = inputRows?.length ?? outputRows?.length ?? 0;
  if (stats !== undefined) {
    stats.instant = instant;
    stats.time = meta.inferenceTime;
    stats.rowCount = count;
    noteNames(stats, outputRows, plan.output.names);
  }
  for (let i = 0; i < count; i++) {
    const features = inputRows?.[i] ?? EMPTY_FEATURES;
    const outputs = outputRows?.[i];
    const row: CaptureRow = outputs === undefined ? { features } : { features, outputs };
    sink.row(row, meta);
  }
  return undefined;
}

function sideRejection(lineNumber: number, side: string, problem: PayloadProblem): Rejection {
  const field = problem.field === '' ? `captureData.${side}` : `captureData.${side}.${problem.field}`;
  return rejection(lineNumber, field, problem.reason);
}

/** Adds the feature names of this line's sources and the output names of its rows to the stream's sets. */
function noteNames(
  stats: StreamStats,
  outputRows: RawValue[][] | undefined,
  names: readonly string[] | undefined,
) {
  for (const source of stats.sources) {
    if (Array.isArray(source)) {
      addNames(stats, source, stats.featureNames);
    } else {
      for (const name in source) stats.featureNames.add(name);
    }
  }
  if (outputRows === undefined) return;
  let last: readonly string[] | undefined;
  for (const row of outputRows) {
    const rowNames = names ?? defaultOutputNames(row.length);
    if (rowNames === last) continue;
    last = rowNames;
    addNames(stats, rowNames, stats.outputNames);
  }
}

/** Adds a names array once per identity; very wide ones are not cached upstream, so they are not remembered. */
function addNames(stats: StreamStats, names: readonly string[], into: Set<string>): void {
  if (names.length <= MAX_REMEMBERED_WIDTH) {
    if (stats.seenNameArrays.has(names)) return;
    stats.seenNameArrays.add(names);
  }
  for (const name of names) into.add(name);
}

/**
 * Milliseconds since the epoch of an ISO-8601 date-time with a UTC offset, or NaN when the text is not one or
 * names no real instant (e.g. February 30th, hour 24). Fractions beyond milliseconds are truncated.
 */
export function parseIsoInstant(text: string): number {
  const m = ISO_DATE_TIME.exec(text);
  if (m === null) return Number.NaN;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const hour = Number(m[4]);
  const minute = Number(m[5]);
  const second = Number(m[6]);
  const millis = m[7] === undefined ? 0 : Number(m[7].slice(0, 3).padEnd(3, '0'));
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const daysInMonth = month === 2 && !leap ? 28 : (DAYS_IN_MONTH[month - 1] ?? 0);
  if (month < 1 || day < 1 || day > daysInMonth || hour > 23 || minute > 59 || second > 59) return Number.NaN;
  let offsetMinutes = 0;
  if (m[8] === undefined) {
    const offsetHours = Number(m[10]);
    const offsetMins = Number(m[11]);
    if (offsetHours > 23 || offsetMins > 59) return Number.NaN;
    offsetMinutes = (m[9] === '-' ? -1 : 1) * (offsetHours * 60 + offsetMins);
  }
  const utc = Date.UTC(year, month - 1, day, hour, minute, second, millis);
  // Date.UTC maps years 0-99 to 1900-1999.
  const instant = year < 100 ? new Date(utc).setUTCFullYear(year) : utc;
  return instant - offsetMinutes * 60_000;
}

function planFor(options: CaptureParseOptions | undefined): Plan {
  if (options === undefined) {
    defaultPlan ??= compilePlan({});
    return defaultPlan;
  }
  let plan = planCache.get(options);
  if (plan === undefined) {
    plan = compilePlan(options);
    planCache.set(options, plan);
  }
  return plan;
}

function compilePlan(options: CaptureParseOptions): Plan {
  const input = options.input ?? {};
  const output = options.output ?? {};
  const columns = checkNames('input.columns', input.columns);
  let pathNames: string[] | undefined;
  let pathEvaluators: ((doc: unknown) => unknown[])[] | undefined;
  if (input.paths !== undefined) {
    if (!isObject(input.paths))
      throw new CaptureOptionsError('input.paths', 'expected an object of name -> path');
    pathNames = Object.keys(input.paths);
    if (pathNames.length === 0)
      throw new CaptureOptionsError('input.paths', 'expected at least one name -> path');
    pathEvaluators = pathNames.map((name) => compilePath(`input.paths.${name}`, input.paths?.[name]));
  }
  const outputPath = output.path;
  return {
    input: { format: checkFormat('input.format', input.format), columns, pathNames, pathEvaluators },
    output: {
      format: checkFormat('output.format', output.format),
      path: outputPath,
      pathEvaluator: outputPath === undefined ? undefined : compilePath('output.path', outputPath),
      names: checkNames('output.names', output.names),
    },
    maxLineBytes: checkCount('maxLineBytes', options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES, 1),
    maxRejectionsKept: checkCount(
      'maxRejectionsKept',
      options.maxRejectionsKept ?? DEFAULT_MAX_REJECTIONS_KEPT,
      0,
    ),
    parser: checkParser(options.parser),
  };
}

function checkParser(parser: unknown): 'fast' | 'reference' {
  if (parser === undefined || parser === 'fast') return 'fast';
  if (parser === 'reference') return parser;
  throw new CaptureOptionsError('parser', `expected 'fast' or 'reference', got ${quote(String(parser))}`);
}

function compilePath(option: string, path: unknown): (doc: unknown) => unknown[] {
  if (typeof path !== 'string')
    throw new CaptureOptionsError(option, `expected a JSON path string, got ${typeName(path)}`);
  try {
    return compileJsonPath(path);
  } catch (error) {
    throw new CaptureOptionsError(option, errorMessage(error), { cause: error });
  }
}

function checkFormat(option: string, format: unknown): 'auto' | 'csv' | 'json' {
  if (format === undefined) return 'auto';
  if (format === 'auto' || format === 'csv' || format === 'json') return format;
  throw new CaptureOptionsError(option, `expected 'auto', 'csv' or 'json', got ${quote(String(format))}`);
}

function checkNames(option: string, names: readonly string[] | undefined): readonly string[] | undefined {
  if (names === undefined) return undefined;
  if (!Array.isArray(names) || names.length === 0) {
    throw new CaptureOptionsError(option, 'expected a non-empty list of names');
  }
  const seen = new Set<string>();
  for (const [i, name] of names.entries()) {
    if (typeof name !== 'string' || name === '') {
      throw new CaptureOptionsError(option, `name ${i + 1} must be a non-empty string`);
    }
    if (seen.has(name)) throw new CaptureOptionsError(option, `duplicate name ${quote(name)}`);
    seen.add(name);
  }
  return names;
}

function checkCount(option: string, value: number, min: number): number {
  if (!Number.isSafeInteger(value) || value < min) {
    throw new CaptureOptionsError(option, `expected an integer >= ${min}, got ${String(value)}`);
  }
  return value;
}
