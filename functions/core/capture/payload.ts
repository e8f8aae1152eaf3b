import { type CsvRow, parseCsvRows } from './csv.js';
import type { RawValue } from './types.js';

/** Features of one input row, by name. */
export type Features = Record<string, RawValue>;

/** A problem with one side of a record: the offending field (relative to the side) and why. */
export class PayloadProblem {
  constructor(
    /** Field below the side, e.g. 'data' or 'encoding'; '' for the side object itself. */
    readonly field: string,
    readonly reason: string,
  ) {}
}

/** Where feature names come from, collected per line so that only accepted lines add names to a summary. */
export type NameSources = (readonly string[] | Features)[];

/** Compiled input mapping. */
export interface InputPlan {
  readonly format: 'auto' | 'csv' | 'json';
  readonly columns: readonly string[] | undefined;
  readonly pathNames: readonly string[] | undefined;
  readonly pathEvaluators: readonly ((doc: unknown) => unknown[])[] | undefined;
}

/** Compiled output mapping. */
export interface OutputPlan {
  readonly format: 'auto' | 'csv' | 'json';
  readonly path: string | undefined;
  readonly pathEvaluator: ((doc: unknown) => unknown[]) | undefined;
  readonly names: readonly string[] | undefined;
}

/** Keys looked up, in this order, when an output object is read without a configured path. */
export const OUTPUT_KEYS = [
  'predictions',
  'score',
  'probability',
  'probabilities',
  'predicted_label',
] as const;

const POSITIONAL_CACHE: string[][] = [];
const OUTPUT_NAME_CACHE: string[][] = [];
const MAX_CACHED_WIDTH = 4096;
const UTF8_FATAL = new TextDecoder('utf-8', { fatal: true });

/** Names of `width` positional values without configured columns: `_c0`, `_c1`, ... (cached arrays). */
export function positionalNames(width: number): readonly string[] {
  const cached = POSITIONAL_CACHE[width];
  if (cached !== undefined) return cached;
  const names = Array.from({ length: width }, (_, i) => `_c${i}`);
  if (width <= MAX_CACHED_WIDTH) POSITIONAL_CACHE[width] = names;
  return names;
}

/** Default output names: `['prediction']` for one value, `prediction_0..prediction_{k-1}` for k values (cached). */
export function defaultOutputNames(width: number): readonly string[] {
  const cached = OUTPUT_NAME_CACHE[width];
  if (cached !== undefined) return cached;
  const names = width === 1 ? ['prediction'] : Array.from({ length: width }, (_, i) => `prediction_${i}`);
  if (width <= MAX_CACHED_WIDTH) OUTPUT_NAME_CACHE[width] = names;
  return names;
}

