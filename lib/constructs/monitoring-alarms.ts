import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import type { DriftwatchMetrics } from './monitoring-metrics.js';

/** How urgent an alarm is; part of its name and description. */
export type AlarmSeverity = 'Critical' | 'Warning';

/** Alarm settings keyed by severity: one alarm per severity given (e.g. a Warning and a higher Critical threshold). */
export type BySeverity<T> = Readonly<Partial<Record<AlarmSeverity, T>>>;

/** Settings of one alarm whose threshold is implied by the metric (e.g. a 0/1 verdict). */
export interface AlarmOptions {
  /**
   * Period of the metric the alarm evaluates.
   * @default Duration.hours(1)
   */
  readonly period?: Duration;
  /**
   * Number of recent periods evaluated.
   * @default 1
   */
  readonly evaluationPeriods?: number;
  /**
   * How many of them must breach.
   * @default 1
   */
  readonly datapointsToAlarm?: number;
}

/** Settings of one alarm with a threshold (in ALARM at or above it unless stated otherwise). */
export interface ThresholdAlarmOptions extends AlarmOptions {
  /** The threshold. */
  readonly threshold: number;
}

/** Settings of one model-quality alarm (Model Monitor's `{threshold, comparison_operator}`). */
export interface ModelQualityAlarmOptions extends ThresholdAlarmOptions {
  /**
   * `LessThanThreshold`: in ALARM below the threshold (accuracy, auc, ...); `GreaterThanThreshold`: above (errors).
   * @default 'LessThanThreshold'
   */
  readonly comparisonOperator?: 'LessThanThreshold' | 'GreaterThanThreshold';
}

/** Which alarms together mean "retrain" (the monitor configuration's `alarms.retrain.rule`). */
export type RetrainRule = 'drift_only' | 'quality_only' | 'drift_and_quality' | 'drift_or_quality';

/** What the ingestion exposes for alarms (implemented by CaptureIngestion). */
export interface IIngestionMetrics {
  /** Failed ingest invocations. */
  metricErrors(props?: cloudwatch.MetricOptions): cloudwatch.Metric;
  /** Events waiting in the ingest dead-letter queue. */
  metricDeadLetterQueueDepth(props?: cloudwatch.MetricOptions): cloudwatch.Metric;
}

