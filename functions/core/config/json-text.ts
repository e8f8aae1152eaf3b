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
  /** What the grammar allowed at this point, e.g. `expected "," or "}" after a property value`. */
  message: string;
  /** What was found there, e.g. `"x"` or `end of input`. */
  received: string;
}

/** Result of {@link parseJsonText}: the value with the position of every value by path, or the first problem. */
export type JsonTextResult =
  | { ok: true; value: unknown; positions: ReadonlyMap<string, TextPosition> }
  | { ok: false; problem: JsonSyntaxProblem };

const MAX_DEPTH = 256;
const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;

class JsonScanError extends Error {
  constructor(
    readonly offset: number,
    readonly problem: string,
    readonly found?: string,
  ) {
    super(problem);
  }
}

/**
 * Parses JSON text (RFC 8259, as `JSON.parse` does, after removing a leading byte-order mark) and records where each
 * value starts, keyed by {@link formatConfigPath}. Unlike `JSON.parse` it always reports where a syntax error is
 * (Node's messages often omit the position) and rejects duplicate keys, which `JSON.parse` silently collapses to
 * the last one: in a configuration file that hides an edit.
 */
export function parseJsonText(text: string): JsonTextResult {
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const scanner = new Scanner(source);
  try {
    scanner.document();
  } catch (error) {
    if (error instanceof JsonScanError) {
      const { line, column } = positionAt(source, error.offset);
      return {
        ok: false,
        problem: {
          offset: error.offset,
          line,
          column,
          message: error.problem,
          received: error.found ?? describeFound(source, error.offset),
        },
      };
    }
    throw error;
  }
  const positions = new Map<string, TextPosition>();
  for (const [path, offset] of scanner.offsets) {
    positions.set(path, positionAt(source, offset));
  }
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

function describeFound(text: string, offset: number): string {
  if (offset >= text.length) {
    return 'end of input';
  }
  const ahead = text.slice(offset, offset + 40);
  const string = /^"(?:[^"\\\n]|\\.)*"/.exec(ahead)?.[0];
  if (string !== undefined) {
    return `the string ${string}`;
  }
  const word = /^[A-Za-z0-9_$.+-]+/.exec(ahead)?.[0];
  return JSON.stringify(word ?? text.charAt(offset));
}

class Scanner {
  readonly offsets = new Map<string, number>();
  private index = 0;

  constructor(private readonly text: string) {}

  document(): void {
    this.skipWhitespace();
    if (this.index >= this.text.length) {
      throw new JsonScanError(this.index, 'expected a JSON value (the document is empty)');
    }
    this.value([], 0);
    this.skipWhitespace();
    if (this.index < this.text.length) {
      throw new JsonScanError(this.index, 'expected the end of the document after the top-level value');
    }
  }

  private value(path: PathSegment[], depth: number): void {
    if (depth > MAX_DEPTH) {
      throw new JsonScanError(this.index, `expected at most ${MAX_DEPTH} levels of nesting`);
    }
    this.offsets.set(formatConfigPath(path), this.index);
    const char = this.text.charAt(this.index);
    if (char === '{') {
      this.object(path, depth);
    } else if (char === '[') {
      this.array(path, depth);
    } else if (char === '"') {
      this.string();
    } else if (char === '-' || (char >= '0' && char <= '9')) {
      this.number();
    } else if (!this.literal('true') && !this.literal('false') && !this.literal('null')) {
      throw new JsonScanError(
        this.index,
        'expected a value (an object, array, double-quoted string, number, true, false or null)',
      );
    }
  }

