import { Duration, Stack } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { EndpointConfig } from '../../functions/core/config/endpoint-schema.js';
import { acknowledgeWildcards, defaultPolicyOf } from '../nag.js';
import { deploymentDefinition } from '../workflows/deployment.js';
import { type WorkflowFunctionOptions, workflowFunction } from '../workflows/functions.js';
import { createdBy, stateMachineName as defaultStateMachineName, sageMakerArn } from '../workflows/naming.js';
import {
  acknowledgeWorkflowFindings,
  createWorkflowStateMachine,
  startExecutionTarget,
} from '../workflows/state-machine.js';
import type { AuditTrailStore } from './audit-trail.js';
import { grantDescribeServing } from './retraining-workflow.js';
import { grant, grantListAndRead, grantObjectWrite, type S3Location } from './s3-location.js';

/** SageMaker's limit on AutoRollbackConfiguration alarms. */
export const MAX_ROLLBACK_ALARMS = 10;

/** Properties of a {@link DeploymentWorkflow}. */
export interface DeploymentWorkflowProps {
  /** The endpoint's configuration; its `deployment` section must be set. */
  readonly endpoint: EndpointConfig;
  /** The monitor configuration file, bundled next to each handler. */
  readonly configFile: string;
  /** Where successes, rollbacks and failures are announced. */
  readonly topic: sns.ITopic;
  /** The audit trail every step appends to. */
  readonly auditTrail: AuditTrailStore;
  /** The endpoint's audit-append function (shared with the retraining workflow). */
  readonly auditFunction: lambda.IFunction;
  /** The Model Registry group whose approvals deploy (created by the stack). */
  readonly modelPackageGroupName: string;
  /** The role the new SageMaker model runs as (pulls its image, reads its artifacts). */
  readonly modelRole: iam.IRole;
  /**
   * Alarms that roll a deployment back while traffic shifts (endpoint health, drift of the new fleet's captures);
   * `deployment.autoRollback.alarmNames` are added. At most 10 in total.
   * @default []
   */
  readonly rollbackAlarms?: readonly cloudwatch.IAlarm[];
  /** The endpoint's baseline prefix, which a successful deployment rotates. */
  readonly baseline: S3Location;
  /** Where registered baselines are read from (the retraining artifacts). */
  readonly artifacts: S3Location;
  /** Receives failed deliveries of the approval rule and stray async invocations. */
  readonly deadLetterQueue: sqs.IQueue;
  /**
   * Name of the state machine.
   * @default `driftwatch-<endpoint, cut to 32>-<6 hex>-deployment` (see stateMachineName in lib/workflows/naming.ts)
   */
  readonly stateMachineName?: string;
  /**
   * Retention of the state machine's and functions' logs.
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly logRetention?: logs.RetentionDays;
}

/**
 * The blue/green deployment workflow of one endpoint: a state machine (see lib/workflows/deployment.ts) started when
 * a package of the endpoint's model package group is Approved, or by hand with `{"modelPackageArn", "reason"}` to
 * roll back to a named package.
 */
export class DeploymentWorkflow extends Construct {
  /** The state machine. */
  readonly stateMachine: sfn.StateMachine;
  /** The functions the state machine calls. */
  readonly functions: { plan: lambda.IFunction; rotateBaseline: lambda.IFunction };
  /** The EventBridge rule on model package approvals. */
  readonly approvalRule: events.Rule;
  /** The alarm names UpdateEndpoint's AutoRollbackConfiguration lists. */
  readonly rollbackAlarmNames: readonly string[];

