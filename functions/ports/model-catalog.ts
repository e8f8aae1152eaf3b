/** SageMaker's request/response shapes (PascalCase), passed through to the state machine as they are. */
export type SageMakerShape = Record<string, unknown>;

/** What DescribeEndpoint says. */
export interface EndpointDescription {
  endpointName: string;
  endpointConfigName: string;
  status: string;
}

/** What DescribeEndpointConfig says. */
export interface EndpointConfigDescription {
  endpointConfigName: string;
  /** ProductionVariants as SageMaker returns them (valid CreateEndpointConfig input). */
  productionVariants: SageMakerShape[];
  /** DataCaptureConfig, when capture is configured. */
  dataCaptureConfig?: SageMakerShape;
  /** KMS key of the ML storage volumes, when set. */
  kmsKeyId?: string;
}

/** What DescribeModel says about the primary container. */
export interface ModelDescription {
  modelName: string;
  image?: string;
  modelDataUrl?: string;
  /** Set when the model was created from a versioned model package. */
  modelPackageName?: string;
}

/** What DescribeModelPackage says. */
export interface ModelPackageDescription {
  modelPackageArn: string;
  groupName?: string;
  approvalStatus?: string;
  /** DriftCheckBaselines.ModelDataQuality statistics and constraints S3 URIs, when registered. */
  dataQualityBaseline?: { statisticsS3Uri?: string; constraintsS3Uri?: string };
}

/** Read access to SageMaker endpoints, models and the model registry. Every method throws AwsServiceError. */
export interface ModelCatalog {
  describeEndpoint(endpointName: string): Promise<EndpointDescription>;
  describeEndpointConfig(endpointConfigName: string): Promise<EndpointConfigDescription>;
  describeModel(modelName: string): Promise<ModelDescription>;
  describeModelPackage(modelPackageArn: string): Promise<ModelPackageDescription>;
}
