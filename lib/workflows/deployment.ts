import { Duration } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';
import type { DeploymentConfig } from '../../functions/core/config/workflow-schema.js';
import { createdBy, sageMakerArn } from './naming.js';
import {
  type AuditStep,
  auditTask,
  CAUGHT,
  invoke,
  notificationSubject,
  notifyTask,
  sageMakerCall,
} from './steps.js';

/** The functions the deployment workflow calls. */
export interface DeploymentFunctions {
  readonly plan: lambda.IFunction;
  readonly rotateBaseline: lambda.IFunction;
  readonly audit: lambda.IFunction;
}

/** What the deployment definition is built from. */
export interface DeploymentDefinitionProps {
  readonly endpointName: string;
  readonly modelPackageGroupName: string;
  readonly deployment: DeploymentConfig;
  /** Role the new SageMaker model runs as. */
  readonly modelRoleArn: string;
  /** Names of the CloudWatch alarms that roll the deployment back (at most 10, SageMaker's limit). */
  readonly rollbackAlarmNames: readonly string[];
  readonly functions: DeploymentFunctions;
  readonly topic: sns.ITopic;
}

const at = sfn.JsonPath.stringAt;

/** SageMaker's DeploymentConfig for UpdateEndpoint, from the configuration. */
export function deploymentConfig(
  deployment: DeploymentConfig,
  alarmNames: readonly string[],
): Record<string, unknown> {
  const routing = deployment.trafficRouting;
  const trafficRouting: Record<string, unknown> = {
    Type: routing.type,
    WaitIntervalInSeconds: routing.waitIntervalSeconds,
  };
  if (routing.type === 'CANARY') {
    trafficRouting.CanarySize = { Type: 'CAPACITY_PERCENT', Value: routing.canarySizePercent };
  }
  if (routing.type === 'LINEAR') {
    trafficRouting.LinearStepSize = { Type: 'CAPACITY_PERCENT', Value: routing.linearStepPercent };
  }
  return {
    BlueGreenUpdatePolicy: {
      TrafficRoutingConfiguration: trafficRouting,
      TerminationWaitInSeconds: deployment.terminationWaitSeconds,
      MaximumExecutionTimeoutInSeconds: deployment.maximumExecutionTimeoutSeconds,
    },
    ...(deployment.autoRollback.enabled && alarmNames.length > 0
      ? { AutoRollbackConfiguration: { Alarms: alarmNames.map((AlarmName) => ({ AlarmName })) } }
      : {}),
  };
}

/**
 * The deployment state machine's definition: plan (check the package, read the endpoint) -> record the approval or
 * request -> create the model from the package -> create the endpoint config (same variants, capture on) ->
 * UpdateEndpoint with a blue/green DeploymentConfig and auto-rollback alarms -> poll DescribeEndpoint (bounded) ->
 * on success rotate the baseline and record the rollback target; on rollback, failure or timeout record and
 * notify. Paths: already deployed, success, automatic rollback, update failure, deployment failure, polling timeout.
 */
