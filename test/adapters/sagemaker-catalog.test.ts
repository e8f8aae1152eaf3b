import {
  DescribeEndpointCommand,
  DescribeEndpointConfigCommand,
  DescribeModelCommand,
  DescribeModelPackageCommand,
  SageMakerClient,
  SageMakerServiceException,
} from '@aws-sdk/client-sagemaker';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { SageMakerCatalog } from '../../functions/adapters/sagemaker-catalog.js';
import { AwsServiceError } from '../../functions/errors.js';

const sagemaker = mockClient(SageMakerClient);
const catalog = () => new SageMakerCatalog(new SageMakerClient({ region: 'us-east-1' }));
const ARN = 'arn:aws:sagemaker:us-east-1:111111111111:model-package/churn/2';

describe('SageMakerCatalog', () => {
  beforeEach(() => sagemaker.reset());

  it('computes the endpoint, its config and its model', async () => {
    sagemaker
      .on(DescribeEndpointCommand)
      .resolves({ EndpointConfigName: 'cfg-1', EndpointStatus: 'InService' });
    sagemaker.on(DescribeEndpointConfigCommand).resolves({
      ProductionVariants: [{ VariantName: 'AllTraffic', ModelName: 'm-1', InstanceType: 'ml.m5.large' }],
      DataCaptureConfig: {
        EnableCapture: true,
        InitialSamplingPercentage: 20,
        DestinationS3Uri: 's3://c',
        CaptureOptions: [],
      },
    });
    sagemaker.on(DescribeModelCommand).resolves({ PrimaryContainer: { ModelPackageName: ARN } });
    const c = catalog();
    expect(await c.describeEndpoint('churn')).toEqual({
      endpointName: 'churn',
      endpointConfigName: 'cfg-1',
      status: 'InService',
    });
    expect(await c.describeEndpointConfig('cfg-1')).toEqual({
      endpointConfigName: 'cfg-1',
      productionVariants: [{ VariantName: 'AllTraffic', ModelName: 'm-1', InstanceType: 'ml.m5.large' }],
      dataCaptureConfig: {
        EnableCapture: true,
        InitialSamplingPercentage: 20,
        DestinationS3Uri: 's3://c',
        CaptureOptions: [],
      },
    });
    expect(await c.describeModel('m-1')).toEqual({ modelName: 'm-1', modelPackageName: ARN });
    expect(sagemaker).toReceiveCommandWith(DescribeEndpointCommand, { EndpointName: 'churn' });
    expect(sagemaker).toReceiveCommandWith(DescribeEndpointConfigCommand, { EndpointConfigName: 'cfg-1' });
    expect(sagemaker).toReceiveCommandWith(DescribeModelCommand, { ModelName: 'm-1' });
  });

  it('computes the group, approval and drift-check baselines of a package', async () => {
    sagemaker.on(DescribeModelPackageCommand).resolves({
      ModelPackageArn: ARN,
      ModelPackageGroupName: 'churn',
      ModelApprovalStatus: 'Approved',
      DriftCheckBaselines: {
        ModelDataQuality: {
          Statistics: { ContentType: 'application/json', S3Uri: 's3://a/statistics.json' },
          Constraints: { ContentType: 'application/json', S3Uri: 's3://a/constraints.json' },
        },
      },
    });
    expect(await catalog().describeModelPackage(ARN)).toEqual({
      modelPackageArn: ARN,
      groupName: 'churn',
      approvalStatus: 'Approved',
      dataQualityBaseline: {
        statisticsS3Uri: 's3://a/statistics.json',
        constraintsS3Uri: 's3://a/constraints.json',
      },
    });
    expect(sagemaker).toReceiveCommandWith(DescribeModelPackageCommand, { ModelPackageName: ARN });
  });

  it('throws when SageMaker fails, naming the call', async () => {
    sagemaker.on(DescribeEndpointCommand).rejects(
      new SageMakerServiceException({
        name: 'ValidationException',
        $fault: 'client',
        $metadata: {},
        message: 'Could not find endpoint',
      }),
    );
    await expect(catalog().describeEndpoint('nope')).rejects.toThrow(AwsServiceError);
    await expect(catalog().describeEndpoint('nope')).rejects.toThrow(
      'DescribeEndpoint nope failed: ValidationException: Could not find endpoint',
    );
  });
});