  private object(path: PathSegment[], depth: number): void {
    this.index += 1;
    const keys = new Set<string>();
    this.skipWhitespace();
    if (this.peek() === '}') {
      this.index += 1;
      return;
    }
    for (;;) {
      if (this.peek() !== '"') {
        throw new JsonScanError(
          this.index,
          keys.size === 0
            ? 'expected a double-quoted property name or "}"'
            : 'expected a double-quoted property name after "," (JSON allows no trailing comma)',
        );
      }
      const keyStart = this.index;
      this.string();
      const key = JSON.parse(this.text.slice(keyStart, this.index)) as string;
      if (keys.has(key)) {
        throw new JsonScanError(
          keyStart,
          'expected each property name once per object (JSON.parse would silently keep only the last)',
          `duplicate key ${JSON.stringify(key)}`,
        );
      }
      keys.add(key);
      this.skipWhitespace();
      if (this.peek() !== ':') {
        throw new JsonScanError(this.index, 'expected ":" after the property name');
      }
      this.index += 1;
      this.skipWhitespace();
      this.value([...path, key], depth + 1);
      this.skipWhitespace();
      const next = this.peek();
      this.index += 1;
      if (next === '}') {
        return;
      }
      if (next !== ',') {
        this.index -= 1;
        throw new JsonScanError(this.index, 'expected "," or "}" after a property value');
      }
      this.skipWhitespace();
    }
  }

  private array(path: PathSegment[], depth: number): void {
    this.index += 1;
    this.skipWhitespace();
    if (this.peek() === ']') {
      this.index += 1;
      return;
    }
    for (let position = 0; ; position += 1) {
      if (position > 0 && this.peek() === ']') {
        throw new JsonScanError(this.index, 'expected a value after "," (JSON allows no trailing comma)');
      }
      this.value([...path, position], depth + 1);
      this.skipWhitespace();
      const next = this.peek();
      this.index += 1;
      if (next === ']') {
        return;
      }
      if (next !== ',') {
        this.index -= 1;
        throw new JsonScanError(this.index, 'expected "," or "]" after an array element');
      }
      this.skipWhitespace();
    }
  }

  private string(): void {
    const start = this.index;
    this.index += 1;
    for (;;) {
      if (this.index >= this.text.length) {
        throw new JsonScanError(start, 'expected a closing double quote for this string', 'end of input');
      }
      const code = this.text.charCodeAt(this.index);
      if (code === 0x22) {
        this.index += 1;
        return;
      }
      if (code < 0x20) {
        throw new JsonScanError(
          this.index,
          'expected control characters inside strings to be escaped (e.g. \\n)',
          `U+${code.toString(16).toUpperCase().padStart(4, '0')}`,
        );
      }
      if (code === 0x5c) {
        this.escape();
      } else {
        this.index += 1;
      }
    }
  }

  private escape(): void {
    const next = this.text.charAt(this.index + 1);
    if ('"\\/bfnrt'.includes(next) && next !== '') {
      this.index += 2;
      return;
    }
    if (next === 'u' && /^[0-9A-Fa-f]{4}$/.test(this.text.slice(this.index + 2, this.index + 6))) {
      this.index += 6;
      return;
    }
    throw new JsonScanError(
      this.index,
      'expected a valid escape (\\" \\\\ \\/ \\b \\f \\n \\r \\t or \\u followed by 4 hex digits)',
      JSON.stringify(this.text.slice(this.index, this.index + 2)),
    );
  }

  private number(): void {
    NUMBER.lastIndex = this.index;
    const token = NUMBER.exec(this.text)?.[0] ?? '';
    const after = this.text.charAt(this.index + token.length);
    if (token === '' || token === '-' || /[0-9.eE+-]/.test(after)) {
      throw new JsonScanError(
        this.index,
        'expected a JSON number (e.g. 0.5, -3, 1e-4; no leading zeros or "+")',
      );
    }
    this.index += token.length;
  }

  private literal(word: string): boolean {
    if (this.text.startsWith(word, this.index)) {
      const after = this.text.charAt(this.index + word.length);
      if (/[A-Za-z0-9_$]/.test(after)) {
        return false;
      }
      this.index += word.length;
      return true;
    }
    return false;
  }

  private peek(): string {
    return this.text.charAt(this.index);
  }

  private skipWhitespace(): void {
    for (;;) {
      const code = this.text.charCodeAt(this.index);
      if (code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d) {
        this.index += 1;
      } else {
        return;
      }
    }
  }
}
