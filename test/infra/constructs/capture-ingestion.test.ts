import { Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { describe, expect, it } from 'vitest';
import { ENV } from '../../../functions/shared/env.js';
import { DRIFTWATCH_NAMESPACE } from '../../../functions/shared/metrics.js';
import { CaptureIngestion } from '../../../lib/constructs/capture-ingestion.js';
import { CaptureSource } from '../../../lib/constructs/capture-source.js';
import { ReportsStore } from '../../../lib/constructs/reports-store.js';
import { EXAMPLE_CONFIG_FILE, s3Arn, statementsOfRole, testStack } from '../support.js';

function setup(props: { retryAttempts?: number } = {}) {
  const stack = testStack();
  const data = s3.Bucket.fromBucketName(stack, 'Data', 'example-ml-data');
  const captureSource = new CaptureSource(stack, 'Capture', {
    capturePrefix: 'datacapture',
    existingBucket: data,
  });
  const reports = new ReportsStore(stack, 'Reports', { existingBucket: data, prefix: 'driftwatch' });
  const ingestion = new CaptureIngestion(stack, 'Ingestion', {
    endpointName: 'churn-endpoint',
    captureSource,
    baseline: { bucket: data, prefix: 'baselines/churn-endpoint' },
    reports,
    configFile: EXAMPLE_CONFIG_FILE,
    ...props,
  });
  return { stack, ingestion, template: Template.fromStack(stack) };
}

function roleOf(fn: lambda.IFunction): iam.IRole {
  const role = fn.role;
  if (role === undefined) {
    throw new Error('function without role');
  }
  return role;
}

describe('CaptureIngestion', () => {
  it('computes a Node 22 arm64 function with tracing, its own log group and the contract environment', () => {
    // Given an ingestion for one endpoint
    const { stack, ingestion, template } = setup();
    // When it is synthesized
    // Then the function runs the bundled handler with the variables the handler reads
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      MemorySize: 1024,
      Timeout: 300,
      TracingConfig: { Mode: 'Active' },
      LoggingConfig: { LogGroup: { Ref: Match.stringLikeRegexp('^IngestionIngestLogGroup') } },
      DeadLetterConfig: {
        TargetArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^IngestionDeadLetterQueue'), 'Arn'] },
      },
      Environment: {
        Variables: {
          [ENV.endpointName]: 'churn-endpoint',
          [ENV.reportsBucket]: 'example-ml-data',
          [ENV.reportsPrefix]: 'driftwatch',
          [ENV.powertoolsServiceName]: 'driftwatch-ingest',
          [ENV.powertoolsMetricsNamespace]: DRIFTWATCH_NAMESPACE,
          NODE_OPTIONS: '--enable-source-maps',
        },
      },
    });
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      MaximumRetryAttempts: 2,
      MaximumEventAgeInSeconds: 21600,
      Qualifier: '$LATEST',
    });
    expect(stack.resolve(ingestion.function.functionName)).toEqual({
      Ref: expect.stringMatching(/^IngestionIngestFunction/),
    });
  });

  it('computes a role without managed policies that reads capture and baseline and reads and writes profiles only', () => {
    // Given an ingestion
    const { stack, ingestion, template } = setup();
    // When its role is inspected
    const role = roleOf(ingestion.function);
    const statements = statementsOfRole(template, stack, role);
    // Then it has no managed policy and exactly these permissions
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [{ Principal: { Service: 'lambda.amazonaws.com' } }] },
      ManagedPolicyArns: Match.absent(),
    });
    expect(statements).toEqual([
      {
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Effect: 'Allow',
        Resource: { 'Fn::GetAtt': [expect.stringMatching(/^IngestionIngestLogGroup/), 'Arn'] },
      },
      {
        Action: 'sqs:SendMessage',
        Effect: 'Allow',
        Resource: { 'Fn::GetAtt': [expect.stringMatching(/^IngestionDeadLetterQueue/), 'Arn'] },
      },
      { Action: ['xray:PutTelemetryRecords', 'xray:PutTraceSegments'], Effect: 'Allow', Resource: '*' },
      {
        Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
        Effect: 'Allow',
        Resource: { 'Fn::GetAtt': [expect.stringMatching(/^IngestionDeadLetterQueueKey/), 'Arn'] },
      },
      {
        Action: 's3:GetObject',
        Effect: 'Allow',
        Resource: [
          s3Arn('example-ml-data/baselines/churn-endpoint/*'),
          s3Arn('example-ml-data/datacapture/churn-endpoint/*'),
          // Its own profiles: a delivery looks for the object's profile first (idempotency).
          s3Arn('example-ml-data/driftwatch/profiles/churn-endpoint/*'),
        ],
      },
      {
        Action: 's3:ListBucket',
        Effect: 'Allow',
        Resource: s3Arn('example-ml-data'),
        Condition: {
          StringLike: { 's3:prefix': ['baselines/churn-endpoint', 'baselines/churn-endpoint/*'] },
        },
      },
      {
        Action: 's3:PutObject',
        Effect: 'Allow',
        Resource: s3Arn('example-ml-data/driftwatch/profiles/churn-endpoint/*'),
      },
      {
        Action: 's3:ListBucket',
        Effect: 'Allow',
        Resource: s3Arn('example-ml-data'),
        Condition: {
          StringLike: {
            's3:prefix': ['driftwatch/profiles/churn-endpoint', 'driftwatch/profiles/churn-endpoint/*'],
          },
        },
      },
    ]);
  });

  it('computes an EventBridge rule on Object Created under the endpoint prefix, with retries and a dead-letter queue', () => {
    // Given an ingestion
    const { template } = setup();
    // When it is synthesized
    // Then the rule matches the endpoint's capture objects and targets the function
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.s3'],
        'detail-type': ['Object Created'],
        detail: {
          bucket: { name: ['example-ml-data'] },
          object: { key: [{ prefix: 'datacapture/churn-endpoint/' }] },
        },
      },
      Targets: [
        {
          Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^IngestionIngestFunction'), 'Arn'] },
          DeadLetterConfig: {
            Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^IngestionDeadLetterQueue'), 'Arn'] },
          },
          RetryPolicy: { MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 86400 },
        },
      ],
    });
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      Principal: 'events.amazonaws.com',
    });
  });

  it('computes a KMS-encrypted, TLS-only dead-letter queue whose key EventBridge may use', () => {
    // Given an ingestion without a queue of its own
    const { template } = setup();
    // When it is synthesized
    // Then the queue is encrypted with a rotating key, keeps messages 14 days and refuses plain HTTP
    template.hasResourceProperties('AWS::SQS::Queue', {
      KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^IngestionDeadLetterQueueKey'), 'Arn'] },
      MessageRetentionPeriod: 1209600,
    });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({ Action: 'sqs:SendMessage', Principal: { Service: 'events.amazonaws.com' } }),
        ]),
      },
    });
    template.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'AllowEventBridgeDeadLetters',
            Principal: { Service: 'events.amazonaws.com' },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
          }),
        ]),
      },
    });
  });

  it('computes error and dead-letter metrics for alarms', () => {
    // Given an ingestion
    const { stack, ingestion } = setup();
    // When its metrics are asked for with a period
    const errors = ingestion.metricErrors({ period: Duration.minutes(5) });
    const depth = ingestion.metricDeadLetterQueueDepth();
    // Then they are the function's Errors (Sum) and the queue's visible messages (Maximum)
    expect([errors.namespace, errors.metricName, errors.statistic, errors.period.toMinutes()]).toEqual([
      'AWS/Lambda',
      'Errors',
      'Sum',
      5,
    ]);
    expect([depth.namespace, depth.metricName, depth.statistic]).toEqual([
      'AWS/SQS',
      'ApproximateNumberOfMessagesVisible',
      'Maximum',
    ]);
    expect(stack.resolve(depth.dimensions)).toEqual({
      QueueName: { 'Fn::GetAtt': [expect.stringMatching(/^IngestionDeadLetterQueue/), 'QueueName'] },
    });
  });

  it('throws when retryAttempts is outside Lambda limits', () => {
    // Given three asynchronous retries (Lambda allows 0-2)
    // When / Then the function construct refuses with its path and the allowed values
    expect(() => setup({ retryAttempts: 3 })).toThrow(
      /Test\/Ingestion\/Ingest: retryAttempts must be 0, 1 or 2 .* got 3/,
    );
  });
});
