import { describe, expect, it } from 'vitest';
import { DeploymentPlanError, InvalidEventError } from '../../functions/errors.js';
import { createHandler, parseDeploymentRequest } from '../../functions/handlers/plan-deployment.js';
import { PACKAGE_ARN, World } from '../workflows/world.js';

const task = (input: unknown) => ({
  input,
  executionArn: 'arn:aws:states:us-east-1:111111111111:execution:sm:x',
  startTime: '2026-11-26T10:00:00Z',
});

function planner(world: World, deployment = {}) {
  return createHandler({
    endpointName: 'churn-endpoint',
    modelPackageGroupName: 'churn-endpoint',
    deployment,
    catalog: world.catalog,
  });
}

describe('plan-deployment', () => {
  it('computes the new variants (same names, new model, configured size) and capture on', async () => {
    // Given a serverless second variant and capture that was switched off, and a configured instance type
    const world = new World();
    const config = world.endpoint.configs.get('churn-config-1');
    config?.productionVariants.push({
      VariantName: 'Shadow',
      ModelName: 'churn-model-1',
      ServerlessConfig: { MemorySizeInMB: 2048 },
    });
    if (config?.dataCaptureConfig) config.dataCaptureConfig.EnableCapture = false;
    // When package 2 is planned with instanceType ml.c5.xlarge and 3 instances
    const plan = await planner(world, { instanceType: 'ml.c5.xlarge', initialInstanceCount: 3 })(
      task({ modelPackageArn: PACKAGE_ARN(2), reason: 'r' }),
    );
    // Then instance variants take the configured size, the serverless one keeps its settings, capture is on
    expect(plan.modelName).toMatch(/^churn-endpoint-20261126100000-[0-9a-f]{4}$/);
    expect(plan.endpointConfigName).toBe(plan.modelName);
    expect(plan.productionVariants).toEqual([
      {
        VariantName: 'AllTraffic',
        ModelName: plan.modelName,
        InstanceType: 'ml.c5.xlarge',
        InitialInstanceCount: 3,
        InitialVariantWeight: 1,
      },
      { VariantName: 'Shadow', ModelName: plan.modelName, ServerlessConfig: { MemorySizeInMB: 2048 } },
    ]);
    expect(plan.dataCaptureConfig.EnableCapture).toBe(true);
    expect(plan).toMatchObject({
      requestKind: 'trigger',
      alreadyDeployed: false,
      previous: {
        endpointConfigName: 'churn-config-1',
        modelNames: ['churn-model-1', 'churn-model-1'],
        modelPackageArn: PACKAGE_ARN(1),
      },
      baseline: { statisticsS3Uri: expect.stringContaining('run-2/baseline/statistics.json') },
    });
  });

  it('computes an approval request from the Model Registry event', () => {
    expect(
      parseDeploymentRequest({
        source: 'aws.sagemaker',
        'detail-type': 'SageMaker Model Package State Change',
        detail: {
          ModelPackageArn: PACKAGE_ARN(2),
          ModelApprovalStatus: 'Approved',
          ApprovalDescription: 'looks good',
        },
      }),
    ).toEqual({ modelPackageArn: PACKAGE_ARN(2), source: 'approval', reason: 'looks good' });
  });

  it.each([
    [
      'the package belongs to another group',
      (w: World) => {
        const pkg = w.endpoint.packages.get(PACKAGE_ARN(2));
        if (pkg) pkg.groupName = 'fraud';
      },
      'belongs to model package group "fraud", not "churn-endpoint"',
    ],
    [
      'the package is not approved',
      () => {},
      'is PendingManualApproval; only Approved packages are deployed',
      3,
    ],
    [
      'the endpoint has no data capture',
      (w: World) => {
        const config = w.endpoint.configs.get('churn-config-1');
        if (config) delete config.dataCaptureConfig;
      },
      'has no DataCaptureConfig',
    ],
  ] as [string, (w: World) => void, string, number?][])(
    'throws when %s',
    async (_what, arrange, message, version = 2) => {
      const world = new World();
      arrange(world);
      const run = planner(world)(task({ modelPackageArn: PACKAGE_ARN(version), reason: 'r' }));
      await expect(run).rejects.toThrow(DeploymentPlanError);
      await expect(
        planner(world)(task({ modelPackageArn: PACKAGE_ARN(version), reason: 'r' })),
      ).rejects.toThrow(message);
    },
  );

  it.each([
    [{ modelPackageArn: 'not-an-arn', reason: 'r' }, 'modelPackageArn: expected a model package ARN'],
    [{ modelPackageArn: PACKAGE_ARN(1) }, 'reason: expected the reason for deploying by hand'],
    [
      {
        source: 'aws.sagemaker',
        'detail-type': 'SageMaker Model Package State Change',
        detail: { ModelPackageArn: PACKAGE_ARN(1), ModelApprovalStatus: 'Rejected' },
      },
      'detail.ModelApprovalStatus: expected "Approved"',
    ],
  ])('throws when the request is %j', (input, message) => {
    expect(() => parseDeploymentRequest(input)).toThrow(InvalidEventError);
    expect(() => parseDeploymentRequest(input)).toThrow(message);
  });
});
