/**
 * A byte-level reader of one capture record's JSON: it finds the fields parseCaptureLine needs (the sides'
 * `data`, `encoding` and `observedContentType`, and `eventId` / `inferenceId` / `inferenceTime`) without
 * JSON.parse and without making strings, and checks that the whole line is JSON (RFC 8259, as JSON.parse reads
 * it). It only says yes when it is sure: anything it does not handle (an escaped key, a duplicate key that
 * matters, a field of an unexpected type, an escaped or non-ASCII metadata string, deep nesting, any JSON
 * error) makes it say no, and the caller then parses the line with the reference parser.
 *
 * One exception to "checks the whole line": the content of each `data` string is only delimited here (its
 * closing quote found), not checked; whoever reads it checks it (see fast-parse.ts), and a line whose data is not
 * a valid JSON string goes to the reference parser. Capture files repeat one layout line after line, so a line
 * is first matched against the last scanned one ({@link RecordTemplate}): only the strings that vary are read.
 */

/** Encodings of a side's `data`. */
export const ENCODING_CSV = 1;
/** `encoding: "JSON"`. */
export const ENCODING_JSON = 2;
/** `encoding: "BASE64"`. */
export const ENCODING_BASE64 = 3;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const COMMA = 0x2c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
/** Deeper values are left to JSON.parse (and the recursion here stays shallow). */
const MAX_DEPTH = 64;

const KEY_CAPTURE_DATA = ascii('captureData');
const KEY_EVENT_METADATA = ascii('eventMetadata');
const KEY_ENDPOINT_INPUT = ascii('endpointInput');
const KEY_ENDPOINT_OUTPUT = ascii('endpointOutput');
const KEY_DATA = ascii('data');
const KEY_ENCODING = ascii('encoding');
const KEY_CONTENT_TYPE = ascii('observedContentType');
const KEY_EVENT_ID = ascii('eventId');
const KEY_INFERENCE_ID = ascii('inferenceId');
const KEY_INFERENCE_TIME = ascii('inferenceTime');
const VALUE_CSV = ascii('CSV');
const VALUE_JSON = ascii('JSON');
const VALUE_BASE64 = ascii('BASE64');
const LITERAL_TRUE = ascii('true');
const LITERAL_FALSE = ascii('false');
const LITERAL_NULL = ascii('null');

/** One side (endpointInput or endpointOutput) of a scanned record; ranges index the scanned bytes. */
export class ScannedSide {
  /** The side is an object; an absent or null side is not present. */
  present = false;
  /** Start of the `data` string's content (after the opening quote; still JSON-escaped, not yet checked). */
  dataStart = -1;
  /** End of the `data` string's content (the closing quote). */
  dataEnd = -1;
  /** ENCODING_CSV, ENCODING_JSON or ENCODING_BASE64. */
  encoding = 0;
  /** `observedContentType` when it is a string (plain ASCII), else undefined. */
  contentType: string | undefined = undefined;

  /** Back to an absent side. */
  reset(): void {
    this.present = false;
    this.dataStart = -1;
    this.dataEnd = -1;
    this.encoding = 0;
    this.contentType = undefined;
  }

  /** Takes every field of `from`. */
  copy(from: ScannedSide): void {
    this.present = from.present;
    this.dataStart = from.dataStart;
    this.dataEnd = from.dataEnd;
    this.encoding = from.encoding;
    this.contentType = from.contentType;
  }
}

/** What {@link scanRecord} found; metadata ranges are -1 when the field is absent or null. */
export class ScannedRecord {
  readonly input = new ScannedSide();
  readonly output = new ScannedSide();
  eventIdStart = -1;
  eventIdEnd = -1;
  inferenceIdStart = -1;
  inferenceIdEnd = -1;
  timeStart = -1;
  timeEnd = -1;