/** Properties of a {@link MonitoringAlarms}. */
export interface MonitoringAlarmsProps {
  /** Metric factory of the endpoint. */
  readonly metrics: DriftwatchMetrics;
  /**
   * Production variants to alarm on.
   * @default ['AllTraffic']
   */
  readonly variantNames?: readonly string[];
  /**
   * Input features that get a per-feature drift alarm.
   * @default [] (no per-feature alarms)
   */
  readonly featureNames?: readonly string[];
  /**
   * Topic every alarm notifies (ALARM and OK).
   * @default - no notifications
   */
  readonly topic?: sns.ITopic;
  /**
   * The ingestion, for its error and dead-letter alarms.
   * @default - no ingestion alarms
   */
  readonly ingestion?: IIngestionMetrics;
  /**
   * Per feature and variant: in ALARM when the feature's drift verdict (FeatureDrifted) is 1.
   * @default { Warning: {} }
   */
  readonly featureDriftAlarms?: BySeverity<AlarmOptions>;
  /**
   * Per variant: DriftedFeatureShare at or above the threshold.
   * @default { Warning: { threshold: 0.3 } }
   */
  readonly driftedFeatureShareAlarms?: BySeverity<ThresholdAlarmOptions>;
  /**
   * Per variant: data-quality constraint violations of a window (Maximum over the period) at or above the threshold.
   * @default { Warning: { threshold: 1 } }
   */
  readonly violationAlarms?: BySeverity<ThresholdAlarmOptions>;
  /**
   * Per variant: rejected / read capture records at or above the threshold.
   * @default { Warning: { threshold: 0.05 } }
   */
  readonly rejectedRecordRateAlarms?: BySeverity<ThresholdAlarmOptions>;
  /**
   * Failed ingest invocations (Sum) at or above the threshold; needs `ingestion`.
   * @default { Critical: { threshold: 1, period: Duration.minutes(5) } }
   */
  readonly ingestErrorAlarms?: BySeverity<ThresholdAlarmOptions>;
  /**
   * Messages in the ingest dead-letter queue at or above the threshold; needs `ingestion`.
   * @default { Critical: { threshold: 1, period: Duration.minutes(5) } }
   */
  readonly deadLetterQueueAlarms?: BySeverity<ThresholdAlarmOptions>;
  /**
   * BaselineUnavailable at or above the threshold: the functions cannot load the baseline.
   * @default { Critical: { threshold: 1, period: Duration.minutes(5) } }
   */
  readonly baselineUnavailableAlarms?: BySeverity<ThresholdAlarmOptions>;
  /**
   * Per variant: p99 ModelLatency (microseconds) above the threshold.
   * @default {} (none: no latency is right for every model)
   */
  readonly modelLatencyP99Alarms?: BySeverity<ThresholdAlarmOptions>;
  /**
   * Per variant: Invocation5XXErrors (Sum) at or above the threshold.
   * @default { Critical: { threshold: 1, period: Duration.minutes(5) } }
   */
  readonly invocation5xxAlarms?: BySeverity<ThresholdAlarmOptions>;
  /**
   * Model-quality alarms by Model Monitor metric name (e.g. `auc`).
   * @default {} (none)
   */
  readonly modelQualityAlarms?: Readonly<Record<string, BySeverity<ModelQualityAlarmOptions>>>;
  /**
   * The composite "retrain" alarm's rule; `undefined` for no composite alarm. Drift means any drifted-feature-share
   * alarm, quality any model-quality alarm.
   * @default 'drift_only'
   */
  readonly retrainRule?: RetrainRule;
  /**
   * Whether to omit the composite retrain alarm (overrides `retrainRule`).
   * @default false
   */
  readonly disableRetrainAlarm?: boolean;
}

const FIVE_MINUTES = Duration.minutes(5);

// The default of the alarms on failures (5xx, ingest errors, dead letters, no baseline): Critical at the first one.
const CRITICAL_AT_FIRST_FAILURE: BySeverity<ThresholdAlarmOptions> = {
  Critical: { threshold: 1, period: FIVE_MINUTES },
};

/**
 * CloudWatch alarms of one endpoint, built from its metric factory: drift (per feature and drifted-feature share),
 * data-quality violations, rejected records, ingestion errors and dead letters, baseline availability, endpoint
 * health (AWS/SageMaker p99 ModelLatency and 5xx) and model quality; each notifies the topic. A composite "retrain"
 * alarm combines drift with quality as configured, for the retraining workflow.
 *
 * @example
 * const alarms = new MonitoringAlarms(this, 'Alarms', {
 *   metrics: new DriftwatchMetrics({ endpointName: 'churn-endpoint', monitoringScheduleName: 'churn-driftwatch' }),
 *   featureNames: ['day_mins', 'intl_plan'],
 *   driftedFeatureShareAlarms: { Warning: { threshold: 0.3 }, Critical: { threshold: 0.6 } },
 *   topic,
 * });
 * alarms.retrainAlarm; // start retraining on its ALARM state
 */
export class MonitoringAlarms extends Construct {
  /** Every metric alarm created, in creation order. */
  readonly alarms: cloudwatch.Alarm[] = [];
  /** The composite retrain alarm, when created. */
  readonly retrainAlarm?: cloudwatch.CompositeAlarm;
  /** The drifted-feature-share alarms (the "drift" signal of the retrain rule). */
  readonly driftAlarms: cloudwatch.Alarm[] = [];
  /** The model-quality alarms (the "quality" signal of the retrain rule). */
  readonly qualityAlarms: cloudwatch.Alarm[] = [];
  /**
   * The endpoint-health alarms (p99 ModelLatency, Invocation5XXErrors) per production variant: what a blue/green
   * deployment watches to roll back.
   */
  readonly healthAlarms = new Map<string, cloudwatch.Alarm[]>();
  private readonly metrics: DriftwatchMetrics;
  private readonly topic?: sns.ITopic;

