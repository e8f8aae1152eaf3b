/**
 * The bad-input corpus (test/fixtures/bad-input, see PROVENANCE.md) through every reader of capture files: the
 * parser (both line parsers), the CLI (`driftwatch profile` and `driftwatch drift`) and the ingest handler on
 * s3rver with EMF metrics. For every case: no crash, accepted + rejected === lines read, each rejection reported
 * with its line number and reason, and the counts published as RecordsAccepted / RecordsRejected.
 * Large cases (a 10 MB line, gzip) are generated here rather than committed.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baselineCommand, driftCommand, profileCommand } from '../../functions/cli/commands.js';
import { parseCaptureStream } from '../../functions/core/capture/parse-capture.js';
import type { CaptureParseSummary, CaptureRow, RecordMeta } from '../../functions/core/capture/types.js';
import type { DatasetProfileState } from '../../functions/core/profile/dataset-profile.js';
import { captureEmf, findMetrics } from '../handlers/support/emf.js';
import type { LocalS3 } from '../support/s3rver.js';
import {
  captureRecord,
  DIMS,
  HOUR_PREFIX,
  objectCreated,
  PROFILE_PREFIX,
  realHandlers,
  startBaselinedS3,
} from './support.js';

const DIR = 'test/fixtures/bad-input';
const NOW = new Date('2026-11-26T11:20:00Z');

/** What a case must give, worked out by hand from the fixture's lines. */
interface Expected {
  lines: number;
  blankLines?: number;
  /** [line, field (undefined for a whole-line rejection), reason pattern]. */
  rejections: [number, string | undefined, RegExp][];
  /** Line number of each emitted row. */
  rowLines: number[];
}

const CASES: Record<string, Expected> = {
  'truncated-last-line.jsonl': {
    lines: 4,
    rejections: [[4, undefined, /^malformed JSON: Unterminated string/]],
    rowLines: [1, 2, 3],
  },
  'invalid-json.jsonl': {
    lines: 4,
    rejections: [
      [2, undefined, /^malformed JSON: /],
      [4, undefined, /^expected a JSON object, found array$/],
    ],
    rowLines: [1, 3],
  },
  'bom.jsonl': { lines: 3, rejections: [], rowLines: [1, 2, 3] },
  'crlf.jsonl': { lines: 3, rejections: [], rowLines: [1, 2, 3] },
  'empty.jsonl': { lines: 0, rejections: [], rowLines: [] },
  'empty-lines.jsonl': { lines: 2, blankLines: 5, rejections: [], rowLines: [2, 6] },
  'unknown-encoding.jsonl': {
    lines: 3,
    rejections: [
      [2, 'captureData.endpointInput.encoding', /^unknown encoding "UTF-8"; expected CSV, JSON or BASE64$/],
      [3, 'captureData.endpointInput.encoding', /^unknown encoding "csv"; expected CSV, JSON or BASE64$/],
    ],
    rowLines: [1],
  },
  'invalid-base64.jsonl': {
    lines: 4,
    rejections: [
      [2, 'captureData.endpointInput.data', /^invalid BASE64: unexpected character "!" at offset 3$/],
      [3, 'captureData.endpointInput.data', /^invalid BASE64: length 3 is not a multiple of 4$/],
      [4, 'captureData.endpointInput.data', /^BASE64 payload is not UTF-8 text/],
    ],
    rowLines: [1],
  },
  'csv-field-count.jsonl': {
    lines: 4,
    rejections: [
      [2, 'captureData.endpointInput.data', /^row 1: expected 2 fields \(input.columns\), found 3$/],
      [3, 'captureData.endpointInput.data', /^row 1: expected 2 fields \(input.columns\), found 1$/],
      [4, 'captureData.endpointInput.data', /^malformed CSV: Quote Not Closed/],
    ],
    rowLines: [1],
  },
  // Non-numeric values are accepted lines: the profile counts them as strings (Model Monitor's data_type_check).
  'non-numeric.jsonl': { lines: 4, rejections: [], rowLines: [1, 2, 3, 4] },
  // "NaN", "Infinity", "1e999" in CSV are accepted and counted as strings; a bare NaN in JSON is not JSON.
  'nan-infinity.jsonl': {
    lines: 6,
    rejections: [[6, 'captureData.endpointInput.data', /^malformed JSON: /]],
    rowLines: [1, 2, 3, 4, 5],
  },
  'unicode-categories.jsonl': { lines: 6, rejections: [], rowLines: [1, 2, 3, 4, 5, 6] },
  // Duplicates are accepted (and reported by ingest, below); SageMaker writes each event once.
  'duplicate-event-ids.jsonl': { lines: 5, rejections: [], rowLines: [1, 2, 3, 4, 5] },
  'missing-event-metadata.jsonl': { lines: 3, rejections: [], rowLines: [1, 2, 3] },
  // Capture is not ordered by inferenceTime within a file; order does not matter to a profile.
  'out-of-order-inference-time.jsonl': { lines: 4, rejections: [], rowLines: [1, 2, 3, 4] },
};

