import { readFileSync } from 'node:fs';
import { beforeEach, describe, expect, it } from 'vitest';
import type { MonitorConfig } from '../../functions/core/config/schema.js';
import { BINARY_METRICS } from '../../functions/core/quality/metrics.js';
import type { ModelQualityStatisticsFile } from '../../functions/core/quality/statistics.js';
import { InvalidEventError } from '../../functions/errors.js';
import { createHandler, type MergeGroundTruthDeps } from '../../functions/handlers/merge-ground-truth.js';
import type { MetricDatum } from '../../functions/ports/metric-sink.js';
import { endpointContext } from '../../functions/services/endpoint-context.js';
import { type QualityWindowReport, qualityContext } from '../../functions/services/merge-ground-truth.js';
import { csvCaptureLine, groundTruthLine } from '../../scripts/local/records.js';
import { REFERENCE } from '../core/quality/support.js';
import {
  oneEndpointConfig,
  recordingLog,
  recordingMetrics,
  steppingClock,
  valuesOf,
} from './support/deps.js';
import { MemoryStore } from './support/memory-store.js';

// The churn model-quality notebook's baseline predictions (probability, prediction, label; 201 rows), whose
// metrics at threshold 0.8 scikit-learn computed in test/fixtures/quality/reference-values.json (`churn`).
const CHURN_CSV = 'test/fixtures/model-monitor-outputs/churn-model-quality/validation_with_predictions.csv';
const ROWS = readFileSync(CHURN_CSV, 'utf8')
  .trim()
  .split('\n')
  .slice(1)
  .map((line) => {
    const [probability, , label] = line.split(',');
    return { probability: probability ?? '', label: label ?? '' };
  });
const NOW = new Date('2026-11-26T14:20:00Z');
const CAPTURE_HOUR = 'datacapture/churn/AllTraffic/2026/11/26/10';
const MM = 'aws/sagemaker/Endpoints/model-metrics';
const MM_DIMS = { Endpoint: 'churn', MonitoringSchedule: 'churn-driftwatch' };
const OWN = { Endpoint: 'churn' };

function config(modelQuality: Record<string, unknown> = {}): MonitorConfig {
  return oneEndpointConfig({
    groundTruth: { s3Uri: 's3://labels/gt/churn', lookbackHours: 24 },
    payload: { output: { names: ['churn_probability'] } },
    modelQuality: {
      problemType: 'BinaryClassification',
      probabilityAttribute: 'churn_probability',
      probabilityThreshold: 0.8,
      minSamples: 30,
      thresholds: { auc: { threshold: 0.95 }, f1: { threshold: 0.7 } },
      ...modelQuality,
    },
  });
}

function deps(store: MemoryStore, cfg = config(), now = NOW) {
  const metrics = recordingMetrics();
  const log = recordingLog();
  const d: MergeGroundTruthDeps = {
    endpoint: endpointContext(cfg, 'churn', { bucket: 'reports', key: 'dw' }),
    quality: qualityContext(cfg, 'churn'),
    store,
    metrics,
    log,
    clock: steppingClock(now),
  };
  return { deps: d, metrics, log };
}

const capture = (id: string, probability: string, second: number) =>
  csvCaptureLine({
    input: '1,2,3',
    output: `${probability}\n`,
    eventId: id,
    inferenceTime: `2026-11-26T10:${String(Math.floor(second / 60)).padStart(2, '0')}:${String(second % 60).padStart(2, '0')}Z`,
  });

/**
 * The 201 rows as captures of 10:00 (two objects) plus 4 captures nobody labels and one malformed line; labels for
 * rows 0..149 collected at 11:00 (with 3 labels of uncaptured ids and 2 bad lines), rows 150..200 at 13:00.
 */
