import { Stack } from 'aws-cdk-lib';
import type * as events from 'aws-cdk-lib/aws-events';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { joinKey } from '../../functions/shared/s3-layout.js';
import { acknowledgeFinding } from '../nag.js';
import { grant, grantObjectRead, keyPrefix, objectCreatedPattern, type S3Location } from './s3-location.js';
import { existingOrSecureBucket, type SecureBucket, type SecureBucketProps } from './secure-bucket.js';

/** Properties of a {@link CaptureSource}. */
export interface CaptureSourceProps {
  /** Key prefix of the endpoints' DataCaptureConfig `DestinationS3Uri` (`''` for the bucket root). */
  readonly capturePrefix: string;
  /**
   * The bucket the endpoints' DataCaptureConfig already writes to. Give this or `bucketProps`, not both.
   * @default - a new bucket built from `bucketProps`
   */
  readonly existingBucket?: s3.IBucket;
  /**
   * KMS key of the capture objects in `existingBucket` (DataCaptureConfig `KmsKeyId`); readers get `kms:Decrypt`.
   * @default - the objects are SSE-S3 encrypted and need no key permission
   */
  readonly existingBucketKey?: kms.IKey;
  /**
   * Settings of the bucket created when `existingBucket` is not given.
   * @default - a {@link SecureBucket} with its defaults (new KMS key, access logs, versioning)
   */
  readonly bucketProps?: SecureBucketProps;
}

/** A capture location the ingestion can subscribe to and read from (implemented by {@link CaptureSource}). */
export interface ICaptureSource extends S3Location {
  /** The key prefix of one endpoint's capture objects: `<capturePrefix>/<endpoint>/`. */
  endpointPrefix(endpointName: string): string;
  /** An EventBridge pattern matching `Object Created` events under one endpoint's capture prefix. */
  objectCreatedPattern(endpointName: string): events.EventPattern;
  /** Allows reading one endpoint's capture objects. */
  grantReadCapture(grantee: iam.IGrantable, endpointName: string): void;
}

const NOTIFICATIONS_HANDLER_ID = 'BucketNotificationsHandler050a0587b7544547bf325f094a3db834';

/**
 * Where SageMaker data capture lands: an existing bucket or a new secure one, with Amazon EventBridge notifications
 * turned on so that `Object Created` events under the capture prefix can start the ingestion.
 *
 * @example
 * const capture = new CaptureSource(this, 'Capture', {
 *   existingBucket: s3.Bucket.fromBucketName(this, 'DataBucket', 'example-ml-data'),
 *   capturePrefix: 'datacapture',
 * });
 */
export class CaptureSource extends Construct implements ICaptureSource {
  /** The capture bucket. */
  readonly bucket: s3.IBucket;
  /** The capture prefix, without slashes at either end. */
  readonly prefix: string;
  /** Key of the capture objects, if they are KMS-encrypted. */
  readonly encryptionKey?: kms.IKey;

  constructor(scope: Construct, id: string, props: CaptureSourceProps) {
    super(scope, id);
    const { bucket, encryptionKey } = existingOrSecureBucket(this, props);
    this.bucket = bucket;
    this.encryptionKey = encryptionKey;
    this.prefix = joinKey(props.capturePrefix);
    this.bucket.enableEventBridgeNotification();
    acknowledgeNotificationsHandler(Stack.of(this));
  }

  /** The key prefix of one endpoint's capture objects: `<capturePrefix>/<endpoint>/`. */
  endpointPrefix(endpointName: string): string {
    return keyPrefix(this.prefix, endpointName);
  }

  /** An EventBridge pattern matching `Object Created` events of this bucket under one endpoint's capture prefix. */
  objectCreatedPattern(endpointName: string): events.EventPattern {
    return objectCreatedPattern(this.bucket, this.endpointPrefix(endpointName));
  }

  /** Allows reading one endpoint's capture objects (`s3:GetObject` under its prefix, `kms:Decrypt` on the key). */
  grantReadCapture(grantee: iam.IGrantable, endpointName: string): void {
    grantObjectRead(
      grantee,
      this,
      endpointName,
      `Reads the capture objects of endpoint ${endpointName} only: every object under its capture prefix, whose ` +
        'names SageMaker generates.',
    );
  }

  /**
   * Allows writing capture objects under the capture prefix, for the SageMaker execution role of an endpoint whose
   * capture bucket this construct created (`s3:PutObject`, and `kms:GenerateDataKey` on the bucket's key).
   */
  grantCaptureWrite(grantee: iam.IGrantable): void {
    const why = 'SageMaker data capture writes objects whose names it generates under the capture prefix.';
    grant(grantee, ['s3:PutObject'], [this.bucket.arnForObjects(`${keyPrefix(this.prefix)}*`)], why);
    if (this.encryptionKey !== undefined) {
      grant(grantee, ['kms:GenerateDataKey'], [this.encryptionKey.keyArn], why);
    }
  }
}

// enableEventBridgeNotification() adds a stack-wide singleton custom resource that writes the bucket's notification
// configuration; its role and runtime are CDK's, not ours.
function acknowledgeNotificationsHandler(stack: Stack): void {
  const role = stack.node.tryFindChild(NOTIFICATIONS_HANDLER_ID)?.node.tryFindChild('Role');
  if (role === undefined) {
    return;
  }
  acknowledgeFinding(
    role,
    'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
    "CDK's BucketNotificationsHandler (it turns on EventBridge notifications of the capture bucket) uses the AWS " +
      'managed basic execution role, which only lets it write its own logs.',
  );
  const policy = role.node.tryFindChild('DefaultPolicy');
  if (policy !== undefined) {
    acknowledgeFinding(
      policy,
      'AwsSolutions-IAM5[Resource::*]',
      "CDK's BucketNotificationsHandler calls s3:PutBucketNotification on buckets whose names it receives at " +
        'deploy time, so its policy cannot name them.',
    );
  }
}
