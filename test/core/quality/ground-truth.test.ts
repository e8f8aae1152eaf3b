import { createReadStream } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  collectionHourFromKey,
  type GroundTruthLabel,
  parseGroundTruthLine,
  parseGroundTruthStream,
} from '../../../functions/core/quality/ground-truth.js';

const BATCH = 'test/fixtures/sagemaker-data-capture/groundtruth-churn-batch';
const ACTUALS = 'test/fixtures/sagemaker-data-capture/sdk-tests/actuals.jsonl';
const record = (data: unknown, encoding = 'CSV', eventId: unknown = 'e1') =>
  JSON.stringify({ groundTruthData: { data, encoding }, eventMetadata: { eventId }, eventVersion: '0' });

async function* chunks(text: string): AsyncGenerator<string> {
  yield text;
}

describe('parseGroundTruthLine', () => {
  it.each([
    ['CSV', record('1'), '1'],
    ['CSV with a trailing newline', record('0\n'), '0'],
    ['quoted CSV', record('"yes, really"'), 'yes, really'],
    ['a JSON number', record('1', 'JSON'), 1],
    ['a JSON string', record('"cat"', 'JSON'), 'cat'],
    ['BASE64 CSV', record(Buffer.from('1').toString('base64'), 'BASE64'), '1'],
  ])('computes the label of %s', (_, line, label) => {
    expect(parseGroundTruthLine(line, 1)).toEqual({ eventId: 'e1', label, line: 1 });
  });

  it('computes the label at labelAttribute inside JSON data', () => {
    const line = record(JSON.stringify({ label: 0, score: 0.2 }), 'JSON');
    expect(parseGroundTruthLine(line, 3, { labelAttribute: '$.label', collectedAt: 7, source: 'f' })).toEqual(
      {
        eventId: 'e1',
        label: 0,
        line: 3,
        collectedAt: 7,
        source: 'f',
      },
    );
  });

  it.each([
    ['malformed JSON', '{"groundTruthData":', undefined, /malformed JSON/],
    [
      'no eventId',
      JSON.stringify({ groundTruthData: { data: '1', encoding: 'CSV' }, eventMetadata: {} }),
      'eventMetadata.eventId',
      /missing; expected a non-empty string/,
    ],
    ['a numeric eventId', record('1', 'CSV', 5), 'eventMetadata.eventId', /found number/],
    ['no groundTruthData', JSON.stringify({ eventMetadata: { eventId: 'x' } }), 'groundTruthData', /missing/],
    ['an unknown encoding', record('1', 'XML'), 'groundTruthData.encoding', /unknown encoding/],
    [
      'two CSV fields',
      record('1,0'),
      'groundTruthData.data',
      /expected one CSV value, found 1 row\(s\) and 2 field\(s\)/,
    ],
    ['an empty label', record(''), 'groundTruthData.data', /expected one CSV value|empty/],
    [
      'a JSON object without labelAttribute',
      record('{"a":1}', 'JSON'),
      'groundTruthData.data',
      /set groundTruth.labelAttribute/,
    ],
  ])('computes a rejection for %s', (_, line, field, reason) => {
    const result = parseGroundTruthLine(line, 4);
    expect(result).toMatchObject({ line: 4, ...(field ? { field } : {}) });
    expect((result as { reason: string }).reason).toMatch(reason);
  });

  it('throws when labelAttribute is not a supported JSON path', () => {
    expect(() => parseGroundTruthLine(record('1'), 1, { labelAttribute: '$..label' })).toThrow(
      /labelAttribute: JSON path/,
    );
  });
});

describe('parseGroundTruthStream', () => {
  it('computes labels and rejections without stopping at a bad line', async () => {
    const labels: GroundTruthLabel[] = [];
    const summary = await parseGroundTruthStream(
      chunks(`${record('1')}\n\nnot json\n${record('0', 'CSV', 'e2')}\n`),
      (l) => labels.push(l),
    );
    expect(summary).toMatchObject({ lines: 3, blankLines: 1, accepted: 2, rejected: 1 });
    expect(summary.rejections[0]?.line).toBe(3);
    expect(labels.map((l) => l.eventId)).toEqual(['e1', 'e2']);
  });

  it('reads the 198 real ground-truth files of the batch-transform churn sample', async () => {
    // Given: real files from aws/amazon-sagemaker-examples (test_gt/), one record each, eventId = file name
    const files = (await readdir(BATCH)).sort();
    const labels: GroundTruthLabel[] = [];
    // When
    for (const file of files) {
      const summary = await parseGroundTruthStream(createReadStream(join(BATCH, file)), (l) =>
        labels.push(l),
      );
      expect(summary.rejected, file).toBe(0);
    }
    // Then
    expect(files).toHaveLength(198);
    expect(labels).toHaveLength(198);
    expect(labels.map((l) => `${l.eventId}.jsonl`)).toEqual(files);
    expect(new Set(labels.map((l) => l.label))).toEqual(new Set(['0', '1']));
  });

  it("reads the SDK's actuals.jsonl with its template inferenceTime", async () => {
    const labels: GroundTruthLabel[] = [];
    const summary = await parseGroundTruthStream(createReadStream(ACTUALS), (l) => labels.push(l));
    expect(summary).toMatchObject({ lines: 44, accepted: 44, rejected: 0 });
  });
});

describe('collectionHourFromKey', () => {
  it('computes the hour of a yyyy/mm/dd/hh partition', () => {
    expect(collectionHourFromKey('gt/2021/02/05/04/0415.jsonl')).toBe(Date.UTC(2021, 1, 5, 4));
    expect(collectionHourFromKey('2021/02/05/04/x.jsonl')).toBe(Date.UTC(2021, 1, 5, 4));
    expect(collectionHourFromKey('C:\\gt\\2021\\12\\31\\23\\x.jsonl')).toBe(Date.UTC(2021, 11, 31, 23));
  });

  it('computes undefined without a partition or for an impossible hour', () => {
    expect(collectionHourFromKey('gt/labels.jsonl')).toBeUndefined();
    expect(collectionHourFromKey('gt/2021/02/30/04/x.jsonl')).toBeUndefined();
    expect(collectionHourFromKey('gt/2021/02/05/24/x.jsonl')).toBeUndefined();
  });
});
