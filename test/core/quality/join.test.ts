import { createReadStream, readFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCaptureStream } from '../../../functions/core/capture/parse-capture.js';
import { buildEvaluationSet } from '../../../functions/core/quality/dataset.js';
import { QualityInputError } from '../../../functions/core/quality/errors.js';
import {
  collectionHourFromKey,
  type GroundTruthLabel,
  parseGroundTruthStream,
} from '../../../functions/core/quality/ground-truth.js';
import { captureHoursFor, joinGroundTruth, labelHoursFor } from '../../../functions/core/quality/join.js';
import { binaryMetrics } from '../../../functions/core/quality/metrics.js';
import { type CapturedPrediction, PredictionCollector } from '../../../functions/core/quality/predictions.js';
import { close, REFERENCE } from './support.js';

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 10, 26, 10);
const capture = (key: string, hoursAfterT0: number | undefined, prediction = 1): CapturedPrediction => ({
  key,
  prediction,
  line: 1,
  ...(hoursAfterT0 === undefined ? {} : { inferenceTime: T0 + hoursAfterT0 * HOUR + 60_000 }),
});
const label = (eventId: string, hoursAfterT0: number | undefined, value = '1'): GroundTruthLabel => ({
  eventId,
  label: value,
  line: 1,
  ...(hoursAfterT0 === undefined ? {} : { collectedAt: T0 + hoursAfterT0 * HOUR }),
});

async function* text(s: string): AsyncGenerator<string> {
  yield s;
}

