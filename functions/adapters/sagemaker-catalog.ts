import {
  DescribeEndpointCommand,
  DescribeEndpointConfigCommand,
  DescribeModelCommand,
  DescribeModelPackageCommand,
  type SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { awsFailure } from '../errors.js';
import type {
  EndpointConfigDescription,
  EndpointDescription,
  ModelCatalog,
  ModelDescription,
  ModelPackageDescription,
  SageMakerShape,
} from '../ports/model-catalog.js';

/** {@link ModelCatalog} on the SageMaker API. */
export class SageMakerCatalog implements ModelCatalog {
  /** @param client a SageMaker client, created once per cold start */
  constructor(private readonly client: SageMakerClient) {}

  private async call<T>(what: string, send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (err) {
      throw awsFailure(what, err);
    }
  }

  async describeEndpoint(endpointName: string): Promise<EndpointDescription> {
    const r = await this.call(`DescribeEndpoint ${endpointName}`, () =>
      this.client.send(new DescribeEndpointCommand({ EndpointName: endpointName })),
    );
    return {
      endpointName,
      endpointConfigName: r.EndpointConfigName ?? '',
      status: r.EndpointStatus ?? 'Unknown',
    };
  }

  async describeEndpointConfig(endpointConfigName: string): Promise<EndpointConfigDescription> {
    const r = await this.call(`DescribeEndpointConfig ${endpointConfigName}`, () =>
      this.client.send(new DescribeEndpointConfigCommand({ EndpointConfigName: endpointConfigName })),
    );
    return {
      endpointConfigName,
      productionVariants: (r.ProductionVariants ?? []) as unknown as SageMakerShape[],
      ...(r.DataCaptureConfig !== undefined
        ? { dataCaptureConfig: r.DataCaptureConfig as unknown as SageMakerShape }
        : {}),
      ...(r.KmsKeyId !== undefined ? { kmsKeyId: r.KmsKeyId } : {}),
    };
  }

  async describeModel(modelName: string): Promise<ModelDescription> {
    const r = await this.call(`DescribeModel ${modelName}`, () =>
      this.client.send(new DescribeModelCommand({ ModelName: modelName })),
    );
    const container = r.PrimaryContainer ?? r.Containers?.[0];
    return {
      modelName,
      ...(container?.Image !== undefined ? { image: container.Image } : {}),
      ...(container?.ModelDataUrl !== undefined ? { modelDataUrl: container.ModelDataUrl } : {}),
      ...(container?.ModelPackageName !== undefined ? { modelPackageName: container.ModelPackageName } : {}),
    };
  }

  async describeModelPackage(modelPackageArn: string): Promise<ModelPackageDescription> {
    const r = await this.call(`DescribeModelPackage ${modelPackageArn}`, () =>
      this.client.send(new DescribeModelPackageCommand({ ModelPackageName: modelPackageArn })),
    );
    const quality = r.DriftCheckBaselines?.ModelDataQuality;
    return {
      modelPackageArn: r.ModelPackageArn ?? modelPackageArn,
      ...(r.ModelPackageGroupName !== undefined ? { groupName: r.ModelPackageGroupName } : {}),
      ...(r.ModelApprovalStatus !== undefined ? { approvalStatus: r.ModelApprovalStatus } : {}),
      ...(quality !== undefined
        ? {
            dataQualityBaseline: {
              ...(quality.Statistics?.S3Uri !== undefined
                ? { statisticsS3Uri: quality.Statistics.S3Uri }
                : {}),
              ...(quality.Constraints?.S3Uri !== undefined
                ? { constraintsS3Uri: quality.Constraints.S3Uri }
                : {}),
            },
          }
        : {}),
    };
  }
}