function churnWorld(): MemoryStore {
  const store = new MemoryStore();
  const lines = ROWS.map((r, i) => capture(`e-${i}`, r.probability, i));
  const extra = [0, 1, 2, 3].map((i) => capture(`u-${i}`, '0.5', 300 + i));
  store.put('capture', `${CAPTURE_HOUR}/10-00-000-a.jsonl`, `${lines.slice(0, 120).join('\n')}\n`);
  store.put(
    'capture',
    `${CAPTURE_HOUR}/30-00-000-b.jsonl`,
    `${[...lines.slice(120), ...extra, '{not json'].join('\n')}\n`,
  );
  store.put('capture', `${CAPTURE_HOUR}/README.txt`, 'not capture');
  const early = ROWS.slice(0, 150).map((r, i) => groundTruthLine(`e-${i}`, r.label));
  const orphans = ['o-0', 'o-1', 'o-2'].map((id) => groundTruthLine(id, '1'));
  const bad = [
    'not json',
    JSON.stringify({ groundTruthData: { data: '1', encoding: 'CSV' }, eventMetadata: {} }),
  ];
  store.put(
    'labels',
    'gt/churn/2026/11/26/11/labels.jsonl',
    `${[...early, ...orphans, ...bad].join('\n')}\n`,
  );
  const late = ROWS.slice(150).map((r, i) => groundTruthLine(`e-${150 + i}`, r.label));
  store.put('labels', 'gt/churn/2026/11/26/13/late.jsonl', `${late.join('\n')}\n`);
  return store;
}

const objectCreated = (bucket: string, key: string, detailType = 'Object Created') => ({
  source: 'aws.s3',
  'detail-type': detailType,
  detail: { bucket: { name: bucket }, object: { key, size: 1 } },
});

const one = (
  metrics: readonly MetricDatum[],
  namespace: string,
  name: string,
  dims: Record<string, string>,
) => {
  const values = valuesOf(
    metrics.filter((m) => m.namespace === namespace),
    name,
    dims,
  );
  expect(values, `${namespace} ${name}`).toHaveLength(1);
  return values[0] as number;
};

