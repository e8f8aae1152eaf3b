import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as events from 'aws-cdk-lib/aws-events';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { ICaptureSource } from './capture-source.js';
import {
  createMonitorFunction,
  createObjectCreatedRule,
  grantBaselineRead,
  type MonitorFunctionProps,
} from './monitor-function.js';
import type { IReportsStore } from './reports-store.js';
import type { S3Location } from './s3-location.js';

/** Properties of a {@link CaptureIngestion}. */
export interface CaptureIngestionProps extends MonitorFunctionProps {
  /** Where the endpoint's capture lands. */
  readonly captureSource: ICaptureSource;
  /** Where the baseline (baseline.json or statistics.json, and constraints.json) is. */
  readonly baseline: S3Location;
  /** Where profiles are written. */
  readonly reports: IReportsStore;
  /**
   * Receives events that failed after every retry (Lambda asynchronous retries and EventBridge delivery retries).
   * @default - a new KMS-encrypted queue
   */
  readonly deadLetterQueue?: sqs.IQueue;
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
    const { fn, deadLetterQueue } = createMonitorFunction(this, 'Ingest', props, {
      handlerFile: 'ingest-capture.ts',
      serviceName: 'driftwatch-ingest',
      description: `driftwatch: profiles each capture object of endpoint ${props.endpointName} and publishes drift`,
    });
    this.deadLetterQueue = deadLetterQueue;
    this.function = fn.function;
    props.captureSource.grantReadCapture(fn.role, props.endpointName);
    grantBaselineRead(fn.role, props.baseline, props.endpointName);
    props.reports.grantProfileWrite(fn.role, props.endpointName);
    // Idempotency: a delivery first looks for the object's profile (listing, then its metadata).
    props.reports.grantProfileRead(fn.role, props.endpointName);

    this.rule = createObjectCreatedRule(
      this,
      `driftwatch: capture objects of endpoint ${props.endpointName} -> ingest function`,
      props.captureSource.objectCreatedPattern(props.endpointName),
      this.function,
      this.deadLetterQueue,
    );
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
