import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AslDefinition } from '../../scripts/local/asl.js';
import {
  aslOf,
  failingFirst,
  firstCall,
  type LocalRun,
  type TaskHandler,
  taskError,
} from '../../scripts/local/state-machine.js';
import { lifecycleApp } from './support.js';
import { ENDPOINT, PACKAGE_ARN, World } from './world.js';

// The deployment state machine as synthesized from the example configuration (CANARY 10 %, 600 s bake, 600 s
// termination wait, 3600 s timeout, 60 s x 90 polls), executed locally on every path.

let template: Template;
let asl: AslDefinition;
let rollbackAlarms: string[];

beforeAll(() => {
  const app = lifecycleApp();
  template = app.template();
  const monitoring = app.monitoringTemplate();
  asl = aslOf(template, 'churnendpointDeploymentStateMachine', monitoring);
  // The fake physical names of the alarms: the endpoint's health alarms in the monitoring stack, then the alarm on
  // capture drift the lifecycle stack adds.
  const alarms = (t: Template, pattern: RegExp) =>
    Object.keys(t.findResources('AWS::CloudWatch::Alarm')).filter((id) => pattern.test(id));
  rollbackAlarms = [
    ...alarms(monitoring, /churnendpoint.*(ModelLatencyP99|Invocation5xxErrors)/),
    ...alarms(template, /CaptureDriftAlarm/),
  ];
});

const approval = (version: number) => ({
  version: '0',
  source: 'aws.sagemaker',
  'detail-type': 'SageMaker Model Package State Change',
  detail: {
    ModelPackageGroupName: 'churn-endpoint',
    ModelPackageArn: PACKAGE_ARN(version),
    ModelApprovalStatus: 'Approved',
  },
});

const BASELINES = 'driftwatch/reports/churn-endpoint/retraining/churn-endpoint';

/** A world whose package 2 has its baseline files in S3. */
function world(): World {
  const w = new World();
  for (const version of [1, 2]) {
    w.s3.put(
      { bucket: 'example-ml-data', key: `${BASELINES}/run-${version}/baseline/statistics.json` },
      `{"version":0,"run":${version}}`,
    );
    w.s3.put(
      { bucket: 'example-ml-data', key: `${BASELINES}/run-${version}/baseline/constraints.json` },
      `{"version":0,"run":${version}}`,
    );
  }
  return w;
}

/**
 * SageMaker as the deployment sees it: DescribeEndpoint answers `statuses` in turn (the last one repeats); an
 * `InService` status reports the new endpoint config, `RolledBack` reports InService on the old one.
 */
function sageMaker(statuses: string[]): Record<string, TaskHandler> & { newConfig(): string } {
  let newConfig = '';
  let polls = 0;
  const handlers = {
    'Create model': () => ({ ModelArn: 'arn:model' }),
    'Create endpoint config': (input: unknown) => {
      newConfig = (input as { EndpointConfigName: string }).EndpointConfigName;
      return { EndpointConfigArn: 'arn:config' };
    },
    'Update endpoint': () => ({ EndpointArn: 'arn:endpoint' }),
    'Describe endpoint': () => {
      const status = statuses[Math.min(polls, statuses.length - 1)] as string;
      polls += 1;
      if (status === 'RolledBack')
        return { EndpointStatus: 'InService', EndpointConfigName: 'churn-config-1' };
      return {
        EndpointStatus: status,
        EndpointConfigName: status === 'InService' ? newConfig : 'churn-config-1',
      };
    },
    'Notify success': () => ({}),
    'Notify rollback': () => ({}),
    'Notify failure': () => ({}),
    'Notify timeout': () => ({}),
    'Notify update failure': () => ({}),
    'Notify plan failure': () => ({}),
    newConfig: () => newConfig,
  };
  return handlers as Record<string, TaskHandler> & { newConfig(): string };
}

const POLLING = ['Wait for deployment', 'Describe endpoint', 'Count check', 'Deployment status?'];
const START = [
  'Plan deployment',
  'Record request',
  'Already deployed?',
  'Create model',
  'Create endpoint config',
  'Record deployment start',
  'Update endpoint',
  'Start polling',
];
const message = (run: LocalRun, state: string) => firstCall<{ Message: string }>(run, state).Message;