  constructor(scope: Construct, id: string, props: DeploymentWorkflowProps) {
    super(scope, id);
    const { endpoint } = props;
    const deployment = endpoint.deployment;
    if (deployment === undefined) {
      throw new Error(
        `${this.node.path}: endpoint ${endpoint.name} has no deployment section; add one or drop the workflow`,
      );
    }
    this.rollbackAlarmNames = [
      ...(props.rollbackAlarms ?? []).map((alarm) => alarm.alarmName),
      ...deployment.autoRollback.alarmNames,
    ];
    if (this.rollbackAlarmNames.length > MAX_ROLLBACK_ALARMS) {
      throw new Error(
        `${this.node.path}: ${this.rollbackAlarmNames.length} rollback alarms, SageMaker allows ${MAX_ROLLBACK_ALARMS}; ` +
          'remove names from deployment.autoRollback.alarmNames or pass fewer rollbackAlarms',
      );
    }
    const stateMachineName =
      props.stateMachineName ??
      defaultStateMachineName(Stack.of(this).stackName, endpoint.name, 'deployment');
    const options: WorkflowFunctionOptions = { ...props, endpointName: endpoint.name };
    const plan = workflowFunction(
      this,
      'Plan',
      'plan-deployment.ts',
      'plan a blue/green deployment',
      options,
    );
    grantDescribeServing(this, plan.role, endpoint.name, props.modelPackageGroupName);
    const rotate = workflowFunction(
      this,
      'RotateBaseline',
      'rotate-baseline.ts',
      'rotate the baseline',
      options,
    );
    grantListAndRead(rotate.role, props.artifacts, '', 'Reads the baselines registered with the packages.');
    grantListAndRead(rotate.role, props.baseline, '', `Checks the baseline files of ${endpoint.name}.`);
    grantObjectWrite(rotate.role, props.baseline, '', `Replaces the baseline files of ${endpoint.name}.`);
    grant(
      rotate.role,
      ['s3:DeleteObject'],
      [
        props.baseline.bucket.arnForObjects(
          `${props.baseline.prefix === '' ? '' : `${props.baseline.prefix}/`}baseline.json`,
        ),
      ],
      'Removes only a stale baseline.json the new package does not replace.',
    );
    this.functions = { plan: plan.function, rotateBaseline: rotate.function };

    this.stateMachine = createWorkflowStateMachine(this, {
      stateMachineName,
      comment: `driftwatch blue/green deployment of approved models to endpoint ${endpoint.name}`,
      definition: deploymentDefinition(new Construct(this, 'States'), {
        endpointName: endpoint.name,
        modelPackageGroupName: props.modelPackageGroupName,
        deployment,
        modelRoleArn: props.modelRole.roleArn,
        rollbackAlarmNames: this.rollbackAlarmNames,
        functions: { ...this.functions, audit: props.auditFunction },
        topic: props.topic,
      }),
      // Bounded by the polling loop; the extra hour covers planning, model creation and recording.
      timeout: Duration.seconds(deployment.pollIntervalSeconds * deployment.maxPolls).plus(Duration.hours(1)),
      logRetention: props.logRetention,
    });
    this.grantSageMaker(props);

    this.approvalRule = new events.Rule(this, 'ApprovalRule', {
      description: `driftwatch: deploy packages of ${props.modelPackageGroupName} to ${endpoint.name} when approved`,
      eventPattern: {
        source: ['aws.sagemaker'],
        detailType: ['SageMaker Model Package State Change'],
        detail: { ModelPackageGroupName: [props.modelPackageGroupName], ModelApprovalStatus: ['Approved'] },
      },
      targets: [startExecutionTarget(this.stateMachine, props.deadLetterQueue)],
    });
    this.acknowledgeFindings(props);
  }

  /** Allows starting a deployment (or a rollback) by hand. */
  grantStartExecution(grantee: iam.IGrantable): iam.Grant {
    return this.stateMachine.grantStartExecution(grantee);
  }

  /** Failed executions (AWS/States `ExecutionsFailed`, Sum): failures, rollbacks and timeouts. */
  metricFailed(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.stateMachine.metricFailed(props);
  }

  private grantSageMaker(props: DeploymentWorkflowProps): void {
    const role = this.stateMachine.role;
    const name = props.endpoint.name;
    grant(
      role,
      ['sagemaker:AddTags'],
      [createdBy(this, 'model', name), createdBy(this, 'endpoint-config', name)],
      'Tags the models and endpoint configs it creates, named after the endpoint.',
    );
    grant(
      role,
      ['sagemaker:DescribeModelPackage'],
      [sageMakerArn(this, 'model-package', `${props.modelPackageGroupName}/*`)],
      "CreateModel from a package reads it; packages of the endpoint's own group only.",
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['iam:PassRole'],
        resources: [props.modelRole.roleArn],
        conditions: { StringEquals: { 'iam:PassedToService': 'sagemaker.amazonaws.com' } },
      }),
    );
    const captureKey = props.endpoint.capture.kmsKeyArn;
    if (captureKey !== undefined) {
      role.addToPrincipalPolicy(
        new iam.PolicyStatement({ actions: ['kms:CreateGrant', 'kms:DescribeKey'], resources: [captureKey] }),
      );
    }
  }

  private acknowledgeFindings(props: DeploymentWorkflowProps): void {
    acknowledgeWorkflowFindings(this.stateMachine, [...Object.values(this.functions), props.auditFunction]);
    const policy = defaultPolicyOf(this.stateMachine.role);
    const name = props.endpoint.name;
    for (const [action, resources] of [
      ['sagemaker:createModel', [createdBy(this, 'model', name)]],
      ['sagemaker:createEndpointConfig', [createdBy(this, 'endpoint-config', name)]],
      [
        'sagemaker:updateEndpoint',
        [sageMakerArn(this, 'endpoint', name), createdBy(this, 'endpoint-config', name)],
      ],
    ] as const) {
      acknowledgeWildcards(
        policy,
        new iam.PolicyStatement({ actions: [action], resources: [...resources] }),
        'Creates and deploys models and endpoint configs named after the endpoint only.',
      );
    }
  }
}