  /** Back to no sides and no metadata. */
  reset(): void {
    this.input.reset();
    this.output.reset();
    this.eventIdStart = -1;
    this.eventIdEnd = -1;
    this.inferenceIdStart = -1;
    this.inferenceIdEnd = -1;
    this.timeStart = -1;
    this.timeEnd = -1;
  }
}

/**
 * Reads the capture record in `bytes[start, end)` into `out`. True when the line is valid JSON (the `data`
 * contents aside) holding an object whose `captureData` is an object with at least one side that is an object
 * with a string `data` and an `encoding` of CSV, JSON or BASE64 (each side's other fields and all other members
 * may be anything), whose `eventMetadata` is absent, null or an object whose `eventId`, `inferenceId` and
 * `inferenceTime` are absent, null or plain ASCII strings without escapes, and in which none of these keys is
 * escaped or repeated. False otherwise: the reference parser then decides (it may still accept the line).
 */
export function scanRecord(bytes: Uint8Array, start: number, end: number, out: ScannedRecord): boolean {
  out.reset();
  let i = skipWhitespace(bytes, start, end);
  if (byteAt(bytes, i, end) !== OPEN_BRACE) return false;
  let seenCapture = false;
  let seenMetadata = false;
  i = skipWhitespace(bytes, i + 1, end);
  if (byteAt(bytes, i, end) === CLOSE_BRACE) return false;
  for (;;) {
    if (byteAt(bytes, i, end) !== QUOTE) return false;
    const keyStart = i + 1;
    const keyEnd = scanKey(bytes, keyStart, end);
    if (keyEnd < 0) return false;
    i = skipWhitespace(bytes, keyEnd + 1, end);
    if (byteAt(bytes, i, end) !== COLON) return false;
    i = skipWhitespace(bytes, i + 1, end);
    if (equalsKey(bytes, keyStart, keyEnd, KEY_CAPTURE_DATA)) {
      if (seenCapture) return false;
      seenCapture = true;
      i = scanCaptureData(bytes, i, end, out);
    } else if (equalsKey(bytes, keyStart, keyEnd, KEY_EVENT_METADATA)) {
      if (seenMetadata) return false;
      seenMetadata = true;
      i = scanMetadata(bytes, i, end, out);
    } else {
      i = skipValue(bytes, i, end, 1);
    }
    if (i < 0) return false;
    i = skipWhitespace(bytes, i, end);
    const c = byteAt(bytes, i, end);
    if (c === CLOSE_BRACE) break;
    if (c !== COMMA) return false;
    i = skipWhitespace(bytes, i + 1, end);
  }
  if (skipWhitespace(bytes, i + 1, end) !== end) return false;
  return seenCapture && (out.input.present || out.output.present);
}

/** `captureData`: an object with endpointInput / endpointOutput (object or null). Returns the index after it. */
function scanCaptureData(bytes: Uint8Array, at: number, end: number, out: ScannedRecord): number {
  if (byteAt(bytes, at, end) !== OPEN_BRACE) return -1;
  let seenInput = false;
  let seenOutput = false;
  let i = skipWhitespace(bytes, at + 1, end);
  if (byteAt(bytes, i, end) === CLOSE_BRACE) return i + 1;
  for (;;) {
    if (byteAt(bytes, i, end) !== QUOTE) return -1;
    const keyStart = i + 1;
    const keyEnd = scanKey(bytes, keyStart, end);
    if (keyEnd < 0) return -1;
    i = skipWhitespace(bytes, keyEnd + 1, end);
    if (byteAt(bytes, i, end) !== COLON) return -1;
    i = skipWhitespace(bytes, i + 1, end);
    if (equalsKey(bytes, keyStart, keyEnd, KEY_ENDPOINT_INPUT)) {
      if (seenInput) return -1;
      seenInput = true;
      i = scanSide(bytes, i, end, out.input);
    } else if (equalsKey(bytes, keyStart, keyEnd, KEY_ENDPOINT_OUTPUT)) {
      if (seenOutput) return -1;
      seenOutput = true;
      i = scanSide(bytes, i, end, out.output);
    } else {
      i = skipValue(bytes, i, end, 2);
    }
    if (i < 0) return -1;
    i = skipWhitespace(bytes, i, end);
    const c = byteAt(bytes, i, end);
    if (c === CLOSE_BRACE) return i + 1;
    if (c !== COMMA) return -1;
    i = skipWhitespace(bytes, i + 1, end);
  }
}

