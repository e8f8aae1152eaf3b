import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { describe, expect, it } from 'vitest';
import { ReportsStore } from '../../../lib/constructs/reports-store.js';
import { s3Arn, statementsOfRole, testStack } from '../support.js';

const KEY_ARN = 'arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab';

function setup(prefix = 'driftwatch/reports') {
  const stack = testStack();
  const store = new ReportsStore(stack, 'Reports', {
    existingBucket: s3.Bucket.fromBucketName(stack, 'Data', 'example-ml-data'),
    existingBucketKey: kms.Key.fromKeyArn(stack, 'Key', KEY_ARN),
    prefix,
  });
  const role = new iam.Role(stack, 'Fn', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  return { stack, store, role };
}

describe('ReportsStore', () => {
  it('computes profile writes scoped to one endpoint, with the key for SSE-KMS uploads', () => {
    // Given a reports location in an existing bucket
    const { stack, store, role } = setup();
    // When a role is allowed to write one endpoint's profiles
    store.grantProfileWrite(role, 'churn-endpoint');
    // Then it may put objects under <prefix>/profiles/<endpoint>/ only
    expect(statementsOfRole(Template.fromStack(stack), stack, role)).toEqual([
      {
        Action: 's3:PutObject',
        Effect: 'Allow',
        Resource: s3Arn('example-ml-data/driftwatch/reports/profiles/churn-endpoint/*'),
      },
      { Action: ['kms:Decrypt', 'kms:GenerateDataKey'], Effect: 'Allow', Resource: KEY_ARN },
    ]);
  });

  it('computes profile reads with listing limited to the endpoint profile prefix', () => {
    // Given a reports location
    const { stack, store, role } = setup();
    // When a role is allowed to read one endpoint's profiles
    store.grantProfileRead(role, 'churn-endpoint');
    // Then it may list only under that prefix and get only those objects
    expect(statementsOfRole(Template.fromStack(stack), stack, role)).toEqual([
      {
        Action: 's3:ListBucket',
        Effect: 'Allow',
        Resource: s3Arn('example-ml-data'),
        Condition: {
          StringLike: {
            's3:prefix': [
              'driftwatch/reports/profiles/churn-endpoint',
              'driftwatch/reports/profiles/churn-endpoint/*',
            ],
          },
        },
      },
      {
        Action: 's3:GetObject',
        Effect: 'Allow',
        Resource: s3Arn('example-ml-data/driftwatch/reports/profiles/churn-endpoint/*'),
      },
      { Action: 'kms:Decrypt', Effect: 'Allow', Resource: KEY_ARN },
    ]);
  });

  it('computes report writes under <prefix>/reports/<endpoint>/ at the bucket root too', () => {
    // Given a reports location at the bucket root
    const { stack, store, role } = setup('');
    // When a role is allowed to write one endpoint's window results
    store.grantReportWrite(role, 'churn-endpoint');
    // Then the object prefix starts at the root
    expect(statementsOfRole(Template.fromStack(stack), stack, role)[0]).toEqual({
      Action: 's3:PutObject',
      Effect: 'Allow',
      Resource: s3Arn('example-ml-data/reports/churn-endpoint/*'),
    });
    expect(store.prefix).toBe('');
  });

  it('computes a secure bucket when no existing bucket is given', () => {
    // Given no bucket
    const stack = testStack();
    // When a reports store is created
    new ReportsStore(stack, 'Reports');
    // Then a KMS-encrypted, versioned bucket with expiring old versions is created
    Template.fromStack(stack).hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' } }],
      },
      VersioningConfiguration: { Status: 'Enabled' },
      LifecycleConfiguration: {
        Rules: [
          {
            NoncurrentVersionExpiration: { NoncurrentDays: 30 },
            AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 },
            Status: 'Enabled',
          },
        ],
      },
    });
  });

  it('throws when both existingBucket and bucketProps are given', () => {
    // Given both ways of choosing the bucket
    const stack = testStack();
    const existingBucket = s3.Bucket.fromBucketName(stack, 'Data', 'example-ml-data');
    // When / Then the construct refuses with the fix
    expect(() => new ReportsStore(stack, 'Reports', { existingBucket, bucketProps: {} })).toThrow(
      /Test\/Reports: got both existingBucket and bucketProps/,
    );
  });

  it('throws when existingBucketKey is given without existingBucket', () => {
    // Given a key but no bucket
    const stack = testStack();
    const existingBucketKey = kms.Key.fromKeyArn(stack, 'Key', KEY_ARN);
    // When / Then the construct points at bucketProps.encryptionKey
    expect(() => new ReportsStore(stack, 'Reports', { existingBucketKey })).toThrow(
      /bucketProps\.encryptionKey/,
    );
  });
});