describe('merge-ground-truth handler', () => {
  let store: MemoryStore;
  beforeEach(() => {
    store = churnWorld();
  });

  it('computes the window, its join and Model Monitor metrics equal to scikit-learn', async () => {
    // Given: the window of the 10:00 captures, evaluated at 14:20
    const { deps: d, metrics } = deps(store);
    // When
    const result = await createHandler(d)({
      endpoint: 'churn',
      windowEnd: '2026-11-26T11:00:00Z',
      windowHours: 1,
    });
    // Then: every line used or counted, the join accounted for
    expect(result.skipped).toEqual([]);
    expect(result.windows).toHaveLength(1);
    const summary = result.windows[0];
    expect(summary).toMatchObject({
      status: 'evaluated',
      windowStart: '2026-11-26T10:00:00.000Z',
      windowEnd: '2026-11-26T11:00:00.000Z',
      captures: { objects: 2, lines: 206, accepted: 205, rejected: 1, predictions: 205, unusable: 0 },
      groundTruth: { objects: 2, lines: 206, accepted: 204, rejected: 2 },
      join: {
        captures: 205,
        labels: 204,
        matched: 201,
        unmatchedCaptures: 4,
        orphanedLabels: 3,
        joinRate: 201 / 205,
      },
      evaluated: 201,
      published: true,
      violations: 1,
      reportPrefix: 's3://reports/dw/reports/churn/churn-driftwatch/model-quality/2026/11/26/11/',
    });
    // Then: labels listed from the window's start to the current hour, not the whole lookback into the future,
    // once to read them and once after writing, to find labels that arrived during the merge (none here)
    const hours = ['10', '11', '12', '13', '14'].map((h) => `labels/gt/churn/2026/11/26/${h}/`);
    expect(store.listed.filter((p) => p.startsWith('labels/'))).toEqual([...hours, ...hours]);
    // Then: Model Monitor's names, namespace and dimensions, with sklearn's values
    const flushed = metrics.flushed;
    const e = REFERENCE.churn.expected;
    const expected: Record<string, number> = {
      accuracy: e.accuracy as number,
      precision: e.precision as number,
      recall: e.recall as number,
      true_positive_rate: e.recall as number,
      false_positive_rate: e.false_positive_rate as number,
      true_negative_rate: e.true_negative_rate_sklearn as number,
      false_negative_rate: e.false_negative_rate_sklearn as number,
      f0_5: e.f0_5 as number,
      f1: e.f1 as number,
      f2: e.f2 as number,
      auc: e.auc as number,
      au_prc: e.au_prc as number,
      ...Object.fromEntries(
        Object.entries(e.best_constant).map(([k, v]) => [`${k}_best_constant_classifier`, v]),
      ),
    };
    expect(Object.keys(expected).sort()).toEqual([...BINARY_METRICS].sort());
    for (const [name, value] of Object.entries(expected)) {
      expect(one(flushed, MM, name, MM_DIMS), name).toBeCloseTo(value, 12);
      expect(one(flushed, 'driftwatch', 'ModelQuality', { ...OWN, Metric: name }), name).toBeCloseTo(
        value,
        12,
      );
    }
    expect(flushed.filter((m) => m.namespace === MM)).toHaveLength(BINARY_METRICS.length);
    // Then: the join's own metrics (latency: 150 labels 1 h after, 51 labels 3 h after -> median 1, p90 3)
    expect(one(flushed, 'driftwatch', 'GroundTruthJoinRate', OWN)).toBe(201 / 205);
    expect(one(flushed, 'driftwatch', 'LabelsJoined', OWN)).toBe(201);
    expect(one(flushed, 'driftwatch', 'UnmatchedCaptures', OWN)).toBe(4);
    expect(one(flushed, 'driftwatch', 'OrphanedLabels', OWN)).toBe(3);
    expect(one(flushed, 'driftwatch', 'GroundTruthRecordsRejected', OWN)).toBe(2);
    expect(one(flushed, 'driftwatch', 'LabelLatencyMedianHours', OWN)).toBe(1);
    expect(one(flushed, 'driftwatch', 'LabelLatencyP90Hours', OWN)).toBe(3);
    expect(one(flushed, 'driftwatch', 'ModelQualityPairs', OWN)).toBe(201);
    expect(one(flushed, 'driftwatch', 'ModelQualityViolations', OWN)).toBe(1);
    expect(one(flushed, 'driftwatch', 'MergeProcessingTime', OWN)).toBe(0);
    // No calibration under the baseline prefix: no estimates
    expect(flushed.filter((m) => m.name.startsWith('Estimated'))).toEqual([]);
    for (const m of flushed) expect(m.timestamp).toEqual(new Date('2026-11-26T11:00:00Z'));
  });

  it('computes Model Monitor files and a join report naming every rejected line', async () => {
    // Given
    const { deps: d } = deps(store);
    // When
    await createHandler(d)({ endpoint: 'churn', windowEnd: '2026-11-26T11:00:00Z', windowHours: 1 });
    // Then: statistics.json in Model Monitor's shape, sklearn's confusion matrix, the window's end as its time
    const prefix = 'dw/reports/churn/churn-driftwatch/model-quality/2026/11/26/11/';
    const stats = store.json<ModelQualityStatisticsFile>('reports', `${prefix}statistics.json`);
    const c = REFERENCE.churn.expected.confusion;
    expect(stats.dataset).toEqual({ item_count: 201, evaluation_time: '2026-11-26T11:00:00.000Z' });
    expect(stats.binary_classification_metrics?.confusion_matrix).toEqual({
      '0': { '0': c.tn, '1': c.fp },
      '1': { '0': c.fn, '1': c.tp },
    });
    // 201 rows >= 200: Model Monitor's subsample standard deviation is a number, not "NaN"
    expect(typeof stats.binary_classification_metrics?.accuracy).toBe('object');
    expect(stats.binary_classification_metrics?.accuracy).toMatchObject({
      value: REFERENCE.churn.expected.accuracy,
      standard_deviation: expect.any(Number),
    });
    expect(store.json('reports', `${prefix}constraint_violations.json`)).toEqual({
      violations: [
        {
          metric_name: 'auc',
          constraint_check_type: 'LessThanThreshold',
          description: `Metric auc with ${REFERENCE.churn.expected.auc} was LessThanThreshold 0.95`,
        },
      ],
    });
    const report = store.json<QualityWindowReport>('reports', `${prefix}quality-report.json`);
    expect(report.rejections.captures).toEqual([
      expect.stringMatching(
        /^s3:\/\/capture\/datacapture\/churn\/AllTraffic\/2026\/11\/26\/10\/30-00-000-b\.jsonl:86: malformed JSON/,
      ),
    ]);
    expect(report.rejections.groundTruth).toEqual([
      expect.stringMatching(/^s3:\/\/labels\/gt\/churn\/2026\/11\/26\/11\/labels\.jsonl:154: malformed JSON/),
      's3://labels/gt/churn/2026/11/26/11/labels.jsonl:155 eventMetadata.eventId: missing; expected a non-empty string',
    ]);
    expect(report.labelHours).toEqual({ start: '2026-11-26T10:00:00.000Z', end: '2026-11-27T11:00:00.000Z' });
    expect(report.join?.examples.orphanedLabels).toEqual(['o-0', 'o-1', 'o-2']);
    expect(report.join?.examples.unmatchedCaptures).toEqual(['u-0', 'u-1', 'u-2', 'u-3']);
  });

  it('computes the window of a ground-truth object from its collection hour, with the same metrics', async () => {
    // Given: the late labels' object arrives (collected at 13:00)
    const { deps: d, metrics } = deps(store);
    // When
    const result = await createHandler(d)(objectCreated('labels', 'gt/churn/2026/11/26/13/late.jsonl'));
    // Then: the window ends at 14:00 and spans lookbackHours + 1 = 25 hours of captures
    expect(result.windows.map((w) => [w.windowStart, w.windowEnd, w.status, w.evaluated])).toEqual([
      ['2026-11-25T13:00:00.000Z', '2026-11-26T14:00:00.000Z', 'evaluated', 201],
    ]);
    expect(one(metrics.flushed, MM, 'auc', MM_DIMS)).toBeCloseTo(REFERENCE.churn.expected.auc as number, 12);
    expect(
      store.text('reports', 'dw/reports/churn/churn-driftwatch/model-quality/2026/11/26/14/statistics.json'),
    ).toBeDefined();
    for (const m of metrics.flushed) expect(m.timestamp).toEqual(new Date('2026-11-26T14:00:00Z'));
  });

  it('computes the same files and metrics when a window is evaluated twice, also a day later', async () => {
    // Given: two objects of one hour delivered in one S3 notification, then the same event again
    const event = {
      Records: [
        {
          eventName: 'ObjectCreated:Put',
          s3: { bucket: { name: 'labels' }, object: { key: 'gt/churn/2026/11/26/11/labels.jsonl' } },
        },
        {
          eventName: 'ObjectCreated:Put',
          s3: { bucket: { name: 'labels' }, object: { key: 'gt/churn/2026/11/26/11/more.jsonl' } },
        },
      ],
    };
    const first = deps(store);
    // a day later, with the same objects
    const second = deps(store, config(), new Date(NOW.getTime() + 24 * 3_600_000));
    // When
    const a = await createHandler(first.deps)(event);
    const filesA = new Map([...store.objects].filter(([k]) => k.startsWith('reports/')));
    const b = await createHandler(second.deps)(event);
    const filesB = new Map([...store.objects].filter(([k]) => k.startsWith('reports/')));
    // Then: one window for the two objects of one hour; byte-identical files and identical metrics
    expect(a.windows).toHaveLength(1);
    expect(b).toEqual(a);
    expect(filesB).toEqual(filesA);
    expect(filesA.size).toBe(3);
    expect(second.metrics.flushed).toEqual(first.metrics.flushed);
  });

  it('computes skipped objects that are not ground truth of this endpoint', async () => {
    // Given: another bucket, a key outside the prefix, a key without an hour partition, a deletion
    const { deps: d, metrics } = deps(store);
    const handler = createHandler(d);
    // When
    const results = [
      await handler(objectCreated('capture', 'gt/churn/2026/11/26/11/x.jsonl')),
      await handler(objectCreated('labels', 'gt/other/2026/11/26/11/x.jsonl')),
      await handler(objectCreated('labels', 'gt/churn/manual/x.jsonl')),
      await handler(objectCreated('labels', 'gt/churn/2026/11/26/11/x.jsonl', 'Object Deleted')),
    ];
    // Then: nothing evaluated, each with its reason, nothing written, metrics flushed each time
    expect(results.flatMap((r) => r.windows)).toEqual([]);
    expect(results.flatMap((r) => r.skipped.map((s) => [s.key, s.reason]))).toEqual([
      ['gt/churn/2026/11/26/11/x.jsonl', 'not-ground-truth'],
      ['gt/other/2026/11/26/11/x.jsonl', 'not-ground-truth'],
      ['gt/churn/manual/x.jsonl', 'no-hour-partition'],
      ['gt/churn/2026/11/26/11/x.jsonl', 'not-object-created'],
    ]);
    expect(store.written).toEqual([]);
    expect(metrics.flushes).toBe(4);
  });

  it('computes the default window from the clock for the scheduler input', async () => {
    // Given: 14:20, delayMinutes 15
    const { deps: d } = deps(store);
    // When
    const result = await createHandler(d)({ endpoint: 'churn' });
    // Then: the 25 hours that ended at 14:00
    expect(result.windows[0]).toMatchObject({
      windowStart: '2026-11-25T13:00:00.000Z',
      windowEnd: '2026-11-26T14:00:00.000Z',
      evaluated: 201,
    });
  });

  it('computes join metrics but neither Model Monitor metrics nor violations below minSamples', async () => {
    // Given: minSamples above the 201 joined pairs
    const { deps: d, metrics } = deps(store, config({ minSamples: 500 }));
    // When
    const result = await createHandler(d)({
      endpoint: 'churn',
      windowEnd: '2026-11-26T11:00:00Z',
      windowHours: 1,
    });
    // Then
    expect(result.windows[0]).toMatchObject({
      status: 'evaluated',
      evaluated: 201,
      published: false,
      violations: 0,
    });
    expect(metrics.flushed.filter((m) => m.namespace === MM)).toEqual([]);
    expect(
      metrics.flushed.filter((m) => m.name === 'ModelQuality' || m.name === 'ModelQualityViolations'),
    ).toEqual([]);
    expect(one(metrics.flushed, 'driftwatch', 'LabelsJoined', OWN)).toBe(201);
    const prefix = 'dw/reports/churn/churn-driftwatch/model-quality/2026/11/26/11/';
    expect(store.json('reports', `${prefix}constraint_violations.json`)).toEqual({ violations: [] });
    expect(store.json<QualityWindowReport>('reports', `${prefix}quality-report.json`).notChecked).toBe(
      '201 labelled pairs, fewer than minSamples (500)',
    );
  });

  it('computes no-labels (a join report only) and no-data (nothing written)', async () => {
    // Given: captures at 10:00 whose labels are not there yet; a window with nothing at all
    store.objects.delete('labels/gt/churn/2026/11/26/11/labels.jsonl');
    store.objects.delete('labels/gt/churn/2026/11/26/13/late.jsonl');
    const { deps: d, metrics } = deps(store);
    const handler = createHandler(d);
    // When
    const pending = await handler({ endpoint: 'churn', windowEnd: '2026-11-26T11:00:00Z', windowHours: 1 });
    const empty = await handler({ endpoint: 'churn', windowEnd: '2026-11-20T11:00:00Z', windowHours: 1 });
    // Then
    expect(pending.windows[0]).toMatchObject({
      status: 'no-labels',
      evaluated: 0,
      join: { captures: 205, matched: 0 },
    });
    expect(empty.windows[0]).toMatchObject({ status: 'no-data' });
    expect(store.written).toEqual([
      'reports/dw/reports/churn/churn-driftwatch/model-quality/2026/11/26/11/quality-report.json',
    ]);
    expect(one(metrics.flushed, 'driftwatch', 'GroundTruthJoinRate', OWN)).toBe(0);
    expect(one(metrics.flushed, 'driftwatch', 'UnmatchedCaptures', OWN)).toBe(205);
    expect(metrics.flushed.filter((m) => m.namespace === MM)).toEqual([]);
    expect(valuesOf(metrics.flushed, 'MergeProcessingTime', OWN)).toEqual([0, 0]);
  });

  it('computes CBPE estimates from a calibration under the baseline prefix', async () => {
    // Given: calibration scores 0.2 (1 positive in 5) and 0.9 (9 positives in 10), so isotonic p(0.2) = 0.2 and
    // p(0.9) = 0.9; a window of ten captures at each score, none labelled
    const fresh = new MemoryStore();
    const calibration = [
      ...['0', '0', '0', '0', '1'].map((l) => `0.2,${l}`),
      ...['1', '1', '1', '1', '1', '1', '1', '1', '1', '0'].map((l) => `0.9,${l}`),
    ];
    fresh.put(
      'baselines',
      'churn/model-quality-calibration.csv',
      `churn_probability,label\n${calibration.join('\n')}\n`,
    );
    const lines = Array.from({ length: 20 }, (_, i) => capture(`c-${i}`, i < 10 ? '0.2' : '0.9', i));
    fresh.put('capture', `${CAPTURE_HOUR}/00-00-000-x.jsonl`, `${lines.join('\n')}\n`);
    const { deps: d, metrics } = deps(fresh, config({ probabilityThreshold: 0.5 }));
    // When
    const result = await createHandler(d)({
      endpoint: 'churn',
      windowEnd: '2026-11-26T11:00:00Z',
      windowHours: 1,
    });
    // Then, by hand: predicted 1 at 0.9: E[TP] = 10 x 0.9 = 9, E[FP] = 1; predicted 0 at 0.2: E[FN] = 2, E[TN] = 8.
    // AUC: positive mass 9 at 0.9 and 2 at 0.2, negative mass 1 and 8: (9 x 8 + (9 x 1 + 2 x 8) / 2) / (11 x 9).
    const expected = {
      EstimatedAccuracy: 17 / 20,
      EstimatedPrecision: 9 / 10,
      EstimatedRecall: 9 / 11,
      EstimatedF1: 18 / 21,
      EstimatedAuc: (72 + 12.5) / 99,
    };
    expect(result.windows[0]?.status).toBe('no-labels');
    for (const [name, value] of Object.entries(expected)) {
      expect(one(metrics.flushed, 'driftwatch', name, OWN), name).toBeCloseTo(value, 12);
    }
  });

  it('throws when the event names another endpoint or is malformed, flushing metrics', async () => {
    const { deps: d, metrics } = deps(store);
    const handler = createHandler(d);
    await expect(handler({ endpoint: 'other' })).rejects.toThrow(InvalidEventError);
    await expect(handler({ endpoint: 'churn', windowEnd: '2026-11-26T11:30:00Z' })).rejects.toThrow(
      /whole hour/,
    );
    await expect(handler({ hello: 1 })).rejects.toThrow(InvalidEventError);
    expect(metrics.flushes).toBe(3);
  });
});
