import { Duration } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ENV } from '../../functions/shared/env.js';
import { DRIFTWATCH_NAMESPACE } from '../../functions/shared/metrics.js';
import type { ICaptureSource } from './capture-source.js';
import { createDeadLetterQueue } from './dead-letter-queue.js';
import { DriftwatchFunction } from './driftwatch-function.js';
import { handlerEntry } from './function-bundling.js';
import type { IReportsStore } from './reports-store.js';
import { grantListAndRead, type S3Location } from './s3-location.js';

/** Function settings shared by the ingestion and the window evaluation. */
export interface MonitorFunctionOptions {
  /**
   * Memory in MiB.
   * @default 1024
   */
  readonly memorySize?: number;
  /**
   * How long one invocation may run.
   * @default Duration.minutes(5)
   */
  readonly timeout?: Duration;
  /**
   * Reserved concurrency (also a ceiling on parallel invocations).
   * @default - unreserved
   */
  readonly reservedConcurrentExecutions?: number;
  /**
   * Retries of a failed asynchronous invocation (0-2) before the event goes to the dead-letter queue.
   * @default 2
   */
  readonly retryAttempts?: number;
  /**
   * Log retention.
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly logRetention?: logs.RetentionDays;
  /**
   * The handler file.
   * @default - functions/handlers/<name>.ts of this repository
   */
  readonly entry?: string;
}

/** Properties of a {@link CaptureIngestion}. */
export interface CaptureIngestionProps extends MonitorFunctionOptions {
  /** The monitored SageMaker endpoint. */
  readonly endpointName: string;
  /** Where the endpoint's capture lands. */
  readonly captureSource: ICaptureSource;
  /** Where the baseline (baseline.json or statistics.json, and constraints.json) is. */
  readonly baseline: S3Location;
  /** Where profiles are written. */
  readonly reports: IReportsStore;
  /** The monitor configuration file, bundled next to the handler. */
  readonly configFile: string;
  /**
   * Receives events that failed after every retry (Lambda asynchronous retries and EventBridge delivery retries).
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
 * Per-object ingestion for one endpoint: an EventBridge rule on `Object Created` under the endpoint's capture prefix
 * invokes the ingest function, which streams the object, writes its profile and publishes per-file drift metrics.
 * Failed events are retried, then kept in an encrypted dead-letter queue.
 *
 * @example
 * const ingestion = new CaptureIngestion(this, 'Ingestion', {
 *   endpointName: 'churn-endpoint',
 *   captureSource: capture,
 *   baseline: { bucket: dataBucket, prefix: 'baselines/churn-endpoint' },
 *   reports,
 *   configFile: 'examples/driftwatch.config.json',
 * });
 */
export class CaptureIngestion extends Construct {
  /** The ingest function. */
  readonly function: lambda.IFunction;
  /** Where failed events end up. */
  readonly deadLetterQueue: sqs.IQueue;
  /** The EventBridge rule on the endpoint's capture objects. */
  readonly rule: events.Rule;

  constructor(scope: Construct, id: string, props: CaptureIngestionProps) {
    super(scope, id);
    this.deadLetterQueue =
      props.deadLetterQueue ?? createDeadLetterQueue(this, 'DeadLetterQueue', props.encryptionKey);
    const fn = new DriftwatchFunction(this, 'Ingest', {
      entry: props.entry ?? handlerEntry('ingest-capture.ts'),
      configFile: props.configFile,
      description: `driftwatch: profiles each capture object of endpoint ${props.endpointName} and publishes drift`,
      environment: {
        [ENV.endpointName]: props.endpointName,
        [ENV.reportsBucket]: props.reports.bucket.bucketName,
        [ENV.reportsPrefix]: props.reports.prefix,
        [ENV.powertoolsServiceName]: 'driftwatch-ingest',
        [ENV.powertoolsMetricsNamespace]: DRIFTWATCH_NAMESPACE,
      },
      deadLetterQueue: this.deadLetterQueue,
      memorySize: props.memorySize,
      timeout: props.timeout,
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
      retryAttempts: props.retryAttempts,
      logRetention: props.logRetention,
    });
    this.function = fn.function;
    props.captureSource.grantReadCapture(fn.role, props.endpointName);
    grantBaselineRead(fn.role, props.baseline, props.endpointName);
    props.reports.grantProfileWrite(fn.role, props.endpointName);
    // Idempotency: a delivery first looks for the object's profile (listing, then its metadata).
    props.reports.grantProfileRead(fn.role, props.endpointName);

    this.rule = new events.Rule(this, 'ObjectCreated', {
      description: `driftwatch: capture objects of endpoint ${props.endpointName} -> ingest function`,
      eventPattern: props.captureSource.objectCreatedPattern(props.endpointName),
      targets: [
        new targets.LambdaFunction(this.function, {
          deadLetterQueue: this.deadLetterQueue,
          retryAttempts: 185,
          maxEventAge: Duration.hours(24),
        }),
      ],
    });
  }

  /** Failed ingest invocations (Lambda `Errors`, Sum). */
  metricErrors(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.function.metricErrors({ statistic: 'Sum', ...props });
  }

  /** Events waiting in the dead-letter queue (`ApproximateNumberOfMessagesVisible`, Maximum). */
  metricDeadLetterQueueDepth(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ statistic: 'Maximum', ...props });
  }

  /** Allows invoking the ingest function directly (the backfill does, with `{bucket, key}`). */
  grantInvoke(grantee: iam.IGrantable): iam.Grant {
    return this.function.grantInvoke(grantee);
  }
}

/** Allows listing and reading the baseline files under `baseline.prefix`. */
export function grantBaselineRead(grantee: iam.IGrantable, baseline: S3Location, endpointName: string): void {
  grantListAndRead(
    grantee,
    baseline,
    '',
    `Reads the baseline files of endpoint ${endpointName} (baseline.json, statistics.json, constraints.json) under ` +
      'its baseline prefix only.',
  );
}