/** A record whose eventMetadata.customAttributes makes the line 10 MB (accepted: under maxLineBytes). */
function tenMegabyteLine(): string {
  const record = captureRecord('7', 'a', { eventId: 'big' });
  (record.eventMetadata as Record<string, unknown>).customAttributes = 'z'.repeat(10 * 1024 * 1024);
  return JSON.stringify(record);
}

async function parse(bytes: Uint8Array, parser: 'fast' | 'reference', maxLineBytes?: number) {
  const rows: { row: CaptureRow; meta: RecordMeta }[] = [];
  // Two chunks split mid-file, as a stream delivers them.
  const half = Math.floor(bytes.length / 2);
  const summary = await parseCaptureStream(
    (async function* () {
      yield bytes.subarray(0, half);
      yield bytes.subarray(half);
    })(),
    { row: (row, meta) => rows.push({ row, meta }) },
    { parser, input: { columns: ['x', 'c'] }, ...(maxLineBytes ? { maxLineBytes } : {}) },
  );
  return { summary, rows };
}

function expectSummary(summary: CaptureParseSummary, expected: Expected): void {
  expect(summary.lines).toBe(expected.lines);
  expect(summary.accepted + summary.rejected).toBe(summary.lines);
  expect(summary.rejected).toBe(expected.rejections.length);
  expect(summary.blankLines).toBe(expected.blankLines ?? 0);
  expect(summary.rejections).toHaveLength(expected.rejections.length);
  for (const [i, [line, field, reason]] of expected.rejections.entries()) {
    const r = summary.rejections[i];
    expect(r?.line).toBe(line);
    expect(r?.field).toBe(field);
    expect(r?.reason).toMatch(reason);
  }
}

describe('bad-input corpus through the parser', () => {
  it.each(Object.entries(CASES))('computes %s identically with both line parsers', async (file, expected) => {
    // Given
    const bytes = await readFile(join(DIR, file));
    // When
    const fast = await parse(bytes, 'fast');
    const reference = await parse(bytes, 'reference');
    // Then: the same result from both, as the table says
    expect(fast).toEqual(reference);
    expectSummary(fast.summary, expected);
    expect(fast.rows.map((r) => r.meta.line)).toEqual(expected.rowLines);
  });

  it('computes the unicode categories byte for byte (no normalisation, no replacement characters)', async () => {
    // Given
    const bytes = await readFile(join(DIR, 'unicode-categories.jsonl'));
    // When
    const { rows } = await parse(bytes, 'fast');
    // Then
    expect(rows.map((r) => r.row.features.c)).toEqual([
      'café',
      '日本語',
      '🙂',
      'e\u0301',
      'Ωmega',
      '\u200bzero-width',
    ]);
  });

  it('computes the first and last inferenceTime of out-of-order records as instants, not file order', async () => {
    // Given
    const bytes = await readFile(join(DIR, 'out-of-order-inference-time.jsonl'));
    // When
    const { summary } = await parse(bytes, 'reference');
    // Then
    expect([summary.firstInferenceTime, summary.lastInferenceTime]).toEqual([
      '2026-11-26T10:00:01Z',
      '2026-11-26T10:59:59Z',
    ]);
  });

  it.each(['fast', 'reference'] as const)(
    'computes a 10 MB line as accepted, and rejected when maxLineBytes is smaller (%s)',
    async (parser) => {
      // Given: one normal line, the 10 MB line, one normal line
      const big = tenMegabyteLine();
      const text = [
        JSON.stringify(captureRecord('1', 'a')),
        big,
        JSON.stringify(captureRecord('2', 'b')),
      ].join('\n');
      const bytes = Buffer.from(text);
      // When
      const within = await parse(bytes, parser);
      const over = await parse(bytes, parser, 1024 * 1024);
      // Then
      expect(within.summary).toMatchObject({ lines: 3, accepted: 3, rejected: 0 });
      expect(over.summary).toMatchObject({ lines: 3, accepted: 2, rejected: 1 });
      expect(over.summary.rejections).toEqual([
        { line: 2, reason: `line is ${Buffer.byteLength(big)} bytes, longer than maxLineBytes (1048576)` },
      ]);
    },
  );

  it('computes gzip bytes fed undecompressed as rejected lines, never a crash (adapters gunzip first)', async () => {
    // Given: the core parser is pure; a caller that forgot to gunzip hands it binary
    const gz = gzipSync(await readFile(join(DIR, 'crlf.jsonl')));
    // When
    const { summary } = await parse(gz, 'fast');
    // Then
    expect(summary.accepted).toBe(0);
    expect(summary.rejected).toBe(summary.lines);
    expect(summary.lines).toBeGreaterThan(0);
    expect(summary.rejections.every((r) => r.reason.startsWith('malformed JSON'))).toBe(true);
  });
});

