import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CaptureOptionsError } from '../../../functions/core/capture/errors.js';
import { parseCaptureStream } from '../../../functions/core/capture/parse-capture.js';
import type { CaptureParseOptions, CaptureParseSummary } from '../../../functions/core/capture/types.js';
import {
  type DatasetProfileState,
  ProfileBuilder,
  type ProfileSchema,
} from '../../../functions/core/profile/dataset-profile.js';
import { chunked, JSON_BREAKERS, type SeenRow } from './support.js';

// The fast parser must give exactly what the reference parser (JSON.parse of every line) gives: the same rows
// with the same metadata, the same rejections and summary, and a ProfileBuilder fed by either (the fast parser
// hands it byte ranges instead of rows) must end in a deep-equal profile, -0 and key order included. The
// reference parser is the oracle here; its own correctness is tested against independent readers elsewhere
// (parse-capture.fixtures.test.ts).

const FIXTURES = fileURLToPath(new URL('../../fixtures/', import.meta.url));

/** What one parse saw: rows with metadata, the summary, or the error thrown. */
interface Outcome {
  rows: SeenRow[];
  /** Feature names of each row, in Object.keys order (toStrictEqual ignores key order). */
  keyOrder: string[][];
  summary?: CaptureParseSummary;
  error?: string;
}

/** What a ProfileBuilder fed by one parse ended with. */
interface ProfileOutcome {
  profile?: DatasetProfileState;
  summary?: CaptureParseSummary;
  error?: string;
}

async function parseRows(
  bytes: Uint8Array,
  options: CaptureParseOptions,
  chunkSize: number,
): Promise<Outcome> {
  const rows: SeenRow[] = [];
  try {
    const summary = await parseCaptureStream(
      chunked(bytes, chunkSize),
      { row: (row, meta) => rows.push({ row, meta }) },
      options,
    );
    return { rows, keyOrder: rows.map(({ row }) => Object.keys(row.features)), summary };
  } catch (error) {
    return { rows, keyOrder: [], error: String(error) };
  }
}

async function parseProfile(
  bytes: Uint8Array,
  options: CaptureParseOptions,
  chunkSize: number,
  schema: ProfileSchema,
): Promise<ProfileOutcome> {
  try {
    const builder = new ProfileBuilder(schema);
    const summary = await parseCaptureStream(chunked(bytes, chunkSize), builder, options);
    return {
      summary,
      profile: builder.toState({
        lines: summary.lines,
        accepted: summary.accepted,
        rejected: summary.rejected,
      }),
    };
  } catch (error) {
    return { error: String(error) };
  }
}

/** Parses `bytes` with both parsers, into a recording sink and into ProfileBuilders, and checks they agree. */
async function expectSameResults(
  bytes: Uint8Array,
  options: CaptureParseOptions = {},
  chunkSize = 65_536,
  schemas: readonly ProfileSchema[] = [{ features: [], dynamic: true }],
): Promise<void> {
  const reference = await parseRows(bytes, { ...options, parser: 'reference' }, 4096);
  const fast = await parseRows(bytes, { ...options, parser: 'fast' }, chunkSize);
  expect(fast).toStrictEqual(reference);
  for (const schema of schemas) {
    const referenceProfile = await parseProfile(bytes, { ...options, parser: 'reference' }, 4096, schema);
    const fastProfile = await parseProfile(bytes, { ...options, parser: 'fast' }, chunkSize, schema);
    expect(fastProfile).toStrictEqual(referenceProfile);
  }
}

/** Every .jsonl file under test/fixtures. */
function fixtureFiles(dir = FIXTURES): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return fixtureFiles(path);
    return name.endsWith('.jsonl') ? [path] : [];
  });
}

const encoder = new TextEncoder();

