import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import type { IIngestionMetrics } from './monitoring-alarms.js';
import type { DriftwatchMetrics } from './monitoring-metrics.js';

/** Properties of a {@link MonitoringDashboard}. */
export interface MonitoringDashboardProps {
  /** Metric factory of the endpoint. */
  readonly metrics: DriftwatchMetrics;
  /**
   * Production variants shown.
   * @default ['AllTraffic']
   */
  readonly variantNames?: readonly string[];
  /**
   * Input features whose Model Monitor-compatible `feature_baseline_drift_<feature>` is plotted.
   * @default [] (driftwatch's own per-feature statistic is plotted either way, found by a SEARCH)
   */
  readonly featureNames?: readonly string[];
  /**
   * Alarms whose states are shown.
   * @default []
   */
  readonly alarms?: readonly cloudwatch.IAlarm[];
  /**
   * The ingestion, for its errors and dead-letter queue.
   * @default - no ingestion widgets
   */
  readonly ingestion?: IIngestionMetrics;
  /**
   * The evaluate function, for its errors and duration.
   * @default - no evaluation widget
   */
  readonly evaluateFunction?: lambda.IFunction;
  /**
   * Model quality from ground truth: the Model Monitor metrics to plot (e.g. `['auc', 'f1']`), whether CBPE
   * estimates may exist, and the merge function for its errors.
   * @default - no model-quality widgets
   */
  readonly modelQuality?: ModelQualityWidgets;
  /**
   * Dashboard name.
   * @default `<stack name>-<endpoint name>`
   */
  readonly dashboardName?: string;
  /**
   * Period of the drift and data-quality graphs.
   * @default Duration.hours(1)
   */
  readonly period?: Duration;
}

/** What the dashboard shows of model quality. */
export interface ModelQualityWidgets {
  /** Model Monitor metric names plotted from `aws/sagemaker/Endpoints/model-metrics`. */
  readonly metricNames: readonly string[];
  /**
   * Whether to plot the CBPE estimated accuracy next to the measured metrics.
   * @default false
   */
  readonly estimates?: boolean;
  /**
   * The merge-ground-truth function, for its errors.
   * @default - no error series
   */
  readonly mergeFunction?: lambda.IFunction;
}

const WIDTH = 24;
const HALF = 12;
const HEIGHT = 6;

/**
 * One CloudWatch dashboard per endpoint: alarm states, drift per feature over time, drifted-feature share,
 * violations, records accepted and rejected, endpoint latency and errors, processing time and capture-to-metric lag,
 * and the functions' own health.
 */