/** The JSON type name used in rejection reasons. */
export function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/** Quotes a value for a rejection reason, cut to a readable length. */
export function quote(value: string): string {
  return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}...` : value);
}

/** Whether a JSON value is an object (not null, not an array). */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Whether a JSON value is a scalar: a string, number, boolean or null. */
export function isScalar(value: unknown): value is RawValue {
  return (
    value === null || typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean'
  );
}

/**
 * The decoded text of one side's `data`: CSV/JSON as is, BASE64 validated strictly (standard alphabet, `=`
 * padding, length a multiple of 4) and decoded as UTF-8 (binary payloads are rejected).
 */
export function sideText(side: Record<string, unknown>): string | PayloadProblem {
  const data = side.data;
  if (typeof data !== 'string') {
    return new PayloadProblem(
      'data',
      data === undefined ? 'missing; expected a string' : `expected a string, found ${typeName(data)}`,
    );
  }
  const encoding = side.encoding;
  if (encoding === 'CSV' || encoding === 'JSON') return data;
  if (encoding === 'BASE64') {
    const invalid = base64Problem(data);
    if (invalid !== undefined) return new PayloadProblem('data', `invalid BASE64: ${invalid}`);
    try {
      return UTF8_FATAL.decode(Buffer.from(data, 'base64'));
    } catch {
      return new PayloadProblem(
        'data',
        'BASE64 payload is not UTF-8 text (binary payloads are not supported)',
      );
    }
  }
  if (typeof encoding !== 'string') {
    return new PayloadProblem(
      'encoding',
      encoding === undefined
        ? 'missing; expected CSV, JSON or BASE64'
        : `expected CSV, JSON or BASE64, found ${typeName(encoding)}`,
    );
  }
  return new PayloadProblem('encoding', `unknown encoding ${quote(encoding)}; expected CSV, JSON or BASE64`);
}

/** Why `data` is not strict standard BASE64, or undefined when it is. */
function base64Problem(data: string): string | undefined {
  const n = data.length;
  if (n % 4 !== 0) return `length ${n} is not a multiple of 4`;
  let end = n;
  if (data.charCodeAt(end - 1) === 0x3d) end--;
  if (data.charCodeAt(end - 1) === 0x3d) end--;
  for (let i = 0; i < end; i++) {
    const c = data.charCodeAt(i);
    const ok =
      (c >= 0x41 && c <= 0x5a) ||
      (c >= 0x61 && c <= 0x7a) ||
      (c >= 0x30 && c <= 0x39) ||
      c === 0x2b ||
      c === 0x2f;
    if (!ok) return `unexpected character ${quote(data.charAt(i))} at offset ${i}`;
  }
  return undefined;
}

/**
 * The payload format of one side: the configured one, else CSV/JSON by `encoding`, else (BASE64) by
 * `observedContentType` containing "csv" or "json", else JSON when the first non-whitespace character is `{` or
 * `[`, else CSV.
 */
export function sideFormat(
  side: Record<string, unknown>,
  text: string,
  configured: 'auto' | 'csv' | 'json',
): 'csv' | 'json' {
  if (configured !== 'auto') return configured;
  if (side.encoding === 'CSV') return 'csv';
  if (side.encoding === 'JSON') return 'json';
  const contentType = side.observedContentType;
  if (typeof contentType === 'string') {
    const lower = contentType.toLowerCase();
    if (lower.includes('csv')) return 'csv';
    if (lower.includes('json')) return 'json';
  }
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) continue;
    return c === 0x7b || c === 0x5b ? 'json' : 'csv';
  }
  return 'csv';
}

/**
 * JSON documents of a payload: the whole text as one document, else (when that fails and the text has
 * several lines) each non-blank line as one document (JSON Lines).
 */
function parseJsonDocs(text: string): unknown[] | PayloadProblem {
  try {
    return [JSON.parse(text)];
  } catch (error) {
    const message = errorMessage(error);
    if (!text.includes('\n')) return new PayloadProblem('data', `malformed JSON: ${message}`);
    const docs: unknown[] = [];
    const lines = text.split('\n');
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i] ?? '';
      if (line.trim() === '') continue;
      try {
        docs.push(JSON.parse(line));
      } catch (lineError) {
        return new PayloadProblem(
          'data',
          `malformed JSON: ${message} (nor JSON Lines: line ${i + 1}: ${errorMessage(lineError)})`,
        );
      }
    }
    return docs;
  }
}

/** The message of a caught error. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Reads the input rows of one side's text; `sources` (optional) collects where feature names came from. */
export function readInputRows(
  text: string,
  format: 'csv' | 'json',
  plan: InputPlan,
  sources: NameSources | undefined,
): Features[] | PayloadProblem {
  const rows: Features[] = [];
  if (format === 'csv') {
    const csv = parseCsvRows(text);
    if (!Array.isArray(csv)) return new PayloadProblem('data', `malformed CSV: ${csv.error}`);
    for (const cells of csv) {
      const problem = addPositionalRow(cells, plan.columns, rows, sources, 'fields');
      if (problem !== undefined) return problem;
    }
  } else {
    const docs = parseJsonDocs(text);
    if (docs instanceof PayloadProblem) return docs;
    for (const doc of docs) {
      const problem =
        plan.pathEvaluators !== undefined && plan.pathNames !== undefined
          ? addPathRows(doc, plan.pathNames, plan.pathEvaluators, rows, sources)
          : addShapeRows(doc, plan.columns, rows, sources);
      if (problem !== undefined) return problem;
    }
  }
  if (rows.length === 0) return new PayloadProblem('data', 'no rows');
  return rows;
}

/** Input shapes without paths: instances, features, a keyed object, a list, or one scalar. */
function addShapeRows(
  doc: unknown,
  columns: readonly string[] | undefined,
  rows: Features[],
  sources: NameSources | undefined,
): PayloadProblem | undefined {
  if (Array.isArray(doc)) return addListRows(doc, columns, rows, sources);
  if (isObject(doc)) {
    if (Object.hasOwn(doc, 'instances')) {
      const instances = doc.instances;
      if (!Array.isArray(instances)) {
        return new PayloadProblem('data', `"instances" must be a list, found ${typeName(instances)}`);
      }
      // TF-Serving row format: every element is one instance, a scalar included.
      for (const instance of instances) {
        const problem = isObject(instance)
          ? addKeyedRow(instance, rows, sources)
          : addPositionalRow(
              Array.isArray(instance) ? instance : [instance],
              columns,
              rows,
              sources,
              'values',
            );
        if (problem !== undefined) return problem;
      }
      return undefined;
    }
    if (Object.hasOwn(doc, 'features')) {
      const features = doc.features;
      if (!Array.isArray(features)) {
        return new PayloadProblem('data', `"features" must be a list, found ${typeName(features)}`);
      }
      return addListRows(features, columns, rows, sources);
    }
    return addKeyedRow(doc, rows, sources);
  }
  return addPositionalRow([doc], columns, rows, sources, 'values');
}

/** A list of objects (keyed rows), of lists (positional rows), or of scalars (one positional row). */
function addListRows(
  list: unknown[],
  columns: readonly string[] | undefined,
  rows: Features[],
  sources: NameSources | undefined,
): PayloadProblem | undefined {
  if (list.length === 0) return undefined;
  const kind = listKind(list);
  if (kind instanceof PayloadProblem) return kind;
  if (kind === 'scalar') return addPositionalRow(list, columns, rows, sources, 'values');
  for (const element of list) {
    const problem =
      kind === 'object'
        ? addKeyedRow(element as Record<string, unknown>, rows, sources)
        : addPositionalRow(element as unknown[], columns, rows, sources, 'values');
    if (problem !== undefined) return problem;
  }
  return undefined;
}

/** Whether a non-empty list holds only objects, only lists or only scalars. */
function listKind(list: unknown[]): 'object' | 'array' | 'scalar' | PayloadProblem {
  const first = list[0];
  const kind = isObject(first) ? 'object' : Array.isArray(first) ? 'array' : 'scalar';
  for (let i = 1; i < list.length; i++) {
    const element = list[i];
    const elementKind = isObject(element) ? 'object' : Array.isArray(element) ? 'array' : 'scalar';
    if (elementKind !== kind) {
      return new PayloadProblem(
        'data',
        `mixed list: element ${i} is ${typeName(element)}, element 0 is ${typeName(first)}`,
      );
    }
  }
  return kind;
}

function addKeyedRow(
  object: Record<string, unknown>,
  rows: Features[],
  sources: NameSources | undefined,
): PayloadProblem | undefined {
  for (const key in object) {
    const value = object[key];
    if (!isScalar(value)) {
      return new PayloadProblem(
        'data',
        `row ${rows.length + 1}: feature ${quote(key)} is a nested ${typeName(value)}; map it with input.paths`,
      );
    }
  }
  // Every member is a scalar: the parsed object already is the row, no copy needed.
  const row = object as Features;
  rows.push(row);
  sources?.push(row);
  return undefined;
}

function addPositionalRow(
  values: CsvRow | unknown[],
  columns: readonly string[] | undefined,
  rows: Features[],
  sources: NameSources | undefined,
  unit: 'fields' | 'values',
): PayloadProblem | undefined {
  const rowNumber = rows.length + 1;
  if (columns !== undefined && values.length !== columns.length) {
    return new PayloadProblem(
      'data',
      `row ${rowNumber}: expected ${columns.length} ${unit} (input.columns), found ${values.length}`,
    );
  }
  const names = columns ?? positionalNames(values.length);
  const row: Features = {};
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (!isScalar(value)) {
      return new PayloadProblem('data', `row ${rowNumber}: value ${i + 1} is a nested ${typeName(value)}`);
    }
    row[names[i] ?? ''] = value;
  }
  rows.push(row);
  if (sources !== undefined && sources[sources.length - 1] !== names) sources.push(names);
  return undefined;
}

/** One row per match; every path must match the same number of values. */
function addPathRows(
  doc: unknown,
  names: readonly string[],
  evaluators: readonly ((doc: unknown) => unknown[])[],
  rows: Features[],
  sources: NameSources | undefined,
): PayloadProblem | undefined {
  const results = evaluators.map((evaluate) => evaluate(doc));
  const count = results[0]?.length ?? 0;
  if (results.some((values) => values.length !== count)) {
    const counts = names.map((name, i) => `${name} ${results[i]?.length ?? 0}`).join(', ');
    return new PayloadProblem('data', `input.paths match different numbers of values: ${counts}`);
  }
  for (let r = 0; r < count; r++) {
    const row: Features = {};
    for (let p = 0; p < names.length; p++) {
      const name = names[p] ?? '';
      const value = results[p]?.[r];
      if (!isScalar(value)) {
        return new PayloadProblem(
          'data',
          `row ${rows.length + 1}: input.paths.${name} matches a ${typeName(value)}, expected a scalar`,
        );
      }
      row[name] = value;
    }
    rows.push(row);
  }
  if (count > 0 && sources !== undefined && sources[sources.length - 1] !== names) sources.push(names);
  return undefined;
}

/**
 * Reads the output rows of one side's text. `inputRows` is the input's row count (undefined without input):
 * a flat list of n values is n one-value rows when the input has exactly n rows, else one row of n values.
 */
export function readOutputRows(
  text: string,
  format: 'csv' | 'json',
  plan: OutputPlan,
  inputRows: number | undefined,
): RawValue[][] | PayloadProblem {
  let rows: RawValue[][];
  if (format === 'csv') {
    const csv = parseCsvRows(text);
    if (!Array.isArray(csv)) return new PayloadProblem('data', `malformed CSV: ${csv.error}`);
    // One value per line is a flat list, read like a JSON list of numbers.
    rows = csv.every((cells) => cells.length === 1) ? flatRows(csv.map(firstCell), inputRows) : csv;
  } else {
    const docs = parseJsonDocs(text);
    if (docs instanceof PayloadProblem) return docs;
    // In JSON Lines each document answers one request row.
    const expected = docs.length === 1 ? inputRows : 1;
    rows = [];
    for (const doc of docs) {
      const problem = addOutputDocRows(doc, plan, expected, rows);
      if (problem !== undefined) return problem;
    }
  }
  if (rows.length === 0) return new PayloadProblem('data', 'no rows');
  const names = plan.names;
  if (names !== undefined) {
    for (let r = 0; r < rows.length; r++) {
      const width = rows[r]?.length ?? 0;
      if (width !== names.length) {
        return new PayloadProblem(
          'data',
          `row ${r + 1}: expected ${names.length} output values (output.names), found ${width}`,
        );
      }
    }
  }
  return rows;
}

function firstCell(cells: CsvRow): RawValue {
  return cells[0] ?? null;
}

function flatRows(values: RawValue[], expected: number | undefined): RawValue[][] {
  if (expected !== values.length) return [values];
  const rows: RawValue[][] = [];
  for (const value of values) rows.push([value]);
  return rows;
}

function addOutputDocRows(
  doc: unknown,
  plan: OutputPlan,
  expected: number | undefined,
  rows: RawValue[][],
): PayloadProblem | undefined {
  if (plan.pathEvaluator === undefined) return addOutputValueRows(doc, expected, true, rows);
  const matches = plan.pathEvaluator(doc);
  if (matches.length === 0)
    return new PayloadProblem('data', `output.path ${quote(plan.path ?? '')} matches nothing`);
  // A single match is the located value itself (e.g. '$.predictions' -> the list).
  if (matches.length === 1) return addOutputValueRows(matches[0], expected, false, rows);
  return addOutputListRows(matches, expected, false, rows);
}

/** A scalar, a list, or (when `byKey`) an object holding one of OUTPUT_KEYS. */
function addOutputValueRows(
  value: unknown,
  expected: number | undefined,
  byKey: boolean,
  rows: RawValue[][],
): PayloadProblem | undefined {
  if (isScalar(value)) {
    rows.push([value]);
    return undefined;
  }
  if (Array.isArray(value)) return addOutputListRows(value, expected, byKey, rows);
  if (!byKey) return new PayloadProblem('data', 'output.path matches an object; expected a scalar or a list');
  const located = locateOutput(value as Record<string, unknown>);
  if (located instanceof PayloadProblem) return located;
  if (isScalar(located)) {
    rows.push([located]);
    return undefined;
  }
  if (Array.isArray(located)) return addOutputListRows(located, expected, true, rows);
  return new PayloadProblem('data', `output value is a nested ${typeName(located)}; set output.path`);
}

function locateOutput(object: Record<string, unknown>): unknown {
  for (const key of OUTPUT_KEYS) if (Object.hasOwn(object, key)) return object[key];
  return new PayloadProblem('data', `output object has none of ${OUTPUT_KEYS.join(', ')}; set output.path`);
}

/** A flat list (see `flatRows`), a list of lists (one row each) or, when `byKey`, a list of objects (one row each). */
function addOutputListRows(
  list: unknown[],
  expected: number | undefined,
  byKey: boolean,
  rows: RawValue[][],
): PayloadProblem | undefined {
  if (list.length === 0) return undefined;
  const kind = listKind(list);
  if (kind instanceof PayloadProblem) return kind;
  if (kind === 'scalar') {
    for (const row of flatRows(list as RawValue[], expected)) rows.push(row);
    return undefined;
  }
  for (const element of list) {
    let row: unknown = element;
    if (kind === 'object') {
      if (!byKey) return new PayloadProblem('data', 'output.path matches objects; expected scalars or lists');
      row = locateOutput(element as Record<string, unknown>);
      if (row instanceof PayloadProblem) return row;
      if (isScalar(row)) {
        rows.push([row]);
        continue;
      }
    }
    if (!Array.isArray(row) || !row.every(isScalar)) {
      return new PayloadProblem(
        'data',
        `output row ${rows.length + 1} is not a scalar or a list of scalars; set output.path`,
      );
    }
    rows.push(row);
  }
  return undefined;
}