/** One side: null (absent), or an object with a string `data` and a known `encoding`. */
function scanSide(bytes: Uint8Array, at: number, end: number, side: ScannedSide): number {
  if (byteAt(bytes, at, end) === 0x6e) return matchLiteral(bytes, at, end, LITERAL_NULL);
  if (byteAt(bytes, at, end) !== OPEN_BRACE) return -1;
  let seenData = false;
  let seenEncoding = false;
  let seenContentType = false;
  let i = skipWhitespace(bytes, at + 1, end);
  if (byteAt(bytes, i, end) === CLOSE_BRACE) return -1;
  for (;;) {
    if (byteAt(bytes, i, end) !== QUOTE) return -1;
    const keyStart = i + 1;
    const keyEnd = scanKey(bytes, keyStart, end);
    if (keyEnd < 0) return -1;
    i = skipWhitespace(bytes, keyEnd + 1, end);
    if (byteAt(bytes, i, end) !== COLON) return -1;
    i = skipWhitespace(bytes, i + 1, end);
    if (equalsKey(bytes, keyStart, keyEnd, KEY_DATA)) {
      if (seenData || byteAt(bytes, i, end) !== QUOTE) return -1;
      seenData = true;
      const close = findStringEnd(bytes, i + 1, end);
      if (close < 0) return -1;
      side.dataStart = i + 1;
      side.dataEnd = close;
      i = close + 1;
    } else if (equalsKey(bytes, keyStart, keyEnd, KEY_ENCODING)) {
      if (seenEncoding || byteAt(bytes, i, end) !== QUOTE) return -1;
      seenEncoding = true;
      const valueEnd = scanPlainString(bytes, i + 1, end);
      if (valueEnd < 0) return -1;
      side.encoding = encodingOf(bytes, i + 1, valueEnd);
      if (side.encoding === 0) return -1;
      i = valueEnd + 1;
    } else if (equalsKey(bytes, keyStart, keyEnd, KEY_CONTENT_TYPE)) {
      if (seenContentType) return -1;
      seenContentType = true;
      if (byteAt(bytes, i, end) === QUOTE) {
        const valueEnd = scanPlainString(bytes, i + 1, end);
        if (valueEnd < 0) return -1;
        side.contentType = latin1(bytes, i + 1, valueEnd);
        i = valueEnd + 1;
      } else {
        // Not a string: the reference parser ignores it, and so does the caller.
        i = skipValue(bytes, i, end, 3);
      }
    } else {
      i = skipValue(bytes, i, end, 3);
    }
    if (i < 0) return -1;
    i = skipWhitespace(bytes, i, end);
    const c = byteAt(bytes, i, end);
    if (c === CLOSE_BRACE) break;
    if (c !== COMMA) return -1;
    i = skipWhitespace(bytes, i + 1, end);
  }
  if (!seenData || !seenEncoding) return -1;
  side.present = true;
  return i + 1;
}

