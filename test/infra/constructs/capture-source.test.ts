import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { describe, expect, it } from 'vitest';
import { CaptureSource } from '../../../lib/constructs/capture-source.js';
import { testStack } from '../support.js';

const KEY_ARN = 'arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab';

function grantee(stack: ReturnType<typeof testStack>) {
  return new iam.Role(stack, 'Reader', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
}

describe('CaptureSource', () => {
  it('computes a KMS-encrypted, versioned, TLS-only, logged bucket when none exists', () => {
    // Given no existing bucket
    const stack = testStack();
    // When a capture source is created
    new CaptureSource(stack, 'Capture', { capturePrefix: 'datacapture' });
    // Then the bucket has every protection and EventBridge notifications
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          { BucketKeyEnabled: true, ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' } },
        ],
      },
      VersioningConfiguration: { Status: 'Enabled' },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      LoggingConfiguration: { LogFilePrefix: 'Test/Capture/Bucket/' },
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: [
          {
            Action: 's3:*',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            Effect: 'Deny',
            Principal: { AWS: '*' },
          },
        ],
      },
    });
    template.hasResourceProperties('Custom::S3BucketNotifications', {
      NotificationConfiguration: { EventBridgeConfiguration: {} },
      Managed: true,
    });
    // and its access-log bucket is SSE-S3 (the only encryption log delivery supports)
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
      LifecycleConfiguration: { Rules: [{ ExpirationInDays: 90, Status: 'Enabled' }] },
    });
  });

  it('computes EventBridge notifications on an existing bucket without creating one', () => {
    // Given an existing bucket
    const stack = testStack();
    const existingBucket = s3.Bucket.fromBucketName(stack, 'Data', 'example-ml-data');
    // When a capture source uses it
    new CaptureSource(stack, 'Capture', { capturePrefix: 'datacapture', existingBucket });
    // Then no bucket is created and its notifications are merged into the existing configuration
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::S3::Bucket', 0);
    template.hasResourceProperties('Custom::S3BucketNotifications', {
      BucketName: 'example-ml-data',
      NotificationConfiguration: { EventBridgeConfiguration: {} },
      Managed: false,
    });
  });

  it('computes the Object Created pattern of one endpoint under the capture prefix', () => {
    // Given a capture prefix written with stray slashes
    const stack = testStack();
    const capture = new CaptureSource(stack, 'Capture', {
      capturePrefix: '/datacapture/prod/',
      existingBucket: s3.Bucket.fromBucketName(stack, 'Data', 'example-ml-data'),
    });
    // When the endpoint's pattern and prefix are asked for
    const pattern = stack.resolve(capture.objectCreatedPattern('churn-endpoint'));
    // Then they select that endpoint's objects in that bucket only
    expect(capture.prefix).toBe('datacapture/prod');
    expect(capture.endpointPrefix('churn-endpoint')).toBe('datacapture/prod/churn-endpoint/');
    expect(pattern).toEqual({
      source: ['aws.s3'],
      detailType: ['Object Created'],
      detail: {
        bucket: { name: ['example-ml-data'] },
        object: { key: [{ prefix: 'datacapture/prod/churn-endpoint/' }] },
      },
    });
  });

  it('computes endpoint prefixes at the bucket root when the capture prefix is empty', () => {
    // Given capture at the bucket root
    const stack = testStack();
    const capture = new CaptureSource(stack, 'Capture', {
      capturePrefix: '',
      existingBucket: s3.Bucket.fromBucketName(stack, 'Data', 'example-ml-data'),
    });
    // When / Then the endpoint prefix starts at the root
    expect(capture.endpointPrefix('churn-endpoint')).toBe('churn-endpoint/');
  });

  it('computes read access to one endpoint prefix, with decrypt on the capture key', () => {
    // Given an existing bucket whose capture objects are encrypted with a customer key
    const stack = testStack();
    const capture = new CaptureSource(stack, 'Capture', {
      capturePrefix: 'datacapture',
      existingBucket: s3.Bucket.fromBucketName(stack, 'Data', 'example-ml-data'),
      existingBucketKey: kms.Key.fromKeyArn(stack, 'CaptureKey', KEY_ARN),
    });
    // When a role is granted read of one endpoint's capture
    const role = grantee(stack);
    capture.grantReadCapture(role, 'churn-endpoint');
    // Then it may get objects under that endpoint's prefix and decrypt with the key, nothing more
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: stack.getLogicalId(role.node.defaultChild as iam.CfnRole) }],
      PolicyDocument: {
        Statement: [
          {
            Action: 's3:GetObject',
            Effect: 'Allow',
            Resource: {
              'Fn::Join': [
                '',
                ['arn:', { Ref: 'AWS::Partition' }, ':s3:::example-ml-data/datacapture/churn-endpoint/*'],
              ],
            },
          },
          { Action: 'kms:Decrypt', Effect: 'Allow', Resource: KEY_ARN },
        ],
      },
    });
  });

  it('computes write access for the SageMaker role of a created bucket', () => {
    // Given a created capture bucket
    const stack = testStack();
    const capture = new CaptureSource(stack, 'Capture', { capturePrefix: 'datacapture' });
    // When the endpoint's execution role is granted capture writes
    const role = grantee(stack);
    capture.grantCaptureWrite(role);
    // Then it may put objects under the capture prefix and generate data keys of the bucket key
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: stack.getLogicalId(role.node.defaultChild as iam.CfnRole) }],
      PolicyDocument: {
        Statement: [
          {
            Action: 's3:PutObject',
            Resource: {
              'Fn::Join': [
                '',
                [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^CaptureBucket'), 'Arn'] }, '/datacapture/*'],
              ],
            },
          },
          {
            Action: 'kms:GenerateDataKey',
            Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^CaptureBucketKey'), 'Arn'] },
          },
        ],
      },
    });
  });

  it('throws when both existingBucket and bucketProps are given', () => {
    // Given both ways of choosing the bucket
    const stack = testStack();
    const existingBucket = s3.Bucket.fromBucketName(stack, 'Data', 'example-ml-data');
    // When / Then the construct refuses, naming what was given and the fix
    expect(
      () => new CaptureSource(stack, 'Capture', { capturePrefix: 'd', existingBucket, bucketProps: {} }),
    ).toThrow(/Test\/Capture: got both existingBucket and bucketProps; pass existingBucket .* not both/);
  });

  it('throws when existingBucketKey is given without existingBucket', () => {
    // Given a key for a bucket the construct would create
    const stack = testStack();
    const existingBucketKey = kms.Key.fromKeyArn(stack, 'CaptureKey', KEY_ARN);
    // When / Then the construct points at bucketProps.encryptionKey
    expect(() => new CaptureSource(stack, 'Capture', { capturePrefix: 'd', existingBucketKey })).toThrow(
      /got existingBucketKey without existingBucket; .* bucketProps\.encryptionKey/,
    );
  });
});