describe('deployment workflow', () => {
  it('computes a blue/green deployment of the approved package, a rotated baseline and the rollback target', async () => {
    // Given package 2 approved while package 1 serves
    const w = world();
    const aws = sageMaker(['Updating', 'InService']);
    // When the approval event starts an execution
    const run = await w.run(asl, approval(2), aws);
    // Then it deploys, polls until the new config is InService, rotates the baseline and records success
    expect(run.error).toBeUndefined();
    expect(run.states).toEqual([
      ...START,
      ...POLLING,
      ...POLLING,
      'Package has a baseline?',
      'Rotate baseline',
      'Record deployment success',
      'Notify success',
      'Deployment succeeded',
    ]);
    const name = aws.newConfig();
    expect(name).toMatch(/^churn-endpoint-\d{14}-[0-9a-f]{4}$/);
    // And the model is created from the package
    expect(run.calls.get('Create model')).toEqual([
      {
        ModelName: name,
        ExecutionRoleArn: expect.stringContaining('SageMakerExecutionRole'),
        PrimaryContainer: { ModelPackageName: PACKAGE_ARN(2) },
        Tags: [{ Key: 'driftwatch:endpoint', Value: ENDPOINT }],
      },
    ]);
    // And the endpoint config keeps the variant names and settings, and data capture on
    expect(run.calls.get('Create endpoint config')).toEqual([
      {
        EndpointConfigName: name,
        ProductionVariants: [
          {
            VariantName: 'AllTraffic',
            ModelName: name,
            InstanceType: 'ml.m5.large',
            InitialInstanceCount: 2,
            InitialVariantWeight: 1,
          },
        ],
        DataCaptureConfig: {
          EnableCapture: true,
          InitialSamplingPercentage: 100,
          DestinationS3Uri: 's3://example-ml-data/datacapture',
          CaptureOptions: [{ CaptureMode: 'Input' }, { CaptureMode: 'Output' }],
        },
        Tags: [{ Key: 'driftwatch:endpoint', Value: ENDPOINT }],
      },
    ]);
    // And UpdateEndpoint shifts traffic as configured, with the rollback alarms
    expect(rollbackAlarms).toHaveLength(3);
    expect(run.calls.get('Update endpoint')).toEqual([
      {
        EndpointName: ENDPOINT,
        EndpointConfigName: name,
        DeploymentConfig: {
          BlueGreenUpdatePolicy: {
            TrafficRoutingConfiguration: {
              Type: 'CANARY',
              WaitIntervalInSeconds: 600,
              CanarySize: { Type: 'CAPACITY_PERCENT', Value: 10 },
            },
            TerminationWaitInSeconds: 600,
            MaximumExecutionTimeoutInSeconds: 3600,
          },
          AutoRollbackConfiguration: { Alarms: rollbackAlarms.map((AlarmName) => ({ AlarmName })) },
        },
      },
    ]);
    expect(run.calls.get('Describe endpoint')).toEqual([
      { EndpointName: ENDPOINT },
      { EndpointName: ENDPOINT },
    ]);
    // And the endpoint's baseline is the package's training profile now
    expect(
      w.s3.text({ bucket: 'example-ml-data', key: 'baselines/churn-endpoint/statistics.json' }),
    ).toContain('"run":2');
    // And the trail holds approval, start and success with the previous package as rollback target
    const records = w.records();
    expect(records.map((r) => [r.workflow, r.kind, r.final])).toEqual([
      ['deployment', 'approval', false],
      ['deployment', 'deployment-start', false],
      ['deployment', 'deployment-success', true],
    ]);
    expect(records[2]?.detail).toMatchObject({
      modelPackageArn: PACKAGE_ARN(2),
      endpointConfigName: name,
      rollbackTarget: {
        endpointConfigName: 'churn-config-1',
        modelNames: ['churn-model-1'],
        modelPackageArn: PACKAGE_ARN(1),
      },
      baseline: { files: [{ name: 'statistics.json' }, { name: 'constraints.json' }] },
    });
    expect(message(run, 'Notify success')).toContain(PACKAGE_ARN(1));
  });

  it('computes a recorded rollback when SageMaker rolls the deployment back', async () => {
    // Given an auto-rollback alarm fires during the canary: the endpoint returns to the old config
    const w = world();
    const run = await w.run(asl, approval(2), sageMaker(['Updating', 'RollingBack', 'RolledBack']));
    // Then the rollback is recorded and notified, and the execution fails as rolled back
    expect(run.states.slice(-4)).toEqual([
      'Deployment status?',
      'Record rollback',
      'Notify rollback',
      'Deployment rolled back',
    ]);
    expect(run.error?.name).toBe('DeploymentRolledBack');
    expect(w.records().at(-1)).toMatchObject({
      kind: 'rollback',
      final: true,
      detail: { servingConfig: 'churn-config-1' },
    });
    expect(message(run, 'Notify rollback')).toContain('ROLLED BACK');
    expect(run.calls.has('Rotate baseline')).toBe(false);
  });

  it('computes a recorded failure when UpdateEndpoint fails', async () => {
    // Given UpdateEndpoint is refused
    const w = world();
    const aws = {
      ...sageMaker(['InService']),
      'Update endpoint': () => {
        throw taskError('SageMaker.ValidationException', 'Cannot update in-progress endpoint');
      },
    };
    const run = await w.run(asl, approval(2), aws);
    // Then the failure is recorded with the error, notified, and the execution fails
    expect(run.states.slice(-4)).toEqual([
      'Update endpoint',
      'Record update failure',
      'Notify update failure',
      'Deployment update failure',
    ]);
    expect(run.error?.name).toBe('DeploymentFailed');
    expect(w.records().at(-1)).toMatchObject({
      kind: 'deployment-failure',
      final: true,
      detail: {
        stage: 'update',
        error: 'SageMaker.ValidationException',
        cause: 'Cannot update in-progress endpoint',
      },
    });
  });

  it('computes a deployment that survives SageMaker and SNS throttling by retrying', async () => {
    // Given CreateModel and UpdateEndpoint throttled once each, and the success notification twice
    const w = world();
    const healthy = sageMaker(['Updating', 'InService']);
    const aws = {
      ...healthy,
      'Create model': failingFirst(1, 'SageMaker.SageMakerException', healthy['Create model']),
      'Update endpoint': failingFirst(1, 'SageMaker.SageMakerException', healthy['Update endpoint']),
      'Notify success': failingFirst(2, 'SNS.ThrottledException', healthy['Notify success']),
    };
    // When the approval event starts an execution
    const run = await w.run(asl, approval(2), aws);
    // Then each call is retried until it succeeds, and the deployment succeeds as recorded
    expect(run.error).toBeUndefined();
    expect(run.calls.get('Create model')).toHaveLength(2);
    expect(run.calls.get('Update endpoint')).toHaveLength(2);
    expect(run.calls.get('Notify success')).toHaveLength(3);
    expect(run.calls.get('Create endpoint config')).toHaveLength(1);
    expect(w.records().at(-1)).toMatchObject({ kind: 'deployment-success', final: true });
  });

  it('computes a recorded update failure when throttling outlasts the retries', async () => {
    // Given UpdateEndpoint throttled on every call
    const w = world();
    const aws = {
      ...sageMaker(['InService']),
      'Update endpoint': () => {
        throw taskError('SageMaker.SageMakerException', 'Rate exceeded');
      },
    };
    const run = await w.run(asl, approval(2), aws);
    // Then it is called once and retried 3 times, then the failure is recorded
    expect(run.calls.get('Update endpoint')).toHaveLength(4);
    expect(run.error?.name).toBe('DeploymentFailed');
    expect(w.records().at(-1)).toMatchObject({
      kind: 'deployment-failure',
      detail: { stage: 'update', error: 'SageMaker.SageMakerException' },
    });
  });

  it('computes a failure without retrying an error SageMaker names (ResourceInUse is final)', async () => {
    const w = world();
    const aws = {
      ...sageMaker(['InService']),
      'Create model': () => {
        throw taskError('SageMaker.ResourceInUseException', 'Model already exists');
      },
    };
    const run = await w.run(asl, approval(2), aws);
    expect(run.calls.get('Create model')).toHaveLength(1);
    expect(run.error?.name).toBe('DeploymentFailed');
  });

  it('computes a recorded failure when the endpoint update fails', async () => {
    const w = world();
    const run = await w.run(asl, approval(2), sageMaker(['Updating', 'Failed']));
    expect(run.states.slice(-4)).toEqual([
      'Deployment status?',
      'Record failure',
      'Notify failure',
      'Deployment failure',
    ]);
    expect(run.error?.name).toBe('DeploymentFailed');
    expect(w.records().at(-1)).toMatchObject({ kind: 'deployment-failure', detail: { status: 'Failed' } });
  });

  it('computes a recorded timeout after the configured number of checks', async () => {
    // Given an endpoint that stays Updating
    const w = world();
    const aws = sageMaker(['Updating']);
    const run = await w.run(asl, approval(2), aws);
    // Then the workflow checks exactly maxPolls (90) times, then records and notifies the timeout
    expect(run.calls.get('Describe endpoint')).toHaveLength(90);
    expect(run.states.slice(-3)).toEqual(['Record timeout', 'Notify timeout', 'Deployment timeout']);
    expect(run.error?.name).toBe('DeploymentTimedOut');
    expect(w.records().at(-1)).toMatchObject({
      kind: 'deployment-failure',
      detail: { status: 'Updating', polls: 90 },
    });
    expect(message(run, 'Notify timeout')).toContain('after 90 checks 60 s apart');
  });

  it('computes a skip when the approved package already serves', async () => {
    // Given package 1, which the endpoint serves, is approved again (e.g. its description changed)
    const w = world();
    const run = await w.run(asl, approval(1), sageMaker(['InService']));
    // Then nothing is created and the skip is recorded
    expect(run.states).toEqual([
      'Plan deployment',
      'Record request',
      'Already deployed?',
      'Record already deployed',
      'Already deployed',
    ]);
    expect(run.calls.has('Create model')).toBe(false);
    expect(w.records().at(-1)).toMatchObject({
      kind: 'skip',
      final: true,
      detail: { reason: 'already-deployed' },
    });
  });

  it('computes a deployment of a named package started by hand, recorded as a trigger', async () => {
    // Given package 2 serves and an operator rolls back to package 1
    const w = world();
    w.endpoint.models.set('churn-model-1', { modelName: 'churn-model-1', modelPackageName: PACKAGE_ARN(2) });
    const run = await w.run(
      asl,
      { modelPackageArn: PACKAGE_ARN(1), reason: 'roll back: p99 latency' },
      sageMaker(['InService']),
    );
    // Then package 1 is deployed and the request is recorded as a manual trigger with its reason
    expect(run.states.at(-1)).toBe('Deployment succeeded');
    expect(run.calls.get('Create model')?.[0]).toMatchObject({
      PrimaryContainer: { ModelPackageName: PACKAGE_ARN(1) },
    });
    expect(w.records()[0]).toMatchObject({
      kind: 'trigger',
      detail: { source: 'manual', reason: 'roll back: p99 latency', modelPackageArn: PACKAGE_ARN(1) },
    });
    expect(
      w.s3.text({ bucket: 'example-ml-data', key: 'baselines/churn-endpoint/statistics.json' }),
    ).toContain('"run":1');
  });

  it('computes a recorded failure when the package is not approved', async () => {
    // Given an operator names package 3, which waits for approval
    const w = world();
    const run = await w.run(
      asl,
      { modelPackageArn: PACKAGE_ARN(3), reason: 'try it' },
      sageMaker(['InService']),
    );
    // Then nothing is deployed; the refusal is recorded and notified
    expect(run.states).toEqual([
      'Plan deployment',
      'Record plan failure',
      'Notify plan failure',
      'Deployment plan failure',
    ]);
    expect(run.error?.name).toBe('DeploymentFailed');
    expect(w.records()[0]).toMatchObject({
      kind: 'deployment-failure',
      detail: { stage: 'plan', error: 'DeploymentPlanError' },
    });
    expect(message(run, 'Notify plan failure')).toContain('PendingManualApproval');
  });
});