describe('parseCaptureStream fast parser on the fixtures', () => {
  const files = fixtureFiles();

  it('computes at least the capture fixtures this test was written with', () => {
    // Given the fixture tree
    // When its JSONL files are listed
    const names = files.map((f) => f.slice(FIXTURES.length));

    // Then the known capture files are among them
    expect(names).toEqual(
      expect.arrayContaining([
        'sagemaker-data-capture/sdk-tests/capture.jsonl',
        'sagemaker-data-capture/sdk-tests/captured-data.jsonl',
        'model-monitor-outputs/churn-model-quality/captured-records-with-inferenceId.jsonl',
        'model-monitor-outputs/clarify-bias-endpoint-jsonlines/captured-data.jsonl',
      ]),
    );
  });

  it.each(files.map((f) => [f.slice(FIXTURES.length), f]))(
    'computes the same rows, summary and profile as the reference parser for %s',
    async (_name, path) => {
      // Given a fixture file, read in small chunks too
      const bytes = readFileSync(path);

      // When both parsers read it, Then everything agrees
      await expectSameResults(bytes);
      await expectSameResults(bytes, {}, 7);
    },
  );

  it('computes the same results for the SDK capture template with real timestamps, as CSV rows to a schema', async () => {
    // Given capture.jsonl with its "{%s}" placeholders replaced by timestamps, so that every line is accepted
    const text = readFileSync(join(FIXTURES, 'sagemaker-data-capture/sdk-tests/capture.jsonl'), 'utf8')
      .split('\n')
      .map((line, i) => line.replace('{%s}', new Date(Date.UTC(2024, 4, 1, 10, 0, i)).toISOString()))
      .join('\n');
    const columns = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
    const schema: ProfileSchema = {
      features: columns.map((name, i) => ({ name, kind: i % 2 === 0 ? 'numeric' : undefined })),
      outputs: [{ name: 'prediction', kind: 'numeric', binEdges: [0.25, 0.5, 0.75] }],
    };

    // When both parsers read it with and without column names, Then everything agrees
    await expectSameResults(encoder.encode(text), {}, 65_536, [schema, { features: [], dynamic: true }]);
    await expectSameResults(encoder.encode(text), { input: { columns } }, 100, [schema]);
  });
});

describe('parseCaptureStream fast parser', () => {
  it('throws when the parser option is neither fast nor reference', async () => {
    // Given an unknown parser name
    const options = { parser: 'turbo' } as unknown as CaptureParseOptions;

    // When a stream is parsed with it, Then the option is named
    await expect(parseCaptureStream(chunked('', 1), { row: () => undefined }, options)).rejects.toThrow(
      CaptureOptionsError,
    );
    await expect(parseCaptureStream(chunked('', 1), { row: () => undefined }, options)).rejects.toThrow(
      "capture option parser: expected 'fast' or 'reference', got \"turbo\"",
    );
  });
});

/** A ProfileBuilder that counts how rows reach it, to show which path the fast parser took. */
class CountingBuilder extends ProfileBuilder {
  cellRowCalls = 0;
  rowCalls = 0;

  override cellRow(...args: Parameters<ProfileBuilder['cellRow']>): void {
    this.cellRowCalls++;
    super.cellRow(...args);
  }

  override row(...args: Parameters<ProfileBuilder['row']>): void {
    this.rowCalls++;
    super.row(...args);
  }
}

