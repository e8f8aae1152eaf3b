/**
 * Ground-truth JSONL as Model Monitor reads it: one record per line,
 * `{"groundTruthData":{"data":"1","encoding":"CSV"},"eventMetadata":{"eventId":"..."},"eventVersion":"0"}`,
 * under `<prefix>/yyyy/mm/dd/hh/` (the hour the label was collected, not the hour of the inference).
 *
 * Record rules (the first failure is the rejection): the line is a JSON object; `eventMetadata.eventId` is a
 * non-empty string (it is matched to the capture's inferenceId, else its eventId); `groundTruthData` is an
 * object whose `data` is a string and whose `encoding` is CSV, JSON or BASE64 (BASE64 wraps CSV or JSON text);
 * the data yields exactly one label. CSV data is one field (a trailing newline is ignored; RFC 4180 quotes are
 * removed). JSON data is a scalar, or, with `labelAttribute`, a document in which that JSON path matches
 * exactly one scalar. `eventMetadata.inferenceTime` and `eventVersion` are not used: the SDK's own test files
 * carry the template "{%s}" there.
 */

import { parseCsvRows } from '../capture/csv.js';
import { compileJsonPath } from '../capture/json-path.js';
import { readLines } from '../capture/line-reader.js';
import { errorMessage, isObject, isScalar, PayloadProblem, sideText, typeName } from '../capture/payload.js';
import { type RawValue, type Rejection, rejection } from '../capture/types.js';
import { QualityInputError } from './errors.js';

/** One ground-truth label. */
export interface GroundTruthLabel {
  /** `eventMetadata.eventId` of the record: the capture's inferenceId (when it has one) or eventId. */
  eventId: string;
  /** The label as written: a string for CSV data, a JSON scalar for JSON data. */
  label: RawValue;
  /** Start (ms since the epoch, UTC) of the hour partition the label was collected in; absent when unknown. */
  collectedAt?: number;
  /** Where the label came from (a file or object key), for messages. */
  source?: string;
  /** 1-based line in the source. */
  line: number;
}

/** Options of {@link parseGroundTruthStream} / {@link parseGroundTruthLine}. */
export interface GroundTruthOptions {
  /**
   * JSON path of the label inside JSON data, e.g. `$.label`.
   * @default - the whole data value is the label
   */
  labelAttribute?: string;
  /**
   * Collection hour of every label in this stream (ms since the epoch); see {@link collectionHourFromKey}.
   * @default - unknown: labels are joined without a lookback check
   */
  collectedAt?: number;
  /** Source name recorded on each label. */
  source?: string;
  /** @default 1048576 (1 MiB): a ground-truth line is small */
  maxLineBytes?: number;
  /** @default 1000 */
  maxRejectionsKept?: number;
}

/** What a ground-truth stream held. */
export interface GroundTruthSummary {
  /** Non-blank lines; `accepted + rejected === lines`. */
  lines: number;
  blankLines: number;
  accepted: number;
  rejected: number;
  /** The first `maxRejectionsKept` rejections, in line order. */
  rejections: Rejection[];
  rejectionsTruncated: number;
}

type LabelReader = (doc: unknown) => unknown[];
const readerCache = new Map<string, LabelReader>();

function labelReader(path: string): LabelReader {
  let reader = readerCache.get(path);
  if (reader === undefined) {
    try {
      reader = compileJsonPath(path);
    } catch (error) {
      throw new QualityInputError(`labelAttribute: ${errorMessage(error)}`, { cause: error });
    }
    readerCache.set(path, reader);
  }
  return reader;
}

/** The rejection of a field that must be an object holding `holding`: missing, or of another type. */
function notAnObject(line: number, field: string, value: unknown, holding: string): Rejection {
  return rejection(
    line,
    field,
    value === undefined
      ? `missing; expected an object with ${holding}`
      : `expected an object, found ${typeName(value)}`,
  );
}

/**
 * Parses one ground-truth line into a label, or says why it is rejected.
 * @throws QualityInputError when `options.labelAttribute` is not a supported JSON path
 */
