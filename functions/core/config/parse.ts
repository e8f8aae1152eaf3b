import { z } from 'zod';
import { formatConfigPath, type PathSegment } from './config-path.js';
import { parseJsonText, type TextPosition } from './json-text.js';
import { type MonitorConfig, MonitorConfigSchema } from './schema.js';

export { resolveFeatureDrift } from './resolve.js';

/** One problem found in a configuration document. */
export interface ConfigIssue {
  /** Where, e.g. `endpoints[0].features[2].drift.threshold`; `''` for a JSON syntax error (see line/column). */
  path: string;
  /** What was expected, e.g. `expected a number between 0 and 1`. */
  message: string;
  /** The offending value as found in the document; absent when the field is missing. */
  received?: unknown;
  /** 1-based position in the file, when parsed from text. */
  line?: number;
  column?: number;
}

const MAX_LISTED_ISSUES = 50;

/**
 * Thrown when a configuration document cannot be used. The message lists every issue, one per line, as
 * `<source>: <path>: <expectation>, received <value>` (plus `(line L, column C)` when parsed from text).
 */
export class ConfigValidationError extends Error {
  override readonly name = 'ConfigValidationError';
  /** Every issue found, in document order of discovery. */
  readonly issues: readonly ConfigIssue[];
  /** The file name (or other label) the issues refer to. */
  readonly source: string;

  constructor(source: string, issues: readonly ConfigIssue[], options?: ErrorOptions) {
    const lines = issues.slice(0, MAX_LISTED_ISSUES).map((issue) => formatIssue(source, issue));
    if (issues.length > MAX_LISTED_ISSUES) {
      lines.push(`${source}: ... and ${issues.length - MAX_LISTED_ISSUES} more problems`);
    }
    super(lines.join('\n'), options);
    this.source = source;
    this.issues = issues;
  }
}

/** Formats one issue the way ConfigValidationError lists it. */
export function formatIssue(source: string, issue: ConfigIssue): string {
  const located = issue.line !== undefined && issue.column !== undefined;
  const where =
    issue.path !== '' ? issue.path : located ? `line ${issue.line}, column ${issue.column}` : '(root)';
  const received = 'received' in issue ? `, received ${formatValue(issue.received)}` : ', but it is missing';
  const syntax = issue.path === '' && located;
  const position = located && !syntax ? ` (line ${issue.line}, column ${issue.column})` : '';
  return `${source}: ${where}: ${issue.message}${syntax ? '' : received}${position}`;
}

/** A compact rendering of a received value: JSON, cut to 80 characters. */
export function formatValue(value: unknown): string {
  const json = JSON.stringify(value) ?? String(value);
  return json.length > 80 ? `${json.slice(0, 77)}...` : json;
}

/**
 * Validates an already-parsed configuration document and applies every default.
 * @param source names the document in messages (a file name); default `config`.
 * @throws ConfigValidationError listing every problem found.
 */
export function parseMonitorConfig(input: unknown, source = 'config'): MonitorConfig {
  return validate(input, source, undefined);
}

/**
 * Parses configuration JSON text, validates it and applies every default. Syntax errors and duplicate keys are
 * reported with line and column; validation issues carry the line and column of the offending value.
 * @throws ConfigValidationError listing every problem found.
 */
export function parseMonitorConfigText(text: string, source: string): MonitorConfig {
  const parsed = parseJsonText(text);
  if (!parsed.ok) {
    const { problem } = parsed;
    throw new ConfigValidationError(source, [
      {
        path: '',
        message: `invalid JSON: ${problem.message}, received ${problem.received}`,
        line: problem.line,
        column: problem.column,
      },
    ]);
  }
  return validate(parsed.value, source, parsed.positions);
}

function validate(input: unknown, source: string, positions: ReadonlyMap<string, TextPosition> | undefined) {
  const result = MonitorConfigSchema.safeParse(input, { error: expectationFor, reportInput: true });
  if (result.success) {
    return result.data;
  }
  throw new ConfigValidationError(source, toConfigIssues(result.error.issues, positions));
}

interface LocatedIssue {
  segments: PathSegment[];
  message: string;
  received?: unknown;
}

