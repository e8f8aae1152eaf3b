import { CaptureOptionsError } from './errors.js';

/** A complete line (without its terminator), or a line that exceeded the byte limit and was skipped. */
export type LineEvent =
  | { line: string; lineNumber: number }
  | { tooLong: true; lineNumber: number; bytes: number };

const LF = 0x0a;
const CR = 0x0d;

/** Mutable splitter state carried across chunks. */
interface SplitState {
  readonly maxLineBytes: number;
  lineNumber: number;
  /** Copied bytes of the current unfinished line (only when it spans chunks). */
  parts: Buffer[];
  pendingBytes: number;
  /** The current line is already too long: its bytes are counted and dropped, not kept. */
  skipping: boolean;
  skippedBytes: number;
  lastByte: number;
}

/**
 * Splits a byte stream into UTF-8 lines in bounded memory: at most one line (up to `maxLineBytes`) plus the
 * current chunk is held.
 *
 * Lines end at `\n`; a trailing `\r` is removed (CRLF); a UTF-8 BOM at the very start of the stream is removed;
 * a final line without `\n` is still returned, and a stream ending in `\n` has no extra empty line. Splitting is
 * done on bytes and each line is decoded whole, so multi-byte characters split between chunks decode correctly;
 * invalid UTF-8 becomes U+FFFD. A line longer than `maxLineBytes` bytes (terminator excluded) is not buffered:
 * it is reported as `{ tooLong, lineNumber, bytes }`. Line numbers are 1-based and count every line, blank ones
 * included. String chunks (a Node stream with an encoding set) are read as their UTF-8 bytes.
 * @throws CaptureOptionsError when maxLineBytes is not a positive safe integer (on the first iteration)
 */
export async function* readLines(
  source: AsyncIterable<Uint8Array | string>,
  maxLineBytes: number,
): AsyncGenerator<LineEvent> {
  if (!Number.isSafeInteger(maxLineBytes) || maxLineBytes < 1) {
    throw new CaptureOptionsError('maxLineBytes', `expected a positive integer, got ${String(maxLineBytes)}`);
  }
  const state: SplitState = {
    maxLineBytes,
    lineNumber: 0,
    parts: [],
    pendingBytes: 0,
    skipping: false,
    skippedBytes: 0,
    lastByte: -1,
  };
  // The BOM check needs the first 3 bytes, which may arrive in several chunks.
  let head: Buffer | undefined = Buffer.alloc(0);
  for await (const chunk of source) {
    // Node streams with an encoding set yield strings: take them as their UTF-8 bytes.
    let buf =
      typeof chunk === 'string'
        ? Buffer.from(chunk, 'utf8')
        : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (buf.length === 0) continue;
    if (head !== undefined) {
      head = head.length === 0 ? buf : Buffer.concat([head, buf]);
      if (head.length < 3) continue;
      buf = stripBom(head);
      head = undefined;
    }
    yield* splitChunk(state, buf);
  }
  if (head !== undefined && head.length > 0) yield* splitChunk(state, stripBom(head));
  if (state.skipping || state.pendingBytes > 0) yield finishLine(state, undefined, 0, 0);
}

function stripBom(buf: Buffer): Buffer {
  return buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? buf.subarray(3) : buf;
}

function* splitChunk(state: SplitState, buf: Buffer): Generator<LineEvent> {
  let pos = 0;
  while (pos < buf.length) {
    const nl = buf.indexOf(LF, pos);
    const end = nl === -1 ? buf.length : nl;
    if (nl !== -1) {
      yield finishLine(state, buf, pos, end);
      pos = nl + 1;
      continue;
    }
    // Unfinished line: keep (a copy of) the tail, unless it can no longer fit even with a trailing \r.
    const length = end - pos;
    if (state.skipping) {
      state.skippedBytes += length;
      state.lastByte = buf[end - 1] ?? state.lastByte;
    } else if (state.pendingBytes + length > state.maxLineBytes + 1) {
      state.skipping = true;
      state.skippedBytes = state.pendingBytes + length;
      state.lastByte = buf[end - 1] ?? state.lastByte;
      state.parts = [];
      state.pendingBytes = 0;
    } else {
      // Copy so that the line does not pin the whole chunk's memory.
      state.parts.push(Buffer.from(buf.subarray(pos, end)));
      state.pendingBytes += length;
    }
    return;
  }
}

/** Completes the current line with `buf[start, end)` (the bytes before its `\n`, or none at end of stream). */
function finishLine(state: SplitState, buf: Buffer | undefined, start: number, end: number): LineEvent {
  state.lineNumber++;
  const lineNumber = state.lineNumber;
  const length = buf === undefined ? 0 : end - start;
  if (state.skipping || state.pendingBytes + length > state.maxLineBytes + 1) {
    // Too long for sure; count the bytes (without a trailing \r) and drop them.
    const last = length > 0 && buf !== undefined ? (buf[end - 1] ?? -1) : lastPendingByte(state);
    const bytes = (state.skipping ? state.skippedBytes : state.pendingBytes) + length - (last === CR ? 1 : 0);
    resetLine(state);
    return { tooLong: true, lineNumber, bytes };
  }
  let line: Buffer;
  let lineStart = 0;
  let lineEnd: number;
  if (state.parts.length === 0 && buf !== undefined) {
    line = buf;
    lineStart = start;
    lineEnd = end;
  } else {
    if (buf !== undefined && length > 0) state.parts.push(buf.subarray(start, end));
    line =
      state.parts.length === 1 && state.parts[0] !== undefined ? state.parts[0] : Buffer.concat(state.parts);
    lineEnd = line.length;
    resetLine(state);
  }
  if (lineEnd > lineStart && line[lineEnd - 1] === CR) lineEnd--;
  const bytes = lineEnd - lineStart;
  if (bytes > state.maxLineBytes) return { tooLong: true, lineNumber, bytes };
  return { line: line.toString('utf8', lineStart, lineEnd), lineNumber };
}

function lastPendingByte(state: SplitState): number {
  if (state.skipping) return state.lastByte;
  const part = state.parts[state.parts.length - 1];
  return part === undefined ? -1 : (part[part.length - 1] ?? -1);
}

function resetLine(state: SplitState): void {
  state.parts = [];
  state.pendingBytes = 0;
  state.skipping = false;
  state.skippedBytes = 0;
  state.lastByte = -1;
}
