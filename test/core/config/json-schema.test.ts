import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  buildMonitorConfigJsonSchema,
  FIELD_REFERENCE_BEGIN,
  FIELD_REFERENCE_END,
  type JsonSchemaNode,
  listFields,
  renderFieldReference,
  renderJsonSchema,
  replaceGeneratedSection,
} from '../../../functions/core/config/json-schema.js';
import { parseMonitorConfigText } from '../../../functions/core/config/parse.js';

const repoFile = (path: string) => new URL(`../../../${path}`, import.meta.url);
const read = (path: string) => readFileSync(repoFile(path), 'utf8');

/** Every property node of a JSON Schema with its path and whether its parent requires it. */
function properties(
  node: JsonSchemaNode,
  prefix = '',
): { path: string; node: JsonSchemaNode; required: boolean }[] {
  const required = new Set(node.required ?? []);
  return Object.entries(node.properties ?? {}).flatMap(([key, child]) => {
    const path = `${prefix}${key}`;
    const nested = [
      child,
      child.items,
      typeof child.additionalProperties === 'object' ? child.additionalProperties : undefined,
    ]
      .filter((candidate): candidate is JsonSchemaNode => candidate !== undefined)
      .flatMap((candidate) => properties(candidate, `${path}.`));
    return [{ path, node: child, required: required.has(key) }, ...nested];
  });
}

describe('buildMonitorConfigJsonSchema', () => {
  it('computes exactly the committed schema/driftwatch-config.schema.json (regenerate: npm run schema)', () => {
    // Given the committed schema file
    const committed = read('schema/driftwatch-config.schema.json');
    // When the schema is generated from the zod schema
    const fresh = renderJsonSchema(buildMonitorConfigJsonSchema());
    // Then they are identical, so the published schema cannot go stale
    expect(committed).toBe(fresh);
  });

  it('computes a description for every property and a stated default for every optional one', () => {
    // Given the generated schema
    const schema = buildMonitorConfigJsonSchema();
    // When every property is inspected
    const all = properties(schema);
    // Then each is described, and each optional one says what happens when it is left out
    expect(all.length).toBeGreaterThan(150);
    for (const { path, node, required } of all) {
      expect(node.description, path).toBeTruthy();
      if (!required) {
        expect(node.description, path).toContain(' Default: ');
      }
      if ('default' in node) {
        expect(node.description, path).toMatch(/ Default: (?!- )/);
      }
    }
  });

  it('computes a closed schema that rejects unknown keys at every object level', () => {
    // Given the generated schema
    const schema = buildMonitorConfigJsonSchema();
    // When every object node with fixed properties is inspected
    const objects = [{ path: '(root)', node: schema, required: true }, ...properties(schema)].flatMap(
      ({ path, node }) =>
        [node, node.items]
          .filter((candidate) => candidate?.properties !== undefined)
          .map((candidate) => ({ path, candidate })),
    );
    // Then each forbids additional properties (editors then flag misspelt keys too)
    expect(objects.length).toBeGreaterThan(30);
    for (const { path, candidate } of objects) {
      expect(candidate?.additionalProperties, path).toBe(false);
    }
  });
});

describe('renderFieldReference', () => {
  it('computes exactly the reference committed in docs/configuration.md (regenerate: npm run schema)', () => {
    // Given the committed documentation
    const docs = read('docs/configuration.md');
    // When the reference section is regenerated
    const fresh = replaceGeneratedSection(docs, renderFieldReference(buildMonitorConfigJsonSchema()));
    // Then nothing changes
    expect(docs).toBe(fresh);
  });

  it('computes rows with path, type, required flag, default and description', () => {
    // Given the generated schema
    const rows = listFields(buildMonitorConfigJsonSchema());
    // When particular fields are looked up
    const row = (path: string) => rows.find((candidate) => candidate.path === path);
    // Then their rows carry what the schema says
    expect(row('endpoints[].capture.s3Uri')).toMatchObject({ type: 'string', required: true, default: '' });
    expect(row('defaults.drift.minSamples')).toMatchObject({
      type: 'integer (>= 1)',
      required: false,
      default: '`30`',
    });
    expect(row('endpoints[].monitoringScheduleName')).toMatchObject({
      default: '"<endpoint name>-driftwatch"',
    });
    expect(row('endpoints[].modelQuality.thresholds.<name>.threshold')).toMatchObject({
      type: 'number',
      required: true,
    });
    expect(row('endpoints[].deployment.trafficRouting.type')?.type).toBe(
      '`"ALL_AT_ONCE"` \\| `"CANARY"` \\| `"LINEAR"`',
    );
    expect(row('endpoints[].retraining.training.hyperparameters')?.type).toBe(
      'map of string \\| number \\| boolean',
    );
  });
});

describe('replaceGeneratedSection', () => {
  it('computes the document with only the marked section replaced', () => {
    // Given a document with the markers around stale text
    const doc = `intro\n${FIELD_REFERENCE_BEGIN}\nstale\n${FIELD_REFERENCE_END}\noutro\n`;
    // When the section is replaced
    const out = replaceGeneratedSection(doc, 'fresh\n');
    // Then the text outside the markers is kept
    expect(out).toBe(`intro\n${FIELD_REFERENCE_BEGIN}\n\nfresh\n\n${FIELD_REFERENCE_END}\noutro\n`);
  });

  it('throws when the markers are missing', () => {
    // Given a document without markers
    // When the section is replaced
    // Then the error names the expected markers
    expect(() => replaceGeneratedSection('no markers', 'x')).toThrow(
      `expected the markers "${FIELD_REFERENCE_BEGIN}"`,
    );
    expect(() => replaceGeneratedSection(`${FIELD_REFERENCE_END}${FIELD_REFERENCE_BEGIN}`, 'x')).toThrow(
      'in that order',
    );
  });
});

describe('examples', () => {
  it.each(['driftwatch.config.json', 'minimal.config.json'])(
    'computes a valid configuration from examples/%s, whose $schema points at the committed schema',
    (name) => {
      // Given an example file
      const text = read(`examples/${name}`);
      // When it is parsed and its $schema reference resolved
      const config = parseMonitorConfigText(text, name);
      // Then it is valid and the reference leads to the schema file
      expect(config.$schema).toBe('../schema/driftwatch-config.schema.json');
      expect(existsSync(new URL(config.$schema ?? '', repoFile(`examples/${name}`)))).toBe(true);
    },
  );
});