describe('bad-input corpus through the CLI', () => {
  let work: string;
  let baseline: string;

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'driftwatch-bad-input-'));
    baseline = join(work, 'baseline');
    await baselineCommand({ input: join(DIR, 'baseline.csv'), out: baseline, categorical: ['c'] });
  });
  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it.each(Object.entries(CASES))('computes the counts and the reasons of %s', async (file, expected) => {
    // Given
    const input = join(DIR, file);
    // When
    const profiled = await profileCommand({
      inputs: [input],
      baseline,
      out: join(work, `${file}.profile.json`),
    });
    const drift = await driftCommand({ inputs: [input], baseline, format: 'text' });
    // Then: both print the counts and list every rejection as file:line field: reason
    const accepted = expected.lines - expected.rejections.length;
    expect(profiled.stdout).toContain(`${accepted} accepted, ${expected.rejections.length} rejected`);
    expect(drift.report.records).toEqual({
      lines: expected.lines,
      accepted,
      rejected: expected.rejections.length,
    });
    expect(drift.report.rejections.map((r) => [r.line, r.field])).toEqual(
      expected.rejections.map(([line, field]) => [line, field]),
    );
    for (const [line, field, reason] of expected.rejections) {
      for (const stdout of [drift.stdout, profiled.stdout]) {
        const printed = stdout
          .split('\n')
          .find((l) => l.trim().startsWith(`${input}:${line}${field ? ` ${field}` : ''}:`));
        expect(printed, `line ${line} of ${file} in the output`).toBeDefined();
        expect(printed?.split(': ').slice(1).join(': ')).toMatch(reason);
      }
    }
    if (expected.rejections.length === 0) expect(profiled.stdout).not.toContain('rejected records:');
  });

  it('computes non-numeric, NaN and Infinity values of a numeric feature as data_type_check input', async () => {
    // Given
    const input = join(DIR, 'nan-infinity.jsonl');
    // When
    const drift = await driftCommand({ inputs: [input], baseline, format: 'json' });
    // Then: 1 of 5 values of x is numeric; the 4 others are counted as strings and fail the type check
    expect(drift.report.violations.map((v) => [v.feature_name, v.constraint_check_type])).toContainEqual([
      'x',
      'data_type_check',
    ]);
  });

  it('computes a gzip-compressed capture file like the plain one (detected by its magic bytes)', async () => {
    // Given
    const plain = join(DIR, 'invalid-json.jsonl');
    const gz = join(work, 'invalid-json.jsonl.gz');
    await writeFile(gz, gzipSync(await readFile(plain)));
    // When
    const fromPlain = await driftCommand({ inputs: [plain], baseline, format: 'json' });
    const fromGzip = await driftCommand({ inputs: [gz], baseline, format: 'json' });
    // Then
    expect(fromGzip.report.records).toEqual(fromPlain.report.records);
    expect(fromGzip.report.rejections.map((r) => [r.line, r.reason])).toEqual(
      fromPlain.report.rejections.map((r) => [r.line, r.reason]),
    );
  });

  it('computes a 10 MB line as one accepted record', async () => {
    // Given
    const big = join(work, 'ten-mb-line.jsonl');
    await writeFile(big, `${JSON.stringify(captureRecord('1', 'a'))}\n${tenMegabyteLine()}\n`);
    // When
    const drift = await driftCommand({ inputs: [big], baseline, format: 'json' });
    // Then
    expect(drift.report.records).toEqual({ lines: 2, accepted: 2, rejected: 0 });
  });
});

