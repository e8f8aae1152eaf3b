import { Duration } from 'aws-cdk-lib';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { ENV } from '../../functions/shared/env.js';
import type { AuditTrailStore } from '../constructs/audit-trail.js';
import { DriftwatchFunction } from '../constructs/driftwatch-function.js';
import { handlerEntry } from '../constructs/function-bundling.js';

/** What every function of an endpoint's workflows shares. */
export interface WorkflowFunctionOptions {
  readonly endpointName: string;
  /** The monitor configuration file, bundled next to each handler. */
  readonly configFile: string;
  readonly auditTrail: AuditTrailStore;
  /** Required by DriftwatchFunction; state machines invoke synchronously, so it only sees stray async calls. */
  readonly deadLetterQueue: sqs.IQueue;
  readonly logRetention?: logs.RetentionDays;
}

/** A workflow function (functions/handlers/<file>) with the endpoint and audit-trail environment. */
export function workflowFunction(
  scope: Construct,
  id: string,
  file: string,
  description: string,
  options: WorkflowFunctionOptions,
  sizing: { memorySize?: number; timeout?: Duration } = {},
): DriftwatchFunction {
  return new DriftwatchFunction(scope, id, {
    entry: handlerEntry(file),
    configFile: options.configFile,
    description: `driftwatch ${options.endpointName}: ${description}`,
    environment: {
      [ENV.endpointName]: options.endpointName,
      [ENV.auditBucket]: options.auditTrail.bucket.bucketName,
      [ENV.auditPrefix]: options.auditTrail.prefix,
      [ENV.powertoolsServiceName]: 'driftwatch-lifecycle',
    },
    deadLetterQueue: options.deadLetterQueue,
    memorySize: sizing.memorySize ?? 512,
    timeout: sizing.timeout ?? Duration.minutes(1),
    // Invoked synchronously by Step Functions, whose retriers decide; no asynchronous retries.
    retryAttempts: 0,
    ...(options.logRetention !== undefined ? { logRetention: options.logRetention } : {}),
  });
}
