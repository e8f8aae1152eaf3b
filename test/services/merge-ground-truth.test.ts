import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { QualityInputError } from '../../functions/core/quality/errors.js';
import { ConfigurationError, InputError } from '../../functions/errors.js';
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

  it('throws when a .gz capture is not gzip', async () => {
    const store = new MemoryStore();
    store.put('capture', 'datacapture/churn/AllTraffic/2026/11/26/10/x.jsonl.gz', 'plain text');
    const { ctx } = context(store);
    await expect(
      mergeGroundTruth({ windowEnd: new Date('2026-11-26T11:00:00Z'), windowHours: 1 }, ctx),
    ).rejects.toThrow(InputError);
  });
});
