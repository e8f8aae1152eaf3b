import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { QualityInputError } from '../../functions/core/quality/errors.js';
import { ConfigurationError, InputError } from '../../functions/errors.js';
import type { ObjectLocation, PutJsonOptions } from '../../functions/ports/object-store.js';
import { endpointContext } from '../../functions/services/endpoint-context.js';
import { calibrate, mergeGroundTruth, qualityContext } from '../../functions/services/merge-ground-truth.js';
import { csvCaptureLine } from '../../scripts/local/records.js';
import {
  oneEndpointConfig,
  recordingLog,
  recordingMetrics,
  steppingClock,
} from '../handlers/support/deps.js';
import { MemoryStore } from '../handlers/support/memory-store.js';

const QUALITY = {
  groundTruth: { s3Uri: 's3://labels/gt/', lookbackHours: 2 },
  modelQuality: { problemType: 'Regression' as const, minSamples: 1 },
};

describe('qualityContext', () => {
  it('computes the ground-truth location, the window length and the settings', () => {
    const context = qualityContext(oneEndpointConfig(QUALITY), 'churn');
    expect(context).toMatchObject({
      groundTruth: { bucket: 'labels', key: 'gt' },
      lookbackHours: 2,
      windowHours: 3,
      settings: { problemType: 'Regression', minSamples: 1, lookbackHours: 2 },
    });
  });

  it('throws when groundTruth or modelQuality is missing', () => {
    expect(() => qualityContext(oneEndpointConfig({ groundTruth: QUALITY.groundTruth }), 'churn')).toThrow(
      ConfigurationError,
    );
    expect(() => qualityContext(oneEndpointConfig(), 'churn')).toThrow(/has neither/);
  });
});

describe('calibrate', () => {
  it('throws when the probability or label column is missing, or one class is absent', () => {
    expect(() => calibrate('score,label\n0.1,0\n', 'p', 0.5, 'cal.csv')).toThrow(
      /cal.csv: expected columns "p" \(or "probability"\) and "label"; found score, label/,
    );
    expect(() => calibrate('probability,label\n0.1,0\n0.2,0\n', 'p', 0.5, 'cal.csv')).toThrow(
      QualityInputError,
    );
  });
});

