import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import {
  DIMENSIONS,
  DRIFTWATCH_NAMESPACE,
  ESTIMATE_METRICS,
  METRICS,
  MODEL_MONITOR_DATA_NAMESPACE,
  MODEL_MONITOR_MODEL_NAMESPACE,
  modelMonitorMetric,
  SAGEMAKER_NAMESPACE,
} from '../../functions/shared/metrics.js';

/** Properties of a {@link DriftwatchMetrics} factory. */
export interface DriftwatchMetricsProps {
  /** The monitored SageMaker endpoint. */
  readonly endpointName: string;
  /** The `MonitoringSchedule` dimension of the Model Monitor-compatible metrics. */
  readonly monitoringScheduleName: string;
  /**
   * Default period of every metric.
   * @default Duration.hours(1)
   */
  readonly period?: Duration;
}

/** Options of one metric. */
export interface MetricPeriodOptions {
  /**
   * Aggregation period.
   * @default - the factory's period
   */
  readonly period?: Duration;
}

/**
 * Metric factory for one endpoint: every metric the driftwatch functions publish (names and dimensions from
 * functions/shared/metrics.ts) and the endpoint's own AWS/SageMaker metrics, each with the statistic its alarms and
 * widgets use. Alarms and dashboards are built from these, never from hand-written names.
 */
export class DriftwatchMetrics {
  /** The endpoint these metrics describe. */
  readonly endpointName: string;
  /** The `MonitoringSchedule` dimension value. */
  readonly monitoringScheduleName: string;
  private readonly period: Duration;

  constructor(props: DriftwatchMetricsProps) {
    this.endpointName = props.endpointName;
    this.monitoringScheduleName = props.monitoringScheduleName;
    this.period = props.period ?? Duration.hours(1);
  }

  /** 1 when the feature drifted in a window or file, else 0 (Maximum: drifted at least once in the period). */
  featureDrifted(feature: string, variant: string, options?: MetricPeriodOptions): cloudwatch.Metric {
    return this.own(
      METRICS.featureDrifted,
      'Maximum',
      { [DIMENSIONS.variant]: variant, [DIMENSIONS.feature]: feature },
      options,
    );
  }

  /** The drift statistic of one feature under one method (Maximum). */
  driftStatistic(
    feature: string,
    variant: string,
    method: string,
    options?: MetricPeriodOptions,
  ): cloudwatch.Metric {
    return this.own(
      METRICS.driftStatistic,
      'Maximum',
      { [DIMENSIONS.variant]: variant, [DIMENSIONS.feature]: feature, [DIMENSIONS.method]: method },
      options,
    );
  }

  /**
   * Every feature's drift statistic of the endpoint, whatever its method (a CloudWatch SEARCH: the method `auto`
   * picks is only known at run time), Maximum per period.
   */
  driftStatisticSearch(options?: MetricPeriodOptions): cloudwatch.MathExpression {
    return this.search(
      `{${DRIFTWATCH_NAMESPACE},${DIMENSIONS.endpoint},${DIMENSIONS.feature},${DIMENSIONS.method},${DIMENSIONS.variant}} ` +
        `MetricName="${METRICS.driftStatistic}"`,
      'Drift statistic by feature',
      options,
    );
  }