  constructor(scope: Construct, id: string, props: MonitoringAlarmsProps) {
    super(scope, id);
    this.metrics = props.metrics;
    this.topic = props.topic;
    const variants = props.variantNames ?? ['AllTraffic'];
    const features = props.featureNames ?? [];
    const metrics = props.metrics;
    if (variants.length === 0) {
      throw new Error(`${this.node.path}: variantNames is empty; give at least one production variant name`);
    }

    for (const variant of variants) {
      for (const feature of features) {
        this.forEachSeverity(props.featureDriftAlarms ?? { Warning: {} }, (severity, options) =>
          this.addAlarm(`FeatureDrift-${variant}-${feature}`, severity, options, {
            metric: metrics.featureDrifted(feature, variant, { period: options.period }),
            threshold: 1,
            what: `feature ${feature} of variant ${variant} drifted from the baseline`,
          }),
        );
      }
      this.forEachSeverity(
        props.driftedFeatureShareAlarms ?? { Warning: { threshold: 0.3 } },
        (severity, options) =>
          this.driftAlarms.push(
            this.addAlarm(`DriftedFeatureShare-${variant}`, severity, options, {
              metric: metrics.driftedFeatureShare(variant, { period: options.period }),
              threshold: options.threshold,
              what: `at least ${options.threshold} of the input features of variant ${variant} drifted`,
            }),
          ),
      );
      this.forEachSeverity(props.violationAlarms ?? { Warning: { threshold: 1 } }, (severity, options) =>
        this.addAlarm(`Violations-${variant}`, severity, options, {
          metric: metrics.violations(variant, { period: options.period }),
          threshold: options.threshold,
          what: `at least ${options.threshold} data-quality constraint violations on variant ${variant}`,
        }),
      );
      this.forEachSeverity(
        props.rejectedRecordRateAlarms ?? { Warning: { threshold: 0.05 } },
        (severity, options) =>
          this.addAlarm(`RejectedRecordRate-${variant}`, severity, options, {
            metric: metrics.rejectedRecordRate(variant, { period: options.period }),
            threshold: options.threshold,
            what: `at least ${options.threshold} of the capture records of variant ${variant} were unreadable`,
          }),
      );
      const health: cloudwatch.Alarm[] = [];
      this.healthAlarms.set(variant, health);
      this.forEachSeverity(props.modelLatencyP99Alarms ?? {}, (severity, options) =>
        health.push(
          this.addAlarm(`ModelLatencyP99-${variant}`, severity, options, {
            metric: metrics.modelLatencyP99(variant, { period: options.period ?? FIVE_MINUTES }),
            threshold: options.threshold,
            comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
            what: `p99 ModelLatency of variant ${variant} above ${options.threshold} microseconds`,
          }),
        ),
      );
      this.forEachSeverity(props.invocation5xxAlarms ?? CRITICAL_AT_FIRST_FAILURE, (severity, options) =>
        health.push(
          this.addAlarm(`Invocation5xxErrors-${variant}`, severity, options, {
            metric: metrics.invocation5xxErrors(variant, { period: options.period ?? FIVE_MINUTES }),
            threshold: options.threshold,
            what: `at least ${options.threshold} Invocation5XXErrors on variant ${variant}`,
          }),
        ),
      );
    }

    const ingestion = props.ingestion;
    if (ingestion !== undefined) {
      this.forEachSeverity(props.ingestErrorAlarms ?? CRITICAL_AT_FIRST_FAILURE, (severity, options) =>
        this.addAlarm('IngestErrors', severity, options, {
          metric: ingestion.metricErrors({ period: options.period ?? FIVE_MINUTES }),
          threshold: options.threshold,
          what: `at least ${options.threshold} failed ingest invocations`,
        }),
      );
      this.forEachSeverity(props.deadLetterQueueAlarms ?? CRITICAL_AT_FIRST_FAILURE, (severity, options) =>
        this.addAlarm('DeadLetterQueueDepth', severity, options, {
          metric: ingestion.metricDeadLetterQueueDepth({ period: options.period ?? FIVE_MINUTES }),
          threshold: options.threshold,
          what: `at least ${options.threshold} failed events waiting in the dead-letter queue`,
        }),
      );
    }
    this.forEachSeverity(props.baselineUnavailableAlarms ?? CRITICAL_AT_FIRST_FAILURE, (severity, options) =>
      this.addAlarm('BaselineUnavailable', severity, options, {
        metric: metrics.baselineUnavailable({ period: options.period ?? FIVE_MINUTES }),
        threshold: options.threshold,
        what: 'the baseline could not be loaded (missing or corrupt): drift is not being computed',
      }),
    );
    for (const [metricName, bySeverity] of Object.entries(props.modelQualityAlarms ?? {})) {
      this.forEachSeverity(bySeverity, (severity, options) => {
        const below = (options.comparisonOperator ?? 'LessThanThreshold') === 'LessThanThreshold';
        this.qualityAlarms.push(
          this.addAlarm(`ModelQuality-${metricName}`, severity, options, {
            metric: metrics.modelQuality(metricName, { period: options.period }),
            threshold: options.threshold,
            comparisonOperator: below
              ? cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD
              : cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
            what: `model-quality metric ${metricName} ${below ? 'below' : 'above'} ${options.threshold}`,
          }),
        );
      });
    }

    if (props.disableRetrainAlarm !== true) {
      this.retrainAlarm = this.createRetrainAlarm(props.retrainRule ?? 'drift_only');
    }
  }

