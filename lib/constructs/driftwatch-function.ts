import { Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { acknowledgeFinding, defaultPolicyOf } from '../nag.js';
import { driftwatchBundling, LOCK_FILE, PROJECT_ROOT } from './function-bundling.js';

/** Properties of a {@link DriftwatchFunction}. */
export interface DriftwatchFunctionProps {
  /** Absolute path of the handler file (exporting `handler`). */
  readonly entry: string;
  /** The monitor configuration file copied next to the bundle. */
  readonly configFile: string;
  /** What the function does, shown in the console. */
  readonly description: string;
  /** Environment variables (no secrets: they are visible to anyone who can read the function). */
  readonly environment: Readonly<Record<string, string>>;
  /** Queue that receives events whose asynchronous invocations failed after every retry. */
  readonly deadLetterQueue: sqs.IQueue;
  /**
   * Memory in MiB (CPU scales with it).
   * @default 1024
   */
  readonly memorySize?: number;
  /**
   * How long one invocation may run.
   * @default Duration.minutes(5)
   */
  readonly timeout?: Duration;
  /**
   * Retries of a failed asynchronous invocation (0-2) before the event goes to the dead-letter queue.
   * @default 2
   */
  readonly retryAttempts?: number;
  /**
   * How long an asynchronous event may wait (throttling, retries) before it goes to the dead-letter queue.
   * @default Duration.hours(6)
   */
  readonly maxEventAge?: Duration;
  /**
   * Reserved concurrency (also a ceiling).
   * @default - unreserved: the account's concurrency pool
   */
  readonly reservedConcurrentExecutions?: number;
  /**
   * Retention of the function's log group.
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly logRetention?: logs.RetentionDays;
}

/**
 * A driftwatch Lambda function: Node.js 22 on arm64, ESM bundle with the monitor configuration beside it, X-Ray
 * tracing, its own log group with retention, a role with no managed policies (log writes to its own group only),
 * asynchronous retries and a dead-letter queue.
 */
export class DriftwatchFunction extends Construct {
  /** The function. */
  readonly function: nodejs.NodejsFunction;
  /** Its execution role; add permissions with `grantX` methods or `addToPolicy`. */
  readonly role: iam.Role;
  /** Its log group. */
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: DriftwatchFunctionProps) {
    super(scope, id);
    const retryAttempts = props.retryAttempts ?? 2;
    if (!Number.isInteger(retryAttempts) || retryAttempts < 0 || retryAttempts > 2) {
      throw new Error(
        `${this.node.path}: retryAttempts must be 0, 1 or 2 (Lambda's limit), got ${retryAttempts}`,
      );
    }
    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
    });
    // An explicit role instead of AWSLambdaBasicExecutionRole, which allows writing to every log group.
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of ${this.node.path}`,
    });
    this.logGroup.grantWrite(this.role);
    this.function = new nodejs.NodejsFunction(this, 'Function', {
      entry: props.entry,
      handler: 'handler',
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: LOCK_FILE,
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      bundling: driftwatchBundling(props.configFile),
      description: props.description,
      role: this.role,
      logGroup: this.logGroup,
      tracing: lambda.Tracing.ACTIVE,
      memorySize: props.memorySize ?? 1024,
      timeout: props.timeout ?? Duration.minutes(5),
      environment: { ...props.environment, NODE_OPTIONS: '--enable-source-maps' },
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
      deadLetterQueue: props.deadLetterQueue,
      retryAttempts,
      maxEventAge: props.maxEventAge ?? Duration.hours(6),
    });
    const key = props.deadLetterQueue.encryptionMasterKey;
    if (key !== undefined) {
      // Lambda sends to the dead-letter queue with the function's role, so the role needs the queue's key.
      this.role.addToPrincipalPolicy(
        new iam.PolicyStatement({ actions: ['kms:GenerateDataKey', 'kms:Decrypt'], resources: [key.keyArn] }),
      );
    }
    acknowledgeFinding(
      this.function,
      'AwsSolutions-L1',
      'Node.js 22 is the runtime driftwatch is built and tested for (ESM bundle, target node22); moving to a newer ' +
        'runtime is a deliberate upgrade, not a drift-in.',
    );
    acknowledgeFinding(
      defaultPolicyOf(this.role),
      'AwsSolutions-IAM5[Resource::*]',
      'X-Ray PutTraceSegments and PutTelemetryRecords (added by active tracing) support no resource-level ' +
        'permissions; the only valid resource is "*".',
    );
  }

  /** Allows the function's role `actions` on `resources` (explicit statements, no wildcard actions). */
  addToPolicy(statement: iam.PolicyStatement): void {
    this.role.addToPrincipalPolicy(statement);
  }
}