function toConfigIssues(
  issues: readonly z.core.$ZodIssue[],
  positions: ReadonlyMap<string, TextPosition> | undefined,
): ConfigIssue[] {
  const located: LocatedIssue[] = issues.flatMap((issue) => expand(issue));
  const seen = new Set<string>();
  const out: ConfigIssue[] = [];
  for (const issue of located) {
    const path = formatConfigPath(issue.segments);
    const key = `${path}\u0000${issue.message}`;
    if (seen.has(key)) {
      continue;
    }
    seen.add(key);
    const position = positions === undefined ? undefined : nearestPosition(issue.segments, positions);
    out.push({
      path,
      message: issue.message,
      ...('received' in issue ? { received: issue.received } : {}),
      ...(position === undefined ? {} : { line: position.line, column: position.column }),
    });
  }
  return out;
}

function expand(issue: z.core.$ZodIssue): LocatedIssue[] {
  const segments = issue.path.filter((segment): segment is PathSegment => typeof segment !== 'symbol');
  const input = (issue as { input?: unknown }).input;
  if (issue.code === 'unrecognized_keys') {
    const known = issue.message.replace(/^expected one of: /, '').split(', ');
    return issue.keys.map((key) => {
      const value = isRecord(input) ? input[key] : undefined;
      const suggestion = closest(key, known);
      return {
        segments: [...segments, key],
        message: `unknown field${suggestion === undefined ? '' : ` (did you mean "${suggestion}"?)`}; ${issue.message}`,
        ...(value === undefined ? {} : { received: value }),
      };
    });
  }
  const missing = issue.code === 'custom' && issue.params?.missing === true;
  return [
    { segments, message: issue.message, ...(input === undefined || missing ? {} : { received: input }) },
  ];
}

function nearestPosition(
  segments: readonly PathSegment[],
  positions: ReadonlyMap<string, TextPosition>,
): TextPosition | undefined {
  for (let length = segments.length; length >= 0; length -= 1) {
    const position = positions.get(formatConfigPath(segments.slice(0, length)));
    if (position !== undefined) {
      return position;
    }
  }
  return undefined;
}

const TYPE_NAMES: Readonly<Record<string, string>> = {
  object: 'an object',
  array: 'an array',
  string: 'a string',
  number: 'a number',
  int: 'an integer',
  boolean: 'true or false',
  literal: 'a specific value',
};

// Fallback messages, phrased as expectations; fields built in fields.ts carry their own.
const expectationFor: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case 'invalid_type':
      return `expected ${TYPE_NAMES[issue.expected] ?? issue.expected}`;
    case 'unrecognized_keys':
      return `expected one of: ${issue.inst instanceof z.ZodObject ? Object.keys(issue.inst.shape).join(', ') : ''}`;
    case 'invalid_value':
      return `expected one of ${issue.values.map((value) => JSON.stringify(value)).join(', ')}`;
    case 'too_small':
      return `expected ${sizeBound(issue.origin, issue.inclusive === false ? '>' : '>=', issue.minimum)}`;
    case 'too_big':
      return `expected ${sizeBound(issue.origin, issue.inclusive === false ? '<' : '<=', issue.maximum)}`;
    case 'invalid_format':
      return `expected a valid ${issue.format}`;
    case 'invalid_union':
      return 'expected one of the allowed forms';
    case 'invalid_key':
      return 'expected a valid key';
    case 'invalid_element':
      return 'expected a valid element';
    case 'not_multiple_of':
      return `expected a multiple of ${issue.divisor}`;
    default:
      return undefined;
  }
};

function sizeBound(origin: string, operator: string, bound: number | bigint): string {
  if (origin === 'array' || origin === 'set') {
    return operator.startsWith('>') ? `at least ${bound} items` : `at most ${bound} items`;
  }
  if (origin === 'string') {
    return operator.startsWith('>') ? `at least ${bound} characters` : `at most ${bound} characters`;
  }
  return `a number ${operator} ${bound}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The known name nearest to `name` by edit distance, if it is close enough to be a likely typo. */
function closest(name: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of known) {
    const distance = editDistance(name.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return bestDistance <= Math.max(2, Math.floor(name.length / 3)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