export class MonitoringDashboard extends Construct {
  /** The dashboard. */
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: MonitoringDashboardProps) {
    super(scope, id);
    const metrics = props.metrics;
    const variants = props.variantNames ?? ['AllTraffic'];
    const features = props.featureNames ?? [];
    const period = props.period ?? Duration.hours(1);
    const byVariant = <T extends cloudwatch.IMetric>(make: (variant: string) => T) => variants.map(make);

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: props.dashboardName ?? `${Stack.of(this).stackName}-${metrics.endpointName}`,
      defaultInterval: Duration.days(7),
    });
    this.dashboard.addWidgets(
      new cloudwatch.TextWidget({
        markdown:
          `# driftwatch: ${metrics.endpointName}\n` +
          `Drift, data quality and health of SageMaker endpoint **${metrics.endpointName}** ` +
          `(Model Monitor schedule dimension \`${metrics.monitoringScheduleName}\`).`,
        width: WIDTH,
        height: 2,
      }),
    );
    if ((props.alarms ?? []).length > 0) {
      this.dashboard.addWidgets(
        new cloudwatch.AlarmStatusWidget({
          title: 'Alarm states',
          alarms: [...(props.alarms ?? [])],
          width: WIDTH,
          height: 4,
          sortBy: cloudwatch.AlarmStatusWidgetSortBy.STATE_UPDATED_TIMESTAMP,
        }),
      );
    }
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Drift statistic per feature',
        left: [metrics.driftStatisticSearch({ period })],
        width: HALF,
        height: HEIGHT,
      }),
      new cloudwatch.GraphWidget({
        title: 'Drifted feature share (window; per object)',
        left: [
          ...byVariant((variant) =>
            metrics.driftedFeatureShare(variant, { period }).with({ label: `window (${variant})` }),
          ),
          ...byVariant((variant) =>
            metrics.objectDriftedFeatureShare(variant, { period }).with({ label: `per object (${variant})` }),
          ),
        ],
        right: [metrics.predictionDriftSearch({ period })],
        leftYAxis: { min: 0, max: 1 },
        width: HALF,
        height: HEIGHT,
      }),
    );
    if (features.length > 0) {
      this.dashboard.addWidgets(
        new cloudwatch.GraphWidget({
          title: 'Model Monitor feature_baseline_drift',
          left: features.map((feature) =>
            metrics.modelMonitorBaselineDrift(feature, { period }).with({ label: feature }),
          ),
          width: WIDTH,
          height: HEIGHT,
        }),
      );
    }
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Constraint violations',
        left: [
          ...byVariant((variant) =>
            metrics.violations(variant, { period }).with({ label: `total (${variant})` }),
          ),
          metrics.violationsByCheckTypeSearch({ period }),
        ],
        width: HALF,
        height: HEIGHT,
      }),
      new cloudwatch.GraphWidget({
        title: 'Capture records',
        left: variants.flatMap((variant) => [
          metrics.recordsAccepted(variant, { period }).with({ label: `accepted (${variant})` }),
          metrics.recordsRejected(variant, { period }).with({ label: `rejected (${variant})` }),
          metrics.objectsTooLarge(variant, { period }).with({ label: `objects too large (${variant})` }),
        ]),
        right: byVariant((variant) => metrics.rejectedRecordRate(variant, { period })),
        rightYAxis: { min: 0, max: 1 },
        width: HALF,
        height: HEIGHT,
      }),
    );
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Endpoint p99 ModelLatency (microseconds) and 5xx errors',
        left: byVariant((variant) =>
          metrics.modelLatencyP99(variant).with({ label: `p99 latency (${variant})` }),
        ),
        right: byVariant((variant) =>
          metrics.invocation5xxErrors(variant).with({ label: `5xx (${variant})` }),
        ),
        width: HALF,
        height: HEIGHT,
      }),
      new cloudwatch.GraphWidget({
        title: 'Processing time (ms) and capture-to-metric lag (s)',
        left: [
          ...byVariant((variant) =>
            metrics.processingTime(variant).with({ label: `object p99 (${variant})` }),
          ),
          metrics.windowProcessingTime().with({ label: 'window max' }),
        ],
        right: byVariant((variant) =>
          metrics.captureToMetricLag(variant).with({ label: `lag max (${variant})` }),
        ),
        width: HALF,
        height: HEIGHT,
      }),
    );
    const quality = props.modelQuality;
    if (quality !== undefined) {
      this.dashboard.addWidgets(
        new cloudwatch.GraphWidget({
          title: 'Model quality (Model Monitor metrics)',
          left: [
            ...quality.metricNames.map((name) =>
              metrics.modelQuality(name, { period }).with({ label: name }),
            ),
            ...(quality.estimates === true
              ? [
                  metrics
                    .estimatedQuality('accuracy', { period })
                    .with({ label: 'estimated accuracy (CBPE)' }),
                ]
              : []),
          ],
          width: HALF,
          height: HEIGHT,
        }),
        new cloudwatch.GraphWidget({
          title: 'Ground truth: join rate, label latency (h), orphaned labels',
          left: [metrics.groundTruthJoinRate({ period }).with({ label: 'join rate (min)' })],
          leftYAxis: { min: 0, max: 1 },
          right: [
            metrics.labelLatencyMedianHours({ period }).with({ label: 'median label latency (h)' }),
            metrics.orphanedLabels({ period }).with({ label: 'orphaned labels' }),
            metrics.groundTruthRecordsRejected({ period }).with({ label: 'rejected label lines' }),
            ...(quality.mergeFunction !== undefined
              ? [quality.mergeFunction.metricErrors({ statistic: 'Sum', label: 'merge errors' })]
              : []),
          ],
          width: HALF,
          height: HEIGHT,
        }),
      );
    }
    const health: cloudwatch.IWidget[] = [];
    if (props.ingestion !== undefined) {
      health.push(
        new cloudwatch.GraphWidget({
          title: 'Ingestion errors and dead letters',
          left: [props.ingestion.metricErrors({ label: 'ingest errors' })],
          right: [props.ingestion.metricDeadLetterQueueDepth({ label: 'dead-letter queue depth' })],
          width: HALF,
          height: HEIGHT,
        }),
      );
    }
    if (props.evaluateFunction !== undefined) {
      health.push(
        new cloudwatch.GraphWidget({
          title: 'Window evaluation errors and duration',
          left: [props.evaluateFunction.metricErrors({ statistic: 'Sum', label: 'evaluate errors' })],
          right: [
            props.evaluateFunction.metricDuration({ statistic: 'Maximum', label: 'evaluate duration max' }),
          ],
          width: HALF,
          height: HEIGHT,
        }),
      );
    }
    health.push(
      new cloudwatch.GraphWidget({
        title: 'Baseline unavailable',
        left: [metrics.baselineUnavailable()],
        width: health.length === 1 ? HALF : WIDTH,
        height: HEIGHT,
      }),
    );
    this.dashboard.addWidgets(...health);
  }
}
