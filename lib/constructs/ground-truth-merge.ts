import { Duration, Stack } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ENV } from '../../functions/shared/env.js';
import { DRIFTWATCH_NAMESPACE } from '../../functions/shared/metrics.js';
import { acknowledgeWildcards, defaultPolicyOf } from '../nag.js';
import { grantBaselineRead, type MonitorFunctionOptions } from './capture-ingestion.js';
import type { ICaptureSource } from './capture-source.js';
import { createDeadLetterQueue } from './dead-letter-queue.js';
import { DriftwatchFunction } from './driftwatch-function.js';
import { handlerEntry } from './function-bundling.js';
import type { IReportsStore } from './reports-store.js';
import { grantListAndRead, grantListUnder, keyPrefix, type S3Location } from './s3-location.js';

/** Properties of a {@link GroundTruthMerge}. */
export interface GroundTruthMergeProps extends MonitorFunctionOptions {
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
  /** The monitor configuration file, bundled next to the handler. */
  readonly configFile: string;
  /**
   * When scheduled evaluations start (EventBridge Scheduler expression, with its time zone).
   * @default ScheduleExpression.rate(Duration.hours(1))
   */
  readonly schedule?: scheduler.ScheduleExpression;
  /**
   * Whether the schedule is enabled.
   * @default true
   */
  readonly scheduleEnabled?: boolean;
  /**
   * Receives events and evaluations that failed after every retry.
   * @default - a new KMS-encrypted queue
   */
  readonly deadLetterQueue?: sqs.IQueue;
  /**
   * Key of the dead-letter queue created when `deadLetterQueue` is not given.
   * @default - a new KMS key
   */
  readonly encryptionKey?: kms.IKey;
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
    this.deadLetterQueue =
      props.deadLetterQueue ?? createDeadLetterQueue(this, 'DeadLetterQueue', props.encryptionKey);
    const fn = new DriftwatchFunction(this, 'Merge', {
      entry: props.entry ?? handlerEntry('merge-ground-truth.ts'),
      configFile: props.configFile,
      description: `driftwatch: joins ground truth to the captures of endpoint ${props.endpointName} (model quality)`,
      environment: {
        [ENV.endpointName]: props.endpointName,
        [ENV.reportsBucket]: props.reports.bucket.bucketName,
        [ENV.reportsPrefix]: props.reports.prefix,
        [ENV.powertoolsServiceName]: 'driftwatch-merge-ground-truth',
        [ENV.powertoolsMetricsNamespace]: DRIFTWATCH_NAMESPACE,
      },
      deadLetterQueue: this.deadLetterQueue,
      memorySize: props.memorySize,
      // A window spans lookbackHours + 1 hours of capture.
      timeout: props.timeout ?? Duration.minutes(10),
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
      retryAttempts: props.retryAttempts,
      logRetention: props.logRetention,
    });
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
    this.rule = new events.Rule(this, 'ObjectCreated', {
      description: `driftwatch: ground-truth objects of endpoint ${props.endpointName} -> merge-ground-truth`,
      eventPattern: {
        source: ['aws.s3'],
        detailType: ['Object Created'],
        detail: {
          bucket: { name: [props.groundTruth.bucket.bucketName] },
          object: { key: [{ prefix: keyPrefix(props.groundTruth.prefix) }] },
        },
      },
      targets: [
        new targets.LambdaFunction(this.function, {
          deadLetterQueue: this.deadLetterQueue,
          retryAttempts: 185,
          maxEventAge: Duration.hours(24),
        }),
      ],
    });

    const role = new iam.Role(this, 'ScheduleRole', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
      description: `Lets EventBridge Scheduler start model-quality evaluations of ${props.endpointName}`,
    });
    this.schedule = new scheduler.Schedule(this, 'Schedule', {
      description: `driftwatch: evaluate the model quality of the latest window of endpoint ${props.endpointName}`,
      schedule: props.schedule ?? scheduler.ScheduleExpression.rate(Duration.hours(1)),
      enabled: props.scheduleEnabled ?? true,
      target: new schedulerTargets.LambdaInvoke(this.function, {
        role,
        input: scheduler.ScheduleTargetInput.fromObject({ endpoint: props.endpointName }),
        // Delivery retries only; once invoked, Lambda's asynchronous retries and dead-letter queue take over.
        retryAttempts: 3,
        maxEventAge: Duration.hours(1),
      }),
    });
    acknowledgeWildcards(
      defaultPolicyOf(role),
      new iam.PolicyStatement({
        actions: ['lambda:InvokeFunction'],
        resources: [this.function.functionArn, `${this.function.functionArn}:*`],
      }),
      'grantInvoke also allows qualified ARNs (versions, aliases) of this one function; no other function.',
    );
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
