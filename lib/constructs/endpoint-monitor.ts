import { Duration, TimeZone } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import {
  type AlarmSettings,
  type EndpointConfig,
  type ModelQualityConfig,
  parseS3Uri,
  type ThresholdAlarmSettings,
} from '../../functions/core/config/index.js';
import { BackfillWorkflow } from './backfill-workflow.js';
import { CaptureIngestion } from './capture-ingestion.js';
import { CaptureSource } from './capture-source.js';
import { createDeadLetterQueue } from './dead-letter-queue.js';
import { GroundTruthMerge } from './ground-truth-merge.js';
import type { MonitorFunctionProps } from './monitor-function.js';
import {
  type AlarmOptions,
  type AlarmSeverity,
  type BySeverity,
  type ModelQualityAlarmOptions,
  MonitoringAlarms,
  type ThresholdAlarmOptions,
} from './monitoring-alarms.js';
import { MonitoringDashboard } from './monitoring-dashboard.js';
import { DriftwatchMetrics } from './monitoring-metrics.js';
import type { IReportsStore } from './reports-store.js';
import type { S3Location } from './s3-location.js';
import { WindowEvaluation } from './window-evaluation.js';

/** Properties of an {@link EndpointMonitor}. */
export interface EndpointMonitorProps {
  /** The endpoint's section of the validated monitor configuration. */
  readonly endpoint: EndpointConfig;
  /** The monitor configuration file, bundled next to each handler. */
  readonly configFile: string;
  /** The bucket the endpoint's capture lands in (`capture.s3Uri`), shared by endpoints that share it. */
  readonly captureBucket: s3.IBucket;
  /**
   * Key of the capture objects.
   * @default - SSE-S3 objects
   */
  readonly captureKey?: kms.IKey;
  /** Where the baseline is (`baseline.s3Uri`). */
  readonly baseline: S3Location;
  /** Where profiles and reports go. */
  readonly reports: IReportsStore;
  /** Topic every alarm notifies. */
  readonly topic: sns.ITopic;
  /** Key of the dead-letter queue. */
  readonly encryptionKey: kms.IKey;
  /**
   * The bucket of `groundTruth.s3Uri` (shared with other endpoints that use it).
   * @default - imported by name, when the endpoint has `groundTruth` and `modelQuality`
   */
  readonly groundTruthBucket?: s3.IBucket;
  /**
   * Key of the ground-truth objects.
   * @default - SSE-S3 objects
   */
  readonly groundTruthKey?: kms.IKey;
}

/**
 * Everything driftwatch deploys for one endpoint, from its configuration: capture subscription and ingestion,
 * scheduled window evaluation, backfill workflow, alarms (config alarms mapped to severities: endpoint health and
 * pipeline failures are Critical, drift and data quality Warning) and a dashboard.
 */
export class EndpointMonitor extends Construct {
  /** The capture location. */
  readonly captureSource: CaptureSource;
  /** Per-object ingestion. */
  readonly ingestion: CaptureIngestion;
  /** Scheduled window evaluation. */
  readonly evaluation: WindowEvaluation;
  /** The backfill state machine. */
  readonly backfill: BackfillWorkflow;
  /** Model quality from ground truth, when the endpoint has `groundTruth` and `modelQuality`. */
  readonly quality?: GroundTruthMerge;
  /** The endpoint's metric factory. */
  readonly metrics: DriftwatchMetrics;
  /** The endpoint's alarms (and the composite retrain alarm). */
  readonly alarms: MonitoringAlarms;
  /** The endpoint's dashboard. */
  readonly dashboard: MonitoringDashboard;

