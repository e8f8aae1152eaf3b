import { Duration, Stack } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
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
import { createDeadLetterQueue } from './dead-letter-queue.js';
import { DriftwatchFunction } from './driftwatch-function.js';
import { handlerEntry } from './function-bundling.js';
import type { IReportsStore } from './reports-store.js';
import type { S3Location } from './s3-location.js';

/** Properties of a {@link WindowEvaluation}. */
export interface WindowEvaluationProps extends MonitorFunctionOptions {
  /** The monitored SageMaker endpoint. */
  readonly endpointName: string;
  /** Where the baseline is. */
  readonly baseline: S3Location;
  /** Where profiles are read from and window results written to. */
  readonly reports: IReportsStore;
  /** The monitor configuration file, bundled next to the handler. */
  readonly configFile: string;
  /**
   * When evaluations start (EventBridge Scheduler expression, with its time zone).
   * @default ScheduleExpression.rate(Duration.hours(1))
   */
  readonly schedule?: scheduler.ScheduleExpression;
  /**
   * Whether the schedule is enabled.
   * @default true
   */
  readonly scheduleEnabled?: boolean;
  /**
   * Receives evaluations that failed after every retry.
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
 * Scheduled window evaluation for one endpoint: EventBridge Scheduler invokes the evaluate function with
 * `{"endpoint": "<name>"}`; it merges the window's profiles, runs drift and data-quality checks, writes
 * statistics.json, constraint_violations.json and drift-report.json and publishes metrics.
 *
 * @example
 * new WindowEvaluation(this, 'Evaluation', {
 *   endpointName: 'churn-endpoint',
 *   baseline: { bucket: dataBucket, prefix: 'baselines/churn-endpoint' },
 *   reports,
 *   configFile: 'examples/driftwatch.config.json',
 *   schedule: scheduler.ScheduleExpression.expression('cron(15 * * * ? *)', TimeZone.ETC_UTC),
 * });
 */
export class WindowEvaluation extends Construct {
  /** The evaluate function. */
  readonly function: lambda.IFunction;
  /** The schedule that starts it. */
  readonly schedule: scheduler.Schedule;
  /** Where failed evaluations end up. */
  readonly deadLetterQueue: sqs.IQueue;

  constructor(scope: Construct, id: string, props: WindowEvaluationProps) {
    super(scope, id);
    this.deadLetterQueue =
      props.deadLetterQueue ?? createDeadLetterQueue(this, 'DeadLetterQueue', props.encryptionKey);
    const fn = new DriftwatchFunction(this, 'Evaluate', {
      entry: props.entry ?? handlerEntry('evaluate-window.ts'),
      configFile: props.configFile,
      description: `driftwatch: evaluates windows of endpoint ${props.endpointName} (drift, data quality, reports)`,
      environment: {
        [ENV.endpointName]: props.endpointName,
        [ENV.reportsBucket]: props.reports.bucket.bucketName,
        [ENV.reportsPrefix]: props.reports.prefix,
        [ENV.powertoolsServiceName]: 'driftwatch-evaluate',
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
    grantBaselineRead(fn.role, props.baseline, props.endpointName);
    props.reports.grantProfileRead(fn.role, props.endpointName);
    props.reports.grantReportWrite(fn.role, props.endpointName);

    const role = new iam.Role(this, 'ScheduleRole', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
      description: `Lets EventBridge Scheduler start window evaluations of ${props.endpointName}`,
    });
    this.schedule = new scheduler.Schedule(this, 'Schedule', {
      description: `driftwatch: evaluate the latest window of endpoint ${props.endpointName}`,
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

  /** Failed evaluations (Lambda `Errors`, Sum). */
  metricErrors(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.function.metricErrors({ statistic: 'Sum', ...props });
  }

  /** Allows invoking the evaluate function directly (the backfill does, with `{endpoint, windowEnd}`). */
  grantInvoke(grantee: iam.IGrantable): iam.Grant {
    return this.function.grantInvoke(grantee);
  }
}