/** `eventMetadata`: null, or an object whose ids and time are null or plain strings. */
function scanMetadata(bytes: Uint8Array, at: number, end: number, out: ScannedRecord): number {
  if (byteAt(bytes, at, end) === 0x6e) return matchLiteral(bytes, at, end, LITERAL_NULL);
  if (byteAt(bytes, at, end) !== OPEN_BRACE) return -1;
  let seen = 0;
  let i = skipWhitespace(bytes, at + 1, end);
  if (byteAt(bytes, i, end) === CLOSE_BRACE) return i + 1;
  for (;;) {
    if (byteAt(bytes, i, end) !== QUOTE) return -1;
    const keyStart = i + 1;
    const keyEnd = scanKey(bytes, keyStart, end);
    if (keyEnd < 0) return -1;
    i = skipWhitespace(bytes, keyEnd + 1, end);
    if (byteAt(bytes, i, end) !== COLON) return -1;
    i = skipWhitespace(bytes, i + 1, end);
    let which = 0;
    if (equalsKey(bytes, keyStart, keyEnd, KEY_EVENT_ID)) which = 1;
    else if (equalsKey(bytes, keyStart, keyEnd, KEY_INFERENCE_ID)) which = 2;
    else if (equalsKey(bytes, keyStart, keyEnd, KEY_INFERENCE_TIME)) which = 4;
    if (which === 0) {
      i = skipValue(bytes, i, end, 2);
    } else {
      if ((seen & which) !== 0) return -1;
      seen |= which;
      if (byteAt(bytes, i, end) === QUOTE) {
        const valueEnd = scanPlainString(bytes, i + 1, end);
        if (valueEnd < 0) return -1;
        if (which === 1) {
          out.eventIdStart = i + 1;
          out.eventIdEnd = valueEnd;
        } else if (which === 2) {
          out.inferenceIdStart = i + 1;
          out.inferenceIdEnd = valueEnd;
        } else {
          out.timeStart = i + 1;
          out.timeEnd = valueEnd;
        }
        i = valueEnd + 1;
      } else {
        i = matchLiteral(bytes, i, end, LITERAL_NULL);
      }
    }
    if (i < 0) return -1;
    i = skipWhitespace(bytes, i, end);
    const c = byteAt(bytes, i, end);
    if (c === CLOSE_BRACE) return i + 1;
    if (c !== COMMA) return -1;
    i = skipWhitespace(bytes, i + 1, end);
  }
}

/**
 * The closing quote of the string whose content starts at `at`: the first `"` not escaped by an odd run of
 * backslashes; -1 when there is none before `end`. The content is not checked, so whoever reads it must reject a
 * raw `"` or control character in it (then this was not the JSON string's end; the reference parser decides).
 * Buffer.indexOf finds the first quote; past an escaped one, escapes are skipped byte by byte.
 */
export function findStringEnd(bytes: Uint8Array, at: number, end: number): number {
  const quote = bytes.indexOf(QUOTE, at);
  if (quote < 0 || quote >= end) return -1;
  if (bytes[quote - 1] !== BACKSLASH || quote - 1 < at) return quote;
  let i = at;
  while (i < end) {
    const c = bytes[i];
    if (c === QUOTE) return i;
    i += c === BACKSLASH ? 2 : 1;
  }
  return -1;
}

/**
 * Like {@link findStringEnd}, for a string known to be followed by `needle` from `offset` bytes after its closing
 * quote: searches for the needle (which starts at a letter, rare in payloads), so that the escaped quotes of a
 * JSON payload cost nothing.
 */
function findStringEndBefore(
  bytes: Uint8Array,
  at: number,
  end: number,
  needle: Buffer,
  offset: number,
): number {
  // The first quote, when not escaped, is the end (memchr is faster than a needle search for that).
  const first = bytes.indexOf(QUOTE, at);
  if (first < 0 || first >= end) return -1;
  if (first === at || bytes[first - 1] !== BACKSLASH) return first;
  let from = first + 1 + offset;
  for (;;) {
    const found = Buffer.prototype.indexOf.call(bytes, needle, from);
    if (found < 0 || found >= end) return -1;
    const quote = found - offset;
    if (bytes[quote] === QUOTE) {
      let b = quote - 1;
      while (b >= at && bytes[b] === BACKSLASH) b--;
      if (((quote - 1 - b) & 1) === 0) return quote;
    }
    from = found + 1;
  }
}

/**
 * Whether `bytes[start, end)` is the content of a valid JSON string (no raw `"` or control character, valid
 * escapes); sets `flags` bit 1 when it holds an escape and bit 2 when it holds a byte >= 0x80.
 */
