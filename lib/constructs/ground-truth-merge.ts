import { Duration } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as events from 'aws-cdk-lib/aws-events';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as scheduler from 'aws-cdk-lib/aws-scheduler';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { ICaptureSource } from './capture-source.js';
import {
  createMonitorFunction,
  createObjectCreatedRule,
  grantBaselineRead,
  type MonitorFunctionProps,
  type MonitorScheduleOptions,
  scheduleMonitorFunction,
} from './monitor-function.js';
import type { IReportsStore } from './reports-store.js';
import {
  grantListAndRead,
  grantListUnder,
  keyPrefix,
  objectCreatedPattern,
  type S3Location,
} from './s3-location.js';

/** Properties of a {@link GroundTruthMerge}. */
export interface GroundTruthMergeProps extends MonitorFunctionProps, MonitorScheduleOptions {
  /** The monitored SageMaker endpoint (its configuration needs `groundTruth` and `modelQuality`). */
  readonly endpointName: string;
  /**
   * Where ground-truth JSONL lands (`groundTruth.s3Uri`), under `<prefix>/yyyy/mm/dd/hh/`. EventBridge
   * notifications are turned on for its bucket.
   */
  readonly groundTruth: S3Location;
  /** Where the endpoint's capture lands (read and listed under the endpoint's prefix). */
  readonly captureSource: ICaptureSource;
  /** The baseline prefix, where the optional CBPE calibration file (`model-quality-calibration.csv`) is read. */
  readonly baseline: S3Location;
  /** Where the model-quality results are written (`reports/<endpoint>/<schedule>/model-quality/...`). */
  readonly reports: IReportsStore;
  /**
   * When scheduled evaluations start (EventBridge Scheduler expression, with its time zone).
   * @default ScheduleExpression.rate(Duration.hours(1))
   */
  readonly schedule?: scheduler.ScheduleExpression;
  /**
   * Receives events and evaluations that failed after every retry.
   * @default - a new KMS-encrypted queue
   */
  readonly deadLetterQueue?: sqs.IQueue;
}

/**
 * Model quality for one endpoint: the merge-ground-truth function, started by EventBridge `Object Created` events
 * under the ground-truth prefix (the object's collection hour picks the window) and by an EventBridge Scheduler
 * schedule with `{"endpoint": "<name>"}`. It joins the window's captures to the labels, writes Model Monitor's
 * model-quality statistics.json and constraint_violations.json and publishes the metrics the model-quality alarms
 * read (`aws/sagemaker/Endpoints/model-metrics`, dimensions Endpoint and MonitoringSchedule).
 *
 * @example
 * new GroundTruthMerge(this, 'Quality', {
 *   endpointName: 'churn-endpoint',
 *   groundTruth: { bucket: dataBucket, prefix: 'ground-truth/churn-endpoint' },
 *   captureSource: capture,
 *   baseline: { bucket: dataBucket, prefix: 'baselines/churn-endpoint' },
 *   reports,
 *   configFile: 'examples/driftwatch.config.json',
 * });
 */
export class GroundTruthMerge extends Construct {
  /** The merge-ground-truth function. */
  readonly function: lambda.IFunction;
  /** The EventBridge rule on the ground-truth objects. */
  readonly rule: events.Rule;
  /** The schedule that starts it. */
  readonly schedule: scheduler.Schedule;
  /** Where failed events and evaluations end up. */
  readonly deadLetterQueue: sqs.IQueue;

  constructor(scope: Construct, id: string, props: GroundTruthMergeProps) {
    super(scope, id);
    const { fn, deadLetterQueue } = createMonitorFunction(this, 'Merge', props, {
      handlerFile: 'merge-ground-truth.ts',
      serviceName: 'driftwatch-merge-ground-truth',
      description: `driftwatch: joins ground truth to the captures of endpoint ${props.endpointName} (model quality)`,
      // A window spans lookbackHours + 1 hours of capture.
      defaultTimeout: Duration.minutes(10),
    });
    this.deadLetterQueue = deadLetterQueue;
    this.function = fn.function;
    // Captures: listed hour by hour and read, under the endpoint's prefix only.
    grantListUnder(fn.role, props.captureSource, props.endpointName);
    props.captureSource.grantReadCapture(fn.role, props.endpointName);
    // Ground truth: listed by collection hour and read, under its prefix only.
    grantListAndRead(
      fn.role,
      props.groundTruth,
      '',
      `Reads the ground-truth objects of endpoint ${props.endpointName}, whose names the labelling process ` +
        'chooses, under its ground-truth prefix only.',
    );
    // The baseline prefix: the optional CBPE calibration file, listed before it is read.
    grantBaselineRead(fn.role, props.baseline, props.endpointName);
    props.reports.grantReportWrite(fn.role, props.endpointName);

    props.groundTruth.bucket.enableEventBridgeNotification();
    this.rule = createObjectCreatedRule(
      this,
      `driftwatch: ground-truth objects of endpoint ${props.endpointName} -> merge-ground-truth`,
      objectCreatedPattern(props.groundTruth.bucket, keyPrefix(props.groundTruth.prefix)),
      this.function,
      this.deadLetterQueue,
    );

    this.schedule = scheduleMonitorFunction(this, this.function, props, {
      role: `Lets EventBridge Scheduler start model-quality evaluations of ${props.endpointName}`,
      schedule: `driftwatch: evaluate the model quality of the latest window of endpoint ${props.endpointName}`,
    });
  }

  /** Failed merge invocations (Lambda `Errors`, Sum). */
  metricErrors(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.function.metricErrors({ statistic: 'Sum', ...props });
  }

  /** Allows invoking the merge function directly (e.g. `{endpoint, windowEnd}` to re-evaluate one window). */
  grantInvoke(grantee: iam.IGrantable): iam.Grant {
    return this.function.grantInvoke(grantee);
  }
}
