import { createReadStream, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCaptureStream } from '../../../functions/core/capture/parse-capture.js';
import type { CaptureParseSummary, Rejection } from '../../../functions/core/capture/types.js';
import { parseText, type SeenRow } from './support.js';

// Expected rows come from an independent Python reader of these files:
//   python3 scripts/reference/capture-fixture-rows.py > test/fixtures/capture/fixture-rows.json
interface ExpectedFixture {
  summary: Omit<CaptureParseSummary, 'rejections' | 'rejectionsTruncated'>;
  rejections: Pick<Rejection, 'line' | 'field'>[];
  rows: { features: Record<string, unknown>; outputs: unknown[]; meta: Record<string, unknown> }[];
}

const FIXTURES = new URL('../../fixtures/', import.meta.url);
const EXPECTED: Record<string, ExpectedFixture> = JSON.parse(
  readFileSync(new URL('capture/fixture-rows.json', FIXTURES), 'utf8'),
);
const TEMPLATE = 'sagemaker-data-capture/sdk-tests/capture.jsonl';

function expectFixture(summary: CaptureParseSummary, rows: SeenRow[], expected: ExpectedFixture): void {
  const { rejections, rejectionsTruncated, ...counts } = summary;
  expect(counts).toEqual(expected.summary);
  expect(rejections.map(({ line, field }) => ({ line, field }))).toEqual(expected.rejections);
  expect(rejectionsTruncated).toBe(0);
  expect(rows.map(({ row, meta }) => ({ features: row.features, outputs: row.outputs, meta }))).toEqual(
    expected.rows,
  );
}

describe('parseCaptureStream on real capture files', () => {
  it.each(Object.keys(EXPECTED).filter((name) => !name.endsWith('(timestamps)')))(
    'computes %s',
    async (name) => {
      // Given a real capture file streamed from disk in small chunks
      const stream = createReadStream(new URL(name, FIXTURES), { highWaterMark: 256 });
      const rows: SeenRow[] = [];

      // When it is parsed
      const summary = await parseCaptureStream(stream, { row: (row, meta) => rows.push({ row, meta }) });

      // Then rows, metadata, rejections and counts match the independent reader
      const expected = EXPECTED[name];
      if (expected === undefined) throw new Error(`no reference for ${name}`);
      expectFixture(summary, rows, expected);
    },
  );

  it('computes the SDK capture template once its "{%s}" placeholders hold real timestamps', async () => {
    // Given capture.jsonl with the placeholder on 0-based line i replaced by 2024-05-01T10:00:00Z + i seconds
    const text = readFileSync(new URL(TEMPLATE, FIXTURES), 'utf8')
      .split('\n')
      .map((line, i) =>
        line.replace('{%s}', new Date(Date.UTC(2024, 4, 1, 10, 0, i)).toISOString().replace('.000', '')),
      )
      .join('\n');

    // When it is parsed
    const { summary, rows } = await parseText(text, undefined, 1000);

    // Then all 44 records give 7-feature rows with one probability each
    const expected = EXPECTED[`${TEMPLATE} (timestamps)`];
    if (expected === undefined) throw new Error('no reference for the substituted template');
    expectFixture(summary, rows, expected);
  });

  it('rejects the SDK capture template as is, naming the placeholder', async () => {
    // Given the unmodified template whose inferenceTime is the literal "{%s}"
    const stream = createReadStream(new URL(TEMPLATE, FIXTURES));

    // When it is parsed
    const summary = await parseCaptureStream(stream, { row: () => undefined });

    // Then each line is rejected with a reason quoting the value
    expect(summary.rejections[0]).toEqual({
      line: 1,
      field: 'eventMetadata.inferenceTime',
      reason: '"{%s}" is not an ISO-8601 date-time; expected YYYY-MM-DDTHH:MM:SS[.fraction] with Z or ±HH:MM',
    });
  });
});
