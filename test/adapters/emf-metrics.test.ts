import { Metrics } from '@aws-lambda-powertools/metrics';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createEmfMetricSink, EmfMetricSink } from '../../functions/adapters/emf-metrics.js';
import { captureEmf } from '../handlers/support/emf.js';

// Powertools writes EMF only when metrics are enabled; dev mode would turn them off (STACK-NOTES G7).
beforeEach(() => {
  vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'false');
  vi.stubEnv('POWERTOOLS_SERVICE_NAME', 'driftwatch-test');
});
afterEach(() => vi.unstubAllEnvs());

const silent = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

describe('EmfMetricSink', () => {
  it('computes one EMF document per namespace and dimension set, with exactly that dimension set', () => {
    // Given
    const sink = createEmfMetricSink({
      namespaces: ['driftwatch', 'aws/sagemaker/Endpoints/data-metrics'],
      logger: silent,
    });
    const emf = captureEmf();
    try {
      // When
      sink.add({
        namespace: 'driftwatch',
        name: 'RecordsAccepted',
        unit: 'Count',
        value: 10,
        dimensions: { Endpoint: 'e', Variant: 'v' },
      });
      sink.add({
        namespace: 'driftwatch',
        name: 'RecordsRejected',
        unit: 'Count',
        value: 2,
        dimensions: { Variant: 'v', Endpoint: 'e' },
      });
      sink.add({
        namespace: 'driftwatch',
        name: 'BaselineUnavailable',
        unit: 'Count',
        value: 0,
        dimensions: { Endpoint: 'e' },
      });
      sink.add({
        namespace: 'aws/sagemaker/Endpoints/data-metrics',
        name: 'feature_baseline_drift_age',
        unit: 'None',
        value: 0.25,
        dimensions: { Endpoint: 'e', MonitoringSchedule: 's' },
      });
      sink.flush();
      const metrics = emf.metrics();
      // Then: no `service` dimension (Powertools' default), which no alarm selects on
      expect(metrics.map((m) => [m.namespace, m.name, m.unit, m.value, m.dimensionSets])).toEqual([
        ['driftwatch', 'RecordsAccepted', 'Count', 10, [['Endpoint', 'Variant']]],
        ['driftwatch', 'RecordsRejected', 'Count', 2, [['Endpoint', 'Variant']]],
        ['driftwatch', 'BaselineUnavailable', 'Count', 0, [['Endpoint']]],
        [
          'aws/sagemaker/Endpoints/data-metrics',
          'feature_baseline_drift_age',
          'None',
          0.25,
          [['Endpoint', 'MonitoringSchedule']],
        ],
      ]);
      expect(metrics[0]?.dimensions).toEqual({ Endpoint: 'e', Variant: 'v' });
      expect(metrics[3]?.dimensions).toEqual({ Endpoint: 'e', MonitoringSchedule: 's' });
    } finally {
      emf.restore();
    }
  });

  it('computes the timestamp of timestamped values and keeps them apart from untimed ones', () => {
    // Given
    const sink = createEmfMetricSink({ namespaces: ['driftwatch'], logger: silent });
    const at = new Date(Date.now() - 3_600_000);
    const emf = captureEmf();
    try {
      // When
      sink.add({
        namespace: 'driftwatch',
        name: 'Violations',
        unit: 'Count',
        value: 3,
        dimensions: { Endpoint: 'e' },
        timestamp: at,
      });
      sink.add({
        namespace: 'driftwatch',
        name: 'ProcessingTime',
        unit: 'Milliseconds',
        value: 5,
        dimensions: { Endpoint: 'e' },
      });
      sink.flush();
      // Then
      const [timed, untimed] = emf.metrics();
      expect(timed).toMatchObject({ name: 'Violations', timestamp: at.getTime() });
      expect(untimed?.name).toBe('ProcessingTime');
      expect(untimed?.timestamp).not.toBe(at.getTime());
    } finally {
      emf.restore();
    }
  });

  it('computes documents of at most 100 metrics, each with the dimensions', () => {
    // Given: 150 Model Monitor drift metrics share one dimension set
    const sink = createEmfMetricSink({ namespaces: ['mm'], logger: silent });
    const emf = captureEmf();
    try {
      // When
      for (let i = 0; i < 150; i++) {
        sink.add({
          namespace: 'mm',
          name: `feature_baseline_drift_f${i}`,
          unit: 'None',
          value: i / 1000,
          dimensions: { Endpoint: 'e', MonitoringSchedule: 's' },
        });
      }
      sink.flush();
      // Then
      const metrics = emf.metrics();
      expect(metrics).toHaveLength(150);
      expect(
        metrics.every((m) => m.dimensions.Endpoint === 'e' && m.dimensions.MonitoringSchedule === 's'),
      ).toBe(true);
      expect(metrics.map((m) => m.value)).toEqual(Array.from({ length: 150 }, (_, i) => i / 1000));
    } finally {
      emf.restore();
    }
  });

  it('computes nothing for non-finite values and empties the buffer on flush', () => {
    // Given
    const sink = createEmfMetricSink({ namespaces: ['driftwatch'], logger: silent });
    const emf = captureEmf();
    try {
      // When
      sink.add({
        namespace: 'driftwatch',
        name: 'DriftStatistic',
        unit: 'None',
        value: Number.POSITIVE_INFINITY,
        dimensions: { Endpoint: 'e' },
      });
      sink.add({
        namespace: 'driftwatch',
        name: 'DriftStatistic',
        unit: 'None',
        value: Number.NaN,
        dimensions: { Endpoint: 'e' },
      });
      sink.add({
        namespace: 'driftwatch',
        name: 'RecordsAccepted',
        unit: 'Count',
        value: 1,
        dimensions: { Endpoint: 'e' },
      });
      sink.flush();
      sink.flush();
      // Then
      expect(emf.metrics().map((m) => m.name)).toEqual(['RecordsAccepted']);
    } finally {
      emf.restore();
    }
  });

  it('throws when a value names a namespace the sink has no Metrics instance for', () => {
    // Given
    const sink = new EmfMetricSink({ driftwatch: new Metrics({ namespace: 'driftwatch', logger: silent }) });
    // When / Then
    expect(() =>
      sink.add({ namespace: 'other', name: 'X', unit: 'Count', value: 1, dimensions: {} }),
    ).toThrow('no Metrics instance for namespace "other"; expected one of driftwatch');
  });

  it('computes the remaining groups when one cannot be published, and reports it', () => {
    // Given: a metric name longer than CloudWatch's 255 characters
    const errors: string[][] = [];
    const sink = createEmfMetricSink({
      namespaces: ['mm'],
      logger: silent,
      onError: (_, names) => errors.push([...names]),
    });
    const emf = captureEmf();
    try {
      // When
      sink.add({
        namespace: 'mm',
        name: `feature_baseline_drift_${'x'.repeat(300)}`,
        unit: 'None',
        value: 1,
        dimensions: { Endpoint: 'a' },
      });
      sink.add({
        namespace: 'mm',
        name: 'feature_baseline_drift_ok',
        unit: 'None',
        value: 2,
        dimensions: { Endpoint: 'b' },
      });
      sink.flush();
      // Then
      expect(errors).toEqual([[`feature_baseline_drift_${'x'.repeat(300)}`]]);
      expect(emf.metrics().map((m) => [m.name, m.dimensions])).toEqual([
        ['feature_baseline_drift_ok', { Endpoint: 'b' }],
      ]);
    } finally {
      emf.restore();
    }
  });
});