describe('joinGroundTruth', () => {
  it('computes matches, unmatched captures, orphaned labels and latency', () => {
    // Given: a joined in the same hour, b 3 h later, c never labelled, a label for an uncaptured id
    const captures = [capture('a', 0), capture('b', 0), capture('c', 1)];
    const labels = [label('a', 0), label('b', 3), label('zz', 2)];
    // When
    const { records, summary } = joinGroundTruth(captures, labels, { lookbackHours: 24 });
    // Then
    expect(records.map((r) => [r.key, r.latencyHours])).toEqual([
      ['a', 0],
      ['b', 3],
    ]);
    expect(summary).toMatchObject({
      captures: 3,
      labels: 3,
      matched: 2,
      joinRate: 2 / 3,
      unmatchedCaptures: 1,
      orphanedLabels: 1,
      latency: { count: 2, min: 0, median: 1.5, p90: 3, max: 3, mean: 1.5 },
      examples: { unmatchedCaptures: ['c'], orphanedLabels: ['zz'] },
    });
  });

  it('computes labels outside the lookback as not joined', () => {
    const { summary } = joinGroundTruth([capture('a', 0), capture('b', 5)], [label('a', 25), label('b', 4)], {
      lookbackHours: 24,
    });
    expect(summary).toMatchObject({ matched: 0, outsideLookback: 2, unmatchedCaptures: 2 });
  });

  it('computes the latest collected label as the one joined (a corrected label)', () => {
    const { records, summary } = joinGroundTruth(
      [capture('a', 0)],
      [label('a', 2, '1'), label('a', 5, '0'), label('a', 3, '1')],
    );
    expect(records[0]?.label).toBe('0');
    expect(summary.supersededLabels).toBe(2);
  });

  it('computes a re-used id as joined to the capture its label fits by time, and ambiguous when it fits both', () => {
    // Given: inference id "7" used on two days; one label the next hour after each, one label with no time
    const captures = [capture('7', 0), capture('7', 48)];
    // When
    const byTime = joinGroundTruth(captures, [label('7', 1, '0'), label('7', 49, '1')]);
    const untimed = joinGroundTruth(captures, [label('7', undefined)]);
    // Then
    expect(byTime.records.map((r) => r.label)).toEqual(['0', '1']);
    expect(untimed.summary).toMatchObject({ matched: 0, ambiguousCaptures: 2, ambiguousLabels: 1 });
  });

  it('computes every capture and label in exactly one bucket', () => {
    const captures = [capture('a', 0), capture('b', 0), capture('b', 0), capture('c', 0), capture('d', 0)];
    const labels = [label('a', 1), label('a', 2), label('b', 1), label('c', 40), label('x', 1)];
    const { summary: s } = joinGroundTruth(captures, labels, { lookbackHours: 24 });
    expect(s.matched + s.unmatchedCaptures + s.ambiguousCaptures).toBe(s.captures);
    expect(
      s.joinedLabels + s.supersededLabels + s.outsideLookback + s.orphanedLabels + s.ambiguousLabels,
    ).toBe(s.labels);
    expect(s).toMatchObject({
      matched: 1,
      ambiguousCaptures: 2,
      unmatchedCaptures: 2,
      supersededLabels: 1,
      outsideLookback: 1,
    });
  });

  it('throws when lookbackHours is negative or fractional', () => {
    expect(() => joinGroundTruth([], [], { lookbackHours: -1 })).toThrow(QualityInputError);
    expect(() => joinGroundTruth([], [], { lookbackHours: 1.5 })).toThrow(
      /lookbackHours: expected an integer >= 0/,
    );
  });

  it("joins the SDK's real capture.jsonl to its actuals.jsonl by eventId and matches sklearn's metrics", async () => {
    // Given: the SDK's paired fixtures, with the "{%s}" inferenceTime template replaced by 10:00 + line seconds,
    // and the labels collected in the 12:00 partition
    const lines = readFileSync('test/fixtures/sagemaker-data-capture/sdk-tests/capture.jsonl', 'utf8')
      .split('\n')
      .map((line, i) => line.replace('{%s}', `2026-11-26T10:00:${String(i % 60).padStart(2, '0')}Z`));
    const collector = new PredictionCollector();
    const captureSummary = await parseCaptureStream(text(lines.join('\n')), collector);
    const labels: GroundTruthLabel[] = [];
    await parseGroundTruthStream(
      createReadStream('test/fixtures/sagemaker-data-capture/sdk-tests/actuals.jsonl'),
      (l) => labels.push(l),
      {
        collectedAt: collectionHourFromKey('gt/2026/11/26/12/actuals.jsonl'),
      },
    );
    // When
    const { records, summary } = joinGroundTruth(collector.predictions, labels, { lookbackHours: 24 });
    const set = buildEvaluationSet(
      records.map((r) => ({ prediction: null, probability: r.prediction, label: r.label })),
      { problemType: 'BinaryClassification' },
    ).set;
    const m = binaryMetrics(set as Parameters<typeof binaryMetrics>[0]);
    // Then
    expect(captureSummary.rejected).toBe(0);
    expect(summary).toMatchObject({ captures: 44, labels: 44, matched: 44, joinRate: 1, orphanedLabels: 0 });
    expect(summary.latency).toMatchObject({ min: 2, max: 2 });
    const e = REFERENCE.sdkJoin.expected;
    expect(set.n).toBe(REFERENCE.sdkJoin.pairs);
    for (const key of ['accuracy', 'precision', 'recall', 'f1', 'auc', 'au_prc']) {
      expect(close(m[key], e[key] as number), key).toBe(true);
    }
  });

  it('joins the real churn captures by inferenceId, telling re-used ids apart by time', async () => {
    // Given: AWS's churn captures (inferenceIds 0, 57, 58 on 2021-02-05; 0, 58, 59 on 2021-05-18; 0, 57, 58 on
    // 2021-05-26) and the notebook's ground truth for ids 0..59, uploaded at 2021-02-05 05:00
    const collector = new PredictionCollector({ probabilityAttribute: '0' });
    await parseCaptureStream(
      createReadStream(
        'test/fixtures/model-monitor-outputs/churn-model-quality/captured-records-with-inferenceId.jsonl',
      ),
      collector,
    );
    const key = 'test/fixtures/quality/churn-ground-truth/2021/02/05/05/0000.jsonl';
    const labels: GroundTruthLabel[] = [];
    await parseGroundTruthStream(createReadStream(key), (l) => labels.push(l), {
      collectedAt: collectionHourFromKey(key),
    });
    // When
    const { records, summary } = joinGroundTruth(collector.predictions, labels, { lookbackHours: 24 });
    // Then: the February captures join (latency 1 h); the May ones have no label within 24 h
    expect(records.map((r) => [r.key, r.probability, r.latencyHours])).toEqual([
      ['0', '0.01584203727543354', 1],
      ['57', '0.5217539072036743', 1],
      ['58', '0.01216088142246008', 1],
    ]);
    expect(summary).toMatchObject({
      captures: 9,
      matched: 3,
      unmatchedCaptures: 6,
      labels: 60,
      outsideLookback: 1,
      orphanedLabels: 56,
    });
  });
});