describe('bad-input corpus through the ingest handler (s3rver, EMF)', () => {
  let s3: LocalS3;
  const keyOf = (file: string) => `${HOUR_PREFIX}/${file}`;
  const bodies = new Map<string, Buffer>();

  beforeAll(async () => {
    s3 = await startBaselinedS3();
    for (const file of Object.keys(CASES)) bodies.set(file, await readFile(join(DIR, file)));
    // Generated cases: the 10 MB line, and gzip under both a .jsonl.gz and a plain .jsonl key.
    bodies.set('ten-mb-line.jsonl', Buffer.from(`${tenMegabyteLine()}\n`));
    const gz = gzipSync(await readFile(join(DIR, 'invalid-json.jsonl')));
    bodies.set('gzip-invalid-json.jsonl.gz', gz);
    bodies.set('gzip-without-suffix.jsonl', gz);
    for (const [file, body] of bodies) {
      await s3.put('capture', keyOf(file), body);
    }
  });
  afterAll(async () => {
    await s3?.close();
  });

  it('computes every object: counts in the result, the profile and the EMF metrics; reasons with line numbers', async () => {
    // Given
    const { ingest } = realHandlers(s3, NOW);
    const emf = captureEmf();
    const results = [];
    try {
      // When: each object's notification, one invocation each
      for (const [file, body] of bodies)
        results.push({ file, ...(await ingest(objectCreated(keyOf(file), body.length))) });
    } finally {
      emf.restore();
    }
    const metrics = emf.metrics();
    // Then: every object profiled, nothing thrown
    expect(results.map((r) => [r.file, r.profiled])).toEqual([...bodies.keys()].map((f) => [f, 1]));
    const expectedOf = (file: string): Expected =>
      CASES[file] ??
      (file.startsWith('gzip')
        ? (CASES['invalid-json.jsonl'] as Expected)
        : { lines: 1, rejections: [], rowLines: [1] });
    const accepted = findMetrics(metrics, 'RecordsAccepted', DIMS).map((m) => m.value);
    const rejected = findMetrics(metrics, 'RecordsRejected', DIMS).map((m) => m.value);
    for (const [i, r] of results.entries()) {
      const expected = expectedOf(r.file);
      const outcome = r.objects[0];
      if (outcome?.status !== 'profiled') throw new Error(`${r.file} was not profiled`);
      const wantAccepted = expected.lines - expected.rejections.length;
      expect(outcome.records, r.file).toEqual({
        lines: expected.lines,
        accepted: wantAccepted,
        rejected: expected.rejections.length,
      });
      expect(
        outcome.rejections.map((x) => [x.line, x.field]),
        r.file,
      ).toEqual(expected.rejections.map(([line, field]) => [line, field]));
      for (const [j, [, , reason]] of expected.rejections.entries()) {
        expect(outcome.rejections[j]?.reason, r.file).toMatch(reason);
      }
      // The published metrics, one value per object in delivery order
      expect([accepted[i], rejected[i]], r.file).toEqual([wantAccepted, expected.rejections.length]);
      // The written profile carries the same counts
      const profile = await s3.getJson<DatasetProfileState>(
        'reports',
        `${PROFILE_PREFIX}${r.file.replace(/\.jsonl(\.gz)?$/, '')}.profile.json`,
      );
      expect(profile.records, r.file).toEqual(outcome.records);
    }
    expect(accepted).toHaveLength(bodies.size);
    expect(rejected).toHaveLength(bodies.size);
    const rate = findMetrics(metrics, 'RejectedRecordRate', DIMS).map((m) => m.value);
    // No rate for the empty file (no lines read).
    expect(rate).toHaveLength(bodies.size - 1);
  });

  it('computes duplicate eventIds as accepted and reports how many lines repeated an earlier id', async () => {
    // Given: dup-1 on lines 1, 2 and 4; dup-2 and dup-3 once
    const file = 'duplicate-event-ids.jsonl';
    const { ingest } = realHandlers(s3, NOW);
    // When: written again under a new name (the same key would be a repeated delivery)
    const key = keyOf('dup-again.jsonl');
    const body = bodies.get(file) as Buffer;
    await s3.put('capture', key, body);
    const emf = captureEmf();
    const result = await ingest(objectCreated(key, body.length)).finally(() => emf.restore());
    // Then
    expect(result.objects[0]).toMatchObject({
      status: 'profiled',
      records: { lines: 5, accepted: 5, rejected: 0 },
      duplicateEventIds: 2,
    });
  });
});
