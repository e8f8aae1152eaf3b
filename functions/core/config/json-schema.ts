import { z } from 'zod';
import { MonitorConfigSchema } from './schema.js';

// The published JSON Schema and the field reference in docs/configuration.md are both generated from the zod schema
// (scripts/generate-json-schema.ts writes them; a test fails when either is stale).

/** A JSON Schema node, as z.toJSONSchema emits it. */
export interface JsonSchemaNode {
  type?: string | string[];
  description?: string;
  default?: unknown;
  enum?: unknown[];
  const?: unknown;
  properties?: Record<string, JsonSchemaNode>;
  required?: string[];
  items?: JsonSchemaNode;
  additionalProperties?: boolean | JsonSchemaNode;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  [keyword: string]: unknown;
}

/** Marks the start of the generated field reference in docs/configuration.md. */
export const FIELD_REFERENCE_BEGIN =
  '<!-- BEGIN GENERATED FIELD REFERENCE: edit the zod schema and run npm run schema -->';
/** Marks the end of the generated field reference. */
export const FIELD_REFERENCE_END = '<!-- END GENERATED FIELD REFERENCE -->';

/** The JSON Schema of the configuration file as written (input side: defaults are optional). */
export function buildMonitorConfigJsonSchema(): JsonSchemaNode {
  return z.toJSONSchema(MonitorConfigSchema, { io: 'input' }) as JsonSchemaNode;
}

/** The committed text of schema/driftwatch-config.schema.json. */
export function renderJsonSchema(schema: JsonSchemaNode): string {
  return `${JSON.stringify(schema, null, 2)}\n`;
}

/** One documented field. */
export interface FieldRow {
  path: string;
  type: string;
  required: boolean;
  default: string;
  description: string;
}

/**
 * Every field of the schema, depth first, with its path as users write it: `endpoints[].capture.s3Uri`;
 * map values appear as `<name>` (e.g. `modelQuality.thresholds.<name>.threshold`).
 */
export function listFields(schema: JsonSchemaNode): FieldRow[] {
  const rows: FieldRow[] = [];
  const visit = (node: JsonSchemaNode, prefix: string) => {
    const required = new Set(node.required ?? []);
    for (const [key, child] of Object.entries(node.properties ?? {})) {
      const path = prefix === '' ? key : `${prefix}.${key}`;
      const { description, defaultText } = splitDescription(child);
      rows.push({
        path,
        type: typeOf(child),
        required: required.has(key),
        default: defaultText,
        description,
      });
      visitChildren(child, path);
    }
  };
  const visitChildren = (node: JsonSchemaNode, path: string) => {
    if (node.properties !== undefined) {
      visit(node, path);
    } else if (node.items?.properties !== undefined) {
      visit(node.items, `${path}[]`);
    } else if (
      typeof node.additionalProperties === 'object' &&
      node.additionalProperties.properties !== undefined
    ) {
      visit(node.additionalProperties, `${path}.<name>`);
    }
  };
  visit(schema, '');
  return rows;
}

function splitDescription(node: JsonSchemaNode): { description: string; defaultText: string } {
  const text = node.description ?? '';
  const at = text.lastIndexOf(' Default: ');
  const description = at === -1 ? text : text.slice(0, at);
  const spoken =
    at === -1
      ? ''
      : text
          .slice(at + ' Default: '.length)
          .replace(/\.$/, '')
          .replace(/^- /, '');
  if ('default' in node) {
    return { description, defaultText: `\`${JSON.stringify(node.default)}\`` };
  }
  return { description, defaultText: spoken };
}

function typeOf(node: JsonSchemaNode): string {
  if (node.enum !== undefined) {
    return node.enum.map((value) => `\`${JSON.stringify(value)}\``).join(' \\| ');
  }
  if (node.const !== undefined) {
    return `\`${JSON.stringify(node.const)}\``;
  }
  const type = Array.isArray(node.type) ? node.type.join(' \\| ') : (node.type ?? 'any');
  if (type === 'array' && node.items !== undefined) {
    return `array of ${typeOf(node.items)}`;
  }
  if (type === 'object' && typeof node.additionalProperties === 'object') {
    return `map of ${typeOf(node.additionalProperties)}`;
  }
  // zod states the safe-integer limits of every integer; they say nothing to a reader.
  const range = [
    node.minimum === undefined || node.minimum === Number.MIN_SAFE_INTEGER ? undefined : `>= ${node.minimum}`,
    node.exclusiveMinimum === undefined ? undefined : `> ${node.exclusiveMinimum}`,
    node.maximum === undefined || node.maximum === Number.MAX_SAFE_INTEGER ? undefined : `<= ${node.maximum}`,
    node.exclusiveMaximum === undefined ? undefined : `< ${node.exclusiveMaximum}`,
  ].filter((part) => part !== undefined);
  return range.length === 0 ? type : `${type} (${range.join(', ')})`;
}

/** The field reference: one table for the top level, then one per section (and per endpoint sub-section). */
export function renderFieldReference(schema: JsonSchemaNode): string {
  const groups = new Map<string, FieldRow[]>();
  for (const row of listFields(schema)) {
    const parts = row.path.split('.');
    const group =
      parts.length === 1
        ? 'Top level'
        : parts[0] === 'endpoints[]' && parts.length > 2
          ? `\`endpoints[].${parts[1]}\``
          : `\`${parts[0]}\``;
    groups.set(group, [...(groups.get(group) ?? []), row]);
  }
  return [...groups].map(([group, rows]) => renderTable(group, rows)).join('\n');
}

function renderTable(title: string, rows: readonly FieldRow[]): string {
  const cell = (value: string) =>
    value.replaceAll('|', '\\|').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('\n', ' ');
  const table = [
    ['Field', 'Type', 'Required', 'Default', 'Description'],
    ...rows.map((row) => [
      `\`${row.path}\``,
      row.type,
      row.required ? 'yes' : 'no',
      cell(row.default),
      cell(row.description),
    ]),
  ];
  // Columns padded to equal width, as the repository's Markdown formatter (Biome) lays tables out.
  const widths =
    table[0]?.map((_, column) => Math.max(3, ...table.map((line) => (line[column] ?? '').length))) ?? [];
  const line = (cells: readonly string[]) =>
    `| ${cells.map((value, column) => value.padEnd(widths[column] ?? 0)).join(' | ')} |`;
  const [header = [], ...body] = table;
  return [
    `### ${title}`,
    '',
    line(header),
    line(widths.map((width) => '-'.repeat(width))),
    ...body.map(line),
    '',
  ].join('\n');
}

/**
 * Replaces the text between FIELD_REFERENCE_BEGIN and FIELD_REFERENCE_END in `markdown` with `generated`.
 * @throws Error when the markers are missing or out of order.
 */
export function replaceGeneratedSection(markdown: string, generated: string): string {
  const begin = markdown.indexOf(FIELD_REFERENCE_BEGIN);
  const end = markdown.indexOf(FIELD_REFERENCE_END);
  if (begin === -1 || end === -1 || end < begin) {
    throw new Error(
      `expected the markers "${FIELD_REFERENCE_BEGIN}" and "${FIELD_REFERENCE_END}" in that order`,
    );
  }
  return `${markdown.slice(0, begin + FIELD_REFERENCE_BEGIN.length)}\n\n${generated}\n${markdown.slice(end)}`;
}