describe('parseCaptureStream fast parser paths', () => {
  const line = (input: string, output: string, encoding = 'CSV') =>
    JSON.stringify({
      captureData: {
        endpointInput: { observedContentType: 'text/csv', mode: 'INPUT', data: input, encoding },
        endpointOutput: { observedContentType: 'text/csv', mode: 'OUTPUT', data: output, encoding },
      },
      eventMetadata: { eventId: 'e', inferenceTime: '2024-05-01T10:00:00Z' },
      eventVersion: '0',
    });

  const schema = (...names: string[]): ProfileSchema => ({
    features: names.map((name) => ({ name })),
    outputs: [{ name: 'prediction' }],
  });

  it.each([
    [
      'CSV',
      [line('1,2.5,red', '0.1'), line('3,-0,blue\n4,5e3,red', '0.2\n0.3')],
      schema('_c0', '_c1', '_c2'),
      3,
      0,
    ],
    ['flat JSON', [line('{"a":1,"b":-0,"c":"red"}', '{"score":0.5}', 'JSON')], schema('a', 'b', 'c'), 1, 0],
    ['CSV with a quoted field', [line('1,"2,5",red', '0.1')], schema('_c0', '_c1', '_c2'), 0, 1],
    ['nested JSON', [line('{"a":{"b":1}}', '{"score":0.5}', 'JSON')], schema('a'), 0, 0],
  ] as const)(
    'computes %s rows through the expected path',
    async (_what, lines, profileSchema, cellRows, rows) => {
      // Given capture lines of one kind
      const bytes = encoder.encode(lines.join('\n'));

      // When the fast parser feeds a ProfileBuilder
      const builder = new CountingBuilder(profileSchema);
      await parseCaptureStream(chunked(bytes, 64), builder);

      // Then rows arrive as byte ranges when the payload allows it, else as CaptureRows (or not at all when rejected)
      expect([builder.cellRowCalls, builder.rowCalls]).toEqual([cellRows, rows]);
    },
  );

  it('computes rows as CaptureRows until a dynamic schema has added their columns, then as byte ranges', async () => {
    // Given two CSV lines and a schema that adds columns as they appear
    const bytes = encoder.encode(
      [line('1,2.5,red', '0.1'), line('3,-0,blue\n4,5e3,red', '0.2\n0.3')].join('\n'),
    );
    const builder = new CountingBuilder({ features: [], dynamic: true });

    // When the fast parser feeds it
    await parseCaptureStream(chunked(bytes, 64), builder);

    // Then the first row adds the columns through row(), the others take the byte path
    expect([builder.cellRowCalls, builder.rowCalls]).toEqual([2, 1]);
  });
});

// Randomized capture files. Lines share a few layouts (as real files do, so the fast parser's templates are
// exercised), with values drawn to hit every corner the byte path handles or must hand over: numbers with signs,
// spaces, exponents, -0, very long digit strings, overflow; empty and blank fields; quotes, escapes, CRLF,
// unicode; flat and nested JSON, duplicate and special keys; strict and broken BASE64, non-UTF-8 bytes;
// metadata of every type; malformed JSON.

/** Mostly `usual`, else one of `others`. */
function mostly<T>(usual: T, ...others: T[]): fc.Arbitrary<T> {
  return fc.oneof({ weight: 4 * others.length, arbitrary: fc.constant(usual) }, fc.constantFrom(...others));
}

const numberText = fc.oneof(
  fc.integer().map(String),
  fc.double().map(String),
  fc.constantFrom(
    '-0',
    '+0',
    '-0.0',
    '- 3',
    '+ 3',
    '-  3',
    '1e5',
    '1E-5',
    '.5',
    '5.',
    '.',
    '-',
    '1e',
    '0x10',
    '1e400',
    '-1e400',
    '1e-400',
    '00012',
    '1.0',
    '  7 ',
    ' -8.25 ',
    'NaN',
    'Infinity',
    '9007199254740993',
    '123456789012345678',
    '0.1234567890123456789',
  ),
  fc
    .tuple(
      fc.constantFrom('', '-', '+', '- '),
      fc.stringMatching(/^\d{1,24}$/),
      fc.stringMatching(/^(\.\d{0,24})?$/),
    )
    .map(([sign, int, fraction]) => `${sign}${int}${fraction}`),
  fc
    .tuple(
      fc.stringMatching(/^-?\d{1,17}(\.\d{1,17})?$/),
      fc.constantFrom('e', 'E'),
      fc.integer({ min: -340, max: 340 }),
    )
    .map(([mantissa, e, exponent]) => `${mantissa}${e}${exponent}`),
  fc.stringMatching(/^\d{300,320}$/),
);
const wordText = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.constantFrom('red', 'blue', 'green', '', ' ', 'a b', 'true', 'null', 'x-1', ' pad '),
  },
  { weight: 2, arbitrary: fc.string({ maxLength: 6 }) },
  fc.constantFrom('é', '😀', 'x\\y', 'tab\there', 'cr\rhere', 'q"uote', '\u2028', '\u00a0x'),
  fc.string({ unit: 'grapheme', maxLength: 4 }),
);
const csvCell = fc.oneof(
  { weight: 5, arbitrary: numberText },
  { weight: 3, arbitrary: wordText },
  fc.constant(''),
);
/** CSV text: rows of cells, sometimes quoted, joined by \n or \r\n, sometimes with a trailing newline. */
const csvText = fc
  .tuple(
    fc.array(fc.array(csvCell, { minLength: 1, maxLength: 5 }), { minLength: 0, maxLength: 3 }),
    fc.constantFrom('\n', '\r\n'),
    fc.constantFrom('', '\n', '\r\n', '\r', '\n\n'),
    fc.boolean(),
  )
  .map(([rows, newline, tail, quote]) => {
    const cell = (c: string) => (quote && c.includes(',') ? `"${c.replaceAll('"', '""')}"` : c);
    return rows.map((cells) => cells.map(cell).join(',')).join(newline) + tail;
  });
