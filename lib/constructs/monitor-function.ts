import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { ENV } from '../../functions/shared/env.js';
import { DRIFTWATCH_NAMESPACE } from '../../functions/shared/metrics.js';
import { acknowledgeWildcards, defaultPolicyOf } from '../nag.js';
import { createDeadLetterQueue } from './dead-letter-queue.js';
import { DriftwatchFunction } from './driftwatch-function.js';
import { handlerEntry } from './function-bundling.js';
import type { IReportsStore } from './reports-store.js';
import { grantListAndRead, type S3Location } from './s3-location.js';
import { sameAccountServicePrincipal } from './service-principal.js';

// What the per-endpoint monitor functions (CaptureIngestion, WindowEvaluation, GroundTruthMerge) share: their props,
// how their function and dead-letter queue are built, and how EventBridge and EventBridge Scheduler start them. A new
// environment variable, retry or schedule setting is made here once.

/** Function settings shared by the ingestion, the window evaluation and the ground-truth merge. */
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

/** Properties every monitor function of one endpoint takes (each construct adds its own sources). */
export interface MonitorFunctionProps extends MonitorFunctionOptions {
  /** The monitored SageMaker endpoint. */
  readonly endpointName: string;
  /** Where the baseline is. */
  readonly baseline: S3Location;
  /** Where the function reads and writes profiles and results. */
  readonly reports: IReportsStore;
  /** The monitor configuration file, bundled next to the handler. */
  readonly configFile: string;
  /**
   * Receives events that failed after every retry.
   * @default - a new KMS-encrypted queue
   */
  readonly deadLetterQueue?: sqs.IQueue;
  /**
   * Key of the dead-letter queue created when `deadLetterQueue` is not given.
   * @default - a new KMS key
   */
  readonly encryptionKey?: kms.IKey;
}

/** Schedule settings of a monitor function that EventBridge Scheduler starts. */
export interface MonitorScheduleOptions {
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
}

/** What distinguishes one monitor function from another. */
export interface MonitorFunctionSpec {
  /** Its handler under functions/handlers (e.g. `ingest-capture.ts`), unless `entry` is given. */
  readonly handlerFile: string;
  /** Its Powertools service name (`POWERTOOLS_SERVICE_NAME`). */
  readonly serviceName: string;
  /** What it does, shown in the console. */
  readonly description: string;
  /**
   * Its timeout when `timeout` is not given.
   * @default - DriftwatchFunction's default
   */
  readonly defaultTimeout?: Duration;
}

/** A monitor function and the queue its failed events go to. */
export interface MonitorFunction {
  /** The function, its role and log group. */
  readonly fn: DriftwatchFunction;
  /** `props.deadLetterQueue`, or the queue created for it. */
  readonly deadLetterQueue: sqs.IQueue;
}

/**
 * Builds a monitor function `id` in `scope` with the environment every monitor handler reads (endpoint, reports
 * location, Powertools service and namespace) and its dead-letter queue: `props.deadLetterQueue`, or a new
 * `DeadLetterQueue` encrypted with `props.encryptionKey`.
 */
export function createMonitorFunction(
  scope: Construct,
  id: string,
  props: MonitorFunctionProps,
  spec: MonitorFunctionSpec,
): MonitorFunction {
  const deadLetterQueue =
    props.deadLetterQueue ?? createDeadLetterQueue(scope, 'DeadLetterQueue', props.encryptionKey);
  const fn = new DriftwatchFunction(scope, id, {
    entry: props.entry ?? handlerEntry(spec.handlerFile),
    configFile: props.configFile,
    description: spec.description,
    environment: {
      [ENV.endpointName]: props.endpointName,
      [ENV.reportsBucket]: props.reports.bucket.bucketName,
      [ENV.reportsPrefix]: props.reports.prefix,
      [ENV.powertoolsServiceName]: spec.serviceName,
      [ENV.powertoolsMetricsNamespace]: DRIFTWATCH_NAMESPACE,
    },
    deadLetterQueue,
    memorySize: props.memorySize,
    timeout: props.timeout ?? spec.defaultTimeout,
    reservedConcurrentExecutions: props.reservedConcurrentExecutions,
    retryAttempts: props.retryAttempts,
    logRetention: props.logRetention,
  });
  return { fn, deadLetterQueue };
}

/**
 * An EventBridge rule `ObjectCreated` in `scope` that invokes `fn` for events matching `eventPattern`, with the
 * most delivery retries EventBridge allows (185, over 24 hours) before an event goes to `deadLetterQueue`.
 */
export function createObjectCreatedRule(
  scope: Construct,
  description: string,
  eventPattern: events.EventPattern,
  fn: lambda.IFunction,
  deadLetterQueue: sqs.IQueue,
): events.Rule {
  return new events.Rule(scope, 'ObjectCreated', {
    description,
    eventPattern,
    targets: [
      new targets.LambdaFunction(fn, {
        deadLetterQueue,
        retryAttempts: 185,
        maxEventAge: Duration.hours(24),
      }),
    ],
  });
}

/** The descriptions of a monitor function's schedule and of the role it runs as. */
export interface MonitorScheduleDescriptions {
  /** What the schedule does. */
  readonly schedule: string;
  /** What the role lets EventBridge Scheduler do. */
  readonly role: string;
}

/**
 * An EventBridge Scheduler schedule `Schedule` in `scope` that invokes `fn` with `{"endpoint": "<name>"}`, as a
 * role `ScheduleRole` that only this account's schedules can assume and that may invoke `fn` only.
 */
export function scheduleMonitorFunction(
  scope: Construct,
  fn: lambda.IFunction,
  props: MonitorFunctionProps & MonitorScheduleOptions,
  descriptions: MonitorScheduleDescriptions,
): scheduler.Schedule {
  const role = new iam.Role(scope, 'ScheduleRole', {
    assumedBy: sameAccountServicePrincipal(scope, 'scheduler.amazonaws.com'),
    description: descriptions.role,
  });
  const schedule = new scheduler.Schedule(scope, 'Schedule', {
    description: descriptions.schedule,
    schedule: props.schedule ?? scheduler.ScheduleExpression.rate(Duration.hours(1)),
    enabled: props.scheduleEnabled ?? true,
    target: new schedulerTargets.LambdaInvoke(fn, {
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
      resources: [fn.functionArn, `${fn.functionArn}:*`],
    }),
    'grantInvoke also allows qualified ARNs (versions, aliases) of this one function; no other function.',
  );
  return schedule;
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