export function deploymentDefinition(scope: Construct, props: DeploymentDefinitionProps): sfn.IChainable {
  const { functions, deployment, topic, endpointName } = props;
  const audit = (id: string, step: Omit<AuditStep, 'workflow'>) =>
    auditTask(scope, id, functions.audit, { workflow: 'deployment', ...step });
  const notify = (id: string, subject: string, message: string) =>
    notifyTask(scope, id, topic, notificationSubject(endpointName, subject), message);
  const target = {
    modelPackageArn: at('$.plan.request.modelPackageArn'),
    endpointConfigName: at('$.plan.endpointConfigName'),
  };
  /** Record -> notify -> fail, for one way a deployment can end badly. */
  const failure = (
    name: string,
    error: string,
    detail: Record<string, unknown>,
    message: string,
    kind: AuditStep['kind'] = 'deployment-failure',
  ) =>
    audit(`Record ${name}`, { kind, final: true, detail, inputs: { state: sfn.JsonPath.entirePayload } })
      .next(notify(`Notify ${name}`, name, message))
      .next(
        new sfn.Fail(scope, `Deployment ${name === 'rollback' ? 'rolled back' : name}`, {
          error,
          cause: `see the audit trail (${name})`,
        }),
      );

  const planFailed = failure(
    'plan failure',
    'DeploymentFailed',
    { stage: 'plan', ...CAUGHT },
    sfn.JsonPath.format(`Deployment to ${endpointName} was not started ({}): {}`, CAUGHT.error, CAUGHT.cause),
  );
  const updateFailed = failure(
    'update failure',
    'DeploymentFailed',
    { stage: 'update', ...target, ...CAUGHT },
    sfn.JsonPath.format(
      `Deployment of {} to ${endpointName} failed before traffic moved ({}): {}`,
      target.modelPackageArn,
      CAUGHT.error,
      CAUGHT.cause,
    ),
  );

  const plan = invoke(
    scope,
    'Plan deployment',
    functions.plan,
    {
      input: sfn.JsonPath.entirePayload,
      executionArn: sfn.JsonPath.executionId,
      startTime: at('$$.Execution.StartTime'),
    },
    '$.plan',
  );
  plan.addCatch(planFailed, { resultPath: '$.error' });

  // A request by hand is a `trigger`, an approval event an `approval`: the plan says which.
  const recordRequest = audit('Record request', {
    kind: 'approval',
    kindAt: '$.plan.requestKind',
    detail: {
      modelPackageArn: at('$.plan.request.modelPackageArn'),
      source: at('$.plan.request.source'),
      reason: at('$.plan.request.reason'),
    },
    inputs: { request: sfn.JsonPath.objectAt('$.plan.request') },
  });
  recordRequest.addCatch(planFailed, { resultPath: '$.error' });

  const alreadyDeployed = audit('Record already deployed', {
    kind: 'skip',
    final: true,
    detail: { reason: 'already-deployed', ...target },
  }).next(new sfn.Succeed(scope, 'Already deployed'));

  const createModel = sageMakerCall(scope, 'Create model', {
    service: 'sagemaker',
    action: 'createModel',
    parameters: {
      ModelName: at('$.plan.modelName'),
      ExecutionRoleArn: props.modelRoleArn,
      PrimaryContainer: { ModelPackageName: at('$.plan.request.modelPackageArn') },
      Tags: [{ Key: 'driftwatch:endpoint', Value: endpointName }],
    },
    iamResources: [createdBy(scope, 'model', endpointName)],
    resultPath: sfn.JsonPath.DISCARD,
  });
  const createConfig = sageMakerCall(scope, 'Create endpoint config', {
    service: 'sagemaker',
    action: 'createEndpointConfig',
    parameters: {
      EndpointConfigName: at('$.plan.endpointConfigName'),
      ProductionVariants: sfn.JsonPath.listAt('$.plan.productionVariants'),
      DataCaptureConfig: sfn.JsonPath.objectAt('$.plan.dataCaptureConfig'),
      Tags: [{ Key: 'driftwatch:endpoint', Value: endpointName }],
    },
    iamResources: [createdBy(scope, 'endpoint-config', endpointName)],
    resultPath: sfn.JsonPath.DISCARD,
  });
  const recordStart = audit('Record deployment start', {
    kind: 'deployment-start',
    detail: {
      ...target,
      modelName: at('$.plan.modelName'),
      trafficRouting: deployment.trafficRouting.type,
      rollbackAlarms: [...props.rollbackAlarmNames],
      previous: sfn.JsonPath.objectAt('$.plan.previous'),
    },
    inputs: { plan: sfn.JsonPath.objectAt('$.plan') },
  });
  const update = sageMakerCall(scope, 'Update endpoint', {
    service: 'sagemaker',
    action: 'updateEndpoint',
    parameters: {
      EndpointName: endpointName,
      EndpointConfigName: at('$.plan.endpointConfigName'),
      DeploymentConfig: deploymentConfig(deployment, props.rollbackAlarmNames),
    },
    iamResources: [
      sageMakerArn(scope, 'endpoint', endpointName),
      createdBy(scope, 'endpoint-config', endpointName),
    ],
    resultPath: sfn.JsonPath.DISCARD,
  });
  for (const task of [createModel, createConfig, recordStart, update]) {
    task.addCatch(updateFailed, { resultPath: '$.error' });
  }

  const describe = new tasks.CallAwsService(scope, 'Describe endpoint', {
    service: 'sagemaker',
    action: 'describeEndpoint',
    parameters: { EndpointName: endpointName },
    iamResources: [sageMakerArn(scope, 'endpoint', endpointName)],
    resultSelector: { 'status.$': '$.EndpointStatus', 'endpointConfigName.$': '$.EndpointConfigName' },
    resultPath: '$.endpoint',
  });
  describe.addRetry({
    errors: ['SageMaker.SageMakerException', 'States.TaskFailed'],
    interval: Duration.seconds(5),
    maxAttempts: 3,
    backoffRate: 2,
  });

  const rotated = audit('Record deployment success', {
    kind: 'deployment-success',
    final: true,
    detail: {
      ...target,
      rollbackTarget: sfn.JsonPath.objectAt('$.plan.previous'),
      baseline: sfn.JsonPath.objectAt('$.rotation'),
    },
    inputs: { endpoint: sfn.JsonPath.objectAt('$.endpoint'), rotation: sfn.JsonPath.objectAt('$.rotation') },
  })
    .next(
      notify(
        'Notify success',
        'deployment succeeded',
        sfn.JsonPath.format(
          `{} is live on ${endpointName} (endpoint config {}). To roll back, start the deployment workflow with ` +
            '{"modelPackageArn": "<previous package>", "reason": "..."}; previous: {}',
          target.modelPackageArn,
          target.endpointConfigName,
          sfn.JsonPath.jsonToString(sfn.JsonPath.objectAt('$.plan.previous')),
        ),
      ),
    )
    .next(new sfn.Succeed(scope, 'Deployment succeeded'));
  let success: sfn.IChainable;
  if (deployment.rotateBaseline) {
    const rotate = invoke(
      scope,
      'Rotate baseline',
      functions.rotateBaseline,
      {
        statisticsS3Uri: at('$.plan.baseline.statisticsS3Uri'),
        constraintsS3Uri: at('$.plan.baseline.constraintsS3Uri'),
      },
      '$.rotation',
    );
    // The model is live either way: a failed rotation is recorded with the success, not turned into a failure.
    rotate.addCatch(rotated, { resultPath: '$.rotation' });
    success = new sfn.Choice(scope, 'Package has a baseline?')
      .when(
        sfn.Condition.isNull('$.plan.baseline'),
        new sfn.Pass(scope, 'No baseline to rotate', {
          result: sfn.Result.fromObject({
            rotated: false,
            reason: 'the package has no drift-check baselines',
          }),
          resultPath: '$.rotation',
        }).next(rotated),
      )
      .otherwise(rotate.next(rotated));
  } else {
    success = new sfn.Pass(scope, 'Keep baseline', {
      result: sfn.Result.fromObject({ rotated: false, reason: 'deployment.rotateBaseline is false' }),
      resultPath: '$.rotation',
    }).next(rotated);
  }

  const rolledBack = failure(
    'rollback',
    'DeploymentRolledBack',
    { ...target, servingConfig: at('$.endpoint.endpointConfigName') },
    sfn.JsonPath.format(
      `Deployment of {} to ${endpointName} was ROLLED BACK by SageMaker (an auto-rollback alarm fired); the endpoint ` +
        'serves endpoint config {} again.',
      target.modelPackageArn,
      at('$.endpoint.endpointConfigName'),
    ),
    'rollback',
  );
  const deploymentFailed = failure(
    'failure',
    'DeploymentFailed',
    { ...target, status: at('$.endpoint.status') },
    sfn.JsonPath.format(
      `Deployment of {} to ${endpointName} failed: the endpoint is {}. See DescribeEndpoint's FailureReason.`,
      target.modelPackageArn,
      at('$.endpoint.status'),
    ),
  );
  const timedOut = failure(
    'timeout',
    'DeploymentTimedOut',
    { ...target, status: at('$.endpoint.status'), polls: deployment.maxPolls },
    sfn.JsonPath.format(
      `Deployment of {} to ${endpointName} is still {} after ${deployment.maxPolls} checks ` +
        `${deployment.pollIntervalSeconds} s apart; the workflow stopped waiting. Check the endpoint.`,
      target.modelPackageArn,
      at('$.endpoint.status'),
    ),
  );

  const wait = new sfn.Wait(scope, 'Wait for deployment', {
    time: sfn.WaitTime.duration(Duration.seconds(deployment.pollIntervalSeconds)),
  });
  const count = new sfn.Pass(scope, 'Count check', {
    parameters: { 'count.$': 'States.MathAdd($.poll.count, 1)' },
    resultPath: '$.poll',
  });
  const status = new sfn.Choice(scope, 'Deployment status?')
    .when(
      sfn.Condition.and(
        sfn.Condition.stringEquals('$.endpoint.status', 'InService'),
        sfn.Condition.stringEqualsJsonPath('$.endpoint.endpointConfigName', '$.plan.endpointConfigName'),
      ),
      success,
    )
    .when(sfn.Condition.stringEquals('$.endpoint.status', 'InService'), rolledBack)
    .when(
      sfn.Condition.or(
        sfn.Condition.stringEquals('$.endpoint.status', 'Failed'),
        sfn.Condition.stringEquals('$.endpoint.status', 'UpdateRollbackFailed'),
      ),
      deploymentFailed,
    )
    .when(sfn.Condition.numberGreaterThanEquals('$.poll.count', deployment.maxPolls), timedOut)
    .otherwise(wait);
  wait.next(describe).next(count).next(status);

  const startPolling = new sfn.Pass(scope, 'Start polling', {
    result: sfn.Result.fromObject({ count: 0 }),
    resultPath: '$.poll',
  });

  return plan
    .next(recordRequest)
    .next(
      new sfn.Choice(scope, 'Already deployed?')
        .when(sfn.Condition.booleanEquals('$.plan.alreadyDeployed', true), alreadyDeployed)
        .otherwise(
          createModel.next(createConfig).next(recordStart).next(update).next(startPolling).next(wait),
        ),
    );
}
