import { parseCaptureLine, parseCaptureStream } from '../../../functions/core/capture/parse-capture.js';
import type {
  CaptureParseOptions,
  CaptureParseSummary,
  CaptureRow,
  RecordMeta,
  Rejection,
} from '../../../functions/core/capture/types.js';

/**
 * Characters that, put in place of one character of a JSON line, can break it: structure, escapes, a space, a
 * letter, a control character, non-ASCII and the parts of a number.
 */
export const JSON_BREAKERS: readonly string[] = [
  '"',
  '\\',
  '{',
  '}',
  '[',
  ']',
  ',',
  ':',
  ' ',
  'x',
  '\u0001',
  'é',
  '0',
  '-',
  'e',
  '.',
];

/** A row as the sink saw it. */
export interface SeenRow {
  row: CaptureRow;
  meta: RecordMeta;
}

/** Splits bytes into chunks of `size` bytes (the last one shorter), as an async iterable. */
export async function* chunked(data: Uint8Array | string, size: number): AsyncGenerator<Uint8Array> {
  const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, Math.min(i + size, bytes.length));
}

/** Parses a whole text (in chunks of `chunkSize` bytes) and returns the summary and every emitted row. */
export async function parseText(
  text: string | Uint8Array,
  options?: CaptureParseOptions,
  chunkSize = 4096,
): Promise<{ summary: CaptureParseSummary; rows: SeenRow[] }> {
  const rows: SeenRow[] = [];
  const summary = await parseCaptureStream(
    chunked(text, chunkSize),
    { row: (row, meta) => rows.push({ row, meta }) },
    options,
  );
  return { summary, rows };
}

/** Parses one line with parseCaptureLine; returns the rejection (if any) and the emitted rows. */
export function parseOne(
  line: string,
  options?: CaptureParseOptions,
): { rejection: Rejection | undefined; rows: CaptureRow[] } {
  const rows: CaptureRow[] = [];
  const rejection = parseCaptureLine(line, 1, options, { row: (row) => rows.push(row) });
  return { rejection, rows };
}

/** One side of a capture record. */
export interface Side {
  data: unknown;
  encoding?: unknown;
  observedContentType?: unknown;
}

/** Builds a capture record line; `undefined` sides are left out. */
export function captureLine(
  input: Side | undefined,
  output: Side | undefined,
  eventMetadata: unknown = { eventId: 'e-1', inferenceTime: '2024-05-01T10:00:00Z' },
): string {
  const captureData: Record<string, unknown> = {};
  if (input !== undefined)
    captureData.endpointInput = { observedContentType: 'text/csv', mode: 'INPUT', ...input };
  if (output !== undefined) {
    captureData.endpointOutput = { observedContentType: 'text/csv', mode: 'OUTPUT', ...output };
  }
  return JSON.stringify({ captureData, eventMetadata, eventVersion: '0' });
}

/** A CSV side. */
export function csv(data: string): Side {
  return { data, encoding: 'CSV', observedContentType: 'text/csv' };
}

/** A JSON side holding `JSON.stringify(value)` (or `value` itself when it is a string). */
export function json(value: unknown): Side {
  return {
    data: typeof value === 'string' ? value : JSON.stringify(value),
    encoding: 'JSON',
    observedContentType: 'application/json',
  };
}

/** A BASE64 side holding `text` encoded. */
export function base64(text: string, observedContentType?: string): Side {
  return { data: Buffer.from(text, 'utf8').toString('base64'), encoding: 'BASE64', observedContentType };
}
