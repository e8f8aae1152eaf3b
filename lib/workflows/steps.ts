import { Duration } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';
import type { AuditKind, AuditWorkflow } from '../../functions/core/audit/record.js';

// Building blocks shared by the retraining and deployment definitions. Everything is JSONPath, so the synthesized
// definitions also run in aws-local-stepfunctions.

/** Errors of driftwatch functions that retrying cannot fix (bad input, bad configuration, a broken chain). */
export const FINAL_ERRORS = [
  'InvalidEventError',
  'ConfigurationError',
  'AuditFormatError',
  'AuditChainError',
  'DeploymentPlanError',
  'EvaluationInputError',
  'QualityInputError',
  'InputError',
  'ObjectNotFoundError',
] as const;

/**
 * Retries a function task on transient failures (S3, SageMaker, a lost audit race); final errors are not retried.
 * Lambda's own service errors are retried by the task's default retrier.
 */
export function retryTransient(task: tasks.LambdaInvoke): void {
  task.addRetry({ errors: [...FINAL_ERRORS], maxAttempts: 0 });
  task.addRetry({
    errors: ['AuditConflictError', 'StorageError', 'AwsServiceError'],
    interval: Duration.seconds(2),
    backoffRate: 2,
    maxAttempts: 4,
  });
}

/**
 * A SageMaker API call (AWS SDK integration) that is retried on throttling and service faults. The integration
 * names SageMaker's unmodeled errors (ThrottlingException, InternalFailure, ServiceUnavailable) as
 * `SageMaker.SageMakerException`; modeled ones (ResourceInUse, ResourceLimitExceeded, ResourceNotFound) are not
 * retried and reach the task's Catch.
 */
export function sageMakerCall(
  scope: Construct,
  id: string,
  props: tasks.CallAwsServiceProps,
): tasks.CallAwsService {
  const task = new tasks.CallAwsService(scope, id, props);
  task.addRetry({
    errors: ['SageMaker.SageMakerException'],
    interval: Duration.seconds(5),
    backoffRate: 2,
    maxAttempts: 3,
  });
  return task;
}

/** A driftwatch function task whose output (the function's return value) lands at `resultPath`. */
export function invoke(
  scope: Construct,
  id: string,
  fn: lambda.IFunction,
  payload: Record<string, unknown>,
  resultPath: string,
): tasks.LambdaInvoke {
  const task = new tasks.LambdaInvoke(scope, id, {
    lambdaFunction: fn,
    payload: sfn.TaskInput.fromObject(payload),
    payloadResponseOnly: true,
    resultPath,
  });
  retryTransient(task);
  return task;
}

/** What one audit step records. */
export interface AuditStep {
  workflow: AuditWorkflow;
  kind: AuditKind;
  /** Read the kind from this JSONPath instead (the deployment request is an `approval` or a `trigger`). */
  kindAt?: string;
  /** Whether this record ends the run. @default false */
  final?: boolean;
  /** The decision (JSONPath values allowed: `sfn.JsonPath.stringAt(...)`). */
  detail: Record<string, unknown>;
  /** Named inputs whose hashes the record keeps. */
  inputs?: Record<string, unknown>;
}

/** A task that appends one record to the endpoint's audit trail (its `{sequence, hash}` at `$.lastAudit`). */
export function auditTask(
  scope: Construct,
  id: string,
  fn: lambda.IFunction,
  step: AuditStep,
): tasks.LambdaInvoke {
  return invoke(
    scope,
    id,
    fn,
    {
      workflow: step.workflow,
      kind: step.kindAt === undefined ? step.kind : sfn.JsonPath.stringAt(step.kindAt),
      final: step.final ?? false,
      runId: sfn.JsonPath.executionId,
      detail: step.detail,
      inputs: step.inputs ?? {},
    },
    '$.lastAudit',
  );
}

/** The subject of an endpoint's workflow notification, `driftwatch <endpoint>: <what>`, cut under SNS's 100 characters. */
export function notificationSubject(endpointName: string, what: string): string {
  return `driftwatch ${endpointName}: ${what}`.slice(0, 99);
}

/**
 * A task that publishes `message` (a JSONPath format string is allowed) to the notification topic. It follows an
 * audit step, so it carries the hash of the record just written (the chain's head) as the message attribute
 * `driftwatch.auditHash`, for `driftwatch audit --expect-head`.
 */
export function notifyTask(
  scope: Construct,
  id: string,
  topic: sns.ITopic,
  subject: string,
  message: string,
) {
  const task = new tasks.SnsPublish(scope, id, {
    topic,
    subject,
    message: sfn.TaskInput.fromText(message),
    messageAttributes: {
      'driftwatch.auditHash': { value: sfn.JsonPath.stringAt('$.lastAudit.hash') },
      'driftwatch.execution': { value: sfn.JsonPath.executionId },
    },
    resultPath: sfn.JsonPath.DISCARD,
  });
  // SNS throttling (ThrottledException, KMSThrottlingException on the encrypted topic) must not fail a run whose
  // decision is already recorded; publishing has no other effect, so any task failure may be retried.
  task.addRetry({
    errors: ['States.TaskFailed'],
    interval: Duration.seconds(2),
    backoffRate: 2,
    maxAttempts: 3,
  });
  return task;
}

/** The error a Catch put at `$.error`. */
export const CAUGHT = {
  error: sfn.JsonPath.stringAt('$.error.Error'),
  cause: sfn.JsonPath.stringAt('$.error.Cause'),
};