export function checkStringContent(
  bytes: Uint8Array,
  start: number,
  end: number,
  flags: { value: number },
): boolean {
  let value = 0;
  let i = start;
  while (i < end) {
    const c = bytes[i] ?? 0;
    if (c === BACKSLASH) {
      value |= 1;
      i = skipEscape(bytes, i, end);
      if (i < 0) return false;
    } else if (c < 0x20 || c === QUOTE) {
      return false;
    } else {
      if (c >= 0x80) value |= 2;
      i++;
    }
  }
  flags.value = value;
  return true;
}

/** A string of printable ASCII without escapes from `at`: the closing quote's index, or -1 for anything else. */
function scanPlainString(bytes: Uint8Array, at: number, end: number): number {
  for (let i = at; i < end; i++) {
    const c = bytes[i] ?? 0;
    if (c === QUOTE) return i;
    if (c === BACKSLASH || c < 0x20 || c >= 0x80) return -1;
  }
  return -1;
}

/** A key from `at`: its closing quote's index; -1 when it is escaped (it might spell a key that matters) or bad. */
function scanKey(bytes: Uint8Array, at: number, end: number): number {
  for (let i = at; i < end; i++) {
    const c = bytes[i] ?? 0;
    if (c === QUOTE) return i;
    if (c === BACKSLASH || c < 0x20) return -1;
  }
  return -1;
}

/** Any valid JSON string content from `at`: the closing quote's index, or -1. */
function scanAnyString(bytes: Uint8Array, at: number, end: number): number {
  let i = at;
  while (i < end) {
    const c = bytes[i] ?? 0;
    if (c === QUOTE) return i;
    if (c === BACKSLASH) {
      i = skipEscape(bytes, i, end);
      if (i < 0) return -1;
    } else if (c < 0x20) {
      return -1;
    } else {
      i++;
    }
  }
  return -1;
}

/** A valid escape at `at` (the backslash): the index after it, or -1. */
function skipEscape(bytes: Uint8Array, at: number, end: number): number {
  const c = byteAt(bytes, at + 1, end);
  if (
    c === QUOTE ||
    c === BACKSLASH ||
    c === 0x2f ||
    c === 0x62 ||
    c === 0x66 ||
    c === 0x6e ||
    c === 0x72 ||
    c === 0x74
  ) {
    return at + 2;
  }
  if (c !== 0x75 || at + 6 > end) return -1;
  for (let k = at + 2; k < at + 6; k++) if (!isHexDigit(bytes[k] ?? 0)) return -1;
  return at + 6;
}

/** Skips any JSON value at `at` (validating it); returns the index after it, or -1. */
function skipValue(bytes: Uint8Array, at: number, end: number, depth: number): number {
  const c = byteAt(bytes, at, end);
  if (c === QUOTE) {
    const close = scanAnyString(bytes, at + 1, end);
    return close < 0 ? -1 : close + 1;
  }
  if (c === OPEN_BRACE || c === OPEN_BRACKET) {
    if (depth >= MAX_DEPTH) return -1;
    return c === OPEN_BRACE ? skipObject(bytes, at, end, depth + 1) : skipArray(bytes, at, end, depth + 1);
  }
  if (c === 0x74) return matchLiteral(bytes, at, end, LITERAL_TRUE);
  if (c === 0x66) return matchLiteral(bytes, at, end, LITERAL_FALSE);
  if (c === 0x6e) return matchLiteral(bytes, at, end, LITERAL_NULL);
  return skipNumber(bytes, at, end);
}

