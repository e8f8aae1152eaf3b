import { Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { describe, expect, it } from 'vitest';
import { AuditTrailStore } from '../../lib/constructs/audit-trail.js';
import { DeploymentWorkflow } from '../../lib/constructs/deployment-workflow.js';
import { ecrRepositoryArn, RetrainingWorkflow } from '../../lib/constructs/retraining-workflow.js';
import { labelFilter } from '../../lib/workflows/retraining.js';
import { EXAMPLE_CONFIG_FILE, loadConfig, testStack } from '../infra/support.js';

function parts(stack: Stack) {
  const endpoint = loadConfig('examples/driftwatch.config.json').endpoints[0];
  if (endpoint === undefined) throw new Error('example has an endpoint');
  const bucket = s3.Bucket.fromBucketName(stack, 'B', 'audit-bucket');
  return {
    endpoint,
    configFile: EXAMPLE_CONFIG_FILE,
    topic: sns.Topic.fromTopicArn(stack, 'T', 'arn:aws:sns:us-east-1:111111111111:t'),
    auditTrail: new AuditTrailStore(stack, 'Audit', { existingBucket: bucket }),
    auditFunction: lambda.Function.fromFunctionArn(
      stack,
      'F',
      'arn:aws:lambda:us-east-1:111111111111:function:f',
    ),
    modelPackageGroupName: 'churn-endpoint',
    artifacts: { bucket, prefix: 'a' },
    deadLetterQueue: sqs.Queue.fromQueueArn(stack, 'Q', 'arn:aws:sqs:us-east-1:111111111111:q'),
  };
}

describe('AuditTrailStore', () => {
  it('throws when both an existing bucket and Object Lock are given', () => {
    const stack = testStack();
    const existingBucket = s3.Bucket.fromBucketName(stack, 'B', 'audit-bucket');
    expect(
      () =>
        new AuditTrailStore(stack, 'Audit', {
          existingBucket,
          objectLock: { mode: 'GOVERNANCE', retention: Duration.days(1) },
        }),
    ).toThrow('Test/Audit: got both existingBucket and objectLock');
  });

  it('throws when a created bucket has no access-log bucket', () => {
    expect(() => new AuditTrailStore(testStack(), 'Audit')).toThrow('serverAccessLogsBucket is required');
  });

  it('computes record folders under the prefix', () => {
    const stack = testStack();
    const trail = new AuditTrailStore(stack, 'Audit', {
      existingBucket: s3.Bucket.fromBucketName(stack, 'B', 'audit-bucket'),
      prefix: '/x/audit/',
    });
    expect(trail.folderOf('churn')).toBe('x/audit/churn');
  });
});

describe('RetrainingWorkflow', () => {
  it('throws when the endpoint has no retraining section', () => {
    const stack = testStack();
    const p = parts(stack);
    const { retraining: _r, ...endpoint } = p.endpoint;
    expect(() => new RetrainingWorkflow(stack, 'R', { ...p, endpoint })).toThrow('has no retraining section');
  });

  it('throws when the endpoint has no modelQuality section', () => {
    const stack = testStack();
    const p = parts(stack);
    const { modelQuality: _m, ...endpoint } = p.endpoint;
    expect(() => new RetrainingWorkflow(stack, 'R', { ...p, endpoint })).toThrow(
      'has no modelQuality section',
    );
  });
});

describe('DeploymentWorkflow', () => {
  it('throws when the endpoint has no deployment section', () => {
    const stack = testStack();
    const p = parts(stack);
    const { deployment: _d, ...endpoint } = p.endpoint;
    const modelRole = iam.Role.fromRoleArn(stack, 'Role', 'arn:aws:iam::111111111111:role/r');
    expect(
      () => new DeploymentWorkflow(stack, 'D', { ...p, endpoint, modelRole, baseline: p.artifacts }),
    ).toThrow('has no deployment section');
  });
});

describe('labelFilter', () => {
  it.each([
    [0, '$[1:]'],
    [1, '$[0,2:]'],
    [3, '$[0,1,2,4:]'],
  ])('computes the InputFilter that drops column %i', (k, filter) => {
    expect(labelFilter(k)).toBe(filter);
  });
});

describe('ecrRepositoryArn', () => {
  it('computes the repository ARN of an image URI', () => {
    const stack = new Stack();
    expect(
      stack.resolve(
        ecrRepositoryArn(stack, '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1'),
      ),
    ).toEqual({
      'Fn::Join': [
        '',
        ['arn:', { Ref: 'AWS::Partition' }, ':ecr:us-east-1:683313688378:repository/sagemaker-xgboost'],
      ],
    });
  });

  it('throws when the image is not in ECR', () => {
    expect(() => ecrRepositoryArn(new Stack(), 'docker.io/library/python:3')).toThrow(
      'is not an ECR image URI',
    );
  });
});