describe('mergeGroundTruth', () => {
  const regressionCapture = (id: string, value: string) =>
    csvCaptureLine({ output: value, eventId: id, inferenceTime: '2026-11-26T10:30:00Z' });
  const label = (id: string, value: string) =>
    JSON.stringify({ groundTruthData: { data: value, encoding: 'CSV' }, eventMetadata: { eventId: id } });

  function context(store: MemoryStore) {
    const config = oneEndpointConfig(QUALITY);
    const metrics = recordingMetrics();
    return {
      metrics,
      ctx: {
        endpoint: endpointContext(config, 'churn', { bucket: 'reports', key: '' }),
        quality: qualityContext(config, 'churn'),
        store,
        metrics,
        log: recordingLog(),
        clock: steppingClock(new Date('2026-11-26T12:10:00Z')),
      },
    };
  }

  it('computes regression metrics from gzip captures, by hand: mae 1, mse 5/3, r2 from the label spread', async () => {
    // Given: predictions 1, 2, 3 (gzip capture) for labels 2, 2, 5 collected at 11:00
    const store = new MemoryStore();
    const body = ['a', 'b', 'c'].map((id, i) => regressionCapture(id, String(i + 1))).join('\n');
    store.put('capture', 'datacapture/churn/AllTraffic/2026/11/26/10/x.jsonl.gz', gzipSync(body));
    store.put(
      'labels',
      'gt/2026/11/26/11/y.jsonl',
      `${[label('a', '2'), label('b', '2'), label('c', '5')].join('\n')}\n`,
    );
    const { ctx, metrics } = context(store);
    // When
    const summary = await mergeGroundTruth(
      { windowEnd: new Date('2026-11-26T11:00:00Z'), windowHours: 1 },
      ctx,
    );
    metrics.flush();
    // Then: errors |1-2|, |2-2|, |3-5| = 1, 0, 2; squared 1, 0, 4; labels' mean 3, SS_tot = 1 + 1 + 4 = 6
    expect(summary).toMatchObject({ status: 'evaluated', evaluated: 3, published: true });
    const value = (name: string) =>
      metrics.flushed.find((m) => m.namespace === 'aws/sagemaker/Endpoints/model-metrics' && m.name === name)
        ?.value;
    expect(value('mae')).toBeCloseTo(1, 12);
    expect(value('mse')).toBeCloseTo(5 / 3, 12);
    expect(value('rmse')).toBeCloseTo(Math.sqrt(5 / 3), 12);
    expect(value('r2')).toBeCloseTo(1 - 5 / 6, 12);
  });

  /** A store where a label object lands each time quality-report.json is written, `arrivals` times in all. */
  class ArrivingLabels extends MemoryStore {
    reports = 0;
    constructor(private readonly arrivals: number) {
      super();
    }
    override async putJson(
      location: ObjectLocation,
      value: unknown,
      options?: PutJsonOptions,
    ): Promise<void> {
      await super.putJson(location, value, options);
      if (!location.key.endsWith('quality-report.json')) return;
      this.reports += 1;
      // A concurrent merge of this window could have written here; this run listed the labels before it landed.
      if (this.reports <= this.arrivals) {
        this.put(
          'labels',
          `gt/2026/11/26/11/late-${this.reports}.jsonl`,
          `${label(`late-${this.reports}`, '9')}\n`,
        );
      }
    }
  }

  /** Predictions 1, 2, 3 for a, b, c at 10:30, labels 2, 2, 5 collected at 11:00, and captures late-1..3 of 9. */
  function windowWithLateCaptures(store: MemoryStore): void {
    const ids = ['a', 'b', 'c', 'late-1', 'late-2', 'late-3'];
    const body = ids.map((id, i) => regressionCapture(id, String(i < 3 ? i + 1 : 9))).join('\n');
    store.put('capture', 'datacapture/churn/AllTraffic/2026/11/26/10/x.jsonl', body);
    store.put(
      'labels',
      'gt/2026/11/26/11/y.jsonl',
      `${[label('a', '2'), label('b', '2'), label('c', '5')].join('\n')}\n`,
    );
  }

  const WINDOW = { windowEnd: new Date('2026-11-26T11:00:00Z'), windowHours: 1 };
  const REPORT = 'model-quality/2026/11/26/11/quality-report.json';
  const reportOf = (store: MemoryStore) => {
    const key = [...store.objects.keys()].find((k) => k.endsWith(REPORT)) ?? '';
    return store.json<{ evaluated: number; groundTruth: { objects: number } }>(
      'reports',
      key.slice('reports/'.length),
    );
  };

  it('computes the window again when a label lands during the merge, adding the metrics once', async () => {
    // Given a label object that lands after this merge listed the labels (as a concurrent merge's would)
    const store = new ArrivingLabels(1);
    windowWithLateCaptures(store);
    const { ctx, metrics } = context(store);
    // When the window is merged
    const summary = await mergeGroundTruth(WINDOW, ctx);
    metrics.flush();
    // Then it is merged a second time with the new label: the files written last hold all 4 pairs
    expect(store.reports).toBe(2);
    expect(summary).toMatchObject({ evaluated: 4, groundTruth: { objects: 2 } });
    expect(reportOf(store)).toMatchObject({ evaluated: 4, groundTruth: { objects: 2 } });
    // And the metrics are those of the final round only: one mae, over a, b, c and late-1 (1 + 0 + 2 + 0) / 4
    const mae = metrics.flushed.filter((m) => m.name === 'mae');
    expect(mae.map((m) => m.value)).toEqual([0.75]);
    expect(metrics.flushed.filter((m) => m.name === 'LabelsJoined').map((m) => m.value)).toEqual([4]);
    expect(ctx.log.entries.map((e) => e.message)).toContain(
      'ground truth changed during the merge; merging the window again',
    );
  });

  it('computes its last round and warns when labels keep landing through every round', async () => {
    // Given a new label object after each of the first three writes
    const store = new ArrivingLabels(3);
    windowWithLateCaptures(store);
    const { ctx, metrics } = context(store);
    // When the window is merged
    const summary = await mergeGroundTruth(WINDOW, ctx);
    metrics.flush();
    // Then it stops after 3 rounds (the merge the third object starts covers it), with one set of metrics
    expect(store.reports).toBe(3);
    expect(summary.evaluated).toBe(5);
    expect(metrics.flushed.filter((m) => m.name === 'mae')).toHaveLength(1);
    expect(ctx.log.entries.find((e) => e.level === 'warn')?.message).toMatch(/still changing after 3 rounds/);
  });

  it('computes one round when no label lands during the merge', async () => {
    const store = new ArrivingLabels(0);
    windowWithLateCaptures(store);
    const { ctx } = context(store);
    const summary = await mergeGroundTruth(WINDOW, ctx);
    expect(store.reports).toBe(1);
    expect(summary.evaluated).toBe(3);
  });

  it('computes the metrics from gzip ground truth (.jsonl.gz), as driftwatch quality reads it', async () => {
    // Given the captures of the first test and their labels 2, 2, 5 in a gzip-compressed object
    const store = new MemoryStore();
    const body = ['a', 'b', 'c'].map((id, i) => regressionCapture(id, String(i + 1))).join('\n');
    store.put('capture', 'datacapture/churn/AllTraffic/2026/11/26/10/x.jsonl', body);
    store.put(
      'labels',
      'gt/2026/11/26/11/y.jsonl.gz',
      gzipSync(`${[label('a', '2'), label('b', '2'), label('c', '5')].join('\n')}\n`),
    );
    const { ctx } = context(store);
    // When / Then every label is read and joined: mae (1 + 0 + 2) / 3
    const summary = await mergeGroundTruth(WINDOW, ctx);
    expect(summary).toMatchObject({ evaluated: 3, groundTruth: { objects: 1, accepted: 3, rejected: 0 } });
  });

  it('throws an InputError naming the object when a .jsonl.gz label object is not gzip', async () => {
    const store = new MemoryStore();
    store.put('capture', 'datacapture/churn/AllTraffic/2026/11/26/10/x.jsonl', regressionCapture('a', '1'));
    store.put('labels', 'gt/2026/11/26/11/y.jsonl.gz', 'plain text');
    const { ctx } = context(store);
    await expect(mergeGroundTruth(WINDOW, ctx)).rejects.toThrow(
      /s3:\/\/labels\/gt\/2026\/11\/26\/11\/y\.jsonl\.gz: not a readable gzip file/,
    );
  });

  it('throws when a .gz capture is not gzip', async () => {
    const store = new MemoryStore();
    store.put('capture', 'datacapture/churn/AllTraffic/2026/11/26/10/x.jsonl.gz', 'plain text');
    const { ctx } = context(store);
    await expect(
      mergeGroundTruth({ windowEnd: new Date('2026-11-26T11:00:00Z'), windowHours: 1 }, ctx),
    ).rejects.toThrow(InputError);
  });
});