function skipObject(bytes: Uint8Array, at: number, end: number, depth: number): number {
  let i = skipWhitespace(bytes, at + 1, end);
  if (byteAt(bytes, i, end) === CLOSE_BRACE) return i + 1;
  for (;;) {
    if (byteAt(bytes, i, end) !== QUOTE) return -1;
    const keyEnd = scanAnyString(bytes, i + 1, end);
    if (keyEnd < 0) return -1;
    i = skipWhitespace(bytes, keyEnd + 1, end);
    if (byteAt(bytes, i, end) !== COLON) return -1;
    i = skipValue(bytes, skipWhitespace(bytes, i + 1, end), end, depth);
    if (i < 0) return -1;
    i = skipWhitespace(bytes, i, end);
    const c = byteAt(bytes, i, end);
    if (c === CLOSE_BRACE) return i + 1;
    if (c !== COMMA) return -1;
    i = skipWhitespace(bytes, i + 1, end);
  }
}

function skipArray(bytes: Uint8Array, at: number, end: number, depth: number): number {
  let i = skipWhitespace(bytes, at + 1, end);
  if (byteAt(bytes, i, end) === CLOSE_BRACKET) return i + 1;
  for (;;) {
    i = skipValue(bytes, i, end, depth);
    if (i < 0) return -1;
    i = skipWhitespace(bytes, i, end);
    const c = byteAt(bytes, i, end);
    if (c === CLOSE_BRACKET) return i + 1;
    if (c !== COMMA) return -1;
    i = skipWhitespace(bytes, i + 1, end);
  }
}

/** A JSON number: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`; the index after it, or -1. */
function skipNumber(bytes: Uint8Array, at: number, end: number): number {
  let i = at;
  if (byteAt(bytes, i, end) === 0x2d) i++;
  if (byteAt(bytes, i, end) === 0x30) {
    i++;
  } else {
    const digitsStart = i;
    while (i < end && isDigit(bytes[i] ?? 0)) i++;
    if (i === digitsStart) return -1;
  }
  if (byteAt(bytes, i, end) === 0x2e) {
    const fractionStart = ++i;
    while (i < end && isDigit(bytes[i] ?? 0)) i++;
    if (i === fractionStart) return -1;
  }
  if (byteAt(bytes, i, end) === 0x65 || byteAt(bytes, i, end) === 0x45) {
    i++;
    if (byteAt(bytes, i, end) === 0x2b || byteAt(bytes, i, end) === 0x2d) i++;
    const exponentStart = i;
    while (i < end && isDigit(bytes[i] ?? 0)) i++;
    if (i === exponentStart) return -1;
  }
  return i;
}

function matchLiteral(bytes: Uint8Array, at: number, end: number, literal: Uint8Array): number {
  if (at + literal.length > end) return -1;
  for (let k = 0; k < literal.length; k++) if (bytes[at + k] !== literal[k]) return -1;
  return at + literal.length;
}

/** JSON whitespace (space, tab, LF, CR) from `at`: the first other index (or `end`). */
function skipWhitespace(bytes: Uint8Array, at: number, end: number): number {
  let i = at;
  while (i < end) {
    const c = bytes[i];
    if (c !== 0x20 && c !== 0x09 && c !== 0x0d && c !== 0x0a) return i;
    i++;
  }
  return end;
}

/** The byte at `i`, or -1 at or past `end` (a line is often a view of a larger chunk). */
function byteAt(bytes: Uint8Array, i: number, end: number): number {
  return i < end ? (bytes[i] ?? -1) : -1;
}

function equalsKey(bytes: Uint8Array, start: number, end: number, key: Uint8Array): boolean {
  if (end - start !== key.length) return false;
  for (let k = 0; k < key.length; k++) if (bytes[start + k] !== key[k]) return false;
  return true;
}

function encodingOf(bytes: Uint8Array, start: number, end: number): number {
  if (equalsKey(bytes, start, end, VALUE_CSV)) return ENCODING_CSV;
  if (equalsKey(bytes, start, end, VALUE_JSON)) return ENCODING_JSON;
  if (equalsKey(bytes, start, end, VALUE_BASE64)) return ENCODING_BASE64;
  return 0;
}

