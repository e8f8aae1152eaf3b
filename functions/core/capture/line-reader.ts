import { CaptureOptionsError } from './errors.js';

/** A complete line (without its terminator), or a line that exceeded the byte limit and was skipped. */
export type LineEvent =
  | { line: string; lineNumber: number }
  | { tooLong: true; lineNumber: number; bytes: number };

const LF = 0x0a;
const CR = 0x0d;

/** Receives the lines of a {@link LineSplitter}. */
export interface LineHandler {
  /** A complete line: `bytes[start, end)`, terminator and trailing `\r` removed; valid only during the call. */
  line(bytes: Buffer, start: number, end: number, lineNumber: number): void;
  /** A line longer than the limit, skipped; `bytes` excludes its terminator and trailing `\r`. */
  tooLong(lineNumber: number, bytes: number): void;
}

/**
 * Splits a byte stream into lines synchronously, chunk by chunk, handing each line over as a byte range (no
 * string is made): the engine of {@link readLines}, with the same rules. A line inside one chunk is a view of
 * that chunk; only a line spanning chunks is copied.
 */
export class LineSplitter {
  private readonly maxLineBytes: number;
  private lineNumber = 0;
  /** Copied bytes of the current unfinished line (only when it spans chunks). */
  private parts: Buffer[] = [];
  private pendingBytes = 0;
  /** The current line is already too long: its bytes are counted and dropped, not kept. */
  private skipping = false;
  private skippedBytes = 0;
  private lastByte = -1;
  /** The BOM check needs the first 3 bytes, which may arrive in several chunks; undefined once done. */
  private head: Buffer | undefined = Buffer.alloc(0);

  /** @throws CaptureOptionsError when maxLineBytes is not a positive safe integer */
  constructor(maxLineBytes: number) {
    if (!Number.isSafeInteger(maxLineBytes) || maxLineBytes < 1) {
      throw new CaptureOptionsError(
        'maxLineBytes',
        `expected a positive integer, got ${String(maxLineBytes)}`,
      );
    }
    this.maxLineBytes = maxLineBytes;
  }

  /** Splits one chunk, calling `handler` for each line it completes. */
  push(chunk: Uint8Array | string, handler: LineHandler): void {
    // Node streams with an encoding set yield strings: take them as their UTF-8 bytes.
    let buf =
      typeof chunk === 'string'
        ? Buffer.from(chunk, 'utf8')
        : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (buf.length === 0) return;
    if (this.head !== undefined) {
      this.head = this.head.length === 0 ? buf : Buffer.concat([this.head, buf]);
      if (this.head.length < 3) return;
      buf = stripBom(this.head);
      this.head = undefined;
    }
    this.split(buf, handler);
  }

  /** Ends the stream: the last line, when it has no `\n`. */
  end(handler: LineHandler): void {
    if (this.head !== undefined && this.head.length > 0) {
      const head = stripBom(this.head);
      this.head = undefined;
      this.split(head, handler);
    }
    if (this.skipping || this.pendingBytes > 0) this.finishLine(undefined, 0, 0, handler);
  }

  private split(buf: Buffer, handler: LineHandler): void {
    let pos = 0;
    while (pos < buf.length) {
      const nl = buf.indexOf(LF, pos);
      if (nl !== -1) {
        this.finishLine(buf, pos, nl, handler);
        pos = nl + 1;
        continue;
      }
      // Unfinished line: keep (a copy of) the tail, unless it can no longer fit even with a trailing \r.
      const end = buf.length;
      const length = end - pos;
      if (this.skipping) {
        this.skippedBytes += length;
        this.lastByte = buf[end - 1] ?? this.lastByte;
      } else if (this.pendingBytes + length > this.maxLineBytes + 1) {
        this.skipping = true;
        this.skippedBytes = this.pendingBytes + length;
        this.lastByte = buf[end - 1] ?? this.lastByte;
        this.parts = [];
        this.pendingBytes = 0;
      } else {
        // Copy so that the line does not pin the whole chunk's memory.
        this.parts.push(Buffer.from(buf.subarray(pos, end)));
        this.pendingBytes += length;
      }
      return;
    }
  }

  /** Completes the current line with `buf[start, end)` (the bytes before its `\n`, or none at end of stream). */
  private finishLine(buf: Buffer | undefined, start: number, end: number, handler: LineHandler): void {
    const lineNumber = ++this.lineNumber;
    const length = buf === undefined ? 0 : end - start;
    if (this.skipping || this.pendingBytes + length > this.maxLineBytes + 1) {
      // Too long for sure; count the bytes (without a trailing \r) and drop them.
      const last = length > 0 && buf !== undefined ? (buf[end - 1] ?? -1) : this.lastPendingByte();
      const bytes = (this.skipping ? this.skippedBytes : this.pendingBytes) + length - (last === CR ? 1 : 0);
      this.resetLine();
      handler.tooLong(lineNumber, bytes);
      return;
    }
    let line: Buffer;
    let lineStart = 0;
    let lineEnd: number;
    if (this.parts.length === 0 && buf !== undefined) {
      line = buf;
      lineStart = start;
      lineEnd = end;
    } else {
      if (buf !== undefined && length > 0) this.parts.push(buf.subarray(start, end));
      line =
        this.parts.length === 1 && this.parts[0] !== undefined ? this.parts[0] : Buffer.concat(this.parts);
      lineEnd = line.length;
      this.resetLine();
    }
    if (lineEnd > lineStart && line[lineEnd - 1] === CR) lineEnd--;
    if (lineEnd - lineStart > this.maxLineBytes) handler.tooLong(lineNumber, lineEnd - lineStart);
    else handler.line(line, lineStart, lineEnd, lineNumber);
  }

  private lastPendingByte(): number {
    if (this.skipping) return this.lastByte;
    const part = this.parts[this.parts.length - 1];
    return part === undefined ? -1 : (part[part.length - 1] ?? -1);
  }

  private resetLine(): void {
    this.parts = [];
    this.pendingBytes = 0;
    this.skipping = false;
    this.skippedBytes = 0;
    this.lastByte = -1;
  }
}

/**
 * Splits a byte stream into UTF-8 lines in bounded memory: at most one line (up to `maxLineBytes`) plus the
 * current chunk, and the current chunk's lines as strings, are held.
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
  const splitter = new LineSplitter(maxLineBytes);
  const events: LineEvent[] = [];
  const handler: LineHandler = {
    line: (bytes, start, end, lineNumber) =>
      events.push({ line: bytes.toString('utf8', start, end), lineNumber }),
    tooLong: (lineNumber, bytes) => events.push({ tooLong: true, lineNumber, bytes }),
  };
  for await (const chunk of source) {
    splitter.push(chunk, handler);
    yield* events;
    events.length = 0;
  }
  splitter.end(handler);
  yield* events;
}

function stripBom(buf: Buffer): Buffer {
  return buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? buf.subarray(3) : buf;
}