describe('joinGroundTruth with the batch-transform sample', () => {
  it('joins the 198 real ground-truth files by eventId to captures carrying their ids', async () => {
    // Given: the real label files (eventId = file name); captures for every other id, as a batch transform with
    // GenerateInferenceId writes them (no inferenceId, so the join uses eventId)
    const dir = 'test/fixtures/sagemaker-data-capture/groundtruth-churn-batch';
    const files = (await readdir(dir)).sort();
    const labels: GroundTruthLabel[] = [];
    for (const file of files) {
      await parseGroundTruthStream(createReadStream(join(dir, file)), (l) => labels.push(l), {
        source: file,
      });
    }
    const captured = files.filter((_, i) => i % 2 === 0).map((f) => f.replace('.jsonl', ''));
    const predictions = captured.map((key, i) => ({ key, prediction: i % 3 === 0 ? '1' : '0', line: i + 1 }));
    // When
    const { records, summary } = joinGroundTruth(predictions, labels);
    // Then
    expect(summary).toMatchObject({
      captures: 99,
      labels: 198,
      matched: 99,
      joinRate: 1,
      orphanedLabels: 99,
    });
    const byId = new Map(labels.map((l) => [l.eventId, l.label]));
    for (const r of records) expect(r.label).toBe(byId.get(r.key));
  });
});

describe('labelHoursFor and captureHoursFor', () => {
  it('computes the partitions a window join reads', () => {
    expect(labelHoursFor({ start: T0, end: T0 + HOUR }, 24)).toEqual({ start: T0, end: T0 + 25 * HOUR });
    expect(captureHoursFor({ start: T0, end: T0 + HOUR }, 24)).toEqual({
      start: T0 - 24 * HOUR,
      end: T0 + HOUR,
    });
  });
});

describe('PredictionCollector', () => {
  it('computes unusable rows with the reason', async () => {
    const collector = new PredictionCollector({ inferenceAttribute: 'score' }, 'f.jsonl');
    const lines = [
      JSON.stringify({
        captureData: { endpointInput: { data: '1,2', encoding: 'CSV' } },
        eventMetadata: { eventId: 'a' },
      }),
      JSON.stringify({ captureData: { endpointOutput: { data: '0.5', encoding: 'CSV' } } }),
      JSON.stringify({
        captureData: { endpointOutput: { data: '0.5', encoding: 'CSV' } },
        eventMetadata: { eventId: 'c' },
      }),
    ];
    await parseCaptureStream(text(lines.join('\n')), collector);
    expect(collector.predictions).toEqual([]);
    expect(collector.unusable).toEqual([
      { source: 'f.jsonl', line: 1, reason: 'no endpointOutput (the prediction is not captured)' },
      { source: 'f.jsonl', line: 2, reason: 'no eventMetadata.inferenceId or eventId to join by' },
      { source: 'f.jsonl', line: 3, reason: 'no output "score" (outputs: prediction)' },
    ]);
  });
});