export function parseGroundTruthLine(
  line: string,
  lineNumber: number,
  options: GroundTruthOptions = {},
): GroundTruthLabel | Rejection {
  const reader = options.labelAttribute === undefined ? undefined : labelReader(options.labelAttribute);
  let record: unknown;
  try {
    record = JSON.parse(line);
  } catch (error) {
    return rejection(lineNumber, undefined, `malformed JSON: ${errorMessage(error)}`);
  }
  if (!isObject(record))
    return rejection(lineNumber, undefined, `expected a JSON object, found ${typeName(record)}`);
  const metadata = record.eventMetadata;
  if (!isObject(metadata)) return notAnObject(lineNumber, 'eventMetadata', metadata, 'eventId');
  const eventId = metadata.eventId;
  if (typeof eventId !== 'string' || eventId === '') {
    return rejection(
      lineNumber,
      'eventMetadata.eventId',
      eventId === undefined
        ? 'missing; expected a non-empty string'
        : `expected a non-empty string, found ${typeName(eventId)}`,
    );
  }
  const data = record.groundTruthData;
  if (!isObject(data)) return notAnObject(lineNumber, 'groundTruthData', data, 'data and encoding');
  const text = sideText(data);
  if (text instanceof PayloadProblem)
    return rejection(lineNumber, `groundTruthData.${text.field}`, text.reason);
  const json =
    data.encoding === 'JSON' ||
    (data.encoding === 'BASE64' && /^\s*[[{"]/.test(text)) ||
    reader !== undefined;
  const label = json ? jsonLabel(text, reader) : csvLabel(text);
  if (label instanceof PayloadProblem) return rejection(lineNumber, 'groundTruthData.data', label.reason);
  const result: GroundTruthLabel = { eventId, label, line: lineNumber };
  if (options.collectedAt !== undefined) result.collectedAt = options.collectedAt;
  if (options.source !== undefined) result.source = options.source;
  return result;
}

function jsonLabel(text: string, reader: LabelReader | undefined): RawValue | PayloadProblem {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    return new PayloadProblem('data', `malformed JSON label: ${errorMessage(error)}`);
  }
  if (reader === undefined) {
    if (isScalar(doc) && doc !== null) return doc;
    return new PayloadProblem(
      'data',
      `expected a JSON scalar label, found ${typeName(doc)}; set groundTruth.labelAttribute to a JSON path`,
    );
  }
  const matches = reader(doc);
  if (matches.length !== 1) {
    return new PayloadProblem('data', `labelAttribute matched ${matches.length} values, expected exactly 1`);
  }
  const [value] = matches;
  if (!isScalar(value) || value === null) {
    return new PayloadProblem('data', `labelAttribute matched ${typeName(value)}, expected a scalar label`);
  }
  return value;
}

function csvLabel(text: string): RawValue | PayloadProblem {
  const rows = parseCsvRows(text);
  if ('error' in rows) return new PayloadProblem('data', `malformed CSV label: ${rows.error}`);
  if (rows.length !== 1 || rows[0]?.length !== 1) {
    const fields = rows.reduce((sum, row) => sum + row.length, 0);
    return new PayloadProblem(
      'data',
      `expected one CSV value, found ${rows.length} row(s) and ${fields} field(s)`,
    );
  }
  const value = rows[0][0];
  if (value === null || value === undefined || value.trim() === '') {
    return new PayloadProblem('data', 'expected a label, found an empty value');
  }
  return value;
}

/**
 * Streams a ground-truth object line by line in bounded memory, sending every accepted label to `sink` and
 * counting the rest; a bad line never stops the stream.
 * @throws QualityInputError when `options.labelAttribute` is not a supported JSON path
 */
export async function parseGroundTruthStream(
  source: AsyncIterable<Uint8Array | string>,
  sink: (label: GroundTruthLabel) => void,
  options: GroundTruthOptions = {},
): Promise<GroundTruthSummary> {
  if (options.labelAttribute !== undefined) labelReader(options.labelAttribute);
  const maxLineBytes = options.maxLineBytes ?? 1024 * 1024;
  const maxKept = options.maxRejectionsKept ?? 1000;
  const summary: GroundTruthSummary = {
    lines: 0,
    blankLines: 0,
    accepted: 0,
    rejected: 0,
    rejections: [],
    rejectionsTruncated: 0,
  };
  for await (const event of readLines(source, maxLineBytes)) {
    let outcome: GroundTruthLabel | Rejection;
    if ('tooLong' in event) {
      outcome = rejection(
        event.lineNumber,
        undefined,
        `line is ${event.bytes} bytes, longer than ${maxLineBytes}`,
      );
    } else if (event.line.trim() === '') {
      summary.blankLines++;
      continue;
    } else {
      outcome = parseGroundTruthLine(event.line, event.lineNumber, options);
    }
    summary.lines++;
    if ('eventId' in outcome) {
      summary.accepted++;
      sink(outcome);
    } else {
      summary.rejected++;
      if (summary.rejections.length < maxKept) summary.rejections.push(outcome);
      else summary.rejectionsTruncated++;
    }
  }
  return summary;
}

const HOUR_PATH = /(?:^|\/)(\d{4})\/(\d{2})\/(\d{2})\/(\d{2})\/[^/]*$/;

/**
 * The collection hour of a ground-truth object from its key or path, `.../yyyy/mm/dd/hh/<file>` (UTC), as ms
 * since the epoch; undefined when the path has no such partition or names no real hour.
 * @example collectionHourFromKey('gt/2021/02/05/04/0415.jsonl') // Date.UTC(2021, 1, 5, 4)
 */
export function collectionHourFromKey(key: string): number | undefined {
  const m = HOUR_PATH.exec(key.replaceAll('\\', '/'));
  if (m === null) return undefined;
  const [year, month, day, hour] = [m[1], m[2], m[3], m[4]].map(Number) as [number, number, number, number];
  const instant = Date.UTC(year, month - 1, day, hour);
  const date = new Date(instant);
  const real =
    date.getUTCFullYear() === year &&
    date.getUTCMonth() === month - 1 &&
    date.getUTCDate() === day &&
    date.getUTCHours() === hour;
  return real ? instant : undefined;
}
