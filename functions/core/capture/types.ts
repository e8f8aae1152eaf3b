/** One captured value as the payload carried it; `null` is a missing value (empty CSV field, JSON null). */
export type RawValue = string | number | boolean | null;

/** How to read feature values from an endpoint's request payload. */
export interface InputMapping {
  /**
   * Payload format.
   * @default 'auto' - from `encoding` (CSV/JSON), for BASE64 from `observedContentType`, else by sniffing
   */
  format?: 'auto' | 'csv' | 'json';
  /**
   * Feature names in payload order, for CSV rows and positional JSON lists.
   * @default - positional values are named `_c0`, `_c1`, ...
   */
  columns?: readonly string[];
  /**
   * Feature name -> JSON path (see `compileJsonPath`), e.g. `{ age: '$.instances[*].age' }`; each path yields
   * one value per row. JSON payloads only.
   * @default - the payload shape decides (see docs/capture-formats.md)
   */
  paths?: Readonly<Record<string, string>>;
}

/** How to read model outputs from an endpoint's response payload. */
export interface OutputMapping {
  /**
   * Payload format.
   * @default 'auto' - as for the input
   */
  format?: 'auto' | 'csv' | 'json';
  /**
   * JSON path to the outputs, e.g. `'$.predictions[*].score'`.
   * @default - a number, CSV, a list, then the first of the keys predictions / score / probability /
   * probabilities / predicted_label
   */
  path?: string;
  /**
   * Names of the output columns; every output row must then have exactly this many values.
   * @default - `['prediction']` for one value per row, `['prediction_0', ..., 'prediction_{k-1}']` for k values
   */
  names?: readonly string[];
}

/** Options of `parseCaptureStream` / `parseCaptureLine`. */
export interface CaptureParseOptions {
  /** @default - the payload shape decides */
  input?: InputMapping;
  /** @default - the payload shape decides */
  output?: OutputMapping;
  /**
   * Longest accepted line in bytes (without its `\n` / `\r\n`); longer lines are rejected and skipped
   * without being buffered whole.
   * @default 67108864 (64 MiB)
   */
  maxLineBytes?: number;
  /**
   * Rejections kept in the summary; further ones are only counted (`rejectionsTruncated`).
   * @default 1000
   */
  maxRejectionsKept?: number;
  /**
   * Line parser of `parseCaptureStream`: 'fast' reads records from the bytes and falls back to 'reference'
   * (JSON.parse of each line) for anything unusual; both give the same rows, rejections and summary.
   * @default 'fast'
   */
  parser?: 'fast' | 'reference';
}

/** Where a row came from: the capture line and its event metadata (undefined when the record has none). */
export interface RecordMeta {
  /** 1-based line number in the capture object. */
  line: number;
  eventId?: string;
  inferenceId?: string;
  /** As written in the record (validated ISO-8601 with a UTC offset). */
  inferenceTime?: string;
}

/** One model input row; a capture record holding a CSV batch of 3 rows gives 3 CaptureRows. */
export interface CaptureRow {
  /** Values by feature name (columns / paths / JSON keys); positional values without names are `_c0`, `_c1`, ... */
  features: Readonly<Record<string, RawValue>>;
  /** Output values of this row, named by `outputColumnNames(outputs.length, options.output)`; absent without endpointOutput. */
  outputs?: readonly RawValue[];
}

/** Receives the rows of accepted lines, in order; never called for a rejected line. */
export interface CaptureSink {
  row(row: CaptureRow, meta: RecordMeta): void;
}

/** Why one line was rejected. */
export interface Rejection {
  /** 1-based line number. */
  line: number;
  /** Dotted path of the offending field, e.g. 'captureData.endpointInput.data'; absent when the whole line is bad. */
  field?: string;
  reason: string;
}

/** The rejection of line `line`; `field` is left out when the whole line is bad. */
export function rejection(line: number, field: string | undefined, reason: string): Rejection {
  return field === undefined ? { line, reason } : { line, field, reason };
}

/**
 * A rejection as one line, the form every command, report and log prints it in.
 * @example describeRejection('capture.jsonl', { line: 3, field: 'eventMetadata', reason: 'missing' })
 * // 'capture.jsonl:3 eventMetadata: missing'
 */
export function describeRejection(source: string, r: Rejection): string {
  return `${source}:${r.line}${r.field ? ` ${r.field}` : ''}: ${r.reason}`;
}

/** What a capture stream contained. */
export interface CaptureParseSummary {
  /** Non-blank lines read (a blank line is empty or holds only spaces, tabs and CRs). */
  lines: number;
  /** Blank lines, skipped. */
  blankLines: number;
  /** Lines whose rows were all emitted; `accepted + rejected === lines` always. */
  accepted: number;
  /** Lines rejected (nothing emitted for them). */
  rejected: number;
  /** CaptureRows emitted. */
  rows: number;
  /** The first `maxRejectionsKept` rejections, in line order. */
  rejections: Rejection[];
  /** Rejections counted but not kept. */
  rejectionsTruncated: number;
  /** Output column names of the emitted rows, in first-seen order. */
  outputNames: string[];
  /** Feature names of the emitted rows, in first-seen order. */
  featureNames: string[];
  /** The earliest `inferenceTime` of an accepted line, as written (compared as instants). */
  firstInferenceTime?: string;
  /** The latest `inferenceTime` of an accepted line, as written (compared as instants). */
  lastInferenceTime?: string;
}
