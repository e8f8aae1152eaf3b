import { type ParseErrorCode, printParseErrorCode, visit } from 'jsonc-parser';
import { formatConfigPath, type PathSegment } from './config-path.js';

/** A 1-based line and column (columns count UTF-16 code units, as editors do). */
export interface TextPosition {
  line: number;
  column: number;
}

/** The first syntax problem in a JSON text, located. */
export interface JsonSyntaxProblem extends TextPosition {
  /** 0-based offset into the text (after a leading byte-order mark was removed). */
  offset: number;
  /** What the grammar allowed at this point, e.g. `expected "," or "}"`. */
  message: string;
  /** What was found there, e.g. `"x"` or `end of input`. */
  received: string;
}

/** Result of {@link parseJsonText}: the value with the position of every value by path, or the first problem. */
export type JsonTextResult =
  | { ok: true; value: unknown; positions: ReadonlyMap<string, TextPosition> }
  | { ok: false; problem: JsonSyntaxProblem };

/** Messages for jsonc-parser's error codes, in terms of what was expected. */
const MESSAGES: Partial<Record<string, string>> = {
  InvalidSymbol: 'expected a value (an object, array, double-quoted string, number, true, false or null)',
  InvalidNumberFormat: 'expected a JSON number',
  UnexpectedEndOfNumber: 'expected a JSON number',
  PropertyNameExpected: 'expected a double-quoted property name (JSON allows no trailing comma)',
  ValueExpected: 'expected a value (JSON allows no trailing comma)',
  ColonExpected: 'expected ":" after the property name',
  CommaExpected: 'expected "," between values',
  CloseBraceExpected: 'expected "}" to close the object',
  CloseBracketExpected: 'expected "]" to close the array',
  EndOfFileExpected: 'expected the end of the document after the top-level value',
  InvalidCommentToken: 'expected JSON without comments',
  UnexpectedEndOfComment: 'expected JSON without comments',
  UnexpectedEndOfString:
    'expected a closing double quote on the same line (control characters must be escaped)',
  InvalidUnicode: 'expected a valid \\u escape',
  InvalidEscapeCharacter: 'expected a valid escape',
  InvalidCharacter: 'expected control characters inside strings to be escaped',
};

class Located {
  constructor(
    readonly offset: number,
    readonly message: string,
    readonly received?: string,
  ) {}
}

/**
 * Parses JSON text (RFC 8259, after removing a leading byte-order mark) with jsonc-parser in strict mode (no
 * comments, no trailing commas) and records where each value starts, keyed by {@link formatConfigPath}. Unlike
 * `JSON.parse` it always reports where a syntax error is, and it rejects duplicate keys, which `JSON.parse`
 * silently collapses to the last one: in a configuration file that hides an edit.
 */
export function parseJsonText(text: string): JsonTextResult {
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const offsets = new Map<string, number>();
  const path: PathSegment[] = [];
  // Per open container: the next array index, or the keys seen so far in an object.
  const frames: Array<{ index: number } | { keys: Set<string> }> = [];
  let problem: Located | undefined;
  let pendingKey: PathSegment | undefined;
  // Where the grammar stands, to word errors by what was expected there.
  let expectingKey = false;
  let rootDone = false;
  const closed = () => {
    frames.pop();
    if (frames.length > 0) path.pop();
    else rootDone = true;
  };

  const valueStarts = (offset: number) => {
    const frame = frames[frames.length - 1];
    let segment: PathSegment | undefined;
    if (frame && 'index' in frame) segment = frame.index++;
    else if (frame) segment = pendingKey;
    const at = segment === undefined ? [...path] : [...path, segment];
    offsets.set(formatConfigPath(at), offset);
    return segment;
  };

  visit(
    source,
    {
      onObjectBegin: (offset) => {
        const segment = valueStarts(offset);
        if (segment !== undefined) path.push(segment);
        frames.push({ keys: new Set() });
        expectingKey = true;
      },
      onObjectProperty: (property, offset) => {
        const frame = frames[frames.length - 1];
        if (frame && 'keys' in frame) {
          if (frame.keys.has(property) && !problem) {
            problem = new Located(
              offset,
              'expected each property name once per object',
              `duplicate key "${property}"`,
            );
          }
          frame.keys.add(property);
        }
        pendingKey = property;
        expectingKey = false;
      },
      onSeparator: (character) => {
        if (character === ',' && frames[frames.length - 1] && 'keys' in (frames[frames.length - 1] ?? {}))
          expectingKey = true;
      },
      onObjectEnd: closed,
      onArrayBegin: (offset) => {
        const segment = valueStarts(offset);
        if (segment !== undefined) path.push(segment);
        frames.push({ index: 0 });
      },
      onArrayEnd: closed,
      onLiteralValue: (_value, offset) => {
        valueStarts(offset);
        if (frames.length === 0) rootDone = true;
      },
      onError: (error: ParseErrorCode, offset: number, length: number) => {
        if (problem) return;
        const code = printParseErrorCode(error);
        const message = rootDone
          ? MESSAGES.EndOfFileExpected
          : expectingKey && (code === 'InvalidSymbol' || code === 'PropertyNameExpected')
            ? 'expected a double-quoted property name (JSON allows no trailing comma)'
            : MESSAGES[code];
        problem = new Located(
          offset,
          message ?? `expected valid JSON (${code})`,
          describeFound(source, offset, length),
        );
      },
    },
    { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false },
  );
  if (source.trim() === '')
    problem = new Located(source.length, 'expected a JSON value (the document is empty)');
  if (problem) {
    const { line, column } = positionAt(source, problem.offset);
    return {
      ok: false,
      problem: {
        offset: problem.offset,
        line,
        column,
        message: problem.message,
        received: problem.received ?? 'end of input',
      },
    };
  }
  const positions = new Map<string, TextPosition>();
  for (const [p, offset] of offsets) positions.set(p, positionAt(source, offset));
  return { ok: true, value: JSON.parse(source), positions };
}

/** The 1-based line and column of a 0-based offset in `text`. */
export function positionAt(text: string, offset: number): TextPosition {
  let line = 1;
  let lineStart = 0;
  for (
    let index = text.indexOf('\n');
    index !== -1 && index < offset;
    index = text.indexOf('\n', index + 1)
  ) {
    line += 1;
    lineStart = index + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

function describeFound(text: string, offset: number, length: number): string {
  if (offset >= text.length) return 'end of input';
  const token = text.slice(offset, offset + Math.max(1, Math.min(length, 40)));
  if (token.startsWith('"')) return `the string ${token.split('\n')[0]}`;
  return JSON.stringify(token);
}
