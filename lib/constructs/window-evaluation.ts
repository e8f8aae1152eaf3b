import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as scheduler from 'aws-cdk-lib/aws-scheduler';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import {
  createMonitorFunction,
  grantBaselineRead,
  type MonitorFunctionProps,
  type MonitorScheduleOptions,
  scheduleMonitorFunction,
} from './monitor-function.js';
import type { IReportsStore } from './reports-store.js';

/** Properties of a {@link WindowEvaluation}. */
export interface WindowEvaluationProps extends MonitorFunctionProps, MonitorScheduleOptions {
  /** Where profiles are read from and window results written to. */
  readonly reports: IReportsStore;
  /**
   * Receives evaluations that failed after every retry.
   * @default - a new KMS-encrypted queue
   */
  readonly deadLetterQueue?: sqs.IQueue;
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
    const { fn, deadLetterQueue } = createMonitorFunction(this, 'Evaluate', props, {
      handlerFile: 'evaluate-window.ts',
      serviceName: 'driftwatch-evaluate',
      description: `driftwatch: evaluates windows of endpoint ${props.endpointName} (drift, data quality, reports)`,
    });
    this.deadLetterQueue = deadLetterQueue;
    this.function = fn.function;
    grantBaselineRead(fn.role, props.baseline, props.endpointName);
    props.reports.grantProfileRead(fn.role, props.endpointName);
    props.reports.grantReportWrite(fn.role, props.endpointName);

    this.schedule = scheduleMonitorFunction(this, this.function, props, {
      role: `Lets EventBridge Scheduler start window evaluations of ${props.endpointName}`,
      schedule: `driftwatch: evaluate the latest window of endpoint ${props.endpointName}`,
    });
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