  private createRetrainAlarm(rule: RetrainRule): cloudwatch.CompositeAlarm {
    const needsDrift = rule !== 'quality_only';
    const needsQuality = rule !== 'drift_only';
    if (needsDrift && this.driftAlarms.length === 0) {
      throw new Error(
        `${this.node.path}: retrainRule "${rule}" needs a drifted-feature-share alarm, but driftedFeatureShareAlarms ` +
          'is empty; configure one or use "quality_only"',
      );
    }
    if (needsQuality && this.qualityAlarms.length === 0) {
      throw new Error(
        `${this.node.path}: retrainRule "${rule}" needs a model-quality alarm, but modelQualityAlarms is empty; ` +
          'configure one or use "drift_only"',
      );
    }
    const anyOf = (alarms: cloudwatch.Alarm[]) =>
      cloudwatch.AlarmRule.anyOf(
        ...alarms.map((alarm) => cloudwatch.AlarmRule.fromAlarm(alarm, cloudwatch.AlarmState.ALARM)),
      );
    const drift = anyOf(this.driftAlarms);
    const quality = anyOf(this.qualityAlarms);
    const alarmRule =
      rule === 'drift_only'
        ? drift
        : rule === 'quality_only'
          ? quality
          : rule === 'drift_and_quality'
            ? cloudwatch.AlarmRule.allOf(drift, quality)
            : cloudwatch.AlarmRule.anyOf(drift, quality);
    const composite = new cloudwatch.CompositeAlarm(this, 'Retrain', {
      compositeAlarmName: this.alarmName('Retrain'),
      alarmDescription: `driftwatch: retrain ${this.metrics.endpointName} (rule ${rule}).`,
      alarmRule,
    });
    this.notify(composite);
    return composite;
  }

  private forEachSeverity<T>(
    bySeverity: BySeverity<T>,
    create: (severity: AlarmSeverity, options: T) => void,
  ) {
    for (const severity of ['Critical', 'Warning'] as const) {
      const options = bySeverity[severity];
      if (options !== undefined) {
        create(severity, options);
      }
    }
  }