const jsonScalar = fc.oneof(
  fc.double(),
  fc.integer(),
  fc.constantFrom(-0, 0.1, 1e21, 1e-7, 123456789.123, Number.MAX_SAFE_INTEGER + 2),
  wordText,
  numberText,
  fc.boolean(),
  fc.constant(null),
);
const jsonKey = fc.oneof(
  fc.constantFrom(
    'a',
    'b',
    'age',
    'city',
    '_c0',
    'constructor',
    'toString',
    '__proto__',
    'instances',
    'features',
  ),
  fc.constantFrom('0', '1', '10', 'é', 'with space', 'quote"d', 'back\\slash', 'new\nline'),
  fc.string({ maxLength: 5 }),
);
/** JSON payload texts: mostly flat objects (possibly with raw duplicate keys), else lists, scalars, nesting. */
const jsonText = fc.oneof(
  { weight: 4, arbitrary: fc.array(fc.tuple(jsonKey, jsonScalar), { maxLength: 6 }).map(objectText) },
  fc
    .dictionary(jsonKey, fc.oneof(jsonScalar, fc.array(jsonScalar, { maxLength: 3 })))
    .map((o) => JSON.stringify(o)),
  fc.array(jsonScalar, { maxLength: 4 }).map((a) => JSON.stringify(a)),
  fc.array(fc.array(jsonScalar, { maxLength: 3 }), { maxLength: 3 }).map((a) => JSON.stringify(a)),
  fc
    .record({ instances: fc.array(fc.dictionary(jsonKey, jsonScalar), { maxLength: 3 }) })
    .map((o) => JSON.stringify(o)),
  jsonScalar.map((v) => JSON.stringify(v)),
  fc.constantFrom('{', '{"a":1,}', '[1,2', '{"a":1}\n{"a":2}', '{"a":1}\r\n{"b":[2]}\n', '', ' { "a" : 1 } '),
  fc
    .tuple(fc.array(fc.tuple(jsonKey, jsonScalar), { maxLength: 4 }), fc.constantFrom(1, '\t', ' '))
    .map(([members, indent]) => JSON.stringify(Object.fromEntries(members), null, indent)),
);
/** Output payload texts for JSON encoding. */
const jsonOutputText = fc.oneof(
  jsonScalar.map((v) => JSON.stringify(v)),
  fc.array(jsonScalar, { maxLength: 4 }).map((a) => JSON.stringify(a)),
  fc
    .tuple(
      fc.constantFrom('predictions', 'score', 'probability', 'probabilities', 'predicted_label', 'label'),
      fc.oneof(jsonScalar, fc.array(jsonScalar, { maxLength: 4 })),
      fc.array(fc.tuple(fc.constantFrom('score', 'other', 'predictions'), jsonScalar), { maxLength: 2 }),
    )
    .map(([key, value, others]) => objectText([...others, [key, value]])),
  fc.constantFrom(
    '{}',
    '{"score":{"x":1}}',
    '[[1,2],[3,4]]',
    '[{"score":1},{"score":2}]',
    '[]',
    '{"score":[]}',
  ),
);