  constructor(scope: Construct, id: string, props: EndpointMonitorProps) {
    super(scope, id);
    const endpoint = props.endpoint;
    const capturePrefix = parseS3Uri(endpoint.capture.s3Uri).key;
    this.captureSource = new CaptureSource(this, 'Capture', {
      capturePrefix,
      existingBucket: props.captureBucket,
      existingBucketKey: props.captureKey,
    });
    // The three monitor functions share one dead-letter queue and the endpoint's schedule time zone.
    const monitorProps: MonitorFunctionProps = {
      endpointName: endpoint.name,
      baseline: props.baseline,
      reports: props.reports,
      configFile: props.configFile,
      deadLetterQueue: createDeadLetterQueue(this, 'DeadLetterQueue', props.encryptionKey),
    };
    const inEndpointTimeZone = (expression: string) =>
      scheduler.ScheduleExpression.expression(expression, TimeZone.of(endpoint.schedule.timezone));
    this.ingestion = new CaptureIngestion(this, 'Ingestion', {
      ...monitorProps,
      captureSource: this.captureSource,
    });
    this.evaluation = new WindowEvaluation(this, 'Evaluation', {
      ...monitorProps,
      schedule: inEndpointTimeZone(endpoint.schedule.evaluateExpression),
    });
    if (endpoint.groundTruth !== undefined && endpoint.modelQuality !== undefined) {
      const groundTruth = parseS3Uri(endpoint.groundTruth.s3Uri);
      this.quality = new GroundTruthMerge(this, 'Quality', {
        ...monitorProps,
        groundTruth: {
          bucket:
            props.groundTruthBucket ??
            s3.Bucket.fromBucketName(this, 'GroundTruthBucket', groundTruth.bucket),
          prefix: groundTruth.key,
          encryptionKey: props.groundTruthKey,
        },
        captureSource: this.captureSource,
        schedule: inEndpointTimeZone(endpoint.groundTruth.mergeExpression),
      });
    }
    this.backfill = new BackfillWorkflow(this, 'Backfill', {
      endpointName: endpoint.name,
      captureSource: this.captureSource,
      ingestFunction: this.ingestion.function,
      evaluateFunction: this.evaluation.function,
    });

    this.metrics = new DriftwatchMetrics({
      endpointName: endpoint.name,
      monitoringScheduleName: endpoint.monitoringScheduleName,
    });
    const variantNames = endpoint.variants.map((variant) => variant.name);
    const featureNames = monitoredInputFeatures(endpoint);
    const alarms = endpoint.alarms;
    this.alarms = new MonitoringAlarms(this, 'Alarms', {
      metrics: this.metrics,
      variantNames,
      featureNames,
      topic: props.topic,
      ingestion: this.ingestion,
      featureDriftAlarms: bySeverity('Warning', alarms.featureDrift, alarmOptions),
      driftedFeatureShareAlarms: bySeverity('Warning', alarms.driftedFeatureShare, thresholdOptions),
      violationAlarms: bySeverity('Warning', alarms.violations, thresholdOptions),
      rejectedRecordRateAlarms: bySeverity('Warning', alarms.rejectedRecordRate, thresholdOptions),
      ingestErrorAlarms: bySeverity('Critical', alarms.ingestErrors, thresholdOptions),
      deadLetterQueueAlarms: bySeverity('Critical', alarms.dlqDepth, thresholdOptions),
      // The baseline alarm follows the ingest-errors settings: a missing baseline fails every ingest.
      baselineUnavailableAlarms: bySeverity('Critical', alarms.ingestErrors, (settings) => ({
        ...alarmOptions(settings),
        threshold: 1,
      })),
      modelLatencyP99Alarms:
        alarms.modelLatencyP99Micros.enabled && alarms.modelLatencyP99Micros.threshold !== undefined
          ? {
              Critical: {
                ...alarmOptions(alarms.modelLatencyP99Micros),
                threshold: alarms.modelLatencyP99Micros.threshold,
              },
            }
          : {},
      invocation5xxAlarms: bySeverity('Critical', alarms.invocation5xxErrors, thresholdOptions),
      modelQualityAlarms: modelQualityAlarms(endpoint),
      retrainRule: alarms.retrain.rule,
      disableRetrainAlarm: !alarms.retrain.enabled,
    });
    this.dashboard = new MonitoringDashboard(this, 'Dashboard', {
      metrics: this.metrics,
      variantNames,
      featureNames,
      alarms: [
        ...this.alarms.alarms,
        ...(this.alarms.retrainAlarm === undefined ? [] : [this.alarms.retrainAlarm]),
      ],
      ingestion: this.ingestion,
      evaluateFunction: this.evaluation.function,
      modelQuality:
        this.quality === undefined || endpoint.modelQuality === undefined
          ? undefined
          : {
              metricNames: plottedQualityMetrics(endpoint.modelQuality),
              estimates:
                endpoint.modelQuality.problemType === 'BinaryClassification' &&
                endpoint.modelQuality.probabilityAttribute !== undefined,
              mergeFunction: this.quality.function,
            },
    });
  }
}

/**
 * The input features known from the configuration: `payload.input.columns`, the keys of `payload.input.paths` and
 * the `features` entries that are not outputs, minus features with `enabled: false`. Features known only from the
 * baseline at run time get metrics but no per-feature alarm.
 */
export function monitoredInputFeatures(endpoint: EndpointConfig): string[] {
  const outputs = new Set(endpoint.payload.output.names ?? []);
  const disabled = new Set(endpoint.features.filter((f) => !f.enabled).map((f) => f.name));
  const names = [
    ...(endpoint.payload.input.columns ?? []),
    ...Object.keys(endpoint.payload.input.paths ?? {}),
    ...endpoint.features.map((feature) => feature.name),
  ];
  return [...new Set(names)].filter((name) => !outputs.has(name) && !disabled.has(name));
}

const DEFAULT_PLOTTED_QUALITY: Readonly<Record<ModelQualityConfig['problemType'], readonly string[]>> = {
  BinaryClassification: ['accuracy', 'auc', 'f1'],
  MulticlassClassification: ['accuracy', 'weighted_f1'],
  Regression: ['mae', 'rmse'],
};

/** The problem type's headline metrics, then every metric with a threshold. */
function plottedQualityMetrics(quality: ModelQualityConfig): string[] {
  return [...new Set([...DEFAULT_PLOTTED_QUALITY[quality.problemType], ...Object.keys(quality.thresholds)])];
}

function bySeverity<S extends AlarmSettings, T>(
  severity: AlarmSeverity,
  settings: S,
  toOptions: (settings: S) => T,
): BySeverity<T> {
  return settings.enabled ? { [severity]: toOptions(settings) } : {};
}

function alarmOptions(settings: AlarmSettings): AlarmOptions {
  return {
    period: Duration.minutes(settings.periodMinutes),
    evaluationPeriods: settings.evaluationPeriods,
    datapointsToAlarm: settings.datapointsToAlarm,
  };
}

function thresholdOptions(settings: ThresholdAlarmSettings): ThresholdAlarmOptions {
  return { ...alarmOptions(settings), threshold: settings.threshold };
}

function modelQualityAlarms(endpoint: EndpointConfig): Record<string, BySeverity<ModelQualityAlarmOptions>> {
  const quality = endpoint.modelQuality;
  if (quality === undefined || !endpoint.alarms.modelQuality.enabled) {
    return {};
  }
  return Object.fromEntries(
    Object.entries(quality.thresholds).map(([metric, constraint]) => [
      metric,
      {
        Warning: {
          ...alarmOptions(endpoint.alarms.modelQuality),
          threshold: constraint.threshold,
          comparisonOperator: constraint.comparisonOperator,
        },
      },
    ]),
  );
}
