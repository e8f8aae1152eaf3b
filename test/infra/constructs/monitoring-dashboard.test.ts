import { Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { describe, expect, it } from 'vitest';
import {
  MonitoringDashboard,
  type MonitoringDashboardProps,
} from '../../../lib/constructs/monitoring-dashboard.js';
import { DriftwatchMetrics } from '../../../lib/constructs/monitoring-metrics.js';
import { type CfnTemplate, resolveCfn } from '../../support/asl.js';
import { stubIngestionMetrics, testStack } from '../support.js';

interface Widget {
  type: string;
  width: number;
  properties: { title?: string; markdown?: string; metrics?: unknown[][]; alarms?: string[] };
}

const ingestion = stubIngestionMetrics();

function widgets(
  props: Partial<MonitoringDashboardProps> = {},
  stack = testStack('Dash'),
): { name: unknown; widgets: Widget[] } {
  new MonitoringDashboard(stack, 'Dashboard', {
    metrics: new DriftwatchMetrics({ endpointName: 'churn-endpoint', monitoringScheduleName: 'churn-mm' }),
    ...props,
  });
  const template = Template.fromStack(stack);
  const [dashboard] = Object.values(template.findResources('AWS::CloudWatch::Dashboard'));
  const body = String(resolveCfn(dashboard?.Properties.DashboardBody, template.toJSON() as CfnTemplate));
  return {
    name: dashboard?.Properties.DashboardName,
    widgets: (JSON.parse(body) as { widgets: Widget[] }).widgets,
  };
}

function titles(list: Widget[]): (string | undefined)[] {
  return list.map((widget) => widget.properties.title);
}

describe('MonitoringDashboard', () => {
  it('computes drift, data-quality, record and health widgets for the endpoint', () => {
    // Given an endpoint with the ingestion
    // When the dashboard is built
    const { name, widgets: list } = widgets({ ingestion });
    // Then it shows drift over time, violations, records, latency, processing and pipeline health
    expect(name).toBe('Dash-churn-endpoint');
    expect(titles(list)).toEqual([
      undefined,
      'Drift statistic per feature',
      'Drifted feature share (window; per object)',
      'Constraint violations',
      'Capture records',
      'Endpoint p99 ModelLatency (microseconds) and 5xx errors',
      'Processing time (ms) and capture-to-metric lag (s)',
      'Ingestion errors and dead letters',
      'Baseline unavailable',
    ]);
    expect(list[0]?.properties.markdown).toContain('# driftwatch: churn-endpoint');
    expect(JSON.stringify(list[1]?.properties.metrics)).toContain(
      `SEARCH('{driftwatch,Endpoint,Feature,Method,Variant} MetricName=\\"DriftStatistic\\" Endpoint=\\"churn-endpoint\\"', 'Maximum', 3600)`,
    );
    expect(list.map((widget) => widget.width)).toEqual([24, 12, 12, 12, 12, 12, 12, 12, 12]);
  });

  it('computes model-quality widgets: Model Monitor metrics with the CBPE estimate, and the ground-truth join', () => {
    // Given model quality with two plotted metrics and estimates
    // When the dashboard is built
    const { widgets: list } = widgets({ modelQuality: { metricNames: ['auc', 'f1'], estimates: true } });
    // Then the measured metrics come from Model Monitor's namespace, the estimate and join from driftwatch's
    const quality = list.find(
      (widget) => widget.properties.title === 'Model quality (Model Monitor metrics)',
    );
    expect(quality?.properties.metrics?.map((series) => [series[0], series[1]])).toEqual([
      ['aws/sagemaker/Endpoints/model-metrics', 'auc'],
      ['aws/sagemaker/Endpoints/model-metrics', 'f1'],
      ['driftwatch', 'EstimatedAccuracy'],
    ]);
    const join = list.find((widget) => widget.properties.title?.startsWith('Ground truth'));
    expect(join?.properties.metrics?.map((series) => series[1])).toEqual([
      'GroundTruthJoinRate',
      'LabelLatencyMedianHours',
      'OrphanedLabels',
      'GroundTruthRecordsRejected',
    ]);
    // and without model quality there is neither
    expect(
      titles(widgets().widgets).filter((title) => title?.includes('quality') || title?.includes('Ground')),
    ).toEqual([]);
  });

  it('computes an alarm-state widget and Model Monitor drift per configured feature', () => {
    // Given two alarms and two features
    const stack = testStack('Dash');
    const metric = new cloudwatch.Metric({ namespace: 'n', metricName: 'm' });
    const alarms = [metric.createAlarm(stack, 'A', { threshold: 1, evaluationPeriods: 1 })];
    const { widgets: list } = widgets(
      { alarms, featureNames: ['day_mins', 'intl_plan'], variantNames: ['Blue', 'Green'] },
      stack,
    );
    // When / Then the alarm states come right after the title and each feature has its Model Monitor series
    expect(list[1]?.type).toBe('alarm');
    expect(list[1]?.properties.title).toBe('Alarm states');
    expect(list[1]?.properties.alarms).toEqual([
      expect.stringMatching(/^arn:aws:cloudwatch:us-east-1:111111111111:alarm:A[0-9A-F]{8}$/),
    ]);
    const drift = list.find((widget) => widget.properties.title === 'Model Monitor feature_baseline_drift');
    expect(drift?.properties.metrics?.map((series) => series[1])).toEqual([
      'feature_baseline_drift_day_mins',
      'feature_baseline_drift_intl_plan',
    ]);
    const share = list.find((widget) => widget.properties.title?.startsWith('Drifted feature share'));
    expect(JSON.stringify(share?.properties.metrics)).toContain('"window (Green)"');
  });
});