function isLetter(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function isHexDigit(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}

function latin1(bytes: Uint8Array, start: number, end: number): string {
  let text = '';
  for (let i = start; i < end; i++) text += String.fromCharCode(bytes[i] ?? 0);
  return text;
}

function ascii(text: string): Uint8Array {
  return Uint8Array.from(text, (c) => c.charCodeAt(0));
}

const HOLE_INPUT_DATA = 1;
const HOLE_OUTPUT_DATA = 2;
const HOLE_EVENT_ID = 3;
const HOLE_INFERENCE_ID = 4;
const HOLE_TIME = 5;
/** Bytes after a data hole searched for to find its end. */
const NEEDLE_BYTES = 12;
/** Longer lines are not kept as templates (their copy would cost more than it saves). */
const MAX_TEMPLATE_BYTES = 64 * 1024;

/**
 * The layout of the last line {@link scanRecord} accepted: its bytes, with the strings that vary from record to
 * record (the sides' `data`, `eventId`, `inferenceId`, `inferenceTime`) as holes. A line that equals the template
 * outside the holes, with a plain string in each metadata hole and a closing quote for each data hole, has the
 * same structure, so the same scan result, with the holes' new ranges: that is the whole check, and it reads
 * each byte outside `data` once, with a plain comparison.
 */
export class RecordTemplate {
  private bytes = new Uint8Array(0);
  private view = new DataView(this.bytes.buffer);
  private length = -1;
  /** The bytes last matched and a DataView of them (a line is usually a view of a chunk of many lines). */
  private lineBytes: Uint8Array | undefined;
  private lineView: DataView = new DataView(new ArrayBuffer(0));
  private holeStart = new Int32Array(8);
  private holeEnd = new Int32Array(8);
  private holeKind = new Int32Array(8);
  /** For each data hole, some template bytes after its closing quote, to find that quote by, and their offset. */
  private holeNeedle: Buffer[] = [];
  private holeNeedleOffset: number[] = [];
  private holes = 0;
  private readonly shape = new ScannedRecord();

  /** Remembers the line `bytes[start, end)`, just scanned into `record`, as the template. */
  learn(bytes: Uint8Array, start: number, end: number, record: ScannedRecord): void {
    const length = end - start;
    if (length > MAX_TEMPLATE_BYTES) {
      this.length = -1;
      return;
    }
    if (this.bytes.length < length) {
      this.bytes = new Uint8Array(Math.max(length, 2 * this.bytes.length));
      this.view = new DataView(this.bytes.buffer);
    }
    this.bytes.set(bytes.subarray(start, end));
    this.length = length;
    this.holes = 0;
    const { input, output } = record;
    if (input.present) this.addHole(HOLE_INPUT_DATA, input.dataStart - start, input.dataEnd - start);
    if (output.present) this.addHole(HOLE_OUTPUT_DATA, output.dataStart - start, output.dataEnd - start);
    if (record.eventIdStart >= 0)
      this.addHole(HOLE_EVENT_ID, record.eventIdStart - start, record.eventIdEnd - start);
    if (record.inferenceIdStart >= 0) {
      this.addHole(HOLE_INFERENCE_ID, record.inferenceIdStart - start, record.inferenceIdEnd - start);
    }
    if (record.timeStart >= 0) this.addHole(HOLE_TIME, record.timeStart - start, record.timeEnd - start);
    this.sortHoles();
    this.holeNeedle = [];
    this.holeNeedleOffset = [];
    for (let h = 0; h < this.holes; h++) {
      const close = this.holeEnd[h] ?? 0;
      const stop = h + 1 < this.holes ? (this.holeStart[h + 1] ?? 0) : length;
      // Start at the first letter after the quote (`encoding` in `","encoding"`), when there is one close by.
      let offset = 1;
      while (offset < NEEDLE_BYTES && close + offset < stop && !isLetter(this.bytes[close + offset] ?? 0))
        offset++;
      if (offset === NEEDLE_BYTES || close + offset >= stop) offset = 0;
      const needleEnd = Math.min(close + offset + NEEDLE_BYTES, stop);
      this.holeNeedle.push(Buffer.from(this.bytes.subarray(close + offset, needleEnd)));
      this.holeNeedleOffset.push(offset);
    }
    this.shape.input.copy(input);
    this.shape.output.copy(output);
  }

  /** Scans `bytes[start, end)` into `out` when it matches the template; false (out unusable) otherwise. */
  match(bytes: Uint8Array, start: number, end: number, out: ScannedRecord): boolean {
    const template = this.view;
    const length = this.length;
    if (length < 0) return false;
    if (bytes !== this.lineBytes) {
      this.lineBytes = bytes;
      this.lineView = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    }
    const line = this.lineView;
    out.reset();
    let p = start;
    let t = 0;
    for (let h = 0; h < this.holes; h++) {
      const holeStart = this.holeStart[h] ?? 0;
      const segment = holeStart - t;
      if (p + segment > end || !sameBytes(line, p, template, t, segment)) return false;
      p += segment;
      const kind = this.holeKind[h] ?? 0;
      const needle = this.holeNeedle[h];
      const close =
        (kind === HOLE_INPUT_DATA || kind === HOLE_OUTPUT_DATA) && needle !== undefined
          ? findStringEndBefore(bytes, p, end, needle, this.holeNeedleOffset[h] ?? 0)
          : scanPlainString(bytes, p, end);
      if (close < 0) return false;
      switch (kind) {
        case HOLE_INPUT_DATA:
          out.input.dataStart = p;
          out.input.dataEnd = close;
          break;
        case HOLE_OUTPUT_DATA:
          out.output.dataStart = p;
          out.output.dataEnd = close;
          break;
        case HOLE_EVENT_ID:
          out.eventIdStart = p;
          out.eventIdEnd = close;
          break;
        case HOLE_INFERENCE_ID:
          out.inferenceIdStart = p;
          out.inferenceIdEnd = close;
          break;
        default:
          out.timeStart = p;
          out.timeEnd = close;
      }
      p = close;
      t = this.holeEnd[h] ?? 0;
    }
    const segment = length - t;
    if (p + segment !== end || !sameBytes(line, p, template, t, segment)) return false;
    const { input, output } = this.shape;
    out.input.present = input.present;
    out.input.encoding = input.encoding;
    out.input.contentType = input.contentType;
    out.output.present = output.present;
    out.output.encoding = output.encoding;
    out.output.contentType = output.contentType;
    return true;
  }

  private addHole(kind: number, start: number, end: number): void {
    this.holeKind[this.holes] = kind;
    this.holeStart[this.holes] = start;
    this.holeEnd[this.holes] = end;
    this.holes++;
  }

  /** Holes in line order (at most five: insertion sort). */
  private sortHoles(): void {
    for (let i = 1; i < this.holes; i++) {
      const kind = this.holeKind[i] ?? 0;
      const start = this.holeStart[i] ?? 0;
      const end = this.holeEnd[i] ?? 0;
      let j = i - 1;
      while (j >= 0 && (this.holeStart[j] ?? 0) > start) {
        this.holeKind[j + 1] = this.holeKind[j] ?? 0;
        this.holeStart[j + 1] = this.holeStart[j] ?? 0;
        this.holeEnd[j + 1] = this.holeEnd[j] ?? 0;
        j--;
      }
      this.holeKind[j + 1] = kind;
      this.holeStart[j + 1] = start;
      this.holeEnd[j + 1] = end;
    }
  }
}

/** Whether `n` bytes at `ap` of `a` equal those at `bp` of `b`; four at a time (DataView reads are unaligned). */
export function sameBytes(a: DataView, ap: number, b: DataView, bp: number, n: number): boolean {
  let k = 0;
  for (; k + 4 <= n; k += 4) if (a.getInt32(ap + k, true) !== b.getInt32(bp + k, true)) return false;
  for (; k < n; k++) if (a.getUint8(ap + k) !== b.getUint8(bp + k)) return false;
  return true;
}