  private addAlarm(
    name: string,
    severity: AlarmSeverity,
    options: AlarmOptions,
    spec: {
      metric: cloudwatch.Metric | cloudwatch.MathExpression;
      threshold: number;
      what: string;
      comparisonOperator?: cloudwatch.ComparisonOperator;
    },
  ): cloudwatch.Alarm {
    const evaluationPeriods = options.evaluationPeriods ?? 1;
    const datapointsToAlarm = options.datapointsToAlarm ?? 1;
    if (datapointsToAlarm > evaluationPeriods) {
      throw new Error(
        `${this.node.path}/${name}: datapointsToAlarm (${datapointsToAlarm}) exceeds evaluationPeriods ` +
          `(${evaluationPeriods}); use at most evaluationPeriods`,
      );
    }
    const alarm = spec.metric.createAlarm(this, `${name.replace(/\//g, '_')}-${severity}`, {
      alarmName: this.alarmName(`${name}-${severity}`),
      alarmDescription: `driftwatch ${severity}: ${spec.what} (endpoint ${this.metrics.endpointName}).`,
      threshold: spec.threshold,
      comparisonOperator:
        spec.comparisonOperator ?? cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods,
      datapointsToAlarm,
      // No capture means no traffic to judge, not a problem.
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    this.notify(alarm);
    this.alarms.push(alarm);
    return alarm;
  }

  /** Notifies the topic, when there is one, as `alarm` enters ALARM and as it returns to OK. */
  private notify(alarm: cloudwatch.AlarmBase): void {
    if (this.topic !== undefined) {
      alarm.addAlarmAction(new actions.SnsAction(this.topic));
      alarm.addOkAction(new actions.SnsAction(this.topic));
    }
  }

  private alarmName(suffix: string): string {
    return `${Stack.of(this).stackName}-${this.metrics.endpointName}-${suffix}`;
  }
}

/** Properties of a {@link NotificationTopic}. */
export interface NotificationTopicProps {
  /**
   * Email addresses to subscribe (each must confirm the subscription).
   * @default []
   */
  readonly emails?: readonly string[];
  /**
   * HTTPS endpoints to subscribe (chat webhooks, incident tools).
   * @default []
   */
  readonly httpsUrls?: readonly string[];
  /**
   * Key that encrypts the topic; CloudWatch is allowed to use it.
   * @default - a new KMS key with yearly rotation
   */
  readonly encryptionKey?: kms.IKey;
}

/**
 * The SNS topic alarms notify: KMS-encrypted (the key lets CloudWatch alarms publish), TLS-only, with email and HTTPS
 * subscriptions.
 */
export class NotificationTopic extends Construct {
  /** The topic. */
  readonly topic: sns.Topic;

  constructor(scope: Construct, id: string, props: NotificationTopicProps = {}) {
    super(scope, id);
    for (const url of props.httpsUrls ?? []) {
      if (!url.startsWith('https://')) {
        throw new Error(`${this.node.path}: httpsUrls must be https:// URLs, got ${JSON.stringify(url)}`);
      }
    }
    const key =
      props.encryptionKey ??
      new kms.Key(this, 'Key', { enableKeyRotation: true, description: `Encrypts ${this.node.path}` });
    // Alarm actions publish as the CloudWatch service, which needs the topic's key (SNS SSE with a CMK).
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudWatchAlarmsToPublish',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        // In a key policy "*" is this key.
        resources: ['*'],
      }),
    );
    this.topic = new sns.Topic(this, 'Topic', {
      displayName: 'driftwatch alarms',
      masterKey: key,
      enforceSSL: true,
    });
    for (const email of props.emails ?? []) {
      this.topic.addSubscription(new subscriptions.EmailSubscription(email));
    }
    for (const url of props.httpsUrls ?? []) {
      this.topic.addSubscription(
        new subscriptions.UrlSubscription(url, { protocol: sns.SubscriptionProtocol.HTTPS }),
      );
    }
  }
}
