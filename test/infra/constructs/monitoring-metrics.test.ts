import { Duration } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { describe, expect, it } from 'vitest';
import {
  DIMENSIONS,
  DRIFTWATCH_NAMESPACE,
  ESTIMATE_METRICS,
  METRICS,
  MODEL_MONITOR_DATA_NAMESPACE,
  MODEL_MONITOR_MODEL_NAMESPACE,
  SAGEMAKER_NAMESPACE,
} from '../../../functions/shared/metrics.js';
import { DriftwatchMetrics } from '../../../lib/constructs/monitoring-metrics.js';

const metrics = new DriftwatchMetrics({ endpointName: 'churn-endpoint', monitoringScheduleName: 'churn-mm' });

describe('DriftwatchMetrics', () => {
  it('computes driftwatch metrics with the shared names and dimensions', () => {
    // Given the factory of one endpoint
    // When the per-feature and per-variant metrics are built
    const drifted = metrics.featureDrifted('day_mins', 'AllTraffic');
    const statistic = metrics.driftStatistic('day_mins', 'AllTraffic', 'ks');
    const share = metrics.driftedFeatureShare('AllTraffic');
    const violations = metrics.violations('AllTraffic');
    const baseline = metrics.baselineUnavailable();
    // Then they name exactly what the functions publish (functions/shared/metrics.ts)
    expect([drifted.namespace, drifted.metricName, drifted.statistic, drifted.dimensions]).toEqual([
      DRIFTWATCH_NAMESPACE,
      METRICS.featureDrifted,
      'Maximum',
      {
        [DIMENSIONS.endpoint]: 'churn-endpoint',
        [DIMENSIONS.variant]: 'AllTraffic',
        [DIMENSIONS.feature]: 'day_mins',
      },
    ]);
    expect(statistic.dimensions).toEqual({
      Endpoint: 'churn-endpoint',
      Variant: 'AllTraffic',
      Feature: 'day_mins',
      Method: 'ks',
    });
    expect([share.metricName, share.statistic]).toEqual([METRICS.driftedFeatureShare, 'Maximum']);
    expect([violations.metricName, violations.statistic]).toEqual([METRICS.violations, 'Maximum']);
    expect([baseline.metricName, baseline.dimensions]).toEqual([
      METRICS.baselineUnavailable,
      { Endpoint: 'churn-endpoint' },
    ]);
    expect([
      metrics.objectDriftedFeatureShare('AllTraffic').metricName,
      metrics.objectsTooLarge('AllTraffic').statistic,
    ]).toEqual([METRICS.objectDriftedFeatureShare, 'Sum']);
    expect(metrics.windowProcessingTime().dimensions).toEqual({ Endpoint: 'churn-endpoint' });
    expect(share.period.toHours()).toBe(1);
  });

  it('computes Model Monitor-compatible metrics with Endpoint and MonitoringSchedule', () => {
    // Given the factory
    // When the baseline-drift and model-quality metrics are built
    const drift = metrics.modelMonitorBaselineDrift('day_mins', { period: Duration.minutes(5) });
    const auc = metrics.modelQuality('auc');
    // Then they use Model Monitor's namespaces, names and dimensions
    expect([drift.namespace, drift.metricName, drift.dimensions, drift.period.toMinutes()]).toEqual([
      MODEL_MONITOR_DATA_NAMESPACE,
      'feature_baseline_drift_day_mins',
      { Endpoint: 'churn-endpoint', MonitoringSchedule: 'churn-mm' },
      5,
    ]);
    expect([auc.namespace, auc.metricName, auc.statistic]).toEqual([
      MODEL_MONITOR_MODEL_NAMESPACE,
      'auc',
      'Average',
    ]);
  });

  it('computes the ground-truth join and CBPE estimate metrics merge-ground-truth publishes', () => {
    // Given the factory
    // When the model-quality metrics of driftwatch's namespace are built
    const built = [
      metrics.groundTruthJoinRate(),
      metrics.labelLatencyMedianHours(),
      metrics.orphanedLabels(),
      metrics.groundTruthRecordsRejected(),
      metrics.estimatedQuality('accuracy'),
      metrics.estimatedQuality('auc'),
    ];
    // Then they carry the shared names, the endpoint dimension only, and the statistic of their widget
    expect(built.map((m) => [m.namespace, m.metricName, m.statistic, m.dimensions])).toEqual(
      [
        [METRICS.groundTruthJoinRate, 'Minimum'],
        [METRICS.labelLatencyMedianHours, 'Maximum'],
        [METRICS.orphanedLabels, 'Maximum'],
        [METRICS.groundTruthRecordsRejected, 'Maximum'],
        [ESTIMATE_METRICS.accuracy, 'Average'],
        [ESTIMATE_METRICS.auc, 'Average'],
      ].map(([name, statistic]) => [DRIFTWATCH_NAMESPACE, name, statistic, { Endpoint: 'churn-endpoint' }]),
    );
  });

  it("computes the endpoint's AWS/SageMaker health metrics", () => {
    // Given the factory
    // When the latency and error metrics are built
    const latency = metrics.modelLatencyP99('AllTraffic');
    const errors = metrics.invocation5xxErrors('AllTraffic');
    // Then they are SageMaker's, with EndpointName and VariantName
    expect([latency.namespace, latency.metricName, latency.statistic, latency.dimensions]).toEqual([
      SAGEMAKER_NAMESPACE,
      'ModelLatency',
      'p99',
      { EndpointName: 'churn-endpoint', VariantName: 'AllTraffic' },
    ]);
    expect([errors.metricName, errors.statistic]).toEqual(['Invocation5XXErrors', 'Sum']);
  });

  it('computes the rejected-record rate from the Sums, 0 without records, with ids unique per variant', () => {
    // Given the factory
    // When the rate of a variant with a hyphen is built
    const rate = metrics.rejectedRecordRate('blue-1');
    // Then it divides rejected by all records read in the period
    expect(rate.expression).toBe(
      'IF((accepted_blue_1 + rejected_blue_1) > 0, rejected_blue_1 / (accepted_blue_1 + rejected_blue_1), 0)',
    );
    const using = rate.usingMetrics as Record<string, cloudwatch.Metric>;
    expect(Object.keys(using)).toEqual(['accepted_blue_1', 'rejected_blue_1']);
    expect([using.accepted_blue_1?.metricName, using.rejected_blue_1?.statistic]).toEqual([
      METRICS.recordsAccepted,
      'Sum',
    ]);
  });

  it("computes SEARCH expressions over every feature's statistic and every check type", () => {
    // Given the factory
    // When the searches are built for a 5-minute period
    const drift = metrics.driftStatisticSearch({ period: Duration.minutes(5) });
    const violations = metrics.violationsByCheckTypeSearch();
    // Then they select the endpoint's series of the right metric
    expect(drift.expression).toBe(
      `SEARCH('{driftwatch,Endpoint,Feature,Method,Variant} MetricName="DriftStatistic" Endpoint="churn-endpoint"', 'Maximum', 300)`,
    );
    expect(violations.expression).toBe(
      `SEARCH('{driftwatch,CheckType,Endpoint,Variant} MetricName="Violations" Endpoint="churn-endpoint"', 'Maximum', 3600)`,
    );
  });
});