  /** Model Monitor-compatible `feature_baseline_drift_<feature>` (its L-infinity distance), Maximum. */
  modelMonitorBaselineDrift(feature: string, options?: MetricPeriodOptions): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: MODEL_MONITOR_DATA_NAMESPACE,
      metricName: modelMonitorMetric.baselineDrift(feature),
      dimensionsMap: this.modelMonitorDimensions(),
      statistic: 'Maximum',
      period: options?.period ?? this.period,
    });
  }

  /** Share of input features that drifted, 0..1 (Maximum). */
  driftedFeatureShare(variant: string, options?: MetricPeriodOptions): cloudwatch.Metric {
    return this.own(METRICS.driftedFeatureShare, 'Maximum', { [DIMENSIONS.variant]: variant }, options);
  }

  /**
   * Share of input features whose drift verdict is positive for one capture object (the ingest function's low-latency
   * signal), Maximum.
   */
  objectDriftedFeatureShare(variant: string, options?: MetricPeriodOptions): cloudwatch.Metric {
    return this.own(METRICS.objectDriftedFeatureShare, 'Maximum', { [DIMENSIONS.variant]: variant }, options);
  }

  /** The prediction's drift statistic, whatever its method (a SEARCH), Maximum. */
  predictionDriftSearch(options?: MetricPeriodOptions): cloudwatch.MathExpression {
    return this.search(
      `{${DRIFTWATCH_NAMESPACE},${DIMENSIONS.endpoint},${DIMENSIONS.method},${DIMENSIONS.variant}} ` +
        `MetricName="${METRICS.predictionDrift}"`,
      'Prediction drift',
      options,
    );
  }

  /**
   * Constraint violations of all check types (Maximum: the worst window of the period). Each evaluation publishes
   * its window's count once, so a window evaluated again publishes the same value and leaves the statistic as is,
   * where a Sum would count it twice.
   */
  violations(variant: string, options?: MetricPeriodOptions): cloudwatch.Metric {
    return this.own(METRICS.violations, 'Maximum', { [DIMENSIONS.variant]: variant }, options);
  }

  /** Constraint violations by check type, one series per `CheckType` (a SEARCH), Maximum like {@link violations}. */
  violationsByCheckTypeSearch(options?: MetricPeriodOptions): cloudwatch.MathExpression {
    return this.search(
      `{${DRIFTWATCH_NAMESPACE},${DIMENSIONS.checkType},${DIMENSIONS.endpoint},${DIMENSIONS.variant}} ` +
        `MetricName="${METRICS.violations}"`,
      'Violations by check type',
      options,
    );
  }

  /** Capture records accepted (Sum). */
  recordsAccepted(variant: string, options?: MetricPeriodOptions): cloudwatch.Metric {
    return this.own(METRICS.recordsAccepted, 'Sum', { [DIMENSIONS.variant]: variant }, options);
  }

  /** Capture records rejected as unreadable (Sum). */
  recordsRejected(variant: string, options?: MetricPeriodOptions): cloudwatch.Metric {
    return this.own(METRICS.recordsRejected, 'Sum', { [DIMENSIONS.variant]: variant }, options);
  }

  /**
   * Rejected records over all records read in the period: `rejected / (accepted + rejected)` of the Sums, 0 when no
   * record was read (so a quiet period does not breach).
   */
  rejectedRecordRate(variant: string, options?: MetricPeriodOptions): cloudwatch.MathExpression {
    // Metric ids must be unique within a graph that shows several variants.
    const suffix = variant.replace(/[^A-Za-z0-9_]/g, '_');
    const accepted = `accepted_${suffix}`;
    const rejected = `rejected_${suffix}`;
    return new cloudwatch.MathExpression({
      expression: `IF((${accepted} + ${rejected}) > 0, ${rejected} / (${accepted} + ${rejected}), 0)`,
      usingMetrics: {
        [accepted]: this.recordsAccepted(variant, options),
        [rejected]: this.recordsRejected(variant, options),
      },
      label: `Rejected record rate (${variant})`,
      period: options?.period ?? this.period,
    });
  }

  /** Capture objects skipped because they exceed payload.maxObjectBytes (Sum). */
  objectsTooLarge(variant: string, options?: MetricPeriodOptions): cloudwatch.Metric {
    return this.own(METRICS.objectsTooLarge, 'Sum', { [DIMENSIONS.variant]: variant }, options);
  }

  /** Milliseconds to evaluate one window (Maximum). */
  windowProcessingTime(options?: MetricPeriodOptions): cloudwatch.Metric {
    return this.own(METRICS.windowProcessingTime, 'Maximum', {}, options);
  }

  /** Milliseconds to process one capture object (p99). */
  processingTime(variant: string, options?: MetricPeriodOptions): cloudwatch.Metric {
    return this.own(METRICS.processingTime, 'p99', { [DIMENSIONS.variant]: variant }, options);
  }

  /** Seconds from the newest inferenceTime of an object to its metrics (Maximum). */
  captureToMetricLag(variant: string, options?: MetricPeriodOptions): cloudwatch.Metric {
    return this.own(METRICS.captureToMetricLag, 'Maximum', { [DIMENSIONS.variant]: variant }, options);
  }

  /** 1 when a function could not load the baseline (Maximum). */
  baselineUnavailable(options?: MetricPeriodOptions): cloudwatch.Metric {
    return this.own(METRICS.baselineUnavailable, 'Maximum', {}, options);
  }

  /** A Model Monitor-compatible model-quality metric (e.g. `auc`, `f1`, `rmse`), Average. */
  modelQuality(metricName: string, options?: MetricPeriodOptions): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: MODEL_MONITOR_MODEL_NAMESPACE,
      metricName,
      dimensionsMap: this.modelMonitorDimensions(),
      statistic: 'Average',
      period: options?.period ?? this.period,
    });
  }

  /** Joined captures / captures of a model-quality window, 0..1 (Minimum: the worst window of the period). */
  groundTruthJoinRate(options?: MetricPeriodOptions): cloudwatch.Metric {
    return this.own(METRICS.groundTruthJoinRate, 'Minimum', {}, options);
  }

  /** Median hours from inference to label collection of a window's joined labels (Maximum). */
  labelLatencyMedianHours(options?: MetricPeriodOptions): cloudwatch.Metric {
    return this.own(METRICS.labelLatencyMedianHours, 'Maximum', {}, options);
  }

  /** Labels of a model-quality window whose id no capture of the window carries (Maximum). */
  orphanedLabels(options?: MetricPeriodOptions): cloudwatch.Metric {
    return this.own(METRICS.orphanedLabels, 'Maximum', {}, options);
  }

  /** Ground-truth lines of a model-quality window rejected as unreadable (Maximum: a window re-evaluated republishes its count). */
  groundTruthRecordsRejected(options?: MetricPeriodOptions): cloudwatch.Metric {
    return this.own(METRICS.groundTruthRecordsRejected, 'Maximum', {}, options);
  }

  /** A label-free CBPE estimate (`accuracy`, `precision`, `recall`, `f1` or `auc`), Average. */
  estimatedQuality(metric: keyof typeof ESTIMATE_METRICS, options?: MetricPeriodOptions): cloudwatch.Metric {
    return this.own(ESTIMATE_METRICS[metric], 'Average', {}, options);
  }

  /** The endpoint's p99 `ModelLatency` (AWS/SageMaker, microseconds). */
  modelLatencyP99(variant: string, options?: MetricPeriodOptions): cloudwatch.Metric {
    return this.sageMaker('ModelLatency', 'p99', variant, options);
  }

  /** The endpoint's `Invocation5XXErrors` (AWS/SageMaker, Sum). */
  invocation5xxErrors(variant: string, options?: MetricPeriodOptions): cloudwatch.Metric {
    return this.sageMaker('Invocation5XXErrors', 'Sum', variant, options);
  }

  /** The endpoint's `Invocations` (AWS/SageMaker, Sum). */
  invocations(variant: string, options?: MetricPeriodOptions): cloudwatch.Metric {
    return this.sageMaker('Invocations', 'Sum', variant, options);
  }

  private own(
    metricName: string,
    statistic: string,
    dimensions: Record<string, string>,
    options: MetricPeriodOptions | undefined,
  ): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: DRIFTWATCH_NAMESPACE,
      metricName,
      dimensionsMap: { [DIMENSIONS.endpoint]: this.endpointName, ...dimensions },
      statistic,
      period: options?.period ?? this.period,
    });
  }

  private sageMaker(
    metricName: string,
    statistic: string,
    variant: string,
    options: MetricPeriodOptions | undefined,
  ): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: SAGEMAKER_NAMESPACE,
      metricName,
      dimensionsMap: { [DIMENSIONS.endpointName]: this.endpointName, [DIMENSIONS.variantName]: variant },
      statistic,
      period: options?.period ?? this.period,
    });
  }

  private modelMonitorDimensions(): Record<string, string> {
    return {
      [DIMENSIONS.endpoint]: this.endpointName,
      [DIMENSIONS.monitoringSchedule]: this.monitoringScheduleName,
    };
  }

  private search(
    schemaAndName: string,
    label: string,
    options: MetricPeriodOptions | undefined,
    statistic = 'Maximum',
  ): cloudwatch.MathExpression {
    const period = options?.period ?? this.period;
    const query = `${schemaAndName} ${DIMENSIONS.endpoint}="${this.endpointName}"`;
    return new cloudwatch.MathExpression({
      expression: `SEARCH('${query}', '${statistic}', ${period.toSeconds()})`,
      usingMetrics: {},
      label,
      period,
    });
  }
}