/** An object's JSON text with its members in order, duplicate keys kept (JSON.parse keeps the last). */
function objectText(members: [string, unknown][]): string {
  return `{${members.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v) ?? 'null'}`).join(',')}}`;
}

type Text = fc.Arbitrary<string>;

/** CSV with a fixed number of columns (as one endpoint sends), 1-3 rows, mostly numbers. */
function csvRows(columns: number, output: boolean): Text {
  const cell = output ? fc.oneof({ weight: 6, arbitrary: numberText }, csvCell) : csvCell;
  return fc
    .tuple(
      fc.array(fc.array(cell, { minLength: columns, maxLength: columns }), { minLength: 1, maxLength: 3 }),
      fc.constantFrom('\n', '\r\n'),
      fc.constantFrom('', '', '\n', '\r\n'),
    )
    .map(([rows, newline, tail]) => rows.map((cells) => cells.join(',')).join(newline) + tail);
}

/** A flat JSON object with fixed keys (duplicates possible), values drawn per record. */
function flatObject(keys: string[]): Text {
  return fc
    .array(fc.oneof({ weight: 4, arbitrary: fc.oneof(fc.double(), fc.integer()) }, jsonScalar), {
      minLength: keys.length,
      maxLength: keys.length,
    })
    .map((values) => objectText(keys.map((key, i) => [key, values[i]])));
}

/** How one endpoint encodes one side: the payload text of each record, its encoding and content type. */
interface SideLayout {
  text: Text;
  encoding: unknown;
  base64: boolean;
  contentType: unknown;
  order: number;
  extra: boolean;
}

function sideLayout(output: boolean): fc.Arbitrary<SideLayout> {
  const text: fc.Arbitrary<[Text, string]> = fc.oneof(
    {
      weight: 6,
      arbitrary: fc
        .integer({ min: 1, max: 5 })
        .map((n) => [csvRows(output ? 1 : n, output), 'CSV'] as [Text, string]),
    },
    { weight: 1, arbitrary: fc.constant([csvText, 'CSV'] as [Text, string]) },
    {
      weight: 4,
      arbitrary: output
        ? fc.constant([jsonOutputText, 'JSON'] as [Text, string])
        : fc
            .uniqueArray(jsonKey, { minLength: 1, maxLength: 5 })
            .chain((keys) =>
              fc
                .oneof({ weight: 5, arbitrary: fc.constant(keys) }, fc.constant([...keys, keys[0] ?? 'a']))
                .map((k) => [flatObject([...k]), 'JSON'] as [Text, string]),
            ),
    },
    { weight: 1, arbitrary: fc.constant([output ? jsonOutputText : jsonText, 'JSON'] as [Text, string]) },
  );
  return fc
    .record({
      payload: text,
      base64: mostly(false, true),
      contentType: fc.constantFrom(undefined, 'text/csv', 'application/json', 'application/octet-stream', 7),
      order: fc.nat(5),
      extra: fc.boolean(),
    })
    .map(({ payload: [t, encoding], ...rest }) => ({ text: t, encoding, ...rest }));
}

/** A side object for one record of a layout; once in a while a broken one. */
function sideFor(layout: SideLayout): fc.Arbitrary<Record<string, unknown>> {
  return fc.tuple(layout.text, fc.nat(40)).map(([text, odd]) => {
    let data: unknown = layout.base64 ? Buffer.from(text).toString('base64') : text;
    let encoding: unknown = layout.base64 ? 'BASE64' : layout.encoding;
    if (odd === 0) data = 1;
    if (odd === 1) encoding = 'csv';
    if (odd === 2 && layout.base64) data = `${String(data)}=`;
    if (odd === 3) data = 'AP8=';
    const members: [string, unknown][] = [
      ['data', data],
      ['encoding', encoding],
      ['mode', 'INPUT'],
    ];
    if (layout.contentType !== undefined) members.push(['observedContentType', layout.contentType]);
    if (layout.extra) members.push(['x', { a: [1, 'b'] }]);
    return Object.fromEntries(rotate(members, layout.order));
  });
}

function rotate<T>(items: T[], by: number): T[] {
  const k = by % items.length;
  return [...items.slice(k), ...items.slice(0, k)];
}

const isoTime = fc
  .date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().replace('.000', ''));
const oddTime = fc.constantFrom(
  null,
  '{%s}',
  '2024-02-30T00:00:00Z',
  '2024-05-01T10:00:00+02:00',
  '2024-05-01T10:00:00.123456Z',
  5,
);

/** Metadata of one record: a layout fixes which fields exist; values vary. */
const metadataLayout = fc.record({
  eventId: mostly('uuid', 'none', 'null', 'number', 'unicode', 'escaped'),
  inferenceId: fc.constantFrom('digits', 'none', 'null'),
  time: mostly('valid', 'odd', 'none'),
  custom: fc.boolean(),
  shape: mostly('object', 'null', 'absent', 'list'),
});

function metadataFor(
  layout: typeof metadataLayout extends fc.Arbitrary<infer L> ? L : never,
): fc.Arbitrary<unknown> {
  if (layout.shape !== 'object')
    return fc.constant(layout.shape === 'null' ? null : layout.shape === 'list' ? [] : undefined);
  const eventIds: Record<string, fc.Arbitrary<unknown>> = {
    uuid: fc.uuid(),
    none: fc.constant(undefined),
    null: fc.constant(null),
    number: fc.constant(7),
    unicode: fc.constant('é-id'),
    escaped: fc.constantFrom('a"b', 'tab\there', 'back\\slash', '\u0001'),
  };
  const eventId: fc.Arbitrary<unknown> = eventIds[layout.eventId] ?? fc.constant(undefined);
  const inferenceIds: Record<string, fc.Arbitrary<unknown>> = {
    digits: fc.stringMatching(/^\d{1,3}$/),
    none: fc.constant(undefined),
    null: fc.constant(null),
  };
  const inferenceId = inferenceIds[layout.inferenceId] ?? fc.constant(undefined);
  const times: Record<string, fc.Arbitrary<unknown>> = {
    valid: isoTime,
    odd: oddTime,
    none: fc.constant(undefined),
  };
  const time = times[layout.time] ?? fc.constant(undefined);
  return fc.tuple(eventId, inferenceId, time).map(([id, inference, t]) => {
    const meta: Record<string, unknown> = {};
    if (id !== undefined) meta.eventId = id;
    if (inference !== undefined) meta.inferenceId = inference;
    if (t !== undefined) meta.inferenceTime = t;
    if (layout.custom) meta.customAttributes = 'c000';
    return meta;
  });
}

/** One endpoint's record layout, and the lines it writes. */
const layoutLines = fc
  .record({
    input: fc.option(sideLayout(false), { freq: 8 }),
    output: fc.option(sideLayout(true), { freq: 6 }),
    metadata: metadataLayout,
    order: fc.nat(3),
    spaced: fc.nat(8),
  })
  .chain((layout) => {
    const line = fc
      .tuple(
        layout.input === null ? fc.constant(undefined) : sideFor(layout.input),
        layout.output === null ? fc.constant(undefined) : sideFor(layout.output),
        metadataFor(layout.metadata),
        fc.nat(60),
        fc.nat(1000),
      )
      .map(([input, output, meta, odd, at]) => {
        const captureData: Record<string, unknown> = {};
        if (input !== undefined) captureData.endpointInput = input;
        if (output !== undefined) captureData.endpointOutput = output;
        const members: [string, unknown][] = [
          ['captureData', odd === 0 ? null : odd === 1 ? 5 : captureData],
          ['eventVersion', '0'],
        ];
        if (meta !== undefined) members.push(['eventMetadata', meta]);
        const record = Object.fromEntries(rotate(members, layout.order));
        const text =
          layout.spaced === 0
            ? JSON.stringify(record, null, 1).replaceAll('\n', ' ')
            : JSON.stringify(record);
        if (odd === 2) return text.replace('"captureData"', '"captur\\u0065Data"');
        if (odd === 3) return text.replace('{', '{"captureData":null,');
        if (odd === 4) return text.slice(0, at % (text.length + 1));
        if (odd === 5) return text.replace('"data"', '"data":"ignored","data"');
        if (odd === 6) return text + (['}', ' x', ',', ' \t', '{}', 'null'][at % 6] ?? '');
        if (odd <= 9) {
          // Corrupt one character: JSON structure, escapes, control characters, unicode.
          const position = at % Math.max(1, text.length);
          return (
            text.slice(0, position) +
            (JSON_BREAKERS[(at * 7 + odd) % JSON_BREAKERS.length] ?? '') +
            text.slice(position + 1)
          );
        }
        return text;
      });
    return fc.array(line, { minLength: 1, maxLength: 6 });
  });

/** A capture file: lines of a few layouts, joined by \n or \r\n, with blank lines, maybe a BOM. */
const fileArbitrary = fc
  .tuple(
    fc.array(layoutLines, { minLength: 1, maxLength: 3 }),
    fc.constantFrom('\n', '\r\n'),
    fc.boolean(),
    fc.boolean(),
    fc.constantFrom('', '\n', ' \t\r\n'),
  )
  .map(([groups, newline, bom, blank, tail]) => {
    const lines = groups.flatMap((group) => (blank ? [...group, ''] : group));
    return (bom ? '\uFEFF' : '') + lines.join(newline) + tail;
  });

const profileSchemas: ProfileSchema[] = [
  { features: [], dynamic: true },
  {
    features: [
      { name: '_c0', kind: 'numeric', binEdges: [-1, 0, 1, 1e6] },
      { name: '_c1' },
      { name: 'a', kind: 'categorical', categoricalTopK: 3 },
      { name: 'b', kind: 'numeric' },
      { name: 'constructor' },
      { name: '__proto__' },
    ],
    outputs: [{ name: 'prediction', kind: 'numeric' }, { name: 'p1' }],
  },
];

describe('parseCaptureStream fast parser on randomized records', () => {
  it('computes the same rows, rejections, summary and profiles as the reference parser', async () => {
    await fc.assert(
      fc.asyncProperty(fileArbitrary, fc.integer({ min: 1, max: 300 }), async (text, chunkSize) => {
        // Given a random capture file, When both parsers read it, Then everything agrees
        await expectSameResults(encoder.encode(text), {}, chunkSize, profileSchemas);
      }),
      { seed: 20_261_126, numRuns: 400 },
    );
  });

  it('computes the same results with columns, output names and formats configured', async () => {
    const options = fc.record(
      {
        input: fc.record(
          {
            columns: fc.constantFrom(['_c0', '_c1'], ['a', 'b', 'c'], ['x']),
            format: fc.constantFrom('auto', 'csv', 'json'),
          },
          { requiredKeys: [] },
        ),
        output: fc.record(
          {
            names: fc.constantFrom(['prediction'], ['p0', 'p1']),
            format: fc.constantFrom('auto', 'csv', 'json'),
          },
          { requiredKeys: [] },
        ),
        maxLineBytes: fc.constantFrom(64, 300, 4096),
        maxRejectionsKept: fc.constantFrom(0, 1, 1000),
      },
      { requiredKeys: [] },
    ) as fc.Arbitrary<CaptureParseOptions>;
    await fc.assert(
      fc.asyncProperty(
        fileArbitrary,
        options,
        fc.integer({ min: 1, max: 200 }),
        async (text, opts, chunkSize) => {
          // Given a random capture file and options, When both parsers read it, Then everything agrees
          await expectSameResults(encoder.encode(text), opts, chunkSize, profileSchemas);
        },
      ),
      { seed: 20_261_127, numRuns: 200 },
    );
  });

  it('computes the same results for records with paths configured (which the byte path leaves alone)', async () => {
    await fc.assert(
      fc.asyncProperty(fileArbitrary, async (text) => {
        // Given a random capture file and JSON paths, When both parsers read it, Then everything agrees
        await expectSameResults(encoder.encode(text), {
          input: { paths: { a: '$.a', b: '$.instances[*].b' } },
          output: { path: '$.score' },
        });
      }),
      { seed: 20_261_128, numRuns: 100 },
    );
  });
});
